"""The one body of every create and edit page: the service decides, the form shows why."""

from __future__ import annotations

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.template.response import TemplateResponse

from core.forms import CONFLICT_MESSAGE
from core.views import form_page


class NameForm(forms.Form):
    name = forms.CharField(label="Name")


def request_for(rf, method: str, data: dict | None = None):
    request = rf.post("/x/", data or {}) if method == "POST" else rf.get("/x/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def page(request, save, monkeypatch):
    rendered = {}

    def fake_render(request, template, context):
        rendered.update(context)
        return TemplateResponse(request, template, context)

    monkeypatch.setattr("core.views.render", fake_render)
    response = form_page(
        request,
        NameForm,
        save=save,
        template="x.html",
        success_message=lambda saved: f"Saved {saved}",
        success_url=lambda saved: f"/done/{saved}/",
        context={"extra": 1},
    )
    return response, rendered


def test_a_get_shows_an_unbound_form_and_saves_nothing(rf, monkeypatch):
    calls = []
    response, context = page(request_for(rf, "GET"), calls.append, monkeypatch)
    assert not context["form"].is_bound and context["extra"] == 1
    assert calls == []


def test_a_valid_post_saves_once_announces_and_redirects(rf, monkeypatch):
    request = request_for(rf, "POST", {"name": "Tampere"})
    response, _ = page(request, lambda form: form.cleaned_data["name"], monkeypatch)
    assert response.status_code == 302 and response["Location"] == "/done/Tampere/"
    assert [m.message for m in get_messages(request)] == ["Saved Tampere"]


def test_an_invalid_post_never_reaches_the_service(rf, monkeypatch):
    calls = []
    response, context = page(request_for(rf, "POST", {}), calls.append, monkeypatch)
    assert calls == [] and context["form"].errors["name"]


def test_a_refusal_is_shown_beside_its_field_or_above_the_form_naming_it(rf, monkeypatch):
    def refuse(form):
        raise ValidationError({"name": "Taken.", "region": "Unknown region.", "__all__": "No."})

    request = request_for(rf, "POST", {"name": "Tampere"})
    response, context = page(request, refuse, monkeypatch)
    form = context["form"]
    assert response.status_code == 200
    assert form.errors["name"] == ["Taken."]
    assert form.non_field_errors() == ["region: Unknown region.", "No."]
    assert list(get_messages(request)) == []


def test_a_write_that_loses_a_race_says_so_in_the_one_words(rf, monkeypatch):
    def clash(form):
        raise IntegrityError("unique")

    response, context = page(request_for(rf, "POST", {"name": "Tampere"}), clash, monkeypatch)
    assert context["form"].non_field_errors() == [str(CONFLICT_MESSAGE)]
