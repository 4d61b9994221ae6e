from __future__ import annotations

import logging

from django.core.mail import EmailMessage
from django.db import transaction
from django.utils.translation import gettext as _

from accessibility.models import AccessibilityFeedback
from accessibility.selectors import current_statement

logger = logging.getLogger(__name__)


def feedback_send(*, message: str, page: str, email: str, language: str) -> AccessibilityFeedback:
    """Keep the feedback, then mail it to the statement's feedback address after the commit.
    A mail that cannot be sent loses nothing: the feedback stays in the administration."""
    feedback = AccessibilityFeedback(message=message, page=page, email=email, language=language)
    feedback.full_clean()
    feedback.save()
    statement = current_statement()
    if statement and statement.feedback_email:
        transaction.on_commit(lambda: _mail(feedback, statement.feedback_email))
    return feedback


def _mail(feedback: AccessibilityFeedback, to: str) -> None:
    body = "\n\n".join(
        part
        for part in (
            feedback.message,
            _("Page: %(page)s") % {"page": feedback.page} if feedback.page else "",
            _("Reply to: %(email)s") % {"email": feedback.email} if feedback.email else "",
        )
        if part
    )
    try:
        EmailMessage(
            subject=_("Accessibility feedback"),
            body=body,
            to=[to],
            reply_to=[feedback.email] if feedback.email else None,
        ).send()
    except OSError:
        logger.exception("Accessibility feedback %s was kept but not mailed", feedback.pk)
