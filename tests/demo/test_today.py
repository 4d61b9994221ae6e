"""seed_demo --today: the demo story keeps its AKKE period 2022–2023 and continues up to the
given day, with calls still to come, recent moves and no idea waiting for years."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F, Max, Q
from django.urls import reverse
from django.utils import timezone

from funding.models import FundingApplication, FundingCall, Implementation
from portfolio.models import ConsortiumMember, Idea, RoadshowEvent, StageTransition
from portfolio.selectors import pipeline
from portfolio.stages import Stage
from tests.demo.test_seed_demo import assert_consistent, fingerprint, seed
from vuosikello.models import CalendarEntry
from vuosikello.selectors import calendar_items

pytestmark = pytest.mark.django_db

TODAYS = [date(2026, 12, 3), date(2027, 5, 15), date(2025, 3, 1)]
OPEN_STAGES = [Stage.IDEA, Stage.CONSORTIUM, Stage.APPLICATION, Stage.IMPLEMENTATION]


@pytest.fixture(autouse=True)
def debug(settings):
    settings.DEBUG = True


def noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=timezone.get_current_timezone())


def full_fingerprint() -> dict[str, list[str]]:
    """The ideas' data with the calls and the calendar, which also depend on today."""
    prints = fingerprint()
    prints["calls"] = sorted(
        map(str, FundingCall.objects.values_list("instrument__code", "title", "opens", "deadline"))
    )
    prints["calendar"] = sorted(
        map(str, CalendarEntry.objects.values_list("title", "starts_on", "starts_at", "region__code"))
    )
    return prints


@pytest.mark.parametrize("today", TODAYS, ids=str)
def test_the_story_reaches_today_and_no_further(today, small_service_share, client,
                                                settings, time_machine):
    time_machine.move_to(noon(today))
    output = seed(ideas=150, today=today)
    now = timezone.now()
    assert f"up to {today.isoformat()}" in output
    assert_consistent()

    # Nothing in the history happens after today.
    assert Idea.objects.aggregate(last=Max("created_at"))["last"] < now
    assert StageTransition.objects.aggregate(last=Max("at"))["last"] < now
    assert ConsortiumMember.objects.aggregate(last=Max("created_at"))["last"] <= now
    applications = FundingApplication.objects.all()
    assert not applications.filter(Q(submitted_on__gte=today) | Q(decided_on__gte=today)).exists()
    assert not Implementation.objects.filter(start__gte=today).exists()
    assert not Implementation.objects.filter(final_report_date__gte=today).exists()
    assert not RoadshowEvent.objects.filter(date__gte=today).exists()
    # Submissions fall within their calls' windows.
    for application in applications.exclude(call=None).select_related("call"):
        call = application.call
        assert call.opens <= application.submitted_on <= timezone.localdate(call.deadline)

    # The AKKE period keeps its events and ideas; follow-on events reach the last months.
    for year in (2022, 2023):
        assert RoadshowEvent.objects.filter(date__year=year).count() == 7
        assert Idea.objects.filter(created_at__year=year).count() >= 10
        assert Idea.objects.filter(origin_event__date__year=year).exists()
    assert RoadshowEvent.objects.filter(date__gte=today - timedelta(days=200)).exists()
    assert Idea.objects.filter(origin_event__date__gte=date(2024, 1, 1)).exists()

    # Ideas are created and moved in today's quarter.
    quarter = noon(date(today.year, (today.month - 1) // 3 * 3 + 1, 1)) - timedelta(hours=12)
    assert Idea.objects.filter(created_at__gte=quarter).exists()
    assert StageTransition.objects.filter(at__gte=quarter).exclude(from_stage="").exists()

    # No open idea has waited for years: not by the stalled list, not by its stage date.
    stalled = pipeline.with_days_in_stage(Idea.objects.stalled(now=now), now=now)
    assert stalled  # the home page has something to show
    assert max(row.days_in_stage for row in stalled) <= 400
    open_ideas = Idea.objects.filter(stage__in=OPEN_STAGES)
    assert open_ideas.count() > 50
    assert not open_ideas.filter(stage_entered_at__lt=now - timedelta(days=400)).exists()
    assert not Implementation.objects.filter(
        idea__stage=Stage.IMPLEMENTATION, end__lt=today
    ).exists()
    # ... and the home page, which lists them, agrees.
    client.cookies["django_language"] = "en"
    assert client.login(username="manager", password=settings.DEMO_PASSWORD)
    page = client.get(reverse("home"))
    assert page.status_code == 200
    assert all(row.days_in_stage <= 400 for row in page.context["stalled"])

    # Calls: past ones, and open ones for AKKE, Business Finland and the EU with deadlines in
    # the coming months.
    calls = FundingCall.objects.select_related("instrument")
    assert calls.filter(deadline__lt=now).exists()
    open_calls = calls.open_on(now)
    soon = now + timedelta(days=200)
    assert open_calls.filter(instrument__code="akke", deadline__lte=soon).exists()
    assert open_calls.filter(instrument__code__startswith="bf-", deadline__lte=soon).exists()
    assert open_calls.filter(instrument__level="eu", deadline__lte=soon).exists()
    assert not calls.filter(opens__gt=F("deadline")).exists()

    # The calendar has this year and the next, and something this month.
    assert CalendarEntry.objects.filter(starts_at__year=today.year + 1).exists()
    this_month = [
        item for item in calendar_items(year=today.year) if item.start.month == today.month
    ]
    assert this_month


def test_the_same_seed_and_today_give_the_same_data(small_service_share, time_machine):
    today = date(2026, 12, 3)
    time_machine.move_to(noon(today + timedelta(days=120)))
    seed(seed=7, ideas=80, today=today)
    first = full_fingerprint()

    seed(seed=7, ideas=80, today=today, reset=True)
    assert full_fingerprint() == first

    seed(seed=7, ideas=80, today=today + timedelta(days=120), reset=True)
    later = full_fingerprint()
    assert later["ideas"] != first["ideas"]
    assert later["calls"] != first["calls"]
    assert later["events"] != first["events"]


def test_today_cannot_be_ahead_of_the_clock(time_machine):
    time_machine.move_to(noon(date(2026, 12, 3)))
    with pytest.raises(CommandError, match="after today"):
        seed(ideas=3, today=date(2026, 12, 4))
    assert not Idea.objects.exists()


def test_today_must_leave_the_akke_period_behind():
    with pytest.raises(CommandError, match="2024-01-01"):
        seed(ideas=3, today=date(2023, 6, 1))
    assert not Idea.objects.exists()


def test_today_is_given_as_an_iso_date(time_machine):
    time_machine.move_to(noon(date(2026, 12, 3)))
    with pytest.raises(CommandError):
        call_command("seed_demo", "--today", "3.12.2026", stdout=StringIO())
    seed_args = ["--today", "2026-12-03", "--ideas", "3"]
    out = StringIO()
    call_command("seed_demo", *seed_args, stdout=out)
    assert "up to 2026-12-03" in out.getvalue()
