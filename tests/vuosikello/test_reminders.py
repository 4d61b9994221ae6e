"""send_reminders: the right people get the right mails, once; turning reminders off works."""

import threading
from contextlib import contextmanager
from datetime import date, timedelta
from io import StringIO
from smtplib import SMTPException

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.mail.backends import locmem
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from funding.models import FundingApplication
from portfolio.models import Idea
from portfolio.services import idea_move, idea_update
from portfolio.stages import Stage
from tests.conftest import _client_for as client_for
from tests.factories import (
    FundingApplicationFactory,
    FundingCallFactory,
    IdeaFactory,
    ImplementationFactory,
    UserFactory,
    advance,
    instrument,
)
from tests.portfolio.test_admin import admin_url, form_data
from vuosikello.models import CalendarEntry, ReminderSettings, SentReminder
from vuosikello.selectors import due_reminders
from vuosikello.services import entry_save, reminder_settings_save, reminders_send

pytestmark = pytest.mark.django_db


def stay(idea: Idea) -> int:
    """The stage transition that began the idea's current stay in its stage."""
    return idea.transitions.filter(to_stage=idea.stage).latest("at", "pk").pk


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


def test_mails_come_in_the_language_each_user_chose_on_the_site(portfolio, report_due_in_three_days):
    owner = portfolio["owner"]
    swedish_manager = UserFactory(username="sven", manager=True)
    english_manager = UserFactory(username="reino", manager=True)
    for user, language in ((owner, "sv"), (swedish_manager, "sv"), (english_manager, "en")):
        client_for(user).post(reverse("set_language"), {"language": language, "next": "/"})
    assert ReminderSettings.objects.get(user=owner).language == "sv"
    run()
    by_user = {message.to[0]: message for message in mail.outbox}
    swedish = by_user[owner.email]
    assert swedish.subject.startswith("SIXNET – kalender:")
    assert "”AKKE soon”" in swedish.body and "din idé ”Robot cell”" in swedish.body
    assert "”Old idea”" in swedish.body and "i skedet ”Idé”" in swedish.body
    # The report reminder, the same for every project manager, in each one's language.
    quarter = (report_due_in_three_days.month - 1) // 3 + 1
    assert f"Kvartalsrapporten Q{quarter}/" in by_user[swedish_manager.email].body
    assert f"The quarterly report Q{quarter}/" in by_user[english_manager.email].body


def test_the_reminder_setting_keeps_the_language_it_was_saved_in(manager, manager_user, no_report_due):
    manager.cookies["django_language"] = "en"
    manager.post(reverse("calendar-feeds"), {"reminders_on": "on"})
    assert ReminderSettings.objects.get(user=manager_user).language == "en"


def test_owner_gets_one_mail_with_deadlines_and_stale_ideas(portfolio, settings):
    settings.LANGUAGE_CODE = "en"  # mails go out in the site's language, Finnish by default
    output = run()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [portfolio["owner"].email]
    assert "3 reminders" in message.subject
    assert "“AKKE soon” closes for your idea “Robot cell”" in message.body
    assert "“EAKR soon” closes for your idea “Robot cell”" in message.body
    assert "“Old idea” has had no move or edit in the stage “Idea”" in message.body
    assert "AKKE later" not in message.body and "AKKE past" not in message.body
    assert f"/ideas/{portfolio['applying'].pk}/" in message.body
    assert "Sent 1 mails with 3 reminders." in output
    assert set(SentReminder.objects.values_list("user", "kind", "key")) == {
        (portfolio["owner"].pk, "call_deadline", f"call-{portfolio['soon'].pk}-idea-{portfolio['applying'].pk}"),
        (portfolio["owner"].pk, "call_deadline", f"call-{portfolio['eakr_soon'].pk}-idea-{portfolio['applying'].pk}"),
        (portfolio["owner"].pk, "stale_idea", f"idea-{portfolio['stale'].pk}-stay-{stay(portfolio['stale'])}"),
    }


def test_a_second_run_sends_nothing(portfolio):
    run()
    mail.outbox.clear()
    assert "Sent 0 mails" in run()
    assert mail.outbox == []
    assert SentReminder.objects.count() == 3
    assert not SentReminder.objects.filter(sent_at__isnull=True).exists()


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
    # The task fails; the command says so, so the scheduler sees a failure.
    with pytest.raises(CommandError, match="Sending the reminders failed"):
        run()
    assert SentReminder.objects.count() == 0
    monkeypatch.undo()
    run()
    assert len(mail.outbox) == 1


