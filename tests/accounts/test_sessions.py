"""Signed-in sessions: the idle and absolute limits, the list on the user's own page, and
signing out the other sessions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from accounts.models import UserSession
from accounts.sessions import describe_user_agent, session_store
from tests.clock import NOW
from tests.factories import UserFactory
from tests.helpers import assert_no_inline_code

pytestmark = pytest.mark.django_db

ACCOUNT = reverse("account")
LOGIN = reverse("login")
FIREFOX_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
)
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
)


def signed_in(username: str = "maija", user_agent: str = FIREFOX_WINDOWS) -> Client:
    """A browser that logged in through the login page, in English."""
    client = Client(HTTP_USER_AGENT=user_agent)
    client.cookies["django_language"] = "en"
    response = client.post(LOGIN, {"username": username, "password": "pw-for-tests"})
    assert response.status_code == 302, "the login failed"
    return client


@pytest.fixture
def maija(db):
    return UserFactory(username="maija", manager=True)


def is_signed_in(client: Client) -> bool:
    return client.get(ACCOUNT).status_code == 200


def test_a_session_idle_too_long_is_signed_out_and_told_why(maija, fixed_clock, settings):
    settings.SESSION_IDLE_MINUTES = 120
    settings.SESSION_MAX_HOURS = 12
    client = signed_in()

    fixed_clock.move_to(NOW + timedelta(minutes=119))
    assert is_signed_in(client)
    # Each request counts as activity: two hours from the last one, not from the login.
    fixed_clock.move_to(NOW + timedelta(minutes=119 + 119))
    assert is_signed_in(client)

    fixed_clock.move_to(NOW + timedelta(minutes=119 + 119 + 121))
    response = client.get(ACCOUNT, follow=True)

    assert response.redirect_chain[-1][0].startswith(LOGIN)
    assert not response.context["user"].is_authenticated
    assert "You were signed out after 2 hours without activity." in response.content.decode()
    assert not UserSession.objects.filter(user=maija).exists()
    # Logging in again works at once.
    assert is_signed_in(signed_in())


def test_a_session_ends_at_the_absolute_limit_however_active(maija, fixed_clock, settings):
    settings.SESSION_IDLE_MINUTES = 120
    settings.SESSION_MAX_HOURS = 12
    client = signed_in()

    for hour in range(1, 12):
        fixed_clock.move_to(NOW + timedelta(hours=hour))
        assert is_signed_in(client), hour

    # The clock ticks: the login was a moment after NOW.
    fixed_clock.move_to(NOW + timedelta(hours=12, seconds=5))
    response = client.get(ACCOUNT, follow=True)

    assert not response.context["user"].is_authenticated
    assert "a session lasts at most 12 hours" in response.content.decode()


def test_a_limit_set_to_0_is_off(maija, fixed_clock, settings):
    settings.SESSION_IDLE_MINUTES = 0
    settings.SESSION_MAX_HOURS = 0
    settings.SESSION_COOKIE_AGE = 14 * 24 * 3600  # what Django keeps with no absolute limit
    client = signed_in()
    fixed_clock.move_to(NOW + timedelta(days=3))
    assert is_signed_in(client)


def test_the_api_is_signed_out_too(maija, fixed_clock, settings):
    settings.SESSION_IDLE_MINUTES = 30
    client = signed_in()
    assert client.get("/api/v1/ideas/").status_code == 200
    fixed_clock.move_to(NOW + timedelta(minutes=31))
    assert client.get("/api/v1/ideas/").status_code in (401, 403)


def test_last_seen_is_written_at_most_once_a_minute(maija, fixed_clock):
    client = signed_in()
    record = UserSession.objects.get(user=maija)
    assert record.created == record.last_seen

    fixed_clock.move_to(NOW + timedelta(seconds=30))
    client.get(ACCOUNT)
    assert UserSession.objects.get(pk=record.pk).last_seen == record.last_seen

    fixed_clock.move_to(NOW + timedelta(minutes=5))
    client.get(ACCOUNT)
    assert UserSession.objects.get(pk=record.pk).last_seen > record.last_seen


def test_the_own_page_lists_the_sessions_and_signs_out_the_others(maija):
    here = signed_in(user_agent=FIREFOX_WINDOWS)
    phone = signed_in(user_agent=SAFARI_IPHONE)
    colleague_user = UserFactory(username="fanni", funder=True)
    colleague = signed_in("fanni")

    page = here.get(ACCOUNT)
    body = page.content.decode()
    assert page["Cache-Control"] == "no-store"
    assert_no_inline_code(body)
    assert {(s.browser, s.is_current) for s in page.context["sessions"]} == {
        ("Firefox on Windows", True),
        ("Safari on iOS", False),
    }
    assert "Safari on iOS" in body and "this session" in body
    phone_key = phone.session.session_key

    response = here.post(reverse("account-sign-out-others"), follow=True)

    assert "1 other session was signed out." in response.content.decode()
    assert [s.browser for s in response.context["sessions"]] == ["Firefox on Windows"]
    assert not session_store(phone_key).exists(phone_key)
    assert not is_signed_in(phone)
    assert is_signed_in(here)
    assert is_signed_in(colleague)
    assert UserSession.objects.filter(user=colleague_user).count() == 1


def test_logging_out_forgets_the_session(maija):
    client = signed_in()
    assert UserSession.objects.filter(user=maija).count() == 1
    client.post(reverse("logout"))
    assert not UserSession.objects.filter(user=maija).exists()


def test_sessions_that_ended_are_neither_listed_nor_kept(maija, fixed_clock, settings):
    settings.SESSION_IDLE_MINUTES = 60
    signed_in(user_agent=SAFARI_IPHONE)  # left open on the phone
    fixed_clock.move_to(NOW + timedelta(hours=2))

    client = signed_in()
    assert [s.browser for s in client.get(ACCOUNT).context["sessions"]] == ["Firefox on Windows"]
    assert UserSession.objects.filter(user=maija).count() == 1


def test_a_session_from_before_sessions_were_recorded_is_recorded_on_its_next_request(maija):
    client = signed_in()
    UserSession.objects.all().delete()
    session = client.session
    for key in ("salkku_login_at", "salkku_seen_at"):
        del session[key]
    session.save()

    assert is_signed_in(client)
    assert UserSession.objects.filter(user=maija, session_key=session.session_key).exists()


def test_a_password_change_keeps_this_session_and_ends_the_others(maija):
    here = signed_in()
    phone = signed_in(user_agent=SAFARI_IPHONE)
    new = "kolme-sorsaa-lammella"

    response = here.post(
        reverse("password-change"),
        {"old_password": "pw-for-tests", "new_password1": new, "new_password2": new},
        follow=True,
    )

    assert "Your password was changed." in response.content.decode()
    maija.refresh_from_db()
    assert maija.check_password(new)
    assert is_signed_in(here)
    assert not is_signed_in(phone)
    assert [s.session_key for s in here.get(ACCOUNT).context["sessions"]] == [
        here.session.session_key
    ]


def test_a_short_new_password_is_refused(maija):
    client = signed_in()

    response = client.post(
        reverse("password-change"),
        {"old_password": "pw-for-tests", "new_password1": "lyhyt-sana", "new_password2": "lyhyt-sana"},
    )

    assert response.status_code == 200
    assert any(
        "at least 12 characters" in error
        for error in response.context["password_form"].errors["new_password2"]
    )
    maija.refresh_from_db()
    assert maija.check_password("pw-for-tests")


def test_the_header_name_leads_to_the_own_page(maija):
    client = signed_in()
    assert f'class="who" href="{ACCOUNT}"' in client.get(reverse("home")).content.decode()


def test_a_user_without_a_role_has_an_own_page_too(db):
    UserFactory(username="ilman")
    client = signed_in("ilman")
    page = client.get(ACCOUNT)
    assert page.status_code == 200
    assert reverse("token-list") not in page.content.decode()


def test_a_session_key_in_the_store_belongs_to_a_signed_in_user(maija):
    client = signed_in()
    data = session_store(client.session.session_key).load()
    assert data[SESSION_KEY] == str(maija.pk)


@pytest.mark.parametrize(
    ("user_agent", "expected"),
    [
        (FIREFOX_WINDOWS, "Firefox on Windows"),
        (SAFARI_IPHONE, "Safari on iOS"),
        (
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like "
                "Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0"
            ),
            "Edge on Windows",
        ),
        (
            (
                "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like "
                "Gecko) Chrome/131.0.0.0 Mobile Safari/537.36"
            ),
            "Chrome on Android",
        ),
        (
            (
                "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_7) AppleWebKit/605.1.15 "
                "(KHTML, like Gecko) Version/18.1 Safari/605.1.15"
            ),
            "Safari on macOS",
        ),
        ("", "Unknown browser"),
        ("curl/8.5.0", "Unknown browser"),
    ],
)
def test_the_browser_is_named_from_its_user_agent(user_agent, expected):
    assert describe_user_agent(user_agent) == expected
