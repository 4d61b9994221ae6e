"""Funding pages: the applications list, the instruments and the calls (read-only for all
roles), and an idea's funding applications, their decisions and its implementation record
(project managers)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.permissions import manager_required, viewer_required
from core.filters import filtered_rows
from core.lists import list_page
from core.views import form_page
from funding import selectors, services
from funding.filters import ApplicationFilter
from funding.forms import ApplicationForm, DecisionForm, ImplementationForm
from funding.models import FundingApplication, Implementation
from portfolio.models import Idea
from portfolio.selectors.consortium import lead_organisation_id


@viewer_required
def application_list(request: HttpRequest) -> HttpResponse:
    filterset = ApplicationFilter(
        request.GET, queryset=FundingApplication.objects.all(), request=request
    )
    applications = filtered_rows(filterset)
    listed = list_page(request, filterset, selectors.applications_for_table(applications))
    return render(
        request,
        "funding/application_list.html",
        listed.context(totals=selectors.application_totals(applications)),
    )


@viewer_required
def instrument_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "funding/instrument_list.html", {"groups": selectors.instruments_by_level()}
    )


@viewer_required
def call_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    return render(
        request,
        "funding/call_list.html",
        {
            "open_calls": selectors.open_calls(now),
            "upcoming_calls": selectors.upcoming_calls(now),
            "past_calls": selectors.past_calls(now),
            "time_zone": timezone.get_current_timezone_name(),
        },
    )


def _application(pk: int, application_pk: int) -> FundingApplication:
    # An application reached through another idea's URL is not found, rather than edited there.
    return get_object_or_404(
        FundingApplication.objects.select_related("idea", "instrument", "call", "applicant"),
        pk=application_pk,
        idea_id=pk,
    )


@manager_required
@require_http_methods(["GET", "POST"])
def application_form(
    request: HttpRequest, pk: int, application_pk: int | None = None
) -> HttpResponse:
    """A new funding application of idea ``pk``, or its application ``application_pk``."""
    if application_pk is None:
        idea = get_object_or_404(Idea, pk=pk)
        application = FundingApplication(idea=idea)
    else:
        application = _application(pk, application_pk)
        idea = application.idea
    adding = application._state.adding
    initial = {"applicant": lead_organisation_id(idea)} if adding else {}
    return form_page(
        request,
        ApplicationForm,
        instance=application,
        initial=initial,
        save=lambda form: services.application_save(
            application=form.save(commit=False), by=request.user
        ),
        template="funding/application_form.html",
        success_message=(
            _("The funding application was added.")
            if adding
            else _("The funding application was saved.")
        ),
        success_url=idea.section_url("applications"),
        context={
            "idea": idea,
            "application": application,
            "adding": adding,
            "back": idea.section_url("applications"),
        },
    )


@manager_required
@require_http_methods(["GET", "POST"])
def application_decision(request: HttpRequest, pk: int, application_pk: int) -> HttpResponse:
    application = _application(pk, application_pk)
    idea = application.idea
    return form_page(
        request,
        DecisionForm,
        instance=application,
        save=lambda form: services.application_save(
            application=form.save(commit=False), by=request.user
        ),
        template="funding/decision_form.html",
        success_message=lambda saved: (
            _("The application was recorded as approved.")
            if saved.status == FundingApplication.Status.APPROVED
            else _("The application was recorded as rejected.")
        ),
        success_url=idea.section_url("applications"),
        context={"idea": idea, "application": application, "back": idea.section_url("applications")},
    )


@manager_required
@require_http_methods(["GET", "POST"])
def implementation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    idea = get_object_or_404(Idea, pk=pk)
    implementation = Implementation.objects.filter(idea=idea).first() or Implementation(idea=idea)
    adding = implementation._state.adding
    initial = {"lead_organisation": lead_organisation_id(idea)} if adding else {}
    return form_page(
        request,
        ImplementationForm,
        instance=implementation,
        initial=initial,
        save=lambda form: services.implementation_save(
            implementation=form.save(commit=False), by=request.user
        ),
        template="funding/implementation_form.html",
        success_message=(
            _("The implementation record was created.")
            if adding
            else _("The implementation record was saved.")
        ),
        success_url=idea.section_url("implementation"),
        context={
            "idea": idea,
            "implementation": implementation,
            "adding": adding,
            "back": idea.section_url("implementation"),
        },
    )
