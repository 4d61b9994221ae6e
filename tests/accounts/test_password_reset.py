"""Password reset by e-mail: the whole flow, and no telling who has an account."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory
from tests.helpers import assert_no_inline_code

pytestmark = pytest.mark.django_db

RESET = reverse("password-reset")
NEW_PASSWORD = "kolme-sorsaa-lammella"


def english_client() -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    return client


def reset_link(message) -> str:
    return re.search(r"https?://\S+/password/reset/\S+/", message.body).group(0)


def reset_path(message) -> str:
    return "/" + reset_link(message).split("/", 3)[3]


def without_tokens(content: bytes) -> bytes:
    """A page without its per-response CSRF token and script nonce."""
    return re.sub(rb'(name="csrfmiddlewaretoken" value|nonce)="[^"]+"', b"", content)


def test_the_login_page_leads_to_the_reset():
    page = Client().get(reverse("login")).content.decode()
    assert f'href="{RESET}"' in page


def test_a_reset_by_mail_end_to_end(settings):
    settings.SITE_URL = "https://salkku.example.fi"
    user = UserFactory(username="maija", email="maija@example.fi", manager=True)
    client = english_client()

    form = client.get(RESET)
    assert form.status_code == 200
    assert_no_inline_code(form.content.decode())
    sent = client.post(RESET, {"email": "MAIJA@example.fi"}, follow=True)
    assert sent.redirect_chain[-1][0] == reverse("password-reset-sent")
    assert "Check your e-mail" in sent.content.decode()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["maija@example.fi"]
    assert message.subject == "A new password for Salkku"
    assert "maija" in message.body
    link = reset_link(message)
    # The link goes to the site's own address, not to the host the request named.
    assert link.startswith("https://salkku.example.fi/password/reset/")

    # The link opens the form (Django moves the token into the session first).
    page = client.get(reset_path(message), follow=True)
    assert page.status_code == 200
    assert page.context["validlink"]
    form_url = page.redirect_chain[-1][0]
    done = client.post(
        form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True
    )
    assert done.redirect_chain[-1][0] == reverse("password-reset-complete")
    assert "Password changed" in done.content.decode()

    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    login = Client().post(
        reverse("login"), {"username": "maija", "password": NEW_PASSWORD}, follow=True
    )
    assert login.context["user"].is_authenticated

    # A link works once.
    again = english_client().get(reset_path(message), follow=True)
    assert not again.context["validlink"]
    assert "This link does not work any more" in again.content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_mail():
    UserFactory(username="maija", email="maija@example.fi")

    known = english_client().post(RESET, {"email": "maija@example.fi"}, follow=True)
    unknown = english_client().post(RESET, {"email": "nobody@example.fi"}, follow=True)

    assert len(mail.outbox) == 1
    assert known.redirect_chain == unknown.redirect_chain
    assert known.status_code == unknown.status_code == 200
    # The pages differ in nothing but their per-response tokens.
    assert without_tokens(known.content) == without_tokens(unknown.content)


def test_reset_mails_are_limited_per_address_and_per_sender(settings, security_log):
    settings.PASSWORD_RESET_MAILS_PER_HOUR = 2
    UserFactory(username="maija", email="maija@example.fi")
    client = english_client()
    answers = [client.post(RESET, {"email": "Maija@example.fi"}) for _ in range(3)]
    # The same answer each time; the third mail is not sent.
    assert {(a.status_code, a["Location"]) for a in answers} == {(302, reverse("password-reset-sent"))}
    assert len(mail.outbox) == 2
    assert "event=password_reset_limited" in "\n".join(security_log())
    # From one sender, ten times the per-address limit across addresses.
    for n in range(20):
        UserFactory(username=f"user{n}", email=f"user{n}@example.fi")
        client.post(RESET, {"email": f"user{n}@example.fi"})
    assert len(mail.outbox) == 2 + 17  # 20 from this sender in all, 3 of them above


def test_an_inactive_user_gets_no_mail():
    UserFactory(username="entinen", email="entinen@example.fi", is_active=False)
    english_client().post(RESET, {"email": "entinen@example.fi"})
    assert mail.outbox == []


def test_the_new_password_must_pass_the_validators(settings):
    user = UserFactory(username="maija", email="maija@example.fi")
    client = english_client()
    client.post(RESET, {"email": "maija@example.fi"})
    page = client.get(reset_path(mail.outbox[0]), follow=True)
    form_url = page.redirect_chain[-1][0]

    refused = client.post(form_url, {"new_password1": "lyhyt-sana", "new_password2": "lyhyt-sana"})

    assert refused.status_code == 200
    errors = refused.context["form"].errors["new_password2"]
    assert any("at least 12 characters" in error for error in errors)
    user.refresh_from_db()
    assert not user.check_password("lyhyt-sana")


def test_the_reset_pages_come_in_finnish_by_default():
    page = Client().get(RESET).content.decode()
    assert 'lang="fi"' in page
