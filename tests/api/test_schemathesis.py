"""Generated requests against the API's own OpenAPI schema.

Every operation of /api/schema/ gets requests that fit the schema and requests that do not,
once as a project manager and once as a funder, through the Django application in this
process. Each answer must be no server error, carry a documented status code and content
type, and match the documented body."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import APIOperation, Case, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.models import ApiToken
from funding.models import FundingApplication, FundingInstrument
from portfolio.models import Region
from tests.factories import (
    ConsortiumMemberFactory,
    ContactFactory,
    FundingApplicationFactory,
    FundingCallFactory,
    IdeaFactory,
    ImplementationFactory,
    OrganisationFactory,
    RoadshowEventFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Examples per operation and role: requests that fit the schema, and requests that do not.
EXAMPLES = {GenerationMode.POSITIVE: 12, GenerationMode.NEGATIVE: 6}
MIN_REQUESTS = 1000


@pytest.fixture
def wsgi_app(settings) -> Iterator[Any]:
    """The project's WSGI application, as a server runs it.

    Between requests Django closes connections that are in a transaction; the test's
    transaction must stay open, so that cleanup waits for the end of the test, as Django's
    own test client arranges."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def existing_ids(manager_user) -> dict[str, list[int]]:
    """A small portfolio in every stage, so that requests find rows; ids by the collection
    name in the URL."""
    theme = ThemeFactory()
    event = RoadshowEventFactory()
    ideas = [
        IdeaFactory(origin_event=event),
        IdeaFactory(in_consortium=True),
        IdeaFactory(in_application=True),
        IdeaFactory(in_implementation=True),
        IdeaFactory(completed=True),
        IdeaFactory(dropped=True),
    ]
    ideas[0].themes.add(theme)
    organisation = OrganisationFactory()
    contact = ContactFactory(organisation=organisation)
    member = ConsortiumMemberFactory(idea=ideas[1], organisation=organisation, contact=contact)
    FundingApplicationFactory(idea=ideas[2], rejected=True)
    return {
        "ideas": [idea.pk for idea in ideas],
        "members": [member.pk],
        "organisations": [organisation.pk, OrganisationFactory().pk],
        "contacts": [contact.pk],
        "events": [event.pk],
        "themes": [theme.pk],
        "calls": [FundingCallFactory().pk],
        "applications": list(FundingApplication.objects.values_list("pk", flat=True)),
        "implementations": [ImplementationFactory(idea=ideas[3]).pk, ideas[4].implementation.pk],
        "transitions": list(ideas[4].transitions.values_list("pk", flat=True)),
        "instruments": list(FundingInstrument.objects.values_list("pk", flat=True)[:3]),
        "regions": list(Region.objects.values_list("pk", flat=True)[:3]),
        "users": [manager_user.pk],
    }


# Fields of request bodies that name a row, and the collection the row is in.
REFERENCES = {
    "idea": "ideas",
    "organisation": "organisations",
    "applicant": "organisations",
    "lead_organisation": "organisations",
    "host_organisation": "organisations",
    "organisations": "organisations",
    "contact": "contacts",
    "origin_event": "events",
    "instrument": "instruments",
    "call": "calls",
    "region": "regions",
    "host_region": "regions",
    "regions": "regions",
    "themes": "themes",
    "owner": "users",
}


def refer_to_existing_rows(
    case: Case, data: st.DataObject, existing_ids: dict[str, list[int]]
) -> None:
    """In half of the writes, point the body's references at rows that exist: a random id
    almost never does, and a write must get past that check to reach the services' rules."""
    if not isinstance(case.body, dict) or not data.draw(st.booleans(), label="existing rows"):
        return
    for field, collection in REFERENCES.items():
        if field in case.body:
            row = st.sampled_from(existing_ids[collection])
            many = isinstance(case.body[field], list)
            case.body[field] = data.draw(st.lists(row, max_size=3, unique=True) if many else row)


def cases(operation: APIOperation, mode: GenerationMode, existing_ids: dict[str, list[int]]):
    """Generated requests for ``operation``; half of those that fit the schema and have an
    id in the path name a row that exists, as a random id almost never does."""
    generated = operation.as_strategy(generation_mode=mode)
    ids = existing_ids.get(operation.path.split("/")[3], [])
    if "{id}" not in operation.path or not ids or mode is not GenerationMode.POSITIVE:
        return generated
    existing = [
        operation.as_strategy(generation_mode=mode, path_parameters={"id": pk}) for pk in ids
    ]
    return st.one_of(generated, st.sampled_from(existing).flatmap(lambda strategy: strategy))