def test_reminders_are_not_sent_inside_a_transaction(portfolio):
    # Inside one, the record of a mail would not be committed before the mail went out.
    [(user, due)] = due_reminders(now=timezone.now())
    with pytest.raises(RuntimeError), transaction.atomic():
        reminders_send(user=user, reminders=due)
    assert mail.outbox == []


def test_a_claim_left_unsent_is_retried_only_once_its_run_must_have_ended(portfolio):
    """A run that stopped between claiming a reminder and recording it sent (the process
    killed mid-send) leaves a claim: a run soon after leaves it to the one that may still be
    sending; a later run sends it."""
    owner, stale = portfolio["owner"], portfolio["stale"]
    key = f"idea-{stale.pk}-stay-{stay(stale)}"
    claim = SentReminder.objects.create(
        user=owner, kind=SentReminder.Kind.STALE_IDEA, key=key,
        created_at=timezone.now() - timedelta(hours=1),
    )
    run()
    [message] = mail.outbox
    assert "Old idea" not in message.body
    mail.outbox.clear()

    SentReminder.objects.filter(pk=claim.pk).update(
        created_at=timezone.now() - SentReminder.CLAIM_EXPIRES - timedelta(minutes=1)
    )
    run()
    [message] = mail.outbox
    assert "Old idea" in message.subject
    assert SentReminder.objects.get(kind=SentReminder.Kind.STALE_IDEA).sent_at is not None
    mail.outbox.clear()
    run()
    assert mail.outbox == []


# --- once per stay in a stage ------------------------------------------------------------


@pytest.fixture
def stale_idea(no_report_due):
    return IdeaFactory(title="Old idea", at=timezone.now() - timedelta(days=90))


def edit_on_the_admin_page(request, idea: Idea) -> None:
    admin = request.getfixturevalue("admin")
    url = admin_url(Idea, "change", idea.pk)
    data = form_data(admin.get(url))
    data["title"] = "Old idea, typo fixed"
    response = admin.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors


def edit_with_the_service(request, idea: Idea) -> None:
    idea.title = "Old idea, typo fixed"
    idea_update(idea=idea, by=idea.owner)


@pytest.mark.parametrize("edit", [edit_on_the_admin_page, edit_with_the_service])
def test_editing_a_stale_idea_does_not_remind_of_it_again(request, stale_idea, edit):
    run()
    assert len(mail.outbox) == 1
    mail.outbox.clear()

    edit(request, stale_idea)

    assert Idea.objects.get(pk=stale_idea.pk).title == "Old idea, typo fixed"
    run()
    assert mail.outbox == []


def test_a_new_stay_in_a_stage_is_reminded_of_once(stale_idea, settings):
    settings.LANGUAGE_CODE = "en"
    run()
    mail.outbox.clear()

    idea_move(idea=stale_idea, to_stage=Stage.CONSORTIUM, by=stale_idea.owner,
              at=timezone.now() - timedelta(days=61))
    run()
    [message] = mail.outbox
    assert (
        f"“Old idea” has had no move or edit in the stage “{Stage.CONSORTIUM.label}”"
        in message.subject
    )
    mail.outbox.clear()
    run()
    assert mail.outbox == []


# --- the mail goes out after the record of it is committed -------------------------------


class BlockingBackend(locmem.EmailBackend):
    """Sends as the test backend does, once the test lets it: a mail server that is slow."""

    sending = threading.Event()
    release = threading.Event()

    def send_messages(self, messages):
        type(self).sending.set()
        type(self).release.wait(timeout=60)
        return super().send_messages(messages)


class FailingBackend(locmem.EmailBackend):
    def send_messages(self, messages):
        raise SMTPException("mail server down")


def use_mailer(settings, backend: type) -> None:
    settings.MAILERS = {"default": {"BACKEND": f"{backend.__module__}.{backend.__qualname__}"}}


@pytest.fixture
def slow_mail_server(settings):
    BlockingBackend.sending.clear()
    BlockingBackend.release.clear()
    use_mailer(settings, BlockingBackend)
    yield BlockingBackend
    BlockingBackend.release.set()


