"""Creating an idea through the API whose title another idea has: 409 unless confirmed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portfolio.models import Idea
from tests.factories import IdeaFactory

pytestmark = pytest.mark.django_db


def detail(idea: Idea) -> str:
    return reverse("idea-detail", args=[idea.pk])


API = "/api/v1/ideas/"


def test_api_create_with_a_same_title_answers_409_with_the_existing_idea(manager_api):
    existing = IdeaFactory(title="Robot welding cell")
    response = manager_api.post(API, {"title": " robot  WELDING cell"}, format="json")
    assert response.status_code == 409
    body = response.json()
    assert body["detail"].startswith("An idea with this title is already in Salkku.")
    assert body["same_title"] == [
        {
            "id": existing.pk,
            "title": "Robot welding cell",
            "url": f"http://testserver{detail(existing)}",
            "api_url": f"http://testserver{API}{existing.pk}/",
        }
    ]
    assert Idea.objects.count() == 1


def test_api_create_anyway_creates(manager_api):
    IdeaFactory(title="Robot welding cell")
    response = manager_api.post(
        API, {"title": "Robot welding cell", "create_anyway": True}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert "create_anyway" not in response.json()
    assert Idea.objects.filter(title="Robot welding cell").count() == 2


def test_api_field_errors_come_before_the_title_check(manager_api):
    IdeaFactory(title="Robot welding cell")
    response = manager_api.post(
        API, {"title": "Robot welding cell", "estimated_budget": "abc"}, format="json"
    )
    assert response.status_code == 400
    assert "estimated_budget" in response.json()
    assert Idea.objects.count() == 1


def test_api_update_keeps_its_title_without_asking(manager_api):
    idea = IdeaFactory(title="Robot welding cell")
    response = manager_api.patch(
        f"{API}{idea.pk}/", {"title": "Robot welding cell", "summary": "New"}, format="json"
    )
    assert response.status_code == 200
    idea.refresh_from_db()
    assert idea.summary == "New"