@pytest.fixture
def unthrottled(settings):
    # Thousands of requests a minute from two users: far beyond the throttles' rates.
    settings.API_THROTTLE_RATES = {"user": None, "anon": None}


def test_every_operation_answers_as_documented(
    wsgi_app, existing_ids, manager_user, funder_user, unthrottled
) -> None:
    tokens = {
        "manager": ApiToken.objects.create(user=manager_user, name="schema check")[1],
        "funder": ApiToken.objects.create(user=funder_user, name="schema check")[1],
    }
    schema = schemathesis.openapi.from_wsgi(
        "/api/schema/", wsgi_app, headers={"Authorization": f"Token {tokens['manager']}"}
    )
    operations = [result.ok() for result in schema.get_all_operations()]
    answers: Counter[tuple[str, str, int]] = Counter()  # (role, operation, status) → requests
    failures: list[str] = []

    # Both roles call an operation before the next one, so that the reads of a path come
    # before its deletes for either role.
    for operation in operations:
        for role, token in tokens.items():
            headers = {"Authorization": f"Token {token}"}
            for mode, examples in EXAMPLES.items():

                @settings(
                    max_examples=examples,
                    derandomize=True,
                    database=None,
                    deadline=None,
                    phases=[Phase.generate, Phase.shrink],
                    suppress_health_check=[
                        HealthCheck.too_slow,
                        HealthCheck.filter_too_much,
                        HealthCheck.data_too_large,
                    ],
                )
                @given(case=cases(operation, mode, existing_ids), data=st.data())
                def send(case: Case, data: st.DataObject) -> None:
                    if mode is GenerationMode.POSITIVE:
                        refer_to_existing_rows(case, data, existing_ids)
                    # A request that fails in the database must not abort the test's
                    # transaction for the requests after it (PostgreSQL).
                    with transaction.atomic():
                        response = case.call(headers=headers)
                        if response.status_code >= 500:
                            transaction.set_rollback(True)
                    answers[role, operation.label, response.status_code] += 1
                    case.validate_response(response, checks=CHECKS, headers=headers)

                try:
                    send()
                except (Exception, BaseExceptionGroup) as error:  # report every broken operation
                    failures.append(f"{role}, {mode.value} data, {operation.label}:\n{error}")

    assert not failures, "\n\n".join(failures)
    assert answers.total() >= MIN_REQUESTS
    # Each role's reads found rows: a detail request got more than 404s.
    for role in tokens:
        read = {label for (who, label, status) in answers if who == role and status == 200}
        unread = {op.label for op in operations if op.method.upper() == "GET"} - read
        personal_data = {"GET /api/v1/contacts/", "GET /api/v1/contacts/{id}/"}
        assert unread == (personal_data if role == "funder" else set()), role
    statuses: Counter[int] = Counter()
    for (_, _, status), requests in answers.items():
        statuses[status] += requests
    print(f"{answers.total()} requests, answers by status: {dict(sorted(statuses.items()))}")


# Requests that generated ones once answered with a server error or an undocumented answer.
@pytest.mark.parametrize(
    ("path", "status", "key"),
    [
        # PostgreSQL refuses UTC offsets past ±15:59; the time is compared in UTC instead.
        ("/api/v1/calls/?deadline_after=2030-01-01T00:00:00%2B20:00", 200, "results"),
        # A time that does not exist in UTC (year 0).
        ("/api/v1/transitions/?after=0001-01-01T00:00:00%2B05:00", 400, "after"),
        ("/api/v1/transitions/?before=9999-12-31T23:59:59-05:00", 400, "before"),
        # An id the router does not take is a 404 in JSON, not the site's HTML page.
        ("/api/v1/ideas/1.5/", 404, "detail"),
        ("/api/v1/no-such-thing/", 404, "detail"),
    ],
)
def test_edge_values_get_documented_answers(manager, path, status, key) -> None:
    answer = manager.get(path)

    assert answer.status_code == status
    assert answer["Content-Type"] == "application/json"
    assert key in answer.json()


def test_a_move_in_malformed_json_is_refused_with_reasons(manager) -> None:
    idea = IdeaFactory()

    answer = manager.post(
        f"/api/v1/ideas/{idea.pk}/transition/", "\x00", content_type="application/json"
    )

    assert answer.status_code == 400
    assert answer.json()["reasons"]


def test_the_first_move_of_an_idea_comes_from_no_stage(manager) -> None:
    idea = IdeaFactory()

    rows = manager.get("/api/v1/transitions/", {"idea": idea.pk}).json()["results"]

    assert [row["from_stage"] for row in rows] == [""]
