"""Every bad request body or paging value is a 4xx in the answering endpoint's own JSON
shape, naming the problem, never a server error or Django's HTML page: JSON nested too
deep, JSON that does not parse, a body over DATA_UPLOAD_MAX_MEMORY_SIZE (413), and a
``page`` or ``page_size`` that is no allowed number. The API and the board's move alike."""

from __future__ import annotations

import time

import pytest
import yaml
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import ApiToken
from portfolio.models import Stage
from tests.api.conftest import API
from tests.factories import ConsortiumMemberFactory, IdeaFactory

pytestmark = pytest.mark.django_db

# 10 000 levels in about 20 KB: past Python's own parser, which raised RecursionError.
DEEP_ARRAY = "[" * 10_000 + "]" * 10_000
DEEP_OBJECT = '{"a":' * 10_000 + "1" + "}" * 10_000
DEEP = pytest.mark.parametrize("body", [DEEP_ARRAY, DEEP_OBJECT], ids=["array", "object"])
TOO_DEEP = "JSON parse error - nested deeper than 32 levels."
TOO_LARGE = "The request body is larger than 2.5\xa0MB, the most this server accepts."
# Just over Django's default limit of 2.5 MB.
OVERSIZE = '{"title": "' + "x" * 2_700_000 + '"}'


def nested(depth: int) -> str:
    """An idea whose title is a list ``depth`` levels deep, counting the body's object."""
    return '{"title": ' + "[" * (depth - 1) + "]" * (depth - 1) + "}"


def writes(idea_pk: int, member_pk: int) -> list[tuple[str, str]]:
    return [
        ("post", f"{API}/ideas/"),
        ("put", f"{API}/ideas/{idea_pk}/"),
        ("patch", f"{API}/ideas/{idea_pk}/"),
        ("post", f"{API}/members/"),
        ("patch", f"{API}/members/{member_pk}/"),
        ("post", f"{API}/ideas/{idea_pk}/transition/"),
    ]


@pytest.fixture
def targets(db) -> list[tuple[str, str]]:
    return writes(IdeaFactory().pk, ConsortiumMemberFactory().pk)


def token_client(user) -> APIClient:
    token = ApiToken.objects.create(user=user, name="script")[1]
    return APIClient(HTTP_AUTHORIZATION=f"Token {token}", HTTP_ACCEPT_LANGUAGE="en")


def error_of(answer) -> str:
    """The words of an API error: ``detail``, or the move's first reason."""
    body = answer.json()
    return body["reasons"][0] if "reasons" in body else body["detail"]


# Nesting -----------------------------------------------------------------------------------


@DEEP
def test_deep_json_is_refused_fast_with_400_on_every_write(manager_api, targets, body):
    manager_api.get(f"{API}/ideas/")  # the first request of a process loads what all need
    for method, url in targets:
        started = time.monotonic()
        answer = getattr(manager_api, method)(url, body, content_type="application/json")

        assert answer.status_code == 400, (method, url)
        assert answer["Content-Type"] == "application/json"
        assert error_of(answer) == TOO_DEEP, (method, url)
        assert time.monotonic() - started < 1


def test_the_transition_refusal_keeps_its_shape(manager_api):
    idea = IdeaFactory()

    answer = manager_api.post(
        f"{API}/ideas/{idea.pk}/transition/", DEEP_ARRAY, content_type="application/json"
    )

    assert answer.json() == {"detail": "The move was refused.", "reasons": [TOO_DEEP]}


def test_nesting_up_to_the_limit_is_read_and_one_more_is_refused(manager_api, settings):
    settings.JSON_BODY_MAX_DEPTH = 4

    at_limit = manager_api.post(f"{API}/ideas/", nested(4), content_type="application/json")
    past_limit = manager_api.post(f"{API}/ideas/", nested(5), content_type="application/json")

    assert at_limit.status_code == 400
    assert "title" in at_limit.json()  # read, then refused by the field: a title is text
    assert past_limit.status_code == 400
    assert past_limit.json() == {"detail": "JSON parse error - nested deeper than 4 levels."}


