"""Platform pages (list, page, create, edit), theme pages with their workbook, and the
development needs that project managers keep on each theme's page."""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO
from typing import TypeVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.forms import ModelForm
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from network import exports, selectors, services
from network.forms import NeedForm, PlatformForm
from network.models import DevelopmentNeed, Platform
from portfolio.filters import filtered_rows
from portfolio.forms.common import add_service_errors
from portfolio.models import Theme
from portfolio.permissions import manager_required, viewer_required
from portfolio.views.lists import list_page

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Saved = TypeVar("Saved")


@viewer_required
@require_http_methods(["GET", "HEAD"])
def platform_list(request: HttpRequest) -> HttpResponse:
    filterset = selectors.platform_filter(request.GET)
    listed = list_page(request, filterset, selectors.platform_rows(filtered_rows(filterset)))
    return render(request, "network/platform_list.html", listed.context())


@viewer_required
@require_http_methods(["GET", "HEAD"])
def platform_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        page = selectors.platform_page(pk)
    except Platform.DoesNotExist:
        raise Http404 from None
    return render(request, "network/platform_detail.html", {"page": page})


@manager_required
@require_http_methods(["GET", "POST"])
def platform_create(request: HttpRequest) -> HttpResponse:
    return _platform_form(request, Platform())


@manager_required
@require_http_methods(["GET", "POST"])
def platform_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _platform_form(request, get_object_or_404(Platform, pk=pk))


def _platform_form(request: HttpRequest, platform: Platform) -> HttpResponse:
    # Kept before the form touches the instance, so a failed save shows the stored name.
    stored_name = platform.name
    is_new = platform.pk is None
    form = PlatformForm(request.POST or None, instance=platform)
    if request.method == "POST" and form.is_valid():
        saved = _save(
            form,
            lambda: services.platform_save(
                platform=form.save(commit=False),
                by=request.user,
                themes=form.cleaned_data["themes"],
            ),
        )
        if saved is not None:
            messages.success(
                request,
                _("The platform was created.") if is_new else _("The changes were saved."),
            )
            return redirect("platform-detail", pk=saved.pk)
    return render(
        request,
        "network/platform_form.html",
        {"form": form, "platform": None if is_new else platform, "stored_name": stored_name},
    )


@viewer_required
@require_http_methods(["GET", "HEAD"])
def theme_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "network/theme_list.html",
        {"groups": selectors.theme_groups(), "region_total": selectors.region_total()},
    )


@viewer_required
@require_http_methods(["GET", "HEAD"])
def theme_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        page = selectors.theme_page(slug, idea_limit=selectors.THEME_PAGE_IDEAS)
    except Theme.DoesNotExist:
        raise Http404 from None
    return render(request, "network/theme_detail.html", {"page": page})


@viewer_required
@require_http_methods(["GET", "HEAD"])
def theme_export(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        page = selectors.theme_page(slug)
    except Theme.DoesNotExist:
        raise Http404 from None
    out = BytesIO()
    exports.write_theme_workbook(page, out)
    out.seek(0)
    filename = f"theme-{page.theme.slug}-{timezone.localdate():%Y-%m-%d}.xlsx"
    return FileResponse(out, as_attachment=True, filename=filename, content_type=XLSX)


@manager_required
@require_http_methods(["GET", "POST"])
def need_create(request: HttpRequest, slug: str) -> HttpResponse:
    theme = get_object_or_404(Theme, slug=slug)
    return _need_form(request, DevelopmentNeed(theme=theme), theme)


@manager_required
@require_http_methods(["GET", "POST"])
def need_edit(request: HttpRequest, pk: int) -> HttpResponse:
    need = get_object_or_404(DevelopmentNeed.objects.select_related("theme"), pk=pk)
    return _need_form(request, need, need.theme)


def _need_form(request: HttpRequest, need: DevelopmentNeed, theme: Theme) -> HttpResponse:
    is_new = need.pk is None
    form = NeedForm(request.POST or None, instance=need)
    if request.method == "POST" and form.is_valid():
        saved = _save(
            form, lambda: services.need_save(need=form.save(commit=False), by=request.user)
        )
        if saved is not None:
            messages.success(
                request,
                _("The development need was recorded.") if is_new else _("The changes were saved."),
            )
            return redirect(reverse("theme-detail", args=[saved.theme.slug]) + "#needs")
    return render(
        request,
        "network/need_form.html",
        {"form": form, "need": None if is_new else need, "theme": theme},
    )


def _save(form: ModelForm, save: Callable[[], Saved]) -> Saved | None:
    """Run a service's save; on a rule it refuses, put the messages on the form and return None."""
    try:
        return save()
    except ValidationError as exc:
        add_service_errors(form, exc)
    except IntegrityError:
        # Two people saving the same name at the same moment: the database says no.
        form.add_error(
            None,
            _("Someone changed the same data at the same time; check the form and save again."),
        )
    return None
