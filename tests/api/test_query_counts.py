"""Every list endpoint reads a page in a fixed number of queries, however many rows it has.

Each list is read with a few rows and again with ten times as many, every row carrying
the related data its representation shows (themes, regions, organisations, owners…).
A query per row would make the second count larger.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from funding.models import Funder, FundingInstrument
from portfolio.models import Region
from tests.api.conftest import API
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
    instrument,
    region,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def throttle_counts_in_memory(settings):
    # The bounds are the lists' own reads. The throttle's count in the database cache, the
    # default, adds the same six queries to every request whatever the list (a read, and a
    # write in a savepoint: tests/test_shared_cache.py); it is kept in memory here.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()

FEW, MANY = 3, 30


def add_ideas(n: int) -> None:
    event = RoadshowEventFactory()
    for _ in range(n):
        themes = [ThemeFactory(), ThemeFactory()]
        IdeaFactory(themes=themes, regions=[region("06"), region("02")], origin_event=event)


def add_members(n: int) -> None:
    for _ in range(n):
        organisation = OrganisationFactory()
        ConsortiumMemberFactory(
            organisation=organisation, contact=ContactFactory(organisation=organisation)
        )


def add_transitions(n: int) -> None:
    # Each idea brings its creation and one move.
    for _ in range(n // 2 + 1):
        IdeaFactory(in_consortium=True)


def add_events(n: int) -> None:
    for _ in range(n):
        event = RoadshowEventFactory(host_organisation=OrganisationFactory())
        event.organisations.set([OrganisationFactory(), OrganisationFactory()])
        event.themes.set([ThemeFactory(), ThemeFactory()])
        IdeaFactory(origin_event=event)


def add_organisations(n: int) -> None:
    for _ in range(n):
        organisation = OrganisationFactory(region=region("11"))
        ConsortiumMemberFactory(organisation=organisation)
        ContactFactory(organisation=organisation)


def add_contacts(n: int) -> None:
    for _ in range(n):
        ContactFactory()


def add_regions(n: int) -> None:
    start = 40 + Region.objects.filter(code__gte="40").count()
    for code in range(start, start + n):
        Region.objects.create(code=str(code), name_fi=f"Alue {code}", name_sv="", name_en="")


def add_themes(n: int) -> None:
    parent = ThemeFactory()
    for _ in range(n):
        ThemeFactory(parent=parent)


def add_applications(n: int) -> None:
    for _ in range(n):
        call = FundingCallFactory()
        FundingApplicationFactory(call=call, instrument=call.instrument, reference="R-1")


def add_implementations(n: int) -> None:
    for _ in range(n):
        ImplementationFactory(end=timezone.localdate() + timedelta(days=30))


def add_instruments(n: int) -> None:
    for _ in range(n):
        count = FundingInstrument.objects.count()
        funder = Funder.objects.create(name=f"Rahoittaja {count}", level="national")
        FundingInstrument.objects.create(
            code=f"instrument-{count}",
            name_fi=f"Väline {count}",
            funder=funder,
            level="national",
            typical_max_rate=Decimal("50"),
        )


def add_calls(n: int) -> None:
    for _ in range(n):
        FundingCallFactory(instrument=instrument("akke"))


LISTS: dict[str, Callable[[int], None]] = {
    "applications": add_applications,
    "calls": add_calls,
    "contacts": add_contacts,
    "events": add_events,
    "ideas": add_ideas,
    "implementations": add_implementations,
    "instruments": add_instruments,
    "members": add_members,
    "organisations": add_organisations,
    "regions": add_regions,
    "themes": add_themes,
    "transitions": add_transitions,
}

# The most queries a page of each list may take, a signed-in request's own included.
# Measured; a higher count means something is now read per row or per request.
BOUNDS: dict[str, int] = {
    # session, user, the user's groups (the role), the page's COUNT and its rows
    "applications": 5,
    "calls": 5,
    "contacts": 5,
    "events": 7,  # + attending organisations and themes, one query each
    "ideas": 6,  # + the themes' and regions' ids, in one query
    "implementations": 5,
    "instruments": 5,
    "members": 5,
    "organisations": 5,
    "regions": 5,
    "themes": 5,
    "transitions": 5,
}


def test_every_list_endpoint_is_measured():
    from tests.api.test_permissions_matrix import OPERATIONS

    lists = {
        path.removeprefix(f"{API}/").strip("/")
        for method, path in OPERATIONS
        if method == "GET" and "{" not in path
    }
    assert lists == set(LISTS) == set(BOUNDS)


def count_queries(client, path: str) -> tuple[int, int]:
    """(queries, rows) of reading the first page of ``path``."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, response.content[:500]
    return len(queries), len(response.json()["results"])


# Funders too: the membership list hides a field from them. Contacts are refused to them.
CASES = [
    (role, resource)
    for role in ("manager", "funder")
    for resource in sorted(LISTS)
    if (role, resource) != ("funder", "contacts")
]


@pytest.mark.parametrize(("role", "resource"), CASES, ids=["-".join(c) for c in CASES])
def test_list_reads_a_fixed_number_of_queries(api_as, role, resource):
    client = api_as(role)
    path = f"{API}/{resource}/"
    client.get(path)  # the session and the user are read alike on every later request

    LISTS[resource](FEW)
    few, few_rows = count_queries(client, path)
    LISTS[resource](MANY - FEW)
    many, many_rows = count_queries(client, path)

    assert many_rows >= few_rows + (MANY - FEW)
    assert many == few, f"{resource}: {few} queries for {few_rows} rows, {many} for {many_rows}"
    assert many <= BOUNDS[resource]


def test_cursor_pages_of_ideas_count_nothing_and_do_not_grow(api_as):
    client = api_as("manager")
    path = f"{API}/ideas/?pagination=cursor"
    client.get(path)
    add_ideas(FEW)
    few, _ = count_queries(client, path)
    add_ideas(MANY - FEW)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    assert len(queries) == few == BOUNDS["ideas"] - 1
    assert not any("COUNT(" in query["sql"] for query in queries.captured_queries)
