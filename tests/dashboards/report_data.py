"""A small portfolio with a known history around Q2/2023, and readers for the report's
workbook; the report tests share them. Every expected figure in the tests is counted by
hand from the story below, never by the report's own code.

Events: E1 10.5.2023 (30 on site, 20 online, organisations A B), E2 1.2.2023 (on site 10;
B C), E3 1.9.2022 (online 15; D), E4 15.7.2023 (after the quarter; A).

Ideas (created → moves):
  I1 10.4.2023 from E1, T1, Pirkanmaa          → consortium 1.5.2023
  I2 1.2.2023, T2, Keski-Suomi                 → consortium 1.3.2023 → application 15.5.2023
  I3 1.10.2022 from E3, T1, Pirkanmaa          → consortium 1.11.2022 → application 15.1.2023
                                                 → implementation 1.6.2023
  I4 20.6.2023, T1 T2, Pirkanmaa E-Pohjanmaa   → dropped 25.6.2023
  I5 1.8.2023 (after the quarter)

Applications (idea, instrument, requested, submitted, decision):
  A1 I3 akke    100 000  10.2.2023  approved 20.5.2023, 80 000 granted
  A2 I2 bf-rdi   50 000  15.5.2023  —
  A3 I2 bf-rdi   30 000   1.12.2022 rejected 5.4.2023
  A4 I3 akke     20 000  10.6.2023  approved 10.7.2023 (after the quarter), 15 000
  A5 I1 akke     10 000   5.7.2023  (after the quarter)
  A6 I2 bf-rdi   40 000   1.3.2022  approved 1.6.2022, 40 000
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from io import BytesIO
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import load_workbook

from funding.models import FundingApplication
from portfolio.models import ConsortiumMember, RoadshowEvent
from portfolio.services import idea_create, idea_move
from portfolio.stages import Stage
from tests.factories import (
    ConsortiumMemberFactory,
    FundingApplicationFactory,
    ImplementationFactory,
    OrganisationFactory,
    RoadshowEventFactory,
    ThemeFactory,
    UserFactory,
    instrument,
    region,
)

HELSINKI = ZoneInfo("Europe/Helsinki")


def at(day: date, hour: int = 12) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=HELSINKI)


@dataclass
class World:
    ideas: dict[str, Any]
    applications: dict[str, FundingApplication]
    events: dict[str, RoadshowEvent]
    themes: dict[str, Any]
    owner: Any


def build_world() -> World:
    owner = UserFactory(manager=True, first_name="Olli", last_name="Omistaja")
    orgs = {name: OrganisationFactory(name=f"Org {name}") for name in "ABCD"}
    events = {
        "E1": RoadshowEventFactory(title="E1", date=date(2023, 5, 10), participants_onsite=30,
                                   participants_online=20),
        "E2": RoadshowEventFactory(title="E2", date=date(2023, 2, 1), participants_onsite=10,
                                   participants_online=0, format=RoadshowEvent.Format.ONSITE),
        "E3": RoadshowEventFactory(title="E3", date=date(2022, 9, 1), participants_onsite=0,
                                   participants_online=15, format=RoadshowEvent.Format.ONLINE),
        "E4": RoadshowEventFactory(title="E4", date=date(2023, 7, 15)),
    }
    for name, members in (("E1", "AB"), ("E2", "BC"), ("E3", "D"), ("E4", "A")):
        events[name].organisations.set([orgs[m] for m in members])
    themes = {"T1": ThemeFactory(name_en="Theme one"), "T2": ThemeFactory(name_en="Theme two")}
    pirkanmaa, keski, etela = region("06"), region("13"), region("14")

    def idea(title, day, themes_, regions_, event=None):
        return idea_create(
            title=title, by=owner, owner=owner, origin_event=event, themes=themes_,
            regions=regions_, estimated_budget=Decimal("100000.00"), at=at(day),
        )

    def move(item, stage, day, note=""):
        return idea_move(idea=item, to_stage=stage, by=owner, note=note, at=at(day))

    def lead(item):
        ConsortiumMemberFactory(idea=item, role=ConsortiumMember.Role.LEAD,
                                status=ConsortiumMember.Status.COMMITTED)

    i1 = idea("I1", date(2023, 4, 10), [themes["T1"]], [pirkanmaa], events["E1"])
    i1 = move(i1, Stage.CONSORTIUM, date(2023, 5, 1))
    i2 = idea("I2", date(2023, 2, 1), [themes["T2"]], [keski])
    i2 = move(i2, Stage.CONSORTIUM, date(2023, 3, 1))
    lead(i2)
    i2 = move(i2, Stage.APPLICATION, date(2023, 5, 15))
    i3 = idea("I3", date(2022, 10, 1), [themes["T1"]], [pirkanmaa], events["E3"])
    i3 = move(i3, Stage.CONSORTIUM, date(2022, 11, 1))
    lead(i3)
    i3 = move(i3, Stage.APPLICATION, date(2023, 1, 15))

    def application(item, code, requested, submitted, status, decided=None, granted=None):
        return FundingApplicationFactory(
            idea=item, instrument=instrument(code), total_budget=Decimal(requested) * 2,
            requested=Decimal(requested), submitted_on=submitted, status=status,
            decided_on=decided, granted=Decimal(granted) if granted else None,
        )

    status = FundingApplication.Status
    apps = {
        "A1": application(i3, "akke", 100_000, date(2023, 2, 10), status.APPROVED,
                          date(2023, 5, 20), 80_000),
        "A2": application(i2, "bf-rdi", 50_000, date(2023, 5, 15), status.SUBMITTED),
        "A3": application(i2, "bf-rdi", 30_000, date(2022, 12, 1), status.REJECTED,
                          date(2023, 4, 5)),
        "A4": application(i3, "akke", 20_000, date(2023, 6, 10), status.APPROVED,
                          date(2023, 7, 10), 15_000),
        "A5": application(i1, "akke", 10_000, date(2023, 7, 5), status.SUBMITTED),
        "A6": application(i2, "bf-rdi", 40_000, date(2022, 3, 1), status.APPROVED,
                          date(2022, 6, 1), 40_000),
    }
    i3 = move(i3, Stage.IMPLEMENTATION, date(2023, 6, 1))
    ImplementationFactory(idea=i3, start=date(2023, 6, 5), end=date(2024, 12, 31),
                          total_budget=Decimal("200000.00"))
    i4 = idea("I4", date(2023, 6, 20), [themes["T1"], themes["T2"]], [pirkanmaa, etela])
    i4 = move(i4, Stage.DROPPED, date(2023, 6, 25), note="No partners")
    i5 = idea("I5", date(2023, 8, 1), [themes["T1"]], [pirkanmaa])
    return World(
        ideas={"I1": i1, "I2": i2, "I3": i3, "I4": i4, "I5": i5},
        applications=apps,
        events=events,
        themes=themes,
        owner=owner,
    )


# --- reading the workbook ---------------------------------------------------------------


def open_workbook(content: bytes):
    return load_workbook(BytesIO(content))


def values(sheet) -> list[tuple]:
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def blocks(sheet) -> list[list[tuple]]:
    """The sheet's rows in blocks separated by empty rows."""
    result: list[list[tuple]] = [[]]
    for row in values(sheet):
        if all(cell is None for cell in row):
            result.append([])
        else:
            result[-1].append(row)
    return [block for block in result if block]


