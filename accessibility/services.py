from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils.translation import gettext as _

from accessibility.models import AccessibilityFeedback
from accessibility.selectors import current_statement
from core.limits import count_this_hour

# Feedback a client address may send in an hour: enough for an office behind one address,
# too few to fill the feedback address's inbox.
FEEDBACK_PER_HOUR = 10


def feedback_send(
    *, message: str, page: str, email: str, language: str, sender: str | None
) -> AccessibilityFeedback:
    """Keep the feedback, then have the worker mail it to the statement's feedback address.
    Past the hour's limit for ``sender`` (the client's address) nothing is kept and the
    ValidationError says so."""
    if count_this_hour(f"accessibility-feedback:{sender or '-'}") > FEEDBACK_PER_HOUR:
        raise ValidationError(
            _("Too much feedback has come from your address this hour. Try again later.")
        )
    feedback = AccessibilityFeedback(message=message, page=page, email=email, language=language)
    feedback.full_clean()
    feedback.save()
    statement = current_statement()
    if statement and statement.feedback_email:
        from accessibility.tasks import mail_feedback

        transaction.on_commit(lambda: mail_feedback.enqueue(feedback.pk))
    return feedback


def feedback_mail(*, feedback_id: int) -> None:
    """Mail one feedback to the statement's feedback address as it is now. A failure raises,
    so the worker records it; the feedback itself stays in the administration."""
    feedback = AccessibilityFeedback.objects.get(pk=feedback_id)
    statement = current_statement()
    if not (statement and statement.feedback_email):
        return
    body = "\n\n".join(
        part
        for part in (
            feedback.message,
            _("Page: %(page)s") % {"page": feedback.page} if feedback.page else "",
            _("Reply to: %(email)s") % {"email": feedback.email} if feedback.email else "",
        )
        if part
    )
    EmailMessage(
        subject=_("Accessibility feedback"),
        body=body,
        to=[statement.feedback_email],
        reply_to=[feedback.email] if feedback.email else None,
    ).send()
