"""The targets page (project managers edit, everyone with a role reads), the dashboard's
targets panel and the workbook's Targets sheet."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.spreadsheets import PERCENT_FORMAT, RATIO_FORMAT
from dashboards.models import Indicator, ManualValue, Target
from dashboards.reports import ReportSpec, write_report
from tests.factories import FundingApplicationFactory, IdeaFactory, RoadshowEventFactory

pytestmark = pytest.mark.django_db

LIST = reverse("target-list")


def target(indicator=Indicator.EVENTS, value=4, **fields) -> Target:
    return Target.objects.create(
        indicator=indicator, target_value=value, start_date=date(2023, 1, 1),
        target_date=date(2023, 12, 31), **fields,
    )


def english(client):
    client.cookies["django_language"] = "en"
    return client


# --- the page -----------------------------------------------------------------------------


def test_manager_creates_a_target(manager):
    response = english(manager).post(reverse("target-create"), {
        "indicator": "granted", "name": "", "target_value": "1 500 000", "start_date": "2022-01-01",
        "target_date": "2023-12-31", "note": "From the project plan",
    })
    assert response.status_code == 302 and response["Location"] == LIST
    saved = Target.objects.get()
    assert saved.indicator == "granted" and saved.target_value == Decimal(1500000)


def test_bad_input_gives_field_errors_and_saves_nothing(manager):
    response = english(manager).post(reverse("target-create"), {
        "indicator": "events", "name": "", "target_value": "lots", "start_date": "2023-01-01",
        "target_date": "2022-12-31",
    })
    assert response.status_code == 200
    form = response.context["form"]
    assert "target_value" in form.errors
    assert not Target.objects.exists()
    response = manager.post(reverse("target-create"), {
        "indicator": "events", "target_value": "4", "start_date": "2023-01-01",
        "target_date": "2022-12-31",
    })
    assert "target_date" in response.context["form"].errors
    assert not Target.objects.exists()


def test_a_second_target_for_an_indicator_is_refused_beside_it(manager):
    target()
    response = english(manager).post(reverse("target-create"), {
        "indicator": "events", "target_value": "8", "start_date": "2023-01-01",
        "target_date": "2023-12-31",
    })
    assert response.status_code == 200
    assert "The plan already has a target for this indicator." in response.content.decode()
    assert Target.objects.count() == 1


def test_manager_edits_and_deletes_a_target(manager):
    saved = target()
    response = manager.post(reverse("target-edit", args=[saved.pk]), {
        "indicator": "events", "target_value": "6", "start_date": "2023-01-01",
        "target_date": "2023-12-31",
    })
    assert response.status_code == 302
    saved.refresh_from_db()
    assert saved.target_value == 6
    assert manager.post(reverse("target-delete", args=[saved.pk])).status_code == 302
    assert not Target.objects.exists()


def test_manager_enters_values_and_an_overlap_is_refused(manager):
    reach = target(Indicator.MANUAL, 1000, name="Communication reach")
    url = reverse("target-value-create", args=[reach.pk])
    response = manager.post(url, {"period_start": "2023-01-01", "period_end": "2023-03-31",
                                  "value": "300", "note": "Newsletter and LinkedIn"})
    assert response.status_code == 302
    response = english(manager).post(url, {"period_start": "2023-03-01",
                                           "period_end": "2023-05-31", "value": "10"})
    assert response.status_code == 200
    assert "period_start" in response.context["form"].errors
    assert ManualValue.objects.count() == 1
    value = ManualValue.objects.get()
    response = manager.post(reverse("target-value-edit", args=[value.pk]), {
        "period_start": "2023-01-01", "period_end": "2023-03-31", "value": "350",
        "note": "Newsletter and LinkedIn"})
    assert response.status_code == 302
    value.refresh_from_db()
    assert value.value == 350
    page = english(manager).get(LIST).content.decode()
    assert "Communication reach" in page and "Newsletter and LinkedIn" in page


def test_a_computed_target_takes_no_values_page(manager):
    assert manager.get(reverse("target-value-create", args=[target().pk])).status_code == 404


def test_viewer_reads_but_cannot_edit(funder):
    saved = target()
    response = english(funder).get(LIST)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Roadshow events held" in page
    assert reverse("target-edit", args=[saved.pk]) not in page
    response = funder.post(reverse("target-create"), {
        "indicator": "new_ideas", "target_value": "4", "target_date": "2023-12-31"})
    assert response.status_code == 403
    assert funder.post(reverse("target-delete", args=[saved.pk])).status_code == 403
    assert Target.objects.count() == 1


# --- the dashboard panel -----------------------------------------------------------------


def test_dashboard_panel_as_at_the_chosen_periods_end(manager):
    target()  # 4 events in 2023
    RoadshowEventFactory(date=date(2023, 2, 1))
    RoadshowEventFactory(date=date(2023, 5, 1))
    RoadshowEventFactory(date=date(2023, 8, 1))
    response = english(manager).get(reverse("dashboard"), {"year": "2023", "quarter": "2"})
    ((row, cells),) = response.context["targets"]
    # As at 30.6.2023: 2 held of 4; 4 × 180/364 = 1.98 expected: on track.
    assert row.as_at == date(2023, 6, 30)
    assert cells[3:] == ["4", "2", "50.0\xa0%", "2.0", "On track"]
    page = response.content.decode()
    assert "Targets against the plan" in page and "On track" in page


def test_dashboard_queries_with_targets_do_not_grow(manager, django_assert_max_num_queries):
    target()
    target(Indicator.PARTICIPANTS, 500)
    target(Indicator.MANUAL, 1000, name="Reach")
    # Some of each first: with no event at all the outcomes per event need no query.
    RoadshowEventFactory()
    IdeaFactory()
    manager.get(reverse("dashboard"))
    with django_assert_max_num_queries(30) as few:
        manager.get(reverse("dashboard"))
    RoadshowEventFactory.create_batch(3)
    IdeaFactory.create_batch(3)
    with django_assert_max_num_queries(len(few)):
        manager.get(reverse("dashboard"))


# --- the workbook ------------------------------------------------------------------------


def test_targets_sheet(settings):
    settings.NETWORK_OWN_FUNDING = Decimal(100000)
    target()
    target(Indicator.GRANTED, 500000)
    target(Indicator.LEVERAGE, 3)
    reach = target(Indicator.MANUAL, 1000, name="Communication reach")
    ManualValue.objects.create(target=reach, period_start=date(2023, 4, 1),
                               period_end=date(2023, 6, 30), value=Decimal("120.5"))
    RoadshowEventFactory(date=date(2023, 5, 1))
    born = IdeaFactory(origin_event=RoadshowEventFactory(date=date(2023, 2, 1)))
    FundingApplicationFactory(idea=born, approved=True, granted=Decimal(150000),
                              decided_on=date(2023, 6, 1))
    out = BytesIO()
    write_report(ReportSpec.for_quarter(2023, 2, "en"), out)
    workbook = load_workbook(BytesIO(out.getvalue()))
    assert workbook.sheetnames[:2] == ["Summary", "Targets"]
    sheet = workbook["Targets"]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=4) if row[0].value}
    assert rows["Indicator"][4].value == "Actual"
    events = rows["Roadshow events held"]
    assert [c.value for c in events[3:6]] == [4, 2, 0.5]
    assert events[5].number_format == PERCENT_FORMAT
    assert events[7].value == "On track"
    granted = rows["€ granted"]
    assert granted[4].value == 150000 and granted[4].number_format == '#,##0 "€"'
    # 150 000 granted to an idea born at an event ÷ 100 000 own funding.
    leverage = rows["Leverage"]
    assert leverage[4].value == 1.5 and leverage[4].number_format == RATIO_FORMAT
    reach_row = rows["Communication reach"]
    assert reach_row[4].value == 120.5 and reach_row[4].number_format == "#,##0.0"
    # 1000 × 180/364 = 494.5 expected: behind.
    assert reach_row[7].value == "Behind"


# --- the admin ---------------------------------------------------------------------------


def test_admin_edits_targets_and_refuses_an_overlap_in_words(admin):
    response = admin.post(reverse("admin:dashboards_target_add"), {
        "indicator": "manual", "name": "Reach", "target_value": "1000",
        "start_date": "2023-01-01", "target_date": "2023-12-31", "note": "",
    })
    assert response.status_code == 302
    reach = Target.objects.get()
    add_value = reverse("admin:dashboards_manualvalue_add")
    fields = {"target": reach.pk, "period_start": "2023-01-01", "period_end": "2023-03-31",
              "value": "300", "note": ""}
    assert admin.post(add_value, fields).status_code == 302
    english(admin)
    response = admin.post(add_value, {**fields, "period_start": "2023-02-01"})
    assert response.status_code == 200
    assert "The period overlaps the value already entered" in response.content.decode()
    assert ManualValue.objects.count() == 1
