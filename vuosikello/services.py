"""Every write with rules on the annual calendar: entries, feed tokens, reminder settings
and the reminders sent."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from vuosikello.models import CalendarEntry, FeedToken, ReminderSettings, SentReminder
from vuosikello.selectors import Reminder, due_reminders


@transaction.atomic
def entry_save(*, entry: CalendarEntry, by: AbstractBaseUser) -> CalendarEntry:
    """Create or change a calendar entry after checking every rule on it."""
    if entry.pk is None:
        entry.created_by = by
    entry.title = entry.title.strip()
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def entry_delete(*, entry: CalendarEntry, by: AbstractBaseUser) -> None:
    entry.delete()


def feed_token_for(user: AbstractBaseUser) -> FeedToken:
    """The user's feed token, made on first use. Only a token made by this call carries its
    ``secret``: a stored one has only its key and digest."""
    try:
        return user.calendar_feed_token
    except FeedToken.DoesNotExist:
        return feed_token_reset(user=user, by=user)


@transaction.atomic
def feed_token_reset(*, user: AbstractBaseUser, by: AbstractBaseUser) -> FeedToken:
    """Give ``user`` a new feed token; the addresses with the old one stop working. The
    returned token's ``secret`` is the only copy of the new secret: show it once."""
    token = FeedToken.objects.select_for_update().filter(user=user).first() or FeedToken(user=user)
    token.renew()
    token.full_clean()
    token.save()
    user.calendar_feed_token = token
    return token


@transaction.atomic
def reminder_settings_save(
    *, user: AbstractBaseUser, reminders_on: bool, by: AbstractBaseUser, language: str = ""
) -> ReminderSettings:
    settings_row, _created = ReminderSettings.objects.select_for_update().get_or_create(user=user)
    settings_row.reminders_on = reminders_on
    if language:
        settings_row.language = language
    settings_row.full_clean()
    settings_row.save()
    return settings_row


@transaction.atomic
def mail_language_save(*, user: AbstractBaseUser, language: str) -> None:
    """Remember the language ``user`` chose on the site, for the mails sent to them."""
    if language not in dict(settings.LANGUAGES):
        return
    settings_row, _created = ReminderSettings.objects.select_for_update().get_or_create(user=user)
    if settings_row.language != language:
        settings_row.language = language
        settings_row.save(update_fields=["language", "updated_at"])


def mail_language(user: AbstractBaseUser) -> str:
    """The language of ``user``'s mails: the one last chosen on the site, else the default."""
    row = ReminderSettings.objects.filter(user=user).only("language").first()
    return (row.language if row else "") or settings.LANGUAGE_CODE


def reminders_due_send(*, now: datetime) -> tuple[int, int]:
    """Mail each user the reminders due at ``now`` that were not mailed before, one mail per
    user in the user's own language; return (mails sent, reminders in them). A reminder is
    claimed before its mail goes out, so two runs at once never mail it twice. Never call
    it inside a transaction."""
    mails = reminders = 0
    for user, due in due_reminders(now=now):
        # Each mail in its reader's language; the reminders' texts are written then.
        with translation.override(mail_language(user)):
            sent = reminders_send(user=user, reminders=due)
        if sent:
            mails += 1
            reminders += len(sent)
    return mails, reminders


def reminders_send(*, user: AbstractBaseUser, reminders: list[Reminder]) -> list[Reminder]:
    """Mail ``user`` the reminders not mailed before, in one message; return those mailed.

    No transaction is open while the mail goes out, or a slow mail server would hold the
    database's write lock and other writes would fail. The reminders are first claimed —
    recorded unsent and committed — then mailed, then recorded sent. A reminder claimed by
    an earlier run or one running at the same time is left out; a failed send gives its
    claims up, so the next run tries again. Never call it inside a transaction.
    """
    claims = _reminders_claim(user=user, reminders=reminders)
    if not claims:
        return []
    new = list(claims)
    try:
        _reminders_mail(user=user, reminders=new)
    except BaseException:
        # Whatever stopped the mail, it is not recorded sent: the next run tries again.
        _reminders_release(claims=list(claims.values()))
        raise
    _reminders_mark_sent(claims=list(claims.values()))
    return new


@transaction.atomic(durable=True)
def _reminders_claim(
    *, user: AbstractBaseUser, reminders: list[Reminder]
) -> dict[Reminder, SentReminder]:
    # A claim whose run ended without recording the mail sent is given up, and made again.
    SentReminder.objects.filter(user=user).abandoned(now=timezone.now()).delete()
    claims = {}
    for reminder in reminders:
        try:
            with transaction.atomic():
                claims[reminder] = SentReminder.objects.create(
                    user=user, kind=reminder.kind, key=reminder.key
                )
        except IntegrityError:
            continue
    return claims


@transaction.atomic(durable=True)
def _reminders_release(*, claims: list[SentReminder]) -> None:
    SentReminder.objects.filter(pk__in=[c.pk for c in claims], sent_at__isnull=True).delete()


@transaction.atomic(durable=True)
def _reminders_mark_sent(*, claims: list[SentReminder]) -> None:
    now = timezone.now()
    SentReminder.objects.filter(pk__in=[c.pk for c in claims]).update(sent_at=now, updated_at=now)


def _reminders_mail(*, user: AbstractBaseUser, reminders: list[Reminder]) -> None:
    if len(reminders) == 1:
        subject = _("%(network)s calendar: %(reminder)s") % {
            "network": settings.NETWORK_NAME,
            "reminder": reminders[0].subject,
        }
    else:
        subject = _("%(network)s calendar: %(count)s reminders") % {
            "network": settings.NETWORK_NAME,
            "count": len(reminders),
        }
    body = render_to_string(
        "vuosikello/reminder_email.txt",
        {"user": user, "reminders": reminders, "site_url": settings.SITE_URL},
    )
    EmailMessage(subject=subject, body=body, to=[user.email]).send()
