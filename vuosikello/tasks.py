"""The annual calendar's background tasks (``django.tasks``), run by the task worker."""

from __future__ import annotations

from django.tasks import task
from django.utils import timezone

from vuosikello import services


@task
def send_reminders() -> dict[str, int]:
    """Mail every user the reminders due now, each reminder once (``services.reminders_due_send``)."""
    mails, reminders = services.reminders_due_send(now=timezone.now())
    return {"mails": mails, "reminders": reminders}
