"""A past quarter's report stays the same whatever happens after the quarter: moves, new
applications, decisions and edits made later leave every cell of every sheet as it was."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest

from dashboards.reports import ReportSpec, write_report
from funding.models import FundingApplication, Implementation
from funding.services import application_save, implementation_save
from portfolio.models import Idea
from portfolio.services import idea_create, idea_move, idea_update
from portfolio.stages import Stage
from tests.dashboards.report_data import at, build_world, open_workbook, read_summary, values
from tests.factories import FundingApplicationFactory, RoadshowEventFactory, instrument

pytestmark = pytest.mark.django_db


def every_cell(content: bytes) -> dict[str, list[tuple]]:
    workbook = open_workbook(content)
    return {sheet.title: values(sheet) for sheet in workbook.worksheets}


def generate(language: str = "en") -> bytes:
    buffer = BytesIO()
    write_report(ReportSpec.for_quarter(2023, 2, language), buffer)
    return buffer.getvalue()


def date_the_history(world) -> None:
    """Date each application's and implementation's history when it was recorded, as the
    services would have done at the time (the factories record everything today)."""
    for application in world.applications.values():
        FundingApplication.history.filter(id=application.pk).update(
            history_date=at(application.submitted_on)
        )
    for implementation in Implementation.objects.all():
        Implementation.history.filter(id=implementation.pk).update(
            history_date=at(implementation.start)
        )


def change_everything_after_the_quarter(world) -> None:
    owner = world.owner
    i1, i2, i3 = (world.ideas[name] for name in ("I1", "I2", "I3"))
    # Moves.
    idea_move(idea=i1, to_stage=Stage.DROPPED, by=owner, note="Partners left")
    idea_move(idea=i2, to_stage=Stage.CONSORTIUM, by=owner, note="Revise")
    implementation = Implementation.objects.get(idea=i3)
    implementation.end = date(2024, 1, 31)
    implementation.health = Implementation.Health.LATE
    implementation.final_report_date = date(2024, 3, 1)
    implementation_save(implementation=implementation, by=owner)
    idea_move(idea=i3, to_stage=Stage.COMPLETED, by=owner)
    # New applications and a decision.
    FundingApplicationFactory(
        idea=i1, instrument=instrument("akke"), requested=Decimal("5000.00"),
        submitted_on=date(2023, 8, 1),
    )
    a2 = FundingApplication.objects.get(pk=world.applications["A2"].pk)
    a2.status = FundingApplication.Status.APPROVED
    a2.decided_on = date(2023, 9, 1)
    a2.granted = Decimal("40000.00")
    application_save(application=a2, by=owner)
    # Edits of what has no date of its own: amounts, titles, themes, regions, owner.
    a1 = FundingApplication.objects.get(pk=world.applications["A1"].pk)
    a1.requested = Decimal("90000.00")
    a1.granted = Decimal("70000.00")
    application_save(application=a1, by=owner)
    # Fresh copies, as a page would load them: the created ones still carry the backdated
    # history date idea_create gave them.
    i1 = Idea.objects.get(pk=i1.pk)
    i1.title = "I1 renamed"
    i1.estimated_budget = Decimal("1.00")
    i1.origin_event = None
    idea_update(idea=i1, by=owner, themes=[world.themes["T2"]], regions=[])
    i3 = Idea.objects.get(pk=i3.pk)
    i3.origin_event = None  # would take A1's grant out of the leverage
    idea_update(idea=i3, by=owner)
    # New events and ideas.
    RoadshowEventFactory(title="Later", date=date(2023, 9, 1))
    idea_create(title="Brand new", by=owner, owner=owner)


@pytest.mark.parametrize("language", ["fi", "en"])
def test_later_changes_leave_the_past_quarter_as_it_was(settings, language):
    settings.NETWORK_OWN_FUNDING = Decimal("260000")
    world = build_world()
    date_the_history(world)
    before = generate(language)

    change_everything_after_the_quarter(world)
    after = generate(language)

    old, new = every_cell(before), every_cell(after)
    assert old.keys() == new.keys()
    for sheet in old:
        assert len(new[sheet]) == len(old[sheet]), sheet
        for row, (was, now) in enumerate(zip(old[sheet], new[sheet]), start=1):
            assert now == was, (sheet, row)
    # Not two empty workbooks: the quarter's story is there.
    summary = read_summary(open_workbook(before))
    assert summary.figures["granted"][0] == 80_000
    assert summary.figures["granted_from_events"][0] == 80_000
    ideas = {row[0] for row in every_cell(before)[open_workbook(before).sheetnames[3]][1:]}
    assert ideas == {"I1", "I2", "I3", "I4"}


def test_a_record_first_written_after_the_quarter_is_read_as_first_written(settings):
    """A grant typed in after the quarter, dated in it, still counts (its dates are facts);
    a later edit of its amount does not change the quarter."""
    world = build_world()
    date_the_history(world)
    late = FundingApplicationFactory(
        idea=world.ideas["I2"], instrument=instrument("akke"), requested=Decimal("7000.00"),
        total_budget=Decimal("7000.00"), submitted_on=date(2023, 4, 20),
        status=FundingApplication.Status.APPROVED, decided_on=date(2023, 6, 28),
        granted=Decimal("6000.00"),
    )
    before = read_summary(open_workbook(generate()))
    assert before.figures["granted"][0] == 80_000 + 6_000
    assert before.figures["requested"][0] == 70_000 + 7_000

    late.granted = Decimal("5000.00")
    application_save(application=late, by=world.owner)
    assert read_summary(open_workbook(generate())).figures["granted"][0] == 80_000 + 6_000
