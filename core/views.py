"""The body every create and edit page shares."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.forms import Saved, save_through_service

Form = TypeVar("Form", bound=forms.BaseForm)

# The hidden field of a create form's one-time token (templates/_form_token.html).
FORM_TOKEN = "form_token"
TOKEN_FORM = re.compile(r"^[0-9a-f]{32}$")
# Session key: token → the address of what that form created, newest last.
SENT_FORMS = "sent_forms"
# Enough for a day's work in several tabs; the oldest are forgotten first.
SENT_FORMS_KEPT = 50


def form_page(
    request: HttpRequest,
    form_class: type[Form],
    *,
    save: Callable[[Form], Saved],
    template: str,
    success_message: str | Callable[[Saved], str],
    success_url: str | Callable[[Saved], str],
    context: dict[str, Any] | None = None,
    **form_kwargs: Any,
) -> HttpResponse:
    """Show a ``form_class`` form (made with ``form_kwargs``, bound to the POST when there is
    one); on a valid POST run ``save(form)``, a service call. What the service refuses is
    shown on the form and nothing is saved; what it saved is announced with
    ``success_message`` and the browser is sent on to ``success_url``. The message and the
    address may be functions of what was saved.

    A create form carries a one-time token: the same form sent again (the browser's Back
    after a create, then save) creates nothing and leads to what the first send created."""
    form = form_class(request.POST if request.method == "POST" else None, **form_kwargs)
    sent_token = _sent_token(request) if _creates(form) else None
    if sent_token:
        created_at = request.session.get(SENT_FORMS, {}).get(sent_token)
        if created_at:
            messages.info(request, _("This form was already sent; here is what it created."))
            return redirect(created_at)
    if form.is_bound and form.is_valid():
        saved = save_through_service(form, lambda: save(form))
        if saved is not None:
            message = success_message(saved) if callable(success_message) else success_message
            messages.success(request, message)
            url = success_url(saved) if callable(success_url) else success_url
            if sent_token:
                _remember_sent(request, sent_token, url)
            return redirect(url)
    # Kept while the form is corrected, so the send that finally saves is the one recorded.
    token = (sent_token or uuid.uuid4().hex) if _creates(form) else None
    context = {"form": form, FORM_TOKEN: token, **(context or {})}
    return render(request, template, context)


def _creates(form: forms.BaseForm) -> bool:
    """Whether saving ``form`` adds a row: an edit sent twice only saves the same values."""
    instance = getattr(form, "instance", None)
    return instance is not None and instance._state.adding


def _sent_token(request: HttpRequest) -> str | None:
    """The token a POST was sent with. One in any other shape is ignored, not refused: the
    token only ever protects, and a script's POST without one saves as before."""
    if request.method != "POST":
        return None
    sent = request.POST.get(FORM_TOKEN, "")
    return sent if TOKEN_FORM.match(sent) else None


def _remember_sent(request: HttpRequest, token: str, url: str) -> None:
    sent = dict(request.session.get(SENT_FORMS, {}))
    sent.pop(token, None)
    sent[token] = url
    request.session[SENT_FORMS] = dict(list(sent.items())[-SENT_FORMS_KEPT:])
