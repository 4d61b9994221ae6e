"""Adding, changing and removing the organisations of an idea's consortium."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.permissions import manager_required
from core.views import form_page
from portfolio import services
from portfolio.forms.consortium import MemberForm
from portfolio.models import ConsortiumMember, Idea


def _member(pk: int, member_pk: int) -> ConsortiumMember:
    # A member reached through another idea's URL is not found, rather than edited there.
    return get_object_or_404(
        ConsortiumMember.objects.select_related("idea", "organisation", "contact"),
        pk=member_pk,
        idea_id=pk,
    )


@manager_required
@require_http_methods(["GET", "POST"])
def member_form(request: HttpRequest, pk: int, member_pk: int | None = None) -> HttpResponse:
    """A new member of idea ``pk``'s consortium, or its membership ``member_pk``."""
    if member_pk is None:
        idea = get_object_or_404(Idea, pk=pk)
        member = ConsortiumMember(idea=idea)
    else:
        member = _member(pk, member_pk)
        idea = member.idea
    adding = member._state.adding
    text = (
        _("%(organisation)s was added to the consortium.")
        if adding
        else _("The membership of %(organisation)s was saved.")
    )
    return form_page(
        request,
        MemberForm,
        instance=member,
        save=lambda form: services.consortium_member_save(
            member=form.save(commit=False), by=request.user
        ),
        template="portfolio/member_form.html",
        success_message=lambda saved: text % {"organisation": saved.organisation},
        success_url=idea.section_url("consortium"),
        context={"idea": idea, "member": member, "adding": adding, "back": idea.section_url("consortium")},
    )


@manager_required
@require_http_methods(["GET", "POST"])
def member_remove(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    member = _member(pk, member_pk)
    if request.method == "POST":
        services.consortium_member_remove(member=member, by=request.user)
        messages.success(
            request,
            _("%(organisation)s was removed from the consortium.")
            % {"organisation": member.organisation},
        )
        return redirect(member.idea.section_url("consortium"))
    return render(
        request,
        "portfolio/member_confirm_remove.html",
        {"idea": member.idea, "member": member, "back": member.idea.section_url("consortium")},
    )
