"""Optional two-factor sign-in (TOTP): set-up with a QR code, the code at sign-in, and the
requirement for staff and project managers. Codes are computed here as the app would."""

from __future__ import annotations

from base64 import b32decode

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor
from accounts.models import ApiToken
from tests.clock import NOW
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests"


def code_for(device: TOTPDevice, *, step_offset: int = 0) -> str:
    device.refresh_from_db()
    value = totp(device.bin_key, device.step, device.t0, device.digits, device.drift + step_offset)
    return f"{value:0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    right = code_for(device)
    return f"{(int(right) + 1) % 10**6:06d}"


def device_for(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def password_login(user) -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


@pytest.fixture
def maija(db):
    return UserFactory(username="maija", manager=True)


def test_without_a_device_nothing_changes(maija):
    client = password_login(maija)
    assert client.get(reverse("board")).status_code == 200


def test_a_device_holds_the_sign_in_until_the_code_is_given(maija):
    device = device_for(maija)
    client = password_login(maija)

    # Every page leads to the code page, the API refuses the session.
    board = client.get(reverse("board"))
    assert board.status_code == 302
    assert board["Location"] == reverse("two-factor-verify") + "?next=%2Fboard%2F"
    assert client.get(reverse("admin:index")).status_code == 302
    # The accessibility statement stays open to everyone.
    assert client.get(reverse("statement-fi")).status_code == 200
    api = client.get(reverse("api:idea-list"))
    assert api.status_code == 403
    assert "code" in api.json()["detail"]
    # Another kind of Authorization header does not open the session's way to the API.
    assert client.get(reverse("api:idea-list"), HTTP_AUTHORIZATION="Basic eDp5").status_code == 403
    # A token is its own credential.
    _token, secret = ApiToken.objects.create(user=maija, name="Script")
    assert Client().get(
        reverse("api:idea-list"), HTTP_AUTHORIZATION=f"Token {secret}"
    ).status_code == 200
    assert client.get(
        reverse("api:idea-list"), HTTP_AUTHORIZATION=f"Token {secret}"
    ).status_code == 200

    page = client.get(reverse("two-factor-verify"), {"next": "/board/"})
    assert page.status_code == 200
    assert page["Cache-Control"] == "no-store"
    assert 'autocomplete="one-time-code"' in page.content.decode()
    session_before = client.session.session_key

    response = client.post(
        reverse("two-factor-verify"), {"code": code_for(device), "next": "/board/"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/board/"
    assert client.session.session_key != session_before
    assert client.get(reverse("board")).status_code == 200
    assert client.get(reverse("api:idea-list")).status_code == 200


def test_a_wrong_code_is_refused_and_repeated_ones_throttled(maija, fixed_clock):
    fixed_clock.move_to(NOW, tick=False)  # the throttle's pause must not pass meanwhile
    device = device_for(maija)
    client = password_login(maija)

    response = client.post(reverse("two-factor-verify"), {"code": wrong_code(device)})
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert client.get(reverse("board")).status_code == 302

    # After a wrong code the device refuses even the right one for a moment.
    response = client.post(reverse("two-factor-verify"), {"code": code_for(device)})
    assert "Too many wrong codes" in response.content.decode()
    assert client.get(reverse("board")).status_code == 302


def test_a_used_code_does_not_work_twice(maija, fixed_clock):
    device = device_for(maija)
    first = password_login(maija)
    code = code_for(device)
    assert first.post(reverse("two-factor-verify"), {"code": code}).status_code == 302

    second = password_login(maija)
    response = second.post(reverse("two-factor-verify"), {"code": code})
    assert response.status_code == 200
    assert second.get(reverse("board")).status_code == 302


def test_setting_up_with_the_qr_code_and_the_key(maija, manager):
    page = manager.get(reverse("two-factor"))

    assert page.status_code == 200
    assert page["Cache-Control"] == "no-store"
    html = page.content.decode()
    assert "<svg" in html
    device = TOTPDevice.objects.get(user=maija, confirmed=False)
    secret = page.context["secret"]
    assert b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8)) == (
        device.bin_key
    )
    assert secret in html
    assert "otpauth://" not in html  # the address is inside the QR code only
    # Reloading keeps the secret that may already be scanned.
    assert manager.get(reverse("two-factor")).context["secret"] == secret

    response = manager.post(reverse("two-factor"), {"code": wrong_code(device)})
    assert response.status_code == 200
    assert not TOTPDevice.objects.filter(user=maija, confirmed=True).exists()

    device.throttle_reset()
    response = manager.post(reverse("two-factor"), {"code": code_for(device)})
    assert response.status_code == 302
    assert TOTPDevice.objects.get(user=maija).confirmed

    # From now on a password sign-in asks for the code.
    client = password_login(maija)
    assert client.get(reverse("board"))["Location"].startswith(reverse("two-factor-verify"))


def test_turning_it_off(maija, manager):
    device_for(maija)
    manager.cookies["django_language"] = "en"
    assert "Two-factor sign-in is on" in manager.get(reverse("two-factor")).content.decode()

    response = manager.post(reverse("two-factor-remove"))

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=maija).exists()
    assert password_login(maija).get(reverse("board")).status_code == 200


def test_when_required_a_manager_without_a_device_is_sent_to_set_it_up(maija, settings):
    settings.TWO_FACTOR_REQUIRED = True
    client = password_login(maija)

    board = client.get(reverse("board"))
    assert board.status_code == 302
    assert board["Location"].startswith(reverse("two-factor"))
    assert client.get(reverse("two-factor-verify")).status_code == 302
    page = client.get(reverse("two-factor"), {"next": "/board/"})
    assert "Your role requires two-factor sign-in" in page.content.decode()

    device = TOTPDevice.objects.get(user=maija)
    response = client.post(reverse("two-factor"), {"code": code_for(device), "next": "/board/"})

    assert response.status_code == 302
    assert response["Location"] == "/board/"
    assert client.get(reverse("board")).status_code == 200
    # It cannot be turned off while required.
    client.post(reverse("two-factor-remove"))
    assert TOTPDevice.objects.filter(user=maija, confirmed=True).exists()


def test_when_required_staff_are_held_and_funders_are_not(settings):
    settings.TWO_FACTOR_REQUIRED = True
    staff = UserFactory(username="staff", is_staff=True)
    funder = UserFactory(username="fanni", funder=True)

    assert password_login(staff).get(reverse("home"))["Location"].startswith(
        reverse("two-factor")
    )
    assert password_login(funder).get(reverse("board")).status_code == 200
    assert two_factor.in_two_factor_roles(staff)
    assert not two_factor.in_two_factor_roles(funder)


def test_a_funder_may_turn_it_on_for_themselves(funder_user, funder):
    funder.get(reverse("two-factor"))
    device = TOTPDevice.objects.get(user=funder_user)
    assert funder.post(reverse("two-factor"), {"code": code_for(device)}).status_code == 302
    assert password_login(funder_user).get(reverse("board")).status_code == 302


def test_the_code_page_sends_on_whoever_owes_no_code(manager):
    response = manager.get(reverse("two-factor-verify"), {"next": "https://evil.example/"})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
