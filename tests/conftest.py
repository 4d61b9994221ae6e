from collections.abc import Iterator

import pytest
import time_machine
from django.test import Client
from django.utils import translation

from tests.clock import NOW
from tests.factories import UserFactory


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Run tests that commit for real (transactional, browser) after all the others.

    Those tests empty the tables when they finish, including the rows the data migrations
    loaded; the ordinary tests that run inside a rolled-back transaction need those rows.
    Under pytest-xdist each worker has its own database and, with the default ``--dist load``,
    takes the tests in this order, so the same holds in every worker.
    """

    def group(item) -> int:
        if "live_server" in getattr(item, "fixturenames", ()):
            return 2  # browser tests last: their event loop stays for the rest of the session
        marker = item.get_closest_marker("django_db")
        return 1 if marker and marker.kwargs.get("transaction") else 0

    items.sort(key=group)  # stable: keeps the order within each group


@pytest.fixture(autouse=True)
def fixed_clock(request) -> Iterator[time_machine.Traveller | None]:
    """Every test starts at ``tests.clock.NOW``; a test may ``move_to`` another moment.

    Browser tests keep the real clock: time-machine moves the clock of every thread, the live
    server's too, and their pages are driven by a browser that keeps its own.
    """
    if "live_server" in request.fixturenames:
        yield None
        return
    with time_machine.travel(NOW) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def english():
    # Assertions read English messages; tests of Finnish text switch language themselves.
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def plain_static_storage(settings, tmp_path):
    # DEBUG is off in tests, which selects the manifest storage; it needs collectstatic first.
    # An empty STATIC_ROOT keeps WhiteNoise from warning about a missing folder.
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    # Background tasks run at once, inside the request that enqueues them, so a test sees
    # their result; tests of the worker itself switch to the database backend
    # (``database_tasks``). Production keeps the database backend (config/settings.py).
    settings.TASKS = IMMEDIATE_TASKS


@pytest.fixture
def database_tasks(settings):
    """Tasks are stored in the database and wait for the worker, as in production."""
    settings.TASKS = DATABASE_TASKS


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Real hashing costs most of a second per user; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_cache():
    # The API throttles count in the cache, and every test runs at the same moment: one
    # test's requests must not count against the next one's. The default cache is a table
    # (core.CacheEntry): what a test writes there rolls back with its transaction, or is
    # flushed with the other tables after a transactional test, and a test without the
    # database cannot reach it. A cache kept in memory (CACHE_URL) is emptied here.
    from django.core.cache import cache, caches
    from django.core.cache.backends.db import DatabaseCache

    if isinstance(caches["default"], DatabaseCache):
        yield
        return
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def security_log(caplog):
    """The lines of the security log written during the test (``salkku.security`` does not
    propagate to the root logger, where caplog listens)."""
    import logging

    logger = logging.getLogger("salkku.security")
    logger.addHandler(caplog.handler)
    try:
        yield lambda: [
            record.getMessage() for record in caplog.records if record.name == logger.name
        ]
    finally:
        logger.removeHandler(caplog.handler)


@pytest.fixture
def manager_user(db):
    return UserFactory(username="maija", first_name="Maija", last_name="Manageri", manager=True)


@pytest.fixture
def funder_user(db):
    return UserFactory(username="fanni", first_name="Fanni", last_name="Rahoittaja", funder=True)


@pytest.fixture
def admin_user(db):
    return UserFactory(username="aino", admin=True)


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def manager(manager_user) -> Client:
    return _client_for(manager_user)


@pytest.fixture
def funder(funder_user) -> Client:
    return _client_for(funder_user)


@pytest.fixture
def admin(admin_user) -> Client:
    return _client_for(admin_user)


@pytest.fixture
def anonymous(db) -> Client:
    return Client()
