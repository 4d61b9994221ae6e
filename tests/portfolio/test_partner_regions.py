"""The idea list's one-click partner regions filter (portfolio/templatetags/regions.py)."""

from __future__ import annotations

import html as html_module
import re

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.factories import IdeaFactory, region

pytestmark = pytest.mark.django_db


def test_the_idea_list_filters_to_the_partner_regions_in_one_click(manager):
    manager.cookies["django_language"] = "en"
    IdeaFactory(title="In Oulu", regions=[region("17")])
    IdeaFactory(title="In Lapland", regions=[region("19")])
    html = manager.get(reverse("idea-list") + "?q=In").content.decode()
    match = re.search(r'href="([^"]*)"[^>]*>Partner regions<', html)
    url = html_module.unescape(match.group(1))
    assert "q=In" in url
    listed = manager.get(url).content.decode()
    assert "In Oulu" in listed and "In Lapland" not in listed


@override_settings(NETWORK_REGIONS=[])
def test_no_link_without_partner_regions(manager):
    assert "Partner regions" not in manager.get(reverse("idea-list")).content.decode()
