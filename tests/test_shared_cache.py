"""The default cache is a table in the database (core.CacheEntry), so every web worker and
host counts the API throttles and the password reset limits in one place."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from core.models import CacheEntry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

IDEAS = "/api/v1/ideas/"
DATABASE_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "salkku_cache",
    }
}


@pytest.fixture
def database_cache(settings):
    # The default already, unless CACHE_URL says otherwise for this run.
    settings.CACHES = DATABASE_CACHE
    yield caches["default"]


def another_worker() -> DatabaseCache:
    """The cache as another process (another gunicorn worker, another host) builds it from
    the same settings: it shares nothing with this one but the database."""
    return DatabaseCache("salkku_cache", {})


def test_migrate_makes_the_table_createcachetable_would(database_cache):
    out = StringIO()
    call_command("createcachetable", dry_run=True, stdout=out)
    # Nothing to create: the table is there, under the name the cache reads.
    assert out.getvalue().strip() == "Cache table 'salkku_cache' already exists."
    assert CacheEntry._meta.db_table == database_cache._table


def test_the_cache_reads_and_writes_the_table(database_cache):
    assert cache.add("counter", 1, timeout=60)
    assert not cache.add("counter", 5, timeout=60)
    assert cache.incr("counter") == 2
    cache.set("list", [1, 2, 3], timeout=60)

    assert set(CacheEntry.objects.values_list("cache_key", flat=True)) == {
        ":1:counter",
        ":1:list",
    }
    assert another_worker().get("list") == [1, 2, 3]
    assert another_worker().get("counter") == 2

    cache.delete("list")
    assert another_worker().get("list") is None
    cache.clear()
    assert not CacheEntry.objects.exists()


def test_an_expired_entry_is_gone_for_every_worker(database_cache, fixed_clock):
    cache.set("short", "value", timeout=30)
    fixed_clock.shift(31)
    assert another_worker().get("short") is None


def test_the_api_throttle_counts_once_for_all_workers(database_cache, settings, manager_user):
    settings.API_THROTTLE_RATES = {"user": "3/minute", "anon": "2/minute"}
    client = APIClient()
    client.force_login(manager_user)
    for _ in range(3):
        assert client.get(IDEAS).status_code == 200

    # The requests' times are where another worker reads them before letting a request in.
    history = another_worker().get(f"throttle_user_{manager_user.pk}")
    assert len(history) == 3
    assert client.get(IDEAS).status_code == 429


def test_the_throttle_costs_a_fixed_number_of_queries(database_cache, settings, manager_user):
    client = APIClient()
    client.force_login(manager_user)
    client.get(IDEAS)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(IDEAS).status_code == 200
        return len(captured)

    with_throttle = queries()
    settings.API_THROTTLE_RATES = {"user": None, "anon": None}
    without = queries()
    # A read of the history, and its write: a savepoint, the table's size (for culling),
    # the row, its update, the release.
    assert with_throttle - without == 6


def test_reset_mail_limits_count_in_the_shared_table(database_cache, settings):
    settings.PASSWORD_RESET_MAILS_PER_HOUR = 1
    UserFactory(username="maija", email="maija@example.fi")
    client = APIClient()
    for _ in range(2):
        client.post(reverse("password-reset"), {"email": "maija@example.fi"})

    # One count for the address, one for the sender, each read alike by another worker.
    keys = CacheEntry.objects.filter(cache_key__contains="password-reset:").values_list(
        "cache_key", flat=True
    )
    assert len(keys) == 2
    for key in keys:
        assert another_worker().get(key.split(":", 2)[2]) == 2
