"""Failed logins are limited per user name and per address (django-axes), on the login page
and the admin's; a locked user is told when to try again; administrators lift lockouts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import ApiToken
from core.security_log import client_address
from tests.factories import UserFactory

PASSWORD = "pw-for-tests"  # tests.factories.UserFactory's


def client(address: str = "127.0.0.1", **extra: str) -> Client:
    client = Client(REMOTE_ADDR=address, **extra)
    client.cookies["django_language"] = "en"
    return client


def log_in(client: Client, username: str, password: str, url: str | None = None):
    return client.post(url or reverse("login"), {"username": username, "password": password})


def fail(client: Client, username: str, times: int, url: str | None = None) -> None:
    for _ in range(times):
        response = log_in(client, username, "wrong", url)
        assert response.status_code == 200, "not locked yet"


def locked(response) -> bool:
    return response.status_code == 429


@pytest.mark.django_db
def test_the_fifth_failure_locks_the_user_name_and_the_cool_off_releases_it(
    manager_user, fixed_clock, settings
):
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME == timedelta(minutes=15)
    browser = client()
    fail(browser, manager_user.username, 4)

    response = log_in(browser, manager_user.username, "wrong")

    assert locked(response)
    page = response.content.decode()
    # NOW is 12.00 Helsinki time: the lock lasts fifteen minutes from the last failure.
    assert "Try again at 12:15, in 15 minutes." in page
    assert 'class="login-card"' in page  # the site's own page, not a bare message
    assert response["Retry-After"] == "900"
    # The right password does not help while locked…
    assert locked(log_in(client(), manager_user.username, PASSWORD))

    # …and each attempt while locked starts the wait again: 15 minutes from the last one.
    fixed_clock.shift(timedelta(minutes=15, seconds=1))
    response = log_in(browser, manager_user.username, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


@pytest.mark.django_db
def test_a_failure_while_locked_starts_the_wait_again(manager_user, fixed_clock):
    fail(client(), manager_user.username, 4)
    assert locked(log_in(client(), manager_user.username, "wrong"))
    fixed_clock.shift(timedelta(minutes=10))
    assert locked(log_in(client(), manager_user.username, "still wrong"))

    fixed_clock.shift(timedelta(minutes=10))  # 20 minutes after the lock, 10 after the last
    assert locked(log_in(client(), manager_user.username, PASSWORD))

    fixed_clock.shift(timedelta(minutes=16))
    assert log_in(client(), manager_user.username, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_the_user_name_is_locked_whatever_the_address(manager_user):
    # A guesser spreading over many addresses: the name's count is shared.
    for n in range(4):
        fail(client(f"203.0.113.{n + 1}"), manager_user.username, 1)
    assert locked(log_in(client("203.0.113.50"), manager_user.username, "wrong"))
    assert locked(log_in(client("198.51.100.9"), manager_user.username, PASSWORD))


@pytest.mark.django_db
def test_an_address_is_locked_whatever_the_names(manager_user, funder_user):
    # One guesser trying many names: the address's count is shared.
    guesser = client("203.0.113.7")
    for name in ("anna", "bertta", "cecilia", "doris"):
        fail(guesser, name, 1)
    assert locked(log_in(guesser, "eeva", "wrong"))
    assert locked(log_in(guesser, funder_user.username, PASSWORD))
    # Another address and the same names are not affected.
    assert log_in(client("198.51.100.9"), funder_user.username, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_the_admin_login_is_limited_too(admin_user):
    url = reverse("admin:login")
    fail(client(), admin_user.username, 4, url)
    response = log_in(client(), admin_user.username, "wrong", url)
    assert locked(response)
    assert "Try again at" in response.content.decode()
    assert locked(log_in(client(), admin_user.username, PASSWORD, url))


@pytest.mark.django_db
def test_the_lockout_page_is_in_the_users_language(manager_user):
    browser = Client()  # Finnish, the default
    fail(browser, manager_user.username, 4)
    response = log_in(browser, manager_user.username, "wrong")
    assert locked(response)
    assert '<html lang="fi">' in response.content.decode()


@pytest.mark.django_db
def test_an_administrator_sees_and_lifts_a_lockout(manager_user, admin):
    fail(client(), manager_user.username, 4)
    assert locked(log_in(client(), manager_user.username, "wrong"))

    listing = admin.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == 200
    assert manager_user.username in listing.content.decode()

    attempt = AccessAttempt.objects.get(username=manager_user.username)
    response = admin.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert log_in(client(), manager_user.username, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_api_tokens_work_while_the_user_name_is_locked(manager_user):
    fail(client(), manager_user.username, 4)
    assert locked(log_in(client(), manager_user.username, "wrong"))
    _, secret = ApiToken.objects.create(user=manager_user, name="script")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    assert api.get("/api/v1/ideas/").status_code == 200


@pytest.mark.django_db
def test_successful_logins_never_lock(manager_user):
    # The test suite and people alike log in many times a day.
    for _ in range(10):
        browser = client()
        assert log_in(browser, manager_user.username, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_the_test_clients_login_is_not_counted(manager_user):
    # Client.login() authenticates without a request: no address, no limit.
    for _ in range(6):
        assert not Client().login(username=manager_user.username, password="wrong")
    assert Client().login(username=manager_user.username, password=PASSWORD)


@pytest.mark.django_db
def test_behind_the_proxy_the_address_it_saw_is_counted(manager_user, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client may write anything in X-Forwarded-For; the proxy appends what it saw.
    for n in range(4):
        guesser = client("10.0.0.2", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.7")
        fail(guesser, f"name{n}", 1)
    guesser = client("10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.99, 203.0.113.7")
    assert locked(log_in(guesser, "name5", "wrong"))
    # Others behind the same proxy are not locked with it.
    other = client("10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert log_in(other, manager_user.username, PASSWORD).status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        (0, "203.0.113.5", "", "203.0.113.5"),
        (0, "10.0.0.2", "198.51.100.1", "10.0.0.2"),  # no proxy: the header is the client's
        (1, "10.0.0.2", "", "10.0.0.2"),  # no header: the connection's address
        (1, "10.0.0.2", "198.51.100.1", "198.51.100.1"),
        (1, "10.0.0.2", "6.6.6.6, 198.51.100.1", "198.51.100.1"),
        (2, "10.0.0.2", "6.6.6.6, 198.51.100.1, 10.0.0.1", "198.51.100.1"),
        (2, "10.0.0.2", "198.51.100.1", "198.51.100.1"),  # fewer than the proxies
        (1, "10.0.0.2", "198.51.100.1:5432", "198.51.100.1"),  # a port after it
        (1, "10.0.0.2", "[2001:db8::1]:443", "2001:db8::1"),
        (1, "10.0.0.2", "not-an-address", "10.0.0.2"),
    ],
)
def test_client_address(rf, settings, proxies, remote, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = rf.get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


@pytest.mark.django_db
def test_other_users_log_in_while_one_is_locked(manager_user):
    fail(client("203.0.113.1"), manager_user.username, 4)
    assert locked(log_in(client("203.0.113.1"), manager_user.username, "wrong"))
    other = UserFactory(username="toinen", funder=True)
    assert log_in(client("198.51.100.2"), other.username, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_without_a_cool_off_the_lock_lasts_until_lifted(manager_user, fixed_clock, settings):
    settings.AXES_COOLOFF_TIME = None
    fail(client(), manager_user.username, 4)
    response = log_in(client(), manager_user.username, "wrong")
    assert locked(response)
    assert "Ask the network administrator to lift the lock." in response.content.decode()
    assert "Retry-After" not in response
    fixed_clock.shift(timedelta(days=2))
    assert locked(log_in(client(), manager_user.username, PASSWORD))
