"""Demo data for ``manage.py seed_demo``: seed, reset and inspect an invented SIXNET network.

Built the same way for the same seed. :mod:`~demo.data` holds the network's facts
(themes, organisations, roadshow events, funding calls) and the material of idea stories;
:mod:`~demo.world` creates the demo users and the reference rows;
:mod:`~demo.planner` turns a seeded ``random.Random`` into idea histories
(:mod:`~demo.plans`); :mod:`~demo.writers` stores them.

Every idea is first planned as plain data (an :class:`IdeaPlan`: its moves, consortium,
applications and implementation, all dated), then written either through the services
(``idea_create``, ``idea_move`` and friends, which check every guard) or, for large
counts, in bulk. Both writers store the same plan, so bulk ideas have the same shape as
the ones the services checked.

The data is a function of the seed and of "today" (``seed_demo --today``, by default the
current date): the network's AKKE period 2022–2023 with its roadshow events, follow-on
events from 2024 up to today, funding calls closed, open and coming, and ideas whose
creations, moves, submissions and decisions all fall between January 2022 and the day
before today (:func:`~demo.planner.last_history_day`). Open ideas reached their present
stage within the last year, so the pipeline looks alive on whatever day the demo is built.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count
from django.test.utils import override_settings
from django.utils import timezone

from dashboards.summaries import rebuild as rebuild_summaries
from demo.calendar import reset_calendar, seed_calendar
from demo.data import DEMO_USERS, ORGANISATIONS
from demo.network import reset_network_data, seed_network_data
from demo.planner import IdeaPlanner, last_history_day
from demo.plans import IdeaPlan
from demo.targets import reset_targets, seed_targets
from demo.world import (
    BUSINESS_ID_WEIGHTS,
    DemoDataError,
    build_world,
    business_id_check_digit,
    demo_logins,
    ensure_demo_users,
)
from demo.writers import SERVICE_IDEAS, write_plans
from funding.models import FundingApplication, FundingCall, Implementation
from portfolio.models import (
    ConsortiumMember,
    Contact,
    Idea,
    Organisation,
    RoadshowEvent,
    StageTransition,
    Theme,
)
from portfolio.stages import Stage

__all__ = [
    "BUSINESS_ID_WEIGHTS",
    "DEMO_USERS",
    "EARLIEST_TODAY",
    "ORGANISATIONS",
    "SERVICE_IDEAS",
    "DemoDataError",
    "IdeaPlan",
    "SeedResult",
    "business_id_check_digit",
    "demo_logins",
    "has_data",
    "last_history_day",
    "reset_demo_data",
    "seed_demo_data",
]


# The demo's story needs the AKKE period 2022–2023 behind it.
EARLIEST_TODAY = date(2024, 1, 1)


def reset_demo_data() -> None:
    """Delete the portfolio and funding data, keeping regions, funders, instruments and users.

    History rows go too: they describe ideas that no longer exist.
    """
    reset_network_data()
    reset_targets()
    # The history receivers would write a "deleted" row per object, one INSERT each; the
    # whole history is deleted below anyway.
    with override_settings(SIMPLE_HISTORY_ENABLED=False):
        for model in (Implementation, FundingApplication, ConsortiumMember, StageTransition,
                      Idea, RoadshowEvent, Contact, Organisation, FundingCall):
            model.objects.all().delete()
    for model in (Idea, ConsortiumMember, FundingApplication, Implementation):
        history = model.history.model
        for relation in history._meta.related_objects:  # the ideas' themes and regions
            relation.related_model.objects.all().delete()
        history.objects.all().delete()
    Theme.objects.exclude(parent=None).update(parent=None)
    Theme.objects.all().delete()
    reset_calendar()


def has_data() -> bool:
    """Whether the database already holds a portfolio of its own."""
    return (
        Idea.objects.exists()
        or Organisation.objects.exists()
        or RoadshowEvent.objects.exists()
    )


@dataclass
class SeedResult:
    themes: int
    organisations: int
    contacts: int
    events: int
    ideas_by_stage: dict[str, int]
    applications: int
    implementations: int


def seed_demo_data(
    *,
    seed: int,
    ideas: int,
    password: str,
    progress: Callable[[int, int], None] | None = None,
    today: date | None = None,
) -> SeedResult:
    """Create the demo users, reference data and ``ideas`` ideas from ``seed``, with a
    history that reaches ``today`` (by default the current local date).

    The same seed and the same ``today`` give the same data. Call inside a transaction: a
    failure must leave nothing half-written.
    """
    today = today or timezone.localdate()
    if today < EARLIEST_TODAY:
        raise DemoDataError(
            f"The demo's story needs its 2022–2023 period in the past: today must be "
            f"{EARLIEST_TODAY.isoformat()} or later."
        )
    rng = random.Random(seed)
    users = ensure_demo_users(password)
    world = build_world(rng, users, today)
    planner = IdeaPlanner(world, rng, today)
    write_plans(planner.plans(ideas), ideas, progress)
    seed_network_data(seed=seed, world=world)
    # Its own random stream, so the calendar does not change the ideas drawn for a seed.
    seed_calendar(random.Random(seed), users["manager"], today=today)
    seed_targets(users["manager"])
    # The ideas and applications were written in bulk, around the services that keep the
    # dashboards' summary tables: rebuild them from what was written.
    rebuild_summaries()
    counts = dict.fromkeys(Stage.values, 0)
    for row in Idea.objects.order_by().values("stage").annotate(n=Count("id")):
        counts[row["stage"]] = row["n"]
    return SeedResult(
        themes=len(world.themes),
        organisations=len(world.organisations),
        contacts=sum(len(c) for c in world.contacts.values()),
        events=len(world.events),
        ideas_by_stage=counts,
        applications=FundingApplication.objects.count(),
        implementations=Implementation.objects.count(),
    )
