"""The application form's choices: instruments grouped by funder with their funding rates, and
calls that carry their instrument for the page's narrowing script (static/js/narrow.js)."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from funding.models import FundingApplication
from tests.factories import (
    FundingApplicationFactory,
    FundingCallFactory,
    IdeaFactory,
    OrganisationFactory,
    instrument,
)

pytestmark = pytest.mark.django_db

HELSINKI = ZoneInfo("Europe/Helsinki")


@pytest.fixture(autouse=True)
def english_pages(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def idea():
    return IdeaFactory(title="Tekoälyä konepajoihin")


def select_html(body: str, name: str) -> str:
    return re.search(rf'<select name="{name}".*?</select>', body, re.S).group(0)


def groups(select: str) -> list[tuple[str, list[str]]]:
    """Each optgroup's label and its options' texts, in page order."""
    return [
        (label, re.findall(r"<option[^>]*>([^<]*)</option>", inner))
        for label, inner in re.findall(r'<optgroup label="([^"]*)">(.*?)</optgroup>', select, re.S)
    ]


def test_instruments_come_grouped_by_funder_in_the_dashboards_order(manager, idea):
    body = manager.get(reverse("application-add", args=[idea.pk])).content.decode()

    found = groups(select_html(body, "instrument"))

    # AKKE is regional, so its funder comes first; JTF (an EU fund) stays with its funder.
    # The EU funders follow in the order of their first instrument's code: digital-europe-edih,
    # eakr, interreg-aurora.
    assert [label for label, _options in found] == [
        "Regional councils",
        "Business Finland",
        "European Commission",
        "Regional councils and ELY Centres",
        "Interreg programmes",
    ]
    assert found[0][1] == [
        "AKKE — Sustainable growth and vitality of regions (up to 80\xa0%)",
        "JTF — Just Transition Fund",
    ]
    # Business Finland's by code: bf-co-creation 60 %, bf-co-innovation 70 %, ...
    assert found[1][1][:3] == [
        "Co-Creation (up to 60\xa0%)",
        "Co-Innovation (joint project) (up to 70\xa0%)",
        "Horizon Europe preparation funding (up to 75\xa0%)",
    ]
    assert "Leading companies and partnership funding" in found[1][1]  # no rate recorded
    assert sum(len(options) for _label, options in found) == 19


def test_rates_are_written_in_finnish_on_finnish_pages(manager, idea):
    manager.cookies["django_language"] = "fi"
    body = manager.get(reverse("application-add", args=[idea.pk])).content.decode()

    found = groups(select_html(body, "instrument"))

    assert found[0][0] == "Maakuntien liitot"
    assert found[0][1][0].startswith("AKKE — Alueiden kestävän kasvun ja elinvoiman tukeminen (")
    assert found[0][1][0].endswith(" 80\xa0%)")
    assert found[2][0] == "Euroopan komissio"


def test_rate_with_a_fraction_keeps_its_decimal(manager, idea):
    akke = instrument("akke")
    akke.typical_max_rate = "72.50"
    akke.save()
    body = manager.get(reverse("application-add", args=[idea.pk])).content.decode()
    assert "(up to 72.5\xa0%)</option>" in body


def test_calls_carry_their_instrument_and_deadline(manager, idea):
    akke, eakr = instrument("akke"), instrument("eakr")
    spring = FundingCallFactory(
        instrument=akke,
        title="AKKE spring",
        deadline=datetime(2026, 9, 15, 16, 15, tzinfo=HELSINKI),
    )
    autumn = FundingCallFactory(
        instrument=akke,
        title="AKKE autumn",
        deadline=datetime(2026, 11, 30, 16, 15, tzinfo=HELSINKI),
    )
    erdf = FundingCallFactory(
        instrument=eakr,
        title="ERDF call",
        # 23.30 UTC is already the next day in Helsinki, where the deadline is read.
        deadline=datetime(2026, 10, 1, 23, 30, tzinfo=ZoneInfo("UTC")),
    )

    body = manager.get(reverse("application-add", args=[idea.pk])).content.decode()
    select = select_html(body, "call")

    assert 'data-narrowed-by="instrument"' in select
    assert "data-none-text=" in select
    # Groups in the instruments' order (AKKE before EAKR), latest deadline first within one.
    assert groups(select) == [
        (
            "AKKE — Sustainable growth and vitality of regions",
            ["AKKE autumn (deadline 30.11.2026)", "AKKE spring (deadline 15.9.2026)"],
        ),
        ("ERDF — Innovative and Skilled Finland 2021–2027", ["ERDF call (deadline 2.10.2026)"]),
    ]
    for call, parent in ((spring, akke), (autumn, akke), (erdf, eakr)):
        assert f'<option value="{call.pk}" data-parent="{parent.pk}">' in select
    # The empty choice belongs to every instrument.
    assert '<option value="" selected>' in select


def test_the_page_loads_the_narrowing_script_without_inline_code(manager, idea):
    body = manager.get(reverse("application-add", args=[idea.pk])).content.decode()
    assert re.search(r'<script src="/static/js/narrow\.js[^"]*" defer nonce="[^"]+">', body)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body)
    assert not re.search(r"\son[a-z]+=", body)


def test_an_erdf_call_with_akke_is_refused_beside_the_call(manager, idea):
    erdf = FundingCallFactory(instrument=instrument("eakr"), title="ERDF call")
    data = {
        "instrument": instrument("akke").pk,
        "call": erdf.pk,
        "applicant": OrganisationFactory().pk,
        "total_budget": "200000",
        "requested": "150000",
        "status": FundingApplication.Status.DRAFT,
    }

    response = manager.post(reverse("application-add", args=[idea.pk]), data)

    assert response.status_code == 200
    assert response.context["form"].errors["call"] == ["The call belongs to another instrument."]
    assert not FundingApplication.objects.exists()
    # The refused call stays chosen, under its own instrument, for the user to change.
    assert f'<option value="{erdf.pk}" selected data-parent="{erdf.instrument_id}">' in (
        select_html(response.content.decode(), "call")
    )


def test_a_retired_instrument_stays_on_its_application_with_its_calls(manager, idea):
    veturi = instrument("bf-veturi")
    call = FundingCallFactory(instrument=veturi, title="Veturi call")
    application = FundingApplicationFactory(idea=idea, instrument=veturi, call=call)
    veturi.is_active = False
    veturi.save()

    edit = manager.get(reverse("application-edit", args=[idea.pk, application.pk]))
    add = manager.get(reverse("application-add", args=[idea.pk]))

    assert "Veturi call" in select_html(edit.content.decode(), "call")
    assert "Leading companies" in select_html(edit.content.decode(), "instrument")
    assert "Veturi call" not in select_html(add.content.decode(), "call")
    assert "Leading companies" not in select_html(add.content.decode(), "instrument")


def test_the_form_queries_do_not_grow_with_calls(manager, idea, django_assert_max_num_queries):
    for _ in range(3):
        FundingCallFactory(instrument=instrument("akke"))
    with django_assert_max_num_queries(40) as few:
        manager.get(reverse("application-add", args=[idea.pk]))
    for code in ("eakr", "bf-rdi", "life") * 5:
        FundingCallFactory(instrument=instrument(code))
    with django_assert_max_num_queries(len(few.captured_queries)):
        manager.get(reverse("application-add", args=[idea.pk]))
