"""Stalled, one rule per stage (portfolio/stalled.py), now and as at a past moment.

The clock stands at 13.5.2026 12:00 in Helsinki; STALE_AFTER_DAYS is 60.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from portfolio.models import Idea
from portfolio.stalled import definition_text, rule_text, stalled_moves_as_at
from tests.factories import ConsortiumMemberFactory, IdeaFactory, ImplementationFactory, advance

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def limits(settings):
    settings.STALE_AFTER_DAYS = 60
    settings.IMPLEMENTATION_STALE_AFTER_DAYS = 0


def days_ago(days: int):
    return timezone.now() - timedelta(days=days)


def made(title: str, stage: str, since_days: int) -> Idea:
    """An idea created and moved to ``stage`` ``since_days`` ago, with nothing since."""
    idea = IdeaFactory(title=title, at=days_ago(since_days))
    if stage != "idea":
        idea = advance(idea, stage, at=days_ago(since_days))
    return idea


def stalled_now(**kwargs) -> dict[str, str]:
    return dict(Idea.objects.stalled(**kwargs).values_list("title", "stalled_rule"))


def test_each_waiting_stage_after_60_days_without_a_move_or_edit():
    made("idea 61", "idea", 61)
    made("idea 59", "idea", 59)
    consortium = made("consortium 61", "consortium", 61)
    made("dropped 300", "dropped", 300)

    assert stalled_now() == {"idea 61": "idle", "consortium 61": "idle"}
    assert consortium.stage == "consortium"


def test_an_edit_of_the_idea_or_its_consortium_is_not_stalled():
    """Both in their stage for 90 days; one edited 10 days ago, one got a partner 5 days
    ago (the membership's history); a third is left alone."""
    edited = made("edited", "idea", 90)
    edited._history_date = days_ago(10)
    edited.summary = "Pilot customer found"
    edited.save()
    partnered = made("partnered", "consortium", 90)
    member = ConsortiumMemberFactory(idea=partnered)
    type(member).history.filter(id=member.pk).update(history_date=days_ago(5))
    made("alone", "consortium", 90)

    assert stalled_now() == {"alone": "idle"}


def test_the_application_stage_counts_edits_of_its_applications():
    """The application's history is written today by the factory: an edit today."""
    made("applying", "application", 200)
    # Without the advance's records (member, application) it would be stalled: prove it
    # by looking 61 days ahead, when today's edits are 61 days old too.
    assert stalled_now() == {}
    assert stalled_now(now=timezone.now() + timedelta(days=61)) == {"applying": "idle"}


def test_implementation_only_past_its_planned_end():
    """Three in implementation for 400 days: ending next month, ended yesterday, and with
    no end recorded. Only the one past its end is stalled; the days do not count."""
    running = made("running", "implementation", 400)
    ImplementationFactory(idea=running, end=timezone.localdate() + timedelta(days=30))
    late = made("late", "implementation", 400)
    ImplementationFactory(idea=late, end=timezone.localdate() - timedelta(days=1))
    made("no record", "implementation", 400)

    assert stalled_now() == {"late": "past_end"}
    # On its last day it is not past its end yet.
    ends_today = made("ends today", "implementation", 400)
    ImplementationFactory(idea=ends_today, end=timezone.localdate())
    assert "ends today" not in stalled_now()


def test_no_recorded_progress_when_the_setting_asks(settings):
    """The implementation record was written today (the factory): no progress rule hits
    until 181 days later, with the rule set to 180 days."""
    running = made("running", "implementation", 400)
    ImplementationFactory(idea=running, end=date(2030, 12, 31))
    later = timezone.now() + timedelta(days=181)

    assert stalled_now(now=later) == {}
    settings.IMPLEMENTATION_STALE_AFTER_DAYS = 180
    assert stalled_now(now=later) == {"running": "no_progress"}
    assert stalled_now() == {}


def test_as_at_a_past_moment_reads_the_history():
    """An idea created 200 days ago and moved to consortium 100 days ago: 110 days ago it
    was an idea 90 days old (stalled); 50 days ago it had been forming for 50 (not); now
    for 100 (stalled)."""
    idea = made("moving", "idea", 200)
    from portfolio.services import idea_move

    idea_move(idea=idea, to_stage="consortium", by=idea.owner, at=days_ago(100))

    then = dict(
        stalled_moves_as_at(Idea.objects.all(), days_ago(110)).values_list(
            "idea__title", "stalled_stage"
        )
    )
    assert then == {"moving": "idea"}
    assert not stalled_moves_as_at(Idea.objects.all(), days_ago(50)).exists()
    assert stalled_now() == {"moving": "idle"}


def test_the_words():
    assert rule_text("idle") == "stalled: no move or edit for 60 days"
    assert rule_text("past_end") == "implementation past its planned end"
    assert definition_text() == (
        "Stalled: an idea, consortium or application with no move or edit for 60 days; "
        "an implementation past its planned end."
    )
