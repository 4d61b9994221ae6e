"""``manage.py send_reminders``: the daily reminder mails (run it once a day from a scheduler).

Each user gets at most one mail per run, listing what is new: call deadlines in the next
REMINDER_DAYS days for their ideas in the application stage, their stale ideas, and — for
project managers — the quarterly report coming due. A reminder once sent is never sent again.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone, translation

from vuosikello import services
from vuosikello.selectors import due_reminders


class Command(BaseCommand):
    help = (
        "Mail reminders of call deadlines, stale ideas and the quarterly report coming due. "
        "Run daily; each reminder is sent once."
    )

    def handle(self, *args, verbosity: int, **options) -> None:
        mails = reminders = 0
        for user, due in due_reminders(now=timezone.now()):
            # Each mail in its reader's language; the reminders' texts are written then.
            with translation.override(services.mail_language(user)):
                sent = services.reminders_send(user=user, reminders=due)
            if sent:
                mails += 1
                reminders += len(sent)
        if verbosity >= 1:
            self.stdout.write(f"Sent {mails} mails with {reminders} reminders.")
