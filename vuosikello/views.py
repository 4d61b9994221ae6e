"""The annual calendar's pages: the year wheel, the entry forms, the feed page and the feeds."""

from __future__ import annotations

from itertools import groupby
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import check_for_language, get_language, override
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language

from accounts.permissions import can_view_portfolio, manager_required, viewer_required
from core.figures import script_safe
from core.filters import filtered_rows
from core.security_log import security_event
from core.views import form_page
from vuosikello import charts, services
from vuosikello.feeds import feed_calendar
from vuosikello.filters import CalendarFilter
from vuosikello.forms import CalendarEntryForm, ReminderSettingsForm
from vuosikello.models import (
    FEED_KEY_LENGTH,
    CalendarEntry,
    Category,
    FeedToken,
    ReminderSettings,
)
from vuosikello.selectors import calendar_items, feed_items


@viewer_required
@require_http_methods(["GET", "HEAD"])
def calendar(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    data = request.GET.copy()
    if not data.get("year"):
        # The Year field shows the year the page shows, not an empty box under its heading.
        data["year"] = str(today.year)
    filterset = CalendarFilter(data, queryset=CalendarEntry.objects.all())
    valid = filterset.is_valid()
    year = filterset.chosen_year
    items = []
    if valid:
        items = calendar_items(
            year=year,
            categories=filterset.categories,
            regions=filterset.regions,
            entries=filtered_rows(filterset),
        )
    by_month = {month: list(rows) for month, rows in groupby(items, key=lambda i: i.day.month)}
    return render(
        request,
        "vuosikello/calendar.html",
        {
            "filter": filterset,
            "filter_invalid": not valid,
            # The year is where the page is, not a filter to clear.
            "is_filtered": any(request.GET.getlist(name) for name in ("category", "region")),
            "year": year,
            "items": items,
            "months": [
                (m, str(MONTHS[m]).capitalize(), by_month.get(m, [])) for m in range(1, 13)
            ],
            "figure_json": script_safe(charts.figure(items, year=year, today=today).to_json()),
            "is_this_year": year == today.year,
            # The month list opens at this month (of this year's page), where a reader looks.
            "current_month": today.month if year == today.year else None,
        },
    )


def _calendar_of(entry: CalendarEntry) -> str:
    return f"{reverse('calendar')}?year={entry.start.year}"


@manager_required
@require_http_methods(["GET", "POST"])
def entry_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """A new calendar entry, or the one ``pk`` names."""
    entry = CalendarEntry() if pk is None else get_object_or_404(CalendarEntry, pk=pk)
    is_new = entry.pk is None
    return form_page(
        request,
        CalendarEntryForm,
        instance=entry,
        save=lambda form: services.entry_save(entry=form.save(commit=False), by=request.user),
        template="vuosikello/entry_form.html",
        success_message=(
            _("The entry was added to the calendar.") if is_new else _("The changes were saved.")
        ),
        success_url=_calendar_of,
        context={"entry": None if is_new else entry, "stored_title": entry.title},
    )


@manager_required
@require_http_methods(["GET", "POST"])
def entry_delete(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(CalendarEntry, pk=pk)
    if request.method == "POST":
        back = _calendar_of(entry)
        services.entry_delete(entry=entry, by=request.user)
        messages.success(request, _("The entry “%(title)s” was deleted.") % {"title": entry.title})
        return redirect(back)
    return render(request, "vuosikello/entry_confirm_delete.html", {"entry": entry})


def _feed_url(request: HttpRequest, secret: str, category: str | None = None) -> str:
    if category:
        path = reverse("calendar-feed-category", args=[secret, category])
    else:
        path = reverse("calendar-feed", args=[secret])
    # A calendar client sends no language of its own: the address keeps the one the user
    # reads the site in, so the feed's texts come in it.
    return request.build_absolute_uri(f"{path}?{urlencode({'lang': get_language()})}")


def language_switch(request: HttpRequest) -> HttpResponse:
    """Django's language switch; a signed-in user's choice is also kept for their mails."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if (
        request.method == "POST"
        and request.user.is_authenticated
        and check_for_language(language)
    ):
        services.mail_language_save(user=request.user, language=language)
    return response


def _feeds_page(request: HttpRequest, form: ReminderSettingsForm, token: FeedToken) -> HttpResponse:
    """The subscription page. The addresses are on it only when ``token`` was just made:
    only a digest is stored, so afterwards the page can offer a renewal but not the address."""
    secret = token.secret
    response = render(
        request,
        "vuosikello/feeds.html",
        {
            "form": form,
            "feed_url": _feed_url(request, secret) if secret else "",
            "category_feeds": [
                (category.label, _feed_url(request, secret, category.value))
                for category in Category
            ] if secret else [],
            "token": token,
            "has_email": bool(request.user.email),
        },
    )
    # A page with the addresses is the only copy of the secret: no cache may keep one.
    response["Cache-Control"] = "no-store"
    return response


@viewer_required
@require_http_methods(["GET", "POST"])
def feeds(request: HttpRequest) -> HttpResponse:
    """The user's feed addresses (on the first visit), the renewal, and the reminder setting."""
    current = ReminderSettings.objects.filter(user=request.user).first()
    # An unticked box sends nothing, so an empty POST is still the form sent.
    form = ReminderSettingsForm(
        request.POST if request.method == "POST" else None,
        instance=current or ReminderSettings(user=request.user),
    )
    if request.method == "POST" and form.is_valid():
        services.reminder_settings_save(
            user=request.user,
            reminders_on=form.cleaned_data["reminders_on"],
            by=request.user,
            language=get_language(),
        )
        messages.success(
            request,
            _("Reminders are on.") if form.cleaned_data["reminders_on"] else _("Reminders are off."),
        )
        return redirect("calendar-feeds")
    token = FeedToken.objects.filter(user=request.user).first()
    if token is None:
        # The first visit makes the addresses, and shows them this once.
        token = services.feed_token_for(request.user)
    return _feeds_page(request, form, token)


@viewer_required
@require_POST
def feed_reset(request: HttpRequest) -> HttpResponse:
    """New addresses, shown on this answer only (no redirect: the secret must not wait in a
    session or a message store for the next page)."""
    token = services.feed_token_reset(user=request.user, by=request.user)
    security_event(request, "feed_key_reset")
    messages.success(
        request,
        _("Your feed addresses were renewed; the old ones no longer work. Subscribe again with the new ones."),
    )
    current = ReminderSettings.objects.filter(user=request.user).first()
    form = ReminderSettingsForm(instance=current or ReminderSettings(user=request.user))
    return _feeds_page(request, form, token)


def _token_owner(secret: str):
    """The user whose feed secret ``secret`` is, or None. Its first characters find the row;
    the digest of the rest is compared in constant time, so the answer's timing does not
    tell how much of a guess was right."""
    row = (
        FeedToken.objects.filter(key=secret[:FEED_KEY_LENGTH]).select_related("user").first()
        if len(secret) > FEED_KEY_LENGTH
        else None
    )
    if row is None or not row.matches(secret):
        return None
    return row.user


@require_http_methods(["GET", "HEAD"])
def feed(request: HttpRequest, token: str, category: str | None = None) -> HttpResponse:
    """An iCalendar feed. Calendar clients cannot log in: the token in the address is the
    key, and it stops working when its owner resets it or loses their role."""
    user = _token_owner(token)
    if user is None or not user.is_active or not can_view_portfolio(user):
        raise Http404
    if category is not None and category not in Category.values:
        raise Http404
    this_year = timezone.localdate().year
    years = range(min(settings.NETWORK_START_DATE.year, this_year - 1), this_year + 2)
    language = request.GET.get("lang", "")
    if language not in dict(settings.LANGUAGES):
        language = get_language()
    with override(language):
        name = _("%(network)s – annual calendar") % {"network": settings.NETWORK_NAME}
        if category:
            name = _("%(calendar)s: %(category)s") % {
                "calendar": name, "category": Category(category).label
            }
        body = feed_calendar(
            feed_items(years=years, category=category),
            name=name,
            base_url=request.build_absolute_uri("/").rstrip("/"),
        )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{category or "calendar"}.ics"'
    response["Cache-Control"] = "private, no-cache"
    return response
