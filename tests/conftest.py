import pytest
from django.utils import translation
from django.test import Client

from tests.factories import UserFactory


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


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Real hashing costs most of a second per user; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
