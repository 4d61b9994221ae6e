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
from schemathesis import Case, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from funding.models import FundingApplication, FundingInstrument
from portfolio.models import ApiToken, Region
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
EXAMPLES = {GenerationMode.POSITIVE: 40, GenerationMode.NEGATIVE: 20}
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
def existing_ids() -> dict[str, list[int]]:
    """A small portfolio in every stage, so that detail requests find rows; ids by the
    collection name in the URL."""
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
    member = ConsortiumMemberFactory(idea=ideas[1], contact=ContactFactory())
    FundingApplicationFactory(idea=ideas[2], rejected=True)
    call = FundingCallFactory()
    organisation = OrganisationFactory()
    return {
        "ideas": [idea.pk for idea in ideas],
        "members": [member.pk],
        "organisations": [organisation.pk, member.organisation_id],
        "contacts": [member.contact_id],
        "events": [event.pk],
        "themes": [theme.pk],
        "calls": [call.pk],
        "applications": list(FundingApplication.objects.values_list("pk", flat=True)),
        "implementations": [ImplementationFactory(idea=ideas[3]).pk, ideas[4].implementation.pk],
        "transitions": list(ideas[4].transitions.values_list("pk", flat=True)),
        "instruments": list(FundingInstrument.objects.values_list("pk", flat=True)[:3]),
        "regions": list(Region.objects.values_list("pk", flat=True)[:3]),
    }


def cases(operation: Any, mode: GenerationMode, existing_ids: dict[str, list[int]]) -> Any:
    """Generated requests for ``operation``; half of those with an id in the path name a row
    that exists, as random ids almost never do."""
    generated = operation.as_strategy(generation_mode=mode)
    ids = existing_ids.get(operation.path.split("/")[3], [])
    if "{id}" not in operation.path or not ids or mode is not GenerationMode.POSITIVE:
        return generated
    existing = [
        operation.as_strategy(generation_mode=mode, path_parameters={"id": pk}) for pk in ids
    ]
    return st.one_of(generated, st.sampled_from(existing).flatmap(lambda strategy: strategy))


def test_every_operation_answers_as_documented(
    wsgi_app, existing_ids, manager_user, funder_user
) -> None:
    tokens = {
        "manager": ApiToken.objects.create(user=manager_user, name="schema check")[1],
        "funder": ApiToken.objects.create(user=funder_user, name="schema check")[1],
    }
    schema = schemathesis.openapi.from_wsgi(
        "/api/schema/", wsgi_app, headers={"Authorization": f"Token {tokens['manager']}"}
    )
    operations = [result.ok() for result in schema.get_all_operations()]
    sent: Counter[str] = Counter()
    failures: list[str] = []

    for role, token in tokens.items():
        headers = {"Authorization": f"Token {token}"}
        for operation in operations:
            for mode, examples in EXAMPLES.items():

                @settings(
                    max_examples=examples,
                    derandomize=True,
                    database=None,
                    deadline=None,
                    phases=[Phase.explicit, Phase.generate, Phase.shrink],
                    suppress_health_check=list(HealthCheck),
                )
                @given(case=cases(operation, mode, existing_ids))
                def send(case: Case) -> None:
                    # A request that fails in the database must not abort the test's
                    # transaction for the requests after it (PostgreSQL).
                    with transaction.atomic():
                        response = case.call(headers=headers)
                        if response.status_code >= 500:
                            transaction.set_rollback(True)
                    sent[role] += 1
                    case.validate_response(response, checks=CHECKS, headers=headers)

                try:
                    send()
                except (Exception, BaseExceptionGroup) as error:  # every broken operation is reported
                    failures.append(f"{role} {mode.value} {operation.label}:\n{error}")

    assert not failures, "\n\n".join(failures)
    assert sent.total() >= MIN_REQUESTS, sent
