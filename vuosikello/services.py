"""Every write with rules on the annual calendar: entries, feed tokens, reminder settings
and the reminders sent."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from vuosikello.models import CalendarEntry, FeedToken, ReminderSettings, SentReminder
from vuosikello.selectors import Reminder


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
    """The user's feed token, made on first use."""
    try:
        return user.calendar_feed_token
    except FeedToken.DoesNotExist:
        return feed_token_reset(user=user, by=user)


@transaction.atomic
def feed_token_reset(*, user: AbstractBaseUser, by: AbstractBaseUser) -> FeedToken:
    """Give ``user`` a new feed token; the addresses with the old one stop working."""
    token = FeedToken.objects.select_for_update().filter(user=user).first() or FeedToken(user=user)
    token.renew()
    token.full_clean()
    token.save()
    user.calendar_feed_token = token
    return token


@transaction.atomic
def reminder_settings_save(
    *, user: AbstractBaseUser, reminders_on: bool, by: AbstractBaseUser
) -> ReminderSettings:
    settings_row, _created = ReminderSettings.objects.select_for_update().get_or_create(user=user)
    settings_row.reminders_on = reminders_on
    settings_row.full_clean()
    settings_row.save()
    return settings_row


@transaction.atomic
def reminders_send(*, user: AbstractBaseUser, reminders: list[Reminder]) -> list[Reminder]:
    """Mail ``user`` the reminders not mailed before, in one message; return those mailed.

    Each is recorded in the same transaction as the mail is sent: a failed send leaves no
    record (the next run tries again), and a reminder already recorded — by an earlier run
    or one running at the same time — is left out.
    """
    new = []
    for reminder in reminders:
        try:
            with transaction.atomic():
                SentReminder.objects.create(user=user, kind=reminder.kind, key=reminder.key)
        except IntegrityError:
            continue
        new.append(reminder)
    if not new:
        return []
    if len(new) == 1:
        subject = _("%(network)s calendar: %(reminder)s") % {
            "network": settings.NETWORK_NAME,
            "reminder": new[0].subject,
        }
    else:
        subject = _("%(network)s calendar: %(count)s reminders") % {
            "network": settings.NETWORK_NAME,
            "count": len(new),
        }
    body = render_to_string(
        "vuosikello/reminder_email.txt",
        {"user": user, "reminders": new, "site_url": settings.SITE_URL},
    )
    EmailMessage(subject=subject, body=body, to=[user.email]).send()
    return new
