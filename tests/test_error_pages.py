"""The 403, 404 and 500 pages speak the user's language and lead back into the app; no
browser request ends in a needless 404."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from tests.factories import IdeaFactory

pytestmark = pytest.mark.django_db


def test_a_funder_opening_an_edit_page_gets_the_apps_own_403(funder):
    idea = IdeaFactory()
    funder.cookies["django_language"] = "en"
    response = funder.get(reverse("idea-edit", args=[idea.pk]))
    assert response.status_code == 403
    body = response.content.decode()
    assert "You are not allowed to do this" in body
    assert 'class="mainnav"' in body
    assert f'href="{reverse("home")}"' in body


def test_an_unknown_page_is_the_apps_own_404_in_finnish(manager):
    manager.cookies["django_language"] = "fi"
    response = manager.get("/ideas/999999/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Sivua ei löytynyt" in body
    assert 'class="mainnav"' in body


def test_the_500_page_needs_no_request_or_database():
    body = render_to_string("500.html")
    assert "Jotain meni vikaan" in body and "Något gick fel" in body
    assert "Something went wrong" in body


def test_the_browsers_favicon_request_is_not_a_404(anonymous):
    response = anonymous.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith("img/favicon.svg")