# Malformed JSON ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("{bad", "JSON parse error - Expecting property name enclosed in double quotes"),
        ('{"title": "x"', "JSON parse error - Expecting ',' delimiter"),
        ('{"title": NaN}', "JSON parse error - Out of range float values are not JSON"),
        ('{"estimated_budget": ' + "9" * 5000 + "}", "JSON parse error - Exceeds the limit"),
    ],
)
def test_malformed_json_is_400_naming_the_problem(manager_api, body, words):
    answer = manager_api.post(f"{API}/ideas/", body, content_type="application/json")

    assert answer.status_code == 400
    assert answer.json()["detail"].startswith(words)


# Oversize bodies -------------------------------------------------------------------------------


def test_an_oversize_body_is_413_in_json_on_every_write(manager_api, targets):
    for method, url in targets:
        answer = getattr(manager_api, method)(url, OVERSIZE, content_type="application/json")

        assert answer.status_code == 413, (method, url)
        assert answer["Content-Type"] == "application/json"
        assert answer.json() == {"detail": TOO_LARGE}


def test_an_oversize_body_with_a_token_is_413_in_json(manager_user):
    answer = token_client(manager_user).post(
        f"{API}/ideas/", OVERSIZE, content_type="application/json"
    )

    assert answer.status_code == 413
    assert answer.json() == {"detail": TOO_LARGE}


def test_the_limit_is_the_setting(manager_api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = '{"title": "' + "x" * 1000 + '"}'

    answer = manager_api.post(f"{API}/ideas/", body, content_type="application/json")

    assert answer.status_code == 413
    assert answer.json() == {
        "detail": "The request body is larger than 1000\xa0bytes, the most this server accepts."
    }


def test_too_many_query_fields_are_400_in_json(manager_api):
    query = "&".join(f"f{n}=1" for n in range(1001))

    answer = manager_api.get(f"{API}/ideas/?{query}")

    assert answer.status_code == 400
    assert answer.json() == {
        "detail": "The request has more fields or files than this server accepts."
    }


# Paging ------------------------------------------------------------------------------------------

PAGE_SIZE_ERROR = {"page_size": ["Enter a whole number from 1 to 200."]}
PAGE_ERROR = {"page": ["Enter a page number of 1 or more, or “last”."]}


@pytest.mark.parametrize("resource", ["ideas", "organisations", "transitions"])
@pytest.mark.parametrize(
    ("query", "error"),
    [
        ({"page_size": "abc"}, PAGE_SIZE_ERROR),
        ({"page_size": "-5"}, PAGE_SIZE_ERROR),
        ({"page_size": "0"}, PAGE_SIZE_ERROR),
        ({"page_size": "201"}, PAGE_SIZE_ERROR),
        ({"page_size": "1.5"}, PAGE_SIZE_ERROR),
        ({"page_size": "9" * 5000}, PAGE_SIZE_ERROR),
        ({"page": "abc"}, PAGE_ERROR),
        ({"page": "0"}, PAGE_ERROR),
        ({"page": "-1"}, PAGE_ERROR),
        ({"page": "0", "page_size": "0"}, {**PAGE_ERROR, **PAGE_SIZE_ERROR}),
    ],
)
def test_invalid_paging_is_400_naming_the_parameter(manager_api, resource, query, error):
    answer = manager_api.get(f"{API}/{resource}/", query)

    assert answer.status_code == 400
    assert answer.json() == error


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ({"page_size": "1"}, 200),
        ({"page_size": "200"}, 200),
        ({"page_size": ""}, 200),  # blank: as if not given
        ({"page": "last"}, 200),
        ({"page": "1", "page_size": "1"}, 200),
        ({"page": "3", "page_size": "1"}, 404),  # past the end: 404, as before
        ({"page": "9" * 30}, 404),
    ],
)
def test_valid_paging_pages_or_finds_no_page(manager_api, query, status):
    IdeaFactory.create_batch(2)

    answer = manager_api.get(f"{API}/ideas/", query)

    assert answer.status_code == status
    if status == 404:
        assert answer.json()["detail"].startswith("There is no page")


