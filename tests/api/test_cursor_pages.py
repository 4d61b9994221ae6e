"""The idea list's cursor pages (``pagination=cursor``) beside its numbered pages: the same
ideas in the same order, no count, clear refusals, and both documented in the schema."""

from __future__ import annotations

from datetime import timedelta

import pytest
import yaml
from django.utils import timezone

from portfolio.models import Idea
from tests.api.conftest import API
from tests.factories import IdeaFactory, ThemeFactory, region

pytestmark = pytest.mark.django_db

IDEAS = f"{API}/ideas/"


@pytest.fixture
def ideas() -> list[Idea]:
    now = timezone.now()
    made = [IdeaFactory(title=f"Idea {n}") for n in range(7)]
    # Two pairs made at the same moment: the order and the cursor must still be exact.
    for idea, minutes in zip(made, (1, 2, 2, 3, 4, 4, 5), strict=True):
        Idea.objects.filter(pk=idea.pk).update(created_at=now - timedelta(minutes=minutes))
    return made


def walk(client, first: str) -> tuple[list[int], list[dict]]:
    ids, answers, url = [], [], first
    while url:
        answer = client.get(url)
        assert answer.status_code == 200, answer.content[:300]
        body = answer.json()
        answers.append(body)
        ids += [row["id"] for row in body["results"]]
        url = body["next"]
    return ids, answers


def test_cursor_pages_give_every_idea_once_in_the_numbered_pages_order(api_as, ideas):
    client = api_as("manager")
    numbered, _ = walk(client, f"{IDEAS}?page_size=3")
    by_cursor, answers = walk(client, f"{IDEAS}?page_size=3&pagination=cursor")

    assert by_cursor == numbered
    assert sorted(by_cursor) == sorted(idea.pk for idea in ideas)
    assert [len(body["results"]) for body in answers] == [3, 3, 1]
    assert all(set(body) == {"next", "previous", "results"} for body in answers)
    assert answers[0]["previous"] is None and answers[1]["previous"]

    back = client.get(answers[1]["previous"]).json()
    assert [row["id"] for row in back["results"]] == by_cursor[:3]


def test_numbered_pages_keep_their_answer(api_as, ideas):
    body = api_as("funder").get(f"{IDEAS}?page_size=5").json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == len(ideas)
    assert len(body["results"]) == 5


def test_cursor_pages_take_the_filters(api_as):
    IdeaFactory(title="Robotiikka"), IdeaFactory(title="Vety"), IdeaFactory(title="Robotit")
    ids, _ = walk(api_as("manager"), f"{IDEAS}?pagination=cursor&q=robot&page_size=1")
    assert sorted(Idea.objects.filter(pk__in=ids).values_list("title", flat=True)) == [
        "Robotiikka",
        "Robotit",
    ]


def test_themes_and_regions_are_ids_in_their_order(api_as):
    b, a = ThemeFactory(name_fi="Bbb"), ThemeFactory(name_fi="Aaa")
    idea = IdeaFactory(themes=[b, a], regions=[region("13"), region("06")])
    for query in ("", "?pagination=cursor"):
        row = api_as("manager").get(f"{IDEAS}{query}").json()["results"][0]
        assert row["themes"] == [a.pk, b.pk]
        assert row["regions"] == [region("06").pk, region("13").pk]
        assert row["id"] == idea.pk
    # One idea's own answer reads the related managers, with the same result.
    single = api_as("manager").get(f"{IDEAS}{idea.pk}/").json()
    assert single["themes"] == [a.pk, b.pk]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("pagination=cursor&page=2", "page"),
        ("pagination=cursor&ordering=title", "ordering"),
        ("pagination=pages", "pagination"),
        ("pagination=cursor&page_size=0", "page_size"),
    ],
)
def test_bad_cursor_requests_are_400_naming_the_parameter(api_as, ideas, query, field):
    answer = api_as("manager").get(f"{IDEAS}?{query}", HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 400
    assert list(answer.json()) == [field]


def test_a_made_up_cursor_is_404_not_500(api_as, ideas):
    answer = api_as("manager").get(f"{IDEAS}?cursor=not-a-cursor")
    assert answer.status_code == 404


def test_other_lists_ignore_the_parameter_as_before(api_as):
    answer = api_as("manager").get(f"{API}/regions/?pagination=cursor")
    assert answer.status_code == 200
    assert "count" in answer.json()


def test_schema_documents_cursor_pages_for_ideas_only(manager):
    schema = yaml.safe_load(manager.get("/api/schema/", {"format": "json"}).content)
    names = {p["name"] for p in schema["paths"]["/api/v1/ideas/"]["get"]["parameters"]}
    assert {"pagination", "cursor", "page", "page_size"} <= names
    regions = {p["name"] for p in schema["paths"]["/api/v1/regions/"]["get"]["parameters"]}
    assert "pagination" not in regions
    pages = schema["components"]["schemas"]["PaginatedIdeaList"]
    assert "count" not in pages.get("required", [])
    assert "cursor" in pages["properties"]["count"]["description"]
