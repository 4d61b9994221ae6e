"""The statement's background task (``django.tasks``), run by the task worker: a feedback's
mail goes out there, so a slow or failing mail server neither holds up nor loses the page."""

from __future__ import annotations

from django.tasks import task

from accessibility import services


@task
def mail_feedback(feedback_id: int) -> None:
    services.feedback_mail(feedback_id=feedback_id)
