import pytest
from django.test import Client

from tests.factories import UserFactory


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