FIGURES = (
    "events", "participants_onsite", "participants_online", "organisations", "new_ideas",
    "stage_moves", "submitted", "requested", "approved", "rejected", "granted",
    "granted_from_events", "granted_to_dropped", "leverage", "leverage_over_budget",
)
BY_INSTRUMENT = ("submitted", "requested", "approved", "rejected", "granted")


@dataclass
class SummaryRead:
    figures: dict[str, tuple]  # name → (period, year to date, since start)
    by_instrument: dict[str, dict[str, tuple]]  # figure → instrument name → the three
    stages: list[tuple[str, int]]
    all_ideas: int
    # name → (previous period, change, a year earlier, change)
    compared: dict[str, tuple] = field(default_factory=dict)


def read_summary(workbook) -> SummaryRead:
    """The Summary sheet's figures by their place: a title block (and the narrative when
    written), the figures (two header rows, then one row per figure: the period, the
    previous period and the change, a year earlier and the change, the year to date and
    since the start), five tables by instrument in the same columns, and the stages."""
    sheet = workbook.worksheets[0]
    parts = blocks(sheet)
    start = next(index for index, part in enumerate(parts) if len(part) == 2 + len(FIGURES))
    parts = parts[start - 1:]
    figure_rows = parts[1][2:]
    figures = {name: (row[1], row[6], row[7]) for name, row in zip(FIGURES, figure_rows)}
    compared = {name: tuple(row[2:6]) for name, row in zip(FIGURES, figure_rows)}
    by_instrument = {
        name: {row[0]: (row[1], row[6], row[7]) for row in part[1:] if row[1] is not None}
        for name, part in zip(BY_INSTRUMENT, parts[2:7])
    }
    stage_rows = parts[7][1:]
    return SummaryRead(
        figures=figures,
        by_instrument=by_instrument,
        stages=[(row[0], row[1]) for row in stage_rows[:-1]],
        all_ideas=stage_rows[-1][1],
        compared=compared,
    )
