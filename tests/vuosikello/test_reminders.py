"""send_reminders: the right people get the right mails, once; turning reminders off works."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from funding.models import FundingApplication
from tests.factories import (
    FundingApplicationFactory,
    FundingCallFactory,
    IdeaFactory,
    UserFactory,
    instrument,
)
from vuosikello.models import ReminderSettings, SentReminder
from vuosikello.services import reminder_settings_save

pytestmark = pytest.mark.django_db


def run() -> str:
    out = StringIO()
    call_command("send_reminders", stdout=out)
    return out.getvalue()


def last_quarter_end(today: date) -> date:
    """The last day of the latest quarter that ended before ``today``."""
    first_of_quarter = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    return first_of_quarter - timedelta(days=1)


@pytest.fixture
def no_report_due(settings):
    """The latest report fell due ten days ago: nothing about it in the next 14 days."""
    today = timezone.localdate()
    settings.REPORT_DUE_DAYS = (today - last_quarter_end(today)).days - 10
    settings.REMINDER_DAYS = 14


@pytest.fixture
def report_due_in_three_days(settings):
    today = timezone.localdate()
    settings.REPORT_DUE_DAYS = (today - last_quarter_end(today)).days + 3
    settings.REMINDER_DAYS = 14
    return last_quarter_end(today)


def draft(idea, call=None, code="akke"):
    return FundingApplicationFactory(
        idea=idea, call=call, instrument=instrument(code),
        status=FundingApplication.Status.DRAFT, submitted_on=None,
    )


@pytest.fixture
def portfolio(no_report_due):
    now = timezone.now()
    soon = FundingCallFactory(title="AKKE soon", deadline=now + timedelta(days=5))
    eakr_soon = FundingCallFactory(
        title="EAKR soon", instrument=instrument("eakr"), deadline=now + timedelta(days=10)
    )
    FundingCallFactory(title="AKKE later", deadline=now + timedelta(days=20))
    FundingCallFactory(title="AKKE past", deadline=now - timedelta(days=1))

    applying = IdeaFactory(title="Robot cell", in_application=True)
    draft(applying, call=soon)
    draft(applying, code="eakr")  # no call named: the instrument's calls closing soon
    stale = IdeaFactory(title="Old idea", owner=applying.owner, at=now - timedelta(days=90))

    forming = IdeaFactory(title="Still forming", in_consortium=True)
    draft(forming, call=soon)  # not in the application stage: no reminder
    submitted = IdeaFactory(title="Sent already", in_application=True)
    FundingApplicationFactory(idea=submitted, call=soon)  # submitted: nothing to remind of
    return {
        "owner": applying.owner, "applying": applying, "stale": stale, "soon": soon,
        "eakr_soon": eakr_soon, "others": [forming.owner, submitted.owner],
    }


def test_mails_are_in_finnish_by_default(portfolio):
    run()
    assert mail.outbox[0].subject == "SIXNET – vuosikello: 3 muistutusta"


def test_owner_gets_one_mail_with_deadlines_and_stale_ideas(portfolio, settings):
    settings.LANGUAGE_CODE = "en"  # mails go out in the site's language, Finnish by default
    output = run()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [portfolio["owner"].email]
    assert "3 reminders" in message.subject
    assert "“AKKE soon” closes for your idea “Robot cell”" in message.body
    assert "“EAKR soon” closes for your idea “Robot cell”" in message.body
    assert "“Old idea” has been in the stage “Idea”" in message.body
    assert "AKKE later" not in message.body and "AKKE past" not in message.body
    assert f"/ideas/{portfolio['applying'].pk}/" in message.body
    assert "Sent 1 mails with 3 reminders." in output
    assert set(SentReminder.objects.values_list("user", "kind", "key")) == {
        (portfolio["owner"].pk, "call_deadline", f"call-{portfolio['soon'].pk}-idea-{portfolio['applying'].pk}"),
        (portfolio["owner"].pk, "call_deadline", f"call-{portfolio['eakr_soon'].pk}-idea-{portfolio['applying'].pk}"),
        (portfolio["owner"].pk, "stale_idea", f"idea-{portfolio['stale'].pk}-v1"),
    }


def test_a_second_run_sends_nothing(portfolio):
    run()
    mail.outbox.clear()
    assert "Sent 0 mails" in run()
    assert mail.outbox == []
    assert SentReminder.objects.count() == 3


def test_only_what_is_new_is_sent_later(portfolio):
    run()
    mail.outbox.clear()
    IdeaFactory(title="Another old one", owner=portfolio["owner"],
                        at=timezone.now() - timedelta(days=61))
    run()
    [message] = mail.outbox
    assert "Another old one" in message.subject
    assert "Robot cell" not in message.body


def test_turning_reminders_off_stops_them(portfolio):
    reminder_settings_save(user=portfolio["owner"], reminders_on=False, by=portfolio["owner"])
    run()
    assert mail.outbox == []
    assert SentReminder.objects.count() == 0

    reminder_settings_save(user=portfolio["owner"], reminders_on=True, by=portfolio["owner"])
    run()
    assert [m.to for m in mail.outbox] == [[portfolio["owner"].email]]


def test_reminders_are_turned_off_on_the_feed_page(manager, manager_user, no_report_due):
    IdeaFactory(owner=manager_user, at=timezone.now() - timedelta(days=90))
    response = manager.post(reverse("calendar-feeds"), {})  # an unticked box sends nothing
    assert response.status_code == 302
    assert ReminderSettings.objects.get(user=manager_user).reminders_on is False
    run()
    assert mail.outbox == []

    manager.post(reverse("calendar-feeds"), {"reminders_on": "on"})
    assert ReminderSettings.objects.get(user=manager_user).reminders_on is True
    run()
    assert len(mail.outbox) == 1


def test_report_due_goes_to_project_managers_once(report_due_in_three_days):
    quarter_end = report_due_in_three_days
    managers = [UserFactory(manager=True), UserFactory(admin=True)]
    UserFactory(funder=True)
    UserFactory(manager=True, email="")  # no address to send to
    UserFactory(manager=True, is_active=False)

    run()

    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in managers)
    quarter = (quarter_end.month - 1) // 3 + 1
    assert f"Q{quarter}/{quarter_end.year}" in mail.outbox[0].subject
    mail.outbox.clear()
    run()
    assert mail.outbox == []


def test_a_failed_send_records_nothing_and_is_tried_again(portfolio, monkeypatch):
    def fail(self, *args, **kwargs):
        raise ConnectionError("SMTP server down")

    monkeypatch.setattr(EmailMessage, "send", fail)
    with pytest.raises(ConnectionError):
        run()
    assert SentReminder.objects.count() == 0
    monkeypatch.undo()
    run()
    assert len(mail.outbox) == 1
