"""A small portfolio for the leverage and per-event outcome tests, with hand-worked numbers.

Events: Tampere (ideas A and Other), Oulu (ideas B and C), Quiet (no ideas); Outside has no
event. Grants (approved, € granted = € requested, submitted on 1 December of the year before
the decision):

| idea    | event   | €        | instrument | decided    | counted as leverage        |
|---------|---------|----------|------------|------------|----------------------------|
| A       | Tampere | 100 000  | akke       | 1.6.2023   | funding period, all        |
| B       | Oulu    |  50 000  | bf-rdi     | 1.6.2023   | funding period, all        |
| B       | Oulu    | 200 000  | akke       | 10.2.2024  | follow-on, all             |
| C (dropped since) | Oulu | 30 000 | akke   | 1.5.2022   | funding period, all        |
| Other   | Tampere |  40 000  | akke       | 15.12.2021 | all (before the network)   |
| Outside | —       | 300 000  | akke       | 1.9.2023   | never: no event            |

Other also has a rejection (submitted 1.4.2023, 150 000 € requested) and a pending
application (submitted 1.3.2024, 150 000 € requested). A has reached consortium forming, B
the application stage; C was dropped from the idea stage.

Funding period 1.1.2022–31.12.2023: 180 000 € (3 grants); all to date: 420 000 € (5 grants);
follow-on 1.1.2024–31.12.2025: 200 000 €.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from funding.models import FundingApplication
from tests.factories import (
    FundingApplicationFactory,
    IdeaFactory,
    RoadshowEventFactory,
    instrument,
    region,
)

Status = FundingApplication.Status


def grant(idea, amount: str, decided: date, code: str = "akke"):
    amount = Decimal(amount)
    return FundingApplicationFactory(
        idea=idea,
        instrument=instrument(code),
        status=Status.APPROVED,
        total_budget=amount * 2,
        requested=amount,
        granted=amount,
        submitted_on=date(decided.year - 1, 12, 1),
        decided_on=decided,
    )


def build() -> dict:
    tampere = RoadshowEventFactory(title="Tampere", date=date(2022, 3, 15), host_region=region("06"))
    oulu = RoadshowEventFactory(title="Oulu", date=date(2022, 4, 20), host_region=region("17"))
    quiet = RoadshowEventFactory(title="Quiet", date=date(2023, 9, 1), host_region=region("13"))
    ideas = {
        "a": IdeaFactory(title="A", origin_event=tampere, regions=[region("06")], in_consortium=True),
        "b": IdeaFactory(title="B", origin_event=oulu, regions=[region("17")], in_application=True),
        "c": IdeaFactory(title="C", origin_event=oulu, regions=[region("17")], dropped=True),
        "other": IdeaFactory(title="Other", origin_event=tampere, regions=[region("06")]),
        "outside": IdeaFactory(title="Outside", regions=[region("06")]),
    }
    grant(ideas["a"], "100000", date(2023, 6, 1))
    grant(ideas["b"], "50000", date(2023, 6, 1), code="bf-rdi")
    grant(ideas["b"], "200000", date(2024, 2, 10))
    grant(ideas["c"], "30000", date(2022, 5, 1))
    grant(ideas["other"], "40000", date(2021, 12, 15))
    grant(ideas["outside"], "300000", date(2023, 9, 1))
    FundingApplicationFactory(
        idea=ideas["other"], status=Status.REJECTED, submitted_on=date(2023, 4, 1),
        decided_on=date(2023, 7, 1),
    )
    FundingApplicationFactory(idea=ideas["other"], submitted_on=date(2024, 3, 1))
    return {"events": {"tampere": tampere, "oulu": oulu, "quiet": quiet}, "ideas": ideas}
