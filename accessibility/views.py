"""The accessibility statement, in Finnish, Swedish and English at addresses of their own,
open to everyone (signed in or not), with its feedback form."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accessibility import services
from accessibility.forms import FeedbackForm
from accessibility.selectors import current_statement, gap_groups
from core.forms import save_through_service
from core.security_log import client_address

# Each language's address and the link's text in that language.
VERSIONS = {
    "fi": ("statement-fi", "Suomeksi"),
    "sv": ("statement-sv", "På svenska"),
    "en": ("statement-en", "In English"),
}


@require_http_methods(["GET", "HEAD", "POST"])
def statement(request: HttpRequest, language: str) -> HttpResponse:
    with translation.override(language):
        form = FeedbackForm(
            request.POST if request.method == "POST" else None,
            initial={"page": _page_came_from(request)},
        )
        if form.is_bound and form.is_valid():
            sent = save_through_service(
                form,
                lambda: services.feedback_send(
                    **form.cleaned_data, language=language, sender=client_address(request)
                ),
            )
            if sent:
                messages.success(request, _("Thank you. Your feedback was received."))
                return redirect(VERSIONS[language][0])
        statement = current_statement()
        versions = [
            (code, name, reverse(url_name)) for code, (url_name, name) in VERSIONS.items()
        ]
        return render(
            request,
            "accessibility/statement.html",
            {
                "statement": statement,
                "gap_groups": gap_groups(statement),
                "form": form,
                # The header's language switch leads to the statement in the chosen language.
                "language_versions": versions,
                "other_versions": [version for version in versions if version[0] != language],
            },
        )


def _page_came_from(request: HttpRequest) -> str:
    """The address of the page of this site that led here (its footer link), to fill in
    "page concerned"; nothing for another site's page or a statement's own."""
    referer = urlsplit(request.headers.get("Referer", ""))
    statements = {reverse(url_name) for url_name, _name in VERSIONS.values()}
    if referer.netloc != request.get_host() or referer.path in statements:
        return ""
    return referer.path[:500]
