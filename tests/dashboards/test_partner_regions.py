"""Partner regions (NETWORK_REGIONS): one click filters the dashboard to them, and the
balance heatmap then draws only them and counts the gaps among them."""

from __future__ import annotations

import html as html_module
import re

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import IdeaFactory, ThemeFactory, region

pytestmark = pytest.mark.django_db

PARTNERS = ["06", "14", "13", "17", "05"]


@pytest.fixture(autouse=True)
def pages_in_english(settings):
    settings.LANGUAGE_CODE = "en"


def test_the_five_partner_regions_by_default():
    assert settings.NETWORK_REGIONS == PARTNERS


def partner_link(html: str, path: str) -> str:
    match = re.search(rf'href="({re.escape(path)}\?[^"]*)"[^>]*>Partner regions<', html)
    assert match, "no partner regions link"
    return html_module.unescape(match.group(1))


def test_one_click_filters_the_dashboard_to_the_partner_regions(manager):
    themes = [ThemeFactory() for _ in range(3)]
    IdeaFactory(themes=[themes[0]], regions=[region("06"), region("01")])
    IdeaFactory(themes=[themes[1]], regions=[region("19")])
    url = partner_link(manager.get(reverse("dashboard") + "?year=2026").content.decode(),
                       reverse("dashboard"))
    assert "year=2026" in url  # the other filters stay
    response = manager.get(url)
    chosen = response.context["filter"].form.cleaned_data["region"]
    assert sorted(r.code for r in chosen) == sorted(PARTNERS)

    balance = next(panel for panel in response.context["panels"] if panel.key == "balance")
    # Only the partner regions are drawn, and the gaps are counted among them: of the
    # active themes × 5 regions, only themes[0] × Pirkanmaa has an idea.
    active = len([t for t in themes if t.is_active]) + _other_active_themes()
    assert len(balance.table.columns) == 1 + 5 + 1
    assert f"{active * 5 - 1} of {active * 5} theme–region pairs" in balance.caption


def _other_active_themes() -> int:
    from portfolio.models import Theme

    return Theme.objects.filter(is_active=True).count() - 3
