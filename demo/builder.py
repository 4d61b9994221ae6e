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
the ones the services checked. Nothing depends on the current time: every creation, move,
submission and decision falls between January 2022 and :data:`HORIZON`.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count
from django.test.utils import override_settings

from demo.calendar import reset_calendar, seed_calendar
from demo.data import DEMO_USERS, ORGANISATIONS
from demo.network import reset_network_data, seed_network_data
from demo.planner import HORIZON, IdeaPlanner
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
    "HORIZON",
    "ORGANISATIONS",
    "SERVICE_IDEAS",
    "DemoDataError",
    "IdeaPlan",
    "SeedResult",
    "business_id_check_digit",
    "demo_logins",
    "has_data",
    "reset_demo_data",
    "seed_demo_data",
]


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
) -> SeedResult:
    """Create the demo users, reference data and ``ideas`` ideas from ``seed``.

    Call inside a transaction: a failure must leave nothing half-written.
    """
    rng = random.Random(seed)
    users = ensure_demo_users(password)
    world = build_world(rng, users)
    planner = IdeaPlanner(world, rng)
    write_plans(planner.plans(ideas), ideas, progress)
    seed_network_data(seed=seed, world=world)
    # Its own random stream, so the calendar does not change the ideas drawn for a seed.
    seed_calendar(random.Random(seed), users["manager"])
    seed_targets(users["manager"])
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
