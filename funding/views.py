"""Funding pages: the applications list, the instruments and the calls. Read-only for all roles."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from funding import selectors
from funding.filters import ApplicationFilter
from funding.models import FundingApplication
from portfolio.permissions import viewer_required

PAGE_SIZE = 50


@viewer_required
def application_list(request: HttpRequest) -> HttpResponse:
    filterset = ApplicationFilter(
        request.GET, queryset=FundingApplication.objects.all(), request=request
    )
    # A half-valid filter would give totals that look filtered but are not.
    applications = filterset.qs if filterset.is_valid() else FundingApplication.objects.none()
    page = Paginator(selectors.applications_for_table(applications), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "funding/application_list.html",
        {
            "filter": filterset,
            "page": page,
            "totals": selectors.application_totals(applications),
            "is_filtered": any(
                value for name in filterset.filters for value in filterset.data.getlist(name)
            ),
        },
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
