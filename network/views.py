"""Platform pages (list, page, create, edit), theme pages with their workbook, and the
development needs that project managers keep on each theme's page."""

from __future__ import annotations

from io import BytesIO

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.permissions import manager_required, viewer_required
from core.filters import filtered_rows
from core.lists import list_page
from core.security_log import security_event
from core.views import form_page
from funding.selectors import region_share_rule
from network import exports, selectors, services
from network.forms import IdeaPlatformsForm, NeedForm, PlatformForm
from network.models import DevelopmentNeed, Platform
from portfolio.models import Idea, Theme

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
def platform_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """A new platform, or the one ``pk`` names."""
    platform = Platform() if pk is None else get_object_or_404(Platform, pk=pk)
    is_new = platform.pk is None
    return form_page(
        request,
        PlatformForm,
        instance=platform,
        save=lambda form: services.platform_save(
            platform=form.save(commit=False), by=request.user, themes=form.cleaned_data["themes"]
        ),
        template="network/platform_form.html",
        success_message=_("The platform was created.") if is_new else _("The changes were saved."),
        success_url=lambda saved: reverse("platform-detail", args=[saved.pk]),
        # Kept before the form touches the instance, so a failed save shows the stored name.
        context={"platform": None if is_new else platform, "stored_name": platform.name},
    )


@manager_required
@require_http_methods(["GET", "POST"])
def idea_platforms_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The platforms an idea plans to use, chosen on the idea's own page of them."""
    idea = get_object_or_404(Idea, pk=pk)
    back = idea.section_url("platforms")
    return form_page(
        request,
        IdeaPlatformsForm,
        idea=idea,
        save=lambda form: services.idea_platforms_set(
            idea=idea, platforms=form.cleaned_data["platforms"], by=request.user
        ),
        template="network/idea_platforms_form.html",
        success_message=_("The platforms were saved."),
        success_url=back,
        context={"idea": idea, "back": back},
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
    return render(
        request,
        "network/theme_detail.html",
        {"page": page, "region_share_rule": region_share_rule()},
    )


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
    security_event(request, "export", object=f"theme:{page.theme.slug}", file=filename)
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
    return form_page(
        request,
        NeedForm,
        instance=need,
        save=lambda form: services.need_save(need=form.save(commit=False), by=request.user),
        template="network/need_form.html",
        success_message=(
            _("The development need was recorded.") if is_new else _("The changes were saved.")
        ),
        success_url=lambda saved: reverse("theme-detail", args=[saved.theme.slug]) + "#needs",
        context={"need": None if is_new else need, "theme": theme},
    )
