"""An idea's funding applications, their decisions, and its implementation record."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from funding import services
from funding.forms import ApplicationForm, DecisionForm, ImplementationForm
from funding.models import FundingApplication, Implementation
from portfolio.forms.consortium import save_or_show_errors
from portfolio.models import Idea
from portfolio.permissions import manager_required
from portfolio.selectors.consortium import lead_organisation_id


def idea_url(idea: Idea, part: str) -> str:
    return reverse("idea-detail", args=[idea.pk]) + f"#{part}"


def _application(pk: int, application_pk: int) -> FundingApplication:
    # An application reached through another idea's URL is not found, rather than edited there.
    return get_object_or_404(
        FundingApplication.objects.select_related("idea", "instrument", "call", "applicant"),
        pk=application_pk,
        idea_id=pk,
    )


@manager_required
@require_http_methods(["GET", "POST"])
def application_add(request: HttpRequest, pk: int) -> HttpResponse:
    idea = get_object_or_404(Idea, pk=pk)
    return _application_form(request, idea, FundingApplication(idea=idea))


@manager_required
@require_http_methods(["GET", "POST"])
def application_edit(request: HttpRequest, pk: int, application_pk: int) -> HttpResponse:
    application = _application(pk, application_pk)
    return _application_form(request, application.idea, application)


def _application_form(
    request: HttpRequest, idea: Idea, application: FundingApplication
) -> HttpResponse:
    adding = application._state.adding
    if request.method == "POST":
        form = ApplicationForm(request.POST, instance=application)
        if form.is_valid() and save_or_show_errors(
            form,
            lambda: services.application_save(application=form.save(commit=False), by=request.user),
        ):
            messages.success(
                request,
                _("The funding application was added.")
                if adding
                else _("The funding application was saved."),
            )
            return redirect(idea_url(idea, "applications"))
    else:
        initial = {"applicant": lead_organisation_id(idea)} if adding else {}
        form = ApplicationForm(instance=application, initial=initial)
    return render(
        request,
        "funding/application_form.html",
        {
            "idea": idea,
            "application": application,
            "form": form,
            "adding": adding,
            "back": idea_url(idea, "applications"),
        },
    )


@manager_required
@require_http_methods(["GET", "POST"])
def application_decision(request: HttpRequest, pk: int, application_pk: int) -> HttpResponse:
    application = _application(pk, application_pk)
    idea = application.idea
    if request.method == "POST":
        form = DecisionForm(request.POST, instance=application)
        if form.is_valid() and save_or_show_errors(
            form,
            lambda: services.application_save(application=form.save(commit=False), by=request.user),
        ):
            messages.success(
                request,
                _("The application was recorded as approved.")
                if application.status == FundingApplication.Status.APPROVED
                else _("The application was recorded as rejected."),
            )
            return redirect(idea_url(idea, "applications"))
    else:
        form = DecisionForm(instance=application)
    return render(
        request,
        "funding/decision_form.html",
        {
            "idea": idea,
            "application": application,
            "form": form,
            "back": idea_url(idea, "applications"),
        },
    )


@manager_required
@require_http_methods(["GET", "POST"])
def implementation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    idea = get_object_or_404(Idea, pk=pk)
    implementation = Implementation.objects.filter(idea=idea).first() or Implementation(idea=idea)
    adding = implementation._state.adding
    if request.method == "POST":
        form = ImplementationForm(request.POST, instance=implementation)
        if form.is_valid() and save_or_show_errors(
            form,
            lambda: services.implementation_save(
                implementation=form.save(commit=False), by=request.user
            ),
        ):
            messages.success(
                request,
                _("The implementation record was created.")
                if adding
                else _("The implementation record was saved."),
            )
            return redirect(idea_url(idea, "implementation"))
    else:
        initial = {"lead_organisation": lead_organisation_id(idea)} if adding else {}
        form = ImplementationForm(instance=implementation, initial=initial)
    return render(
        request,
        "funding/implementation_form.html",
        {
            "idea": idea,
            "implementation": implementation,
            "form": form,
            "adding": adding,
            "back": idea_url(idea, "implementation"),
        },
    )
