"""Funding pages: the applications list, the instruments and the calls. Read-only for all roles."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from funding import selectors
from funding.filters import ApplicationFilter
from funding.models import FundingApplication
from portfolio.filters import filtered_rows
from portfolio.permissions import viewer_required
from portfolio.views.lists import list_page


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
