"""seed_demo also fills the network tools: a dozen platforms, ideas planning to use them and
development needs for the demo themes; --reset removes them with the rest."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from demo.builder import reset_demo_data
from demo.data import PARTNER_REGIONS, THEMES
from demo.network import NEEDS, PLATFORMS
from network.models import DevelopmentNeed, Platform
from portfolio.models import Organisation
from portfolio.stages import Stage
from tests.factories import DevelopmentNeedFactory, PlatformFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def debug(settings):
    settings.DEBUG = True


def seed(**options) -> None:
    call_command("seed_demo", stdout=StringIO(), **options)


def network_fingerprint() -> dict[str, list[str]]:
    """The network data's content, independent of primary keys."""
    return {
        "platforms": sorted(map(str, Platform.objects.values_list(
            "name", "host_organisation__name", "region__code"
        ))),
        "links": sorted(map(str, Platform.ideas.through.objects.values_list(
            "platform__name", "idea__title", "idea__created_at"
        ))),
        "needs": sorted(map(str, DevelopmentNeed.objects.values_list(
            "need", "theme__slug", "raised_at__title", "status", "created_at",
            "created_by__username",
        ))),
    }


def test_demo_creates_platforms_links_and_needs():
    seed(ideas=40)
    platforms = list(Platform.objects.select_related("host_organisation", "region"))
    assert len(platforms) == len(PLATFORMS) == 12
    assert {p.kind for p in platforms} == set(Platform.Kind.values) - {"other"}
    # Hosted by demo organisations, in their regions, mostly the partner regions.
    assert all(p.region_id == p.host_organisation.region_id for p in platforms)
    assert sum(p.region.code in PARTNER_REGIONS for p in platforms) >= 9
    assert all(p.themes.exists() and p.description and p.access_terms for p in platforms)
    assert Platform.objects.filter(is_active=False).count() == 1

    links = Platform.ideas.through.objects.select_related("idea", "platform")
    assert links.count() >= 12
    for link in links:
        # An idea plans to use a platform that shares a theme with it and is available.
        assert link.platform.is_active
        assert link.idea.stage != Stage.DROPPED
        assert set(link.idea.themes.all()) & set(link.platform.themes.all())

    needs = DevelopmentNeed.objects.select_related("theme", "raised_at", "created_by")
    assert needs.count() == len(NEEDS)
    demo_themes = {slug for slug, *_rest in THEMES}
    assert {need.theme.slug for need in needs} == demo_themes  # every demo theme has a need
    assert {need.status for need in needs} == set(DevelopmentNeed.Status.values)
    for need in needs:
        assert need.created_by is not None
        if need.raised_at:
            assert need.created_at.date() > need.raised_at.date
    assert Organisation.objects.filter(platforms__isnull=False).distinct().count() == 12


def test_same_seed_same_network_data_and_reset_removes_it():
    seed(seed=5, ideas=30)
    first = network_fingerprint()
    seed(seed=5, ideas=30, reset=True)
    assert network_fingerprint() == first
    assert Platform.objects.count() == 12  # the reset left no duplicates behind
    seed(seed=6, ideas=30, reset=True)
    assert network_fingerprint()["links"] != first["links"]


def test_reset_deletes_platforms_and_needs_added_by_hand():
    seed(ideas=10)
    PlatformFactory(host_organisation=Organisation.objects.first())
    DevelopmentNeedFactory()
    reset_demo_data()
    assert not Platform.objects.exists()
    assert not DevelopmentNeed.objects.exists()
    assert not Organisation.objects.exists()
