"""The body every create and edit page shares."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from core.forms import Saved, save_through_service

Form = TypeVar("Form", bound=forms.BaseForm)


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
    address may be functions of what was saved."""
    form = form_class(request.POST if request.method == "POST" else None, **form_kwargs)
    if form.is_bound and form.is_valid():
        saved = save_through_service(form, lambda: save(form))
        if saved is not None:
            message = success_message(saved) if callable(success_message) else success_message
            messages.success(request, message)
            return redirect(success_url(saved) if callable(success_url) else success_url)
    return render(request, template, {"form": form, **(context or {})})