@contextmanager
def no_waiting_for_locks():
    """Writes in the block fail at once, instead of waiting, if another connection holds a
    lock they need."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA busy_timeout")
            (before,) = cursor.fetchone()
            cursor.execute("PRAGMA busy_timeout = 0")
        else:
            cursor.execute("SET lock_timeout = '1s'")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute(f"PRAGMA busy_timeout = {int(before)}")
            else:
                cursor.execute("RESET lock_timeout")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_slow_mail_server_does_not_keep_others_from_writing(stale_idea, slow_mail_server):
    outcome: dict = {}

    def send() -> None:
        try:
            outcome["output"] = run()
        except Exception as exc:  # noqa: BLE001 - the test reports it
            outcome["error"] = exc
        finally:
            slow_mail_server.sending.set()
            connection.close()

    thread = threading.Thread(target=send)
    thread.start()
    try:
        assert slow_mail_server.sending.wait(timeout=60)
        assert "error" not in outcome, outcome
        # While the mail is on its way, pages can write...
        with no_waiting_for_locks():
            entry_save(
                entry=CalendarEntry(title="Written meanwhile", category="other",
                                    starts_on=timezone.localdate()),
                by=stale_idea.owner,
            )
            # ...and the reminder is already taken: a run at the same time leaves it alone.
            assert "Sent 0 mails" in run()
    finally:
        slow_mail_server.release.set()
        thread.join(timeout=60)
    assert not thread.is_alive()
    assert "Sent 1 mails with 1 reminders." in outcome.get("output", ""), outcome
    assert len(mail.outbox) == 1
    assert CalendarEntry.objects.filter(title="Written meanwhile").exists()
    assert SentReminder.objects.get().sent_at is not None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_failed_send_is_retried_on_the_next_run_and_a_success_never(stale_idea, settings):
    use_mailer(settings, FailingBackend)
    with pytest.raises(CommandError):
        run()
    assert mail.outbox == []
    assert not SentReminder.objects.exists()

    use_mailer(settings, locmem.EmailBackend)
    assert "Sent 1 mails with 1 reminders." in run()
    assert len(mail.outbox) == 1
    assert "Sent 0 mails" in run()
    assert len(mail.outbox) == 1


def test_an_implementation_is_reminded_of_only_past_its_planned_end(no_report_due, settings):
    """Two ideas in implementation for 400 days: one ends next month (no reminder: the
    60 days do not apply to implementation), one ended yesterday (reminded)."""
    settings.LANGUAGE_CODE = "en"
    owner = UserFactory(manager=True)
    since = timezone.now() - timedelta(days=400)
    for title, end in (("Running", 30), ("Late", -1)):
        idea = advance(IdeaFactory(title=title, owner=owner, at=since), Stage.IMPLEMENTATION,
                       at=since)
        ImplementationFactory(idea=idea, end=timezone.localdate() + timedelta(days=end))

    run()

    [message] = mail.outbox
    assert "Your idea “Late” is stalled: implementation past its planned end" in message.body
    assert "Running" not in message.body


def run_worker() -> None:
    """The worker process's loop, once over what is queued (``db_worker --batch``)."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_command_queues_the_reminders_and_the_worker_sends_them(stale_idea, database_tasks):
    assert "Queued the reminders for the task worker" in run()
    assert mail.outbox == []  # the scheduler's command returns at once
    task = DBTaskResult.objects.get()
    assert task.task_path == "vuosikello.tasks.send_reminders" and task.status == "READY"
    run_worker()
    assert len(mail.outbox) == 1
    done = DBTaskResult.objects.get()
    assert done.status == "SUCCESSFUL"
    assert done.task_result.return_value == {"mails": 1, "reminders": 1}
    # Queued again (a second cron run): each reminder is still sent once.
    run()
    run_worker()
    assert len(mail.outbox) == 1


def test_now_sends_in_the_command_itself(stale_idea, database_tasks):
    out = StringIO()
    call_command("send_reminders", "--now", stdout=out)
    assert "Sent 1 mails with 1 reminders." in out.getvalue()
    assert len(mail.outbox) == 1
    assert not DBTaskResult.objects.exists()
