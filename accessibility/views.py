"""The accessibility statement, in Finnish, Swedish and English at addresses of their own,
open to everyone (signed in or not), with its feedback form."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accessibility import services
from accessibility.forms import FeedbackForm
from accessibility.selectors import current_statement

# Each language's address and the link's text in that language (the footer links to the one
# of the page's language).
VERSIONS = {
    "fi": ("statement-fi", "Suomeksi"),
    "sv": ("statement-sv", "På svenska"),
    "en": ("statement-en", "In English"),
}


@require_http_methods(["GET", "HEAD", "POST"])
def statement(request: HttpRequest, language: str) -> HttpResponse:
    with translation.override(language):
        form = FeedbackForm(request.POST if request.method == "POST" else None)
        if form.is_bound and form.is_valid():
            services.feedback_send(**form.cleaned_data, language=language)
            messages.success(request, _("Thank you. Your feedback was received."))
            return redirect(reverse(VERSIONS[language][0]) + "#feedback")
        return render(
            request,
            "accessibility/statement.html",
            {
                "statement": current_statement(),
                "form": form,
                "versions": [
                    (code, name, reverse(url_name))
                    for code, (url_name, name) in VERSIONS.items()
                    if code != language
                ],
            },
        )
