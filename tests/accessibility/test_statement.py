"""The accessibility statement: open to everyone in three languages, linked from every
page's footer, kept by the administrator, with a feedback form that loses nothing."""

import pytest
from django.core import mail
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse

from accessibility.models import AccessibilityFeedback, AccessibilityStatement, KnownGap

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "language", "heading", "authority"),
    [
        ("/saavutettavuus/", "fi", "Saavutettavuusseloste", "Lupa- ja valvontavirasto"),
        ("/tillganglighet/", "sv", "Tillgänglighetsutlåtande", "Tillstånds- och tillsynsverket"),
        ("/accessibility/", "en", "Accessibility statement", "Permit and Supervision Agency"),
    ],
)
def test_each_language_has_its_own_address_open_to_everyone(url, language, heading, authority):
    body = Client().get(url).content.decode()
    assert f'<html lang="{language}">' in body
    assert f">{heading}</h1>" in body
    assert authority in body
    assert "https://www.saavutettavuusvaatimukset.fi/" in body
    # The structure the supervisory authority asks for: the state, the gaps, the assessment.
    assert "WCAG" in body and "2.1.1" in body and "4.12.2026" in body


def test_every_page_links_its_language_statement_from_the_footer(manager):
    for language, url in (("fi", "/saavutettavuus/"), ("sv", "/tillganglighet/"), ("en", "/accessibility/")):
        manager.cookies["django_language"] = language
        for page in (reverse("home"), reverse("board")):
            body = manager.get(page).content.decode()
            footer = body[body.index('<footer class="site-footer">'):]
            assert f'href="{url}"' in footer
    assert 'href="/saavutettavuus/"' in Client().get(reverse("login")).content.decode()


def test_the_administrator_edits_the_contacts_and_the_gaps(admin):
    statement = AccessibilityStatement.objects.get()
    gap = statement.gaps.first()
    KnownGap.objects.create(
        statement=statement, reason="burden", criteria="1.2.2 Captions",
        text_fi="Videot ilman tekstitystä.", text_sv="Videor utan text.", text_en="Videos without captions.",
    )
    statement.feedback_email = "saavutettavuus@example.fi"
    statement.authority_phone = "0295 000 000"
    statement.save()
    gap.delete()

    body = Client().get("/accessibility/").content.decode()
    assert "Disproportionate burden" in body and "Videos without captions." in body
    # Under the reasons in the model statement's order, whatever their names' order.
    assert body.index("Does not yet meet the requirements") < body.index("Disproportionate burden")
    assert gap.text_en not in body
    assert 'href="mailto:saavutettavuus@example.fi"' in body and "0295 000 000" in body
    assert admin.get(reverse("admin:accessibility_accessibilitystatement_change", args=[1])).status_code == 200
    assert admin.get(reverse("admin:accessibility_accessibilitystatement_changelist"))["Location"] == (
        reverse("admin:accessibility_accessibilitystatement_change", args=[1])
    )
    # One statement: it is edited, never added or deleted.
    assert admin.get(reverse("admin:accessibility_accessibilitystatement_add")).status_code == 403
    assert admin.get(reverse("admin:accessibility_accessibilitystatement_delete", args=[1])).status_code == 403


def test_only_one_statement_can_exist():
    with pytest.raises(IntegrityError):
        AccessibilityStatement.objects.create(
            pk=2, provider="x", method_fi="x", method_sv="x", method_en="x",
            authority_fi="x", authority_sv="x", authority_en="x", authority_url="https://x.fi/",
        )


def test_feedback_is_kept_and_mailed_to_the_address(django_capture_on_commit_callbacks):
    AccessibilityStatement.objects.update(feedback_email="saavutettavuus@example.fi")
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/saavutettavuus/",
            {"message": "Taulun kortteja ei voi siirtää näppäimistöllä.", "page": "/board/", "email": "matti@example.fi"},
        )
    assert response.status_code == 302 and response["Location"] == "/saavutettavuus/"
    feedback = AccessibilityFeedback.objects.get()
    assert (feedback.page, feedback.email, feedback.language) == ("/board/", "matti@example.fi", "fi")
    (message,) = mail.outbox
    assert message.to == ["saavutettavuus@example.fi"] and message.reply_to == ["matti@example.fi"]
    assert "näppäimistöllä" in message.body and "/board/" in message.body
    assert "Kiitos. Palautteesi vastaanotettiin." in client.get(response["Location"]).content.decode()


def test_feedback_without_an_address_is_kept_for_the_administrator(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        Client().post("/accessibility/", {"message": "The charts' colours are hard to tell apart."})
    assert AccessibilityFeedback.objects.get().language == "en"
    assert mail.outbox == []


def test_a_mistake_in_the_feedback_is_named_and_nothing_is_kept():
    response = Client().post("/accessibility/", {"message": "", "email": "not-an-address"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Your feedback was not sent." in body
    # The summary links each mistake to its field; the field points back at its message.
    assert '<a href="#id_message" data-field="id_message">Feedback: This field is required.</a>' in body
    assert 'href="#id_email"' in body
    assert 'aria-invalid="true" aria-describedby="id_message_error"' in body
    assert not AccessibilityFeedback.objects.exists()


def test_feedback_past_the_hours_limit_is_refused_and_the_text_stays_on_the_form():
    client = Client()
    for number in range(10):
        assert client.post("/accessibility/", {"message": f"Note {number}"}).status_code == 302
    response = client.post("/accessibility/", {"message": "One more about the board"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Too much feedback has come from your address this hour." in body
    assert "One more about the board" in body
    assert AccessibilityFeedback.objects.count() == 10


def test_a_failed_mail_loses_no_feedback(django_capture_on_commit_callbacks, settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.accessibility.test_statement.FailingBackend"}}
    AccessibilityStatement.objects.update(feedback_email="saavutettavuus@example.fi")
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post("/accessibility/", {"message": "The wheel has no text."})
    # The mail fails in the worker, where its task records why; the page and the feedback stand.
    assert response.status_code == 302
    assert AccessibilityFeedback.objects.get().message == "The wheel has no text."


class FailingBackend:
    def __init__(self, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("The mail server did not answer.")


def test_a_gap_needs_a_known_reason():
    with pytest.raises(IntegrityError):
        KnownGap.objects.create(
            statement=AccessibilityStatement.objects.get(), reason="because",
            text_fi="x", text_sv="x", text_en="x",
        )


def test_the_page_that_led_to_the_statement_is_filled_in():
    client = Client()
    body = client.get("/accessibility/", HTTP_REFERER="http://testserver/board/?q=x").content.decode()
    assert 'name="page" value="/board/"' in body
    # Another site's page, or the statement's other language, is not a page of the problem.
    for referer in ("https://example.com/board/", "http://testserver/saavutettavuus/"):
        body = client.get("/accessibility/", HTTP_REFERER=referer).content.decode()
        assert 'name="page" value=' not in body
