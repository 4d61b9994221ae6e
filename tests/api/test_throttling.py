"""The API throttles per user (token or session) and, for anonymous requests, per address:
429 in the API's own JSON shape, with Retry-After."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from rest_framework.test import APIClient

from accounts.models import ApiToken
from tests.factories import UserFactory

IDEAS = "/api/v1/ideas/"


def token_client(user, address: str = "127.0.0.1") -> APIClient:
    _, secret = ApiToken.objects.create(user=user, name="script")
    client = APIClient(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return client


@pytest.fixture
def low_rates(settings):
    settings.API_THROTTLE_RATES = {"user": "3/minute", "anon": "2/minute"}


def test_default_rates_are_set():
    assert django_settings.API_THROTTLE_RATES == {"user": "300/minute", "anon": "60/minute"}


@pytest.mark.django_db
def test_a_user_beyond_the_rate_gets_429_with_retry_after(low_rates, manager_user, fixed_clock):
    client = token_client(manager_user)
    for _ in range(3):
        assert client.get(IDEAS).status_code == 200

    response = client.get(IDEAS)

    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert "throttled" in response.json()["detail"]
    assert 1 <= int(response["Retry-After"]) <= 60
    # Other users have their own count.
    assert token_client(UserFactory(funder=True)).get(IDEAS).status_code == 200

    fixed_clock.shift(timedelta(seconds=int(response["Retry-After"]) + 1))
    assert client.get(IDEAS).status_code == 200


@pytest.mark.django_db
def test_the_count_is_per_user_not_per_token(low_rates, manager_user):
    first, second = token_client(manager_user), token_client(manager_user)
    for client in (first, second, first):
        assert client.get(IDEAS).status_code == 200
    assert second.get(IDEAS).status_code == 429


@pytest.mark.django_db
def test_the_browser_session_counts_for_its_user(low_rates, manager_user):
    client = APIClient()
    client.force_login(manager_user)
    for _ in range(3):
        assert client.get(IDEAS).status_code == 200
    assert client.get(IDEAS).status_code == 429


@pytest.mark.django_db
def test_anonymous_requests_are_throttled_per_address(low_rates):
    client = APIClient(REMOTE_ADDR="203.0.113.9")
    # Counted before the permission check answers 401, or they never would be.
    assert [client.get(IDEAS).status_code for _ in range(2)] == [401, 401]

    response = client.get(IDEAS)

    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert set(response.json()) == {"detail"}
    assert APIClient(REMOTE_ADDR="198.51.100.4").get(IDEAS).status_code == 401


@pytest.mark.django_db
def test_wrong_tokens_are_counted_against_their_address(low_rates):
    client = APIClient(REMOTE_ADDR="203.0.113.9")
    client.credentials(HTTP_AUTHORIZATION="Token salkku_" + "0" * 64)
    assert [client.get(IDEAS).status_code for _ in range(2)] == [401, 401]
    assert client.get(IDEAS).status_code == 429


@pytest.mark.django_db
def test_a_rate_left_empty_is_no_limit(settings, manager_user):
    settings.API_THROTTLE_RATES = {"user": None, "anon": None}
    client = token_client(manager_user)
    assert {client.get(IDEAS).status_code for _ in range(10)} == {200}


@pytest.mark.django_db
def test_throttled_answer_is_in_the_users_language(low_rates):
    client = APIClient(REMOTE_ADDR="203.0.113.9", HTTP_ACCEPT_LANGUAGE="fi")
    for _ in range(2):
        client.get(IDEAS)
    response = client.get(IDEAS)
    assert response.status_code == 429
    assert "throttled" not in response.json()["detail"]
