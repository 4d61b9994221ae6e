"""The body every create and edit page shares."""

from __future__ import annotations

import hashlib
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
# Session key: token, or what the form said → the address of what it created, newest last.
SENT_FORMS = "sent_forms"
# Enough for a day's work in several tabs; the oldest are forgotten first.
SENT_FORMS_KEPT = 50
# Fields that change between two sends of the same form without changing what it says.
NOT_CONTENT = {"csrfmiddlewaretoken", FORM_TOKEN}


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

    A create form sent again creates nothing and leads to what the first send created: the
    same send twice (a double click) by its one-time token, and the same values sent again
    from the same page (the browser's Back after a create, which may fetch the form anew
    with a new token, then save) by what they say."""
    form = form_class(request.POST if request.method == "POST" else None, **form_kwargs)
    creates = _creates(form)
    sent_token = _sent_token(request) if creates else None
    said = _what_was_said(request) if creates and form.is_bound else None
    if sent_token or said:
        sent = request.session.get(SENT_FORMS, {})
        created_at = sent.get(sent_token) or sent.get(said)
        if created_at:
            messages.info(request, _("This form was already sent; here is what it created."))
            return redirect(created_at)
    if form.is_bound and form.is_valid():
        saved = save_through_service(form, lambda: save(form))
        if saved is not None:
            message = success_message(saved) if callable(success_message) else success_message
            messages.success(request, message)
            url = success_url(saved) if callable(success_url) else success_url
            _remember_sent(request, [key for key in (sent_token, said) if key], url)
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


def _what_was_said(request: HttpRequest) -> str:
    """A digest of a POST's values and the page it went to, tokens aside."""
    values = sorted(
        (name, value) for name, values in request.POST.lists() if name not in NOT_CONTENT
        for value in values
    )
    digest = hashlib.sha256(repr((request.path, values)).encode()).hexdigest()
    return f"said:{digest}"


def _remember_sent(request: HttpRequest, keys: list[str], url: str) -> None:
    sent = dict(request.session.get(SENT_FORMS, {}))
    for key in keys:
        sent.pop(key, None)
        sent[key] = url
    request.session[SENT_FORMS] = dict(list(sent.items())[-SENT_FORMS_KEPT:])
