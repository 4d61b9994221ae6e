"""What the data migrations load: regions, funders and instruments, and the two groups."""

import pytest
from django.contrib.auth.models import Group

from accounts.permissions import FUNDERS_GROUP, MANAGERS_GROUP
from funding.models import FundingInstrument
from portfolio.models import Region

pytestmark = pytest.mark.django_db


def test_nineteen_regions_with_statistics_finland_codes():
    regions = {r.code: (r.name_fi, r.name_sv, r.name_en) for r in Region.objects.all()}
    assert len(regions) == 19
    assert "03" not in regions and "20" not in regions
    assert regions["06"] == ("Pirkanmaa", "Birkaland", "Pirkanmaa")
    assert regions["14"] == ("Etelä-Pohjanmaa", "Södra Österbotten", "South Ostrobothnia")
    assert regions["21"] == ("Ahvenanmaa", "Åland", "Åland")


def test_region_name_follows_the_language():
    from django.utils import translation

    region = Region.objects.get(code="02")
    with translation.override("fi"):
        assert str(region) == "Varsinais-Suomi"
    with translation.override("en"):
        assert str(region) == "Southwest Finland"


def test_instruments_at_every_level():
    akke = FundingInstrument.objects.select_related("funder").get(code="akke")
    assert (akke.level, akke.funder.level, str(akke.typical_max_rate)) == (
        "regional", "regional", "80.00",
    )
    levels = set(FundingInstrument.objects.values_list("level", flat=True))
    assert levels == {"regional", "national", "eu"}
    business_finland = FundingInstrument.objects.filter(funder__name="Business Finland")
    assert business_finland.count() == 7
    assert FundingInstrument.objects.get(code="bf-co-innovation").typical_max_rate == 70
    assert FundingInstrument.objects.get(code="horizon-europe-cl4").typical_max_rate is None


def perms(group_name: str) -> set[str]:
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Group.objects.get(name=group_name).permissions.select_related("content_type")
    }


def test_funders_only_view_and_never_contacts():
    granted = perms(FUNDERS_GROUP)
    assert granted
    assert all(".view_" in p for p in granted)
    assert "portfolio.view_contact" not in granted
    assert {"portfolio.view_idea", "funding.view_fundingapplication"} <= granted


def test_project_managers_edit_the_pipeline_but_not_reference_data():
    granted = perms(MANAGERS_GROUP)
    assert {
        "portfolio.add_idea", "portfolio.change_idea", "portfolio.view_contact",
        "portfolio.change_contact", "funding.add_fundingapplication",
        "funding.change_implementation", "portfolio.add_consortiummember",
    } <= granted
    assert "funding.change_fundinginstrument" not in granted
    assert "portfolio.change_region" not in granted
    assert "portfolio.add_stagetransition" not in granted