# The board's move --------------------------------------------------------------------------------


def move(client, idea, body, content_type="application/json", accept="application/json"):
    return client.post(
        reverse("idea-move", args=[idea.pk]),
        body,
        content_type=content_type,
        # The board speaks the page's language; these read its English.
        headers={"Accept": accept, "Accept-Language": "en"},
    )


@DEEP
def test_deep_json_to_the_board_move_is_a_refusal_saying_why(manager, body):
    idea = IdeaFactory()

    answer = move(manager, idea, body)

    assert answer.status_code == 400
    assert answer.json()["error"] == "refused"
    assert answer.json()["reasons"] == [TOO_DEEP]
    idea.refresh_from_db()
    assert idea.stage == Stage.IDEA


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("{bad", "JSON parse error - Expecting property name enclosed in double quotes"),
        ('["consortium"]', "The body must be a JSON object of the move's fields."),
        ('"consortium"', "The body must be a JSON object of the move's fields."),
    ],
)
def test_a_malformed_board_move_is_400_naming_the_problem(manager, body, reason):
    answer = move(manager, IdeaFactory(), body)

    assert answer.status_code == 400
    assert answer.json()["reasons"][0].startswith(reason)


def test_an_oversize_board_move_is_413_in_json(manager):
    idea = IdeaFactory()
    body = '{"to_stage": "consortium", "note": "' + "x" * 2_700_000 + '"}'

    answer = move(manager, idea, body)

    assert answer.status_code == 413
    assert answer["Content-Type"] == "application/json"
    assert answer.json()["error"] == "too_large"
    assert "larger than 2" in answer.json()["message"]


def test_an_oversize_board_move_as_a_form_is_413_in_json(manager):
    """The board sends a form; Django reads it (for the CSRF check) before the view."""
    idea = IdeaFactory()

    answer = manager.post(
        reverse("idea-move", args=[idea.pk]),
        {"to_stage": "consortium", "expected_stage": "idea", "note": "x" * 2_700_000},
        headers={"Accept": "application/json"},
    )

    assert answer.status_code == 413
    assert answer.json()["error"] == "too_large"
    idea.refresh_from_db()
    assert idea.stage == Stage.IDEA


def test_an_oversize_form_post_from_a_page_gets_a_page(manager):
    idea = IdeaFactory()

    answer = manager.post(
        reverse("idea-move", args=[idea.pk]), {"note": "x" * 2_700_000}, headers={"Accept": "text/html"}
    )

    assert answer.status_code == 413
    assert answer["Content-Type"].startswith("text/html")


# The schema --------------------------------------------------------------------------------------


def test_every_operation_documents_413_414_and_429(manager):
    schema = yaml.safe_load(manager.get("/api/schema/", HTTP_ACCEPT_LANGUAGE="en").content)

    operations = [
        (path, method, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
    ]
    assert len(operations) > 30
    for path, method, operation in operations:
        responses = operation["responses"]
        assert {"413", "414", "429"} <= responses.keys(), (method, path)
        assert "Retry-After" in responses["429"]["headers"], (method, path)
        for code in ("413", "429"):
            body = responses[code]["content"]["application/json"]["schema"]
            assert body == {"$ref": "#/components/schemas/Detail"}, (method, path, code)
        if method in ("post", "put", "patch") or path.endswith("/") and method == "get" and "{" not in path:
            assert "400" in responses, (method, path)


def test_the_schema_gives_the_paging_bounds(manager):
    schema = yaml.safe_load(manager.get("/api/schema/", HTTP_ACCEPT_LANGUAGE="en").content)

    parameters = {p["name"]: p["schema"] for p in schema["paths"]["/api/v1/ideas/"]["get"]["parameters"]}

    assert parameters["page_size"] == {"type": "integer", "minimum": 1, "maximum": 200}
    assert parameters["page"]["minimum"] == 1
