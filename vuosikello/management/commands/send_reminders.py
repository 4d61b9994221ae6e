"""``manage.py send_reminders``: the daily reminder mails (run it once a day from a scheduler).

Each user gets at most one mail per run, listing what is new: call deadlines in the next
REMINDER_DAYS days for their ideas in the application stage, their stale ideas, and — for
project managers — the quarterly report coming due. A reminder once sent is never sent again.

By default the mails are handed to the task worker (``vuosikello.tasks.send_reminders``), so
the scheduler's command returns at once; ``--now`` sends them in this process instead, for a
deployment that runs no worker.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.tasks import TaskResultStatus
from django.utils import timezone

from vuosikello import services
from vuosikello.tasks import send_reminders


class Command(BaseCommand):
    help = (
        "Mail reminders of call deadlines, stale ideas and the quarterly report coming due. "
        "Run daily; each reminder is sent once. Queues the work for the task worker unless "
        "--now is given."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--now",
            action="store_true",
            help="Send the mails in this process instead of queuing them for the worker.",
        )

    def handle(self, *args, verbosity: int, now: bool, **options) -> None:
        if now:
            self._sent(*services.reminders_due_send(now=timezone.now()), verbosity)
            return
        result = send_reminders.enqueue()
        if result.status == TaskResultStatus.SUCCESSFUL:
            # A backend that runs tasks at once (the tests' ImmediateBackend) has finished.
            self._sent(result.return_value["mails"], result.return_value["reminders"], verbosity)
        elif result.status == TaskResultStatus.FAILED:
            # The backend ran it at once and it failed: the scheduler must see a failure.
            raise CommandError(f"Sending the reminders failed (task {result.id}).")
        elif verbosity >= 1:
            self.stdout.write(f"Queued the reminders for the task worker (task {result.id}).")

    def _sent(self, mails: int, reminders: int, verbosity: int) -> None:
        if verbosity >= 1:
            self.stdout.write(f"Sent {mails} mails with {reminders} reminders.")
