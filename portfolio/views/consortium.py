"""Adding, changing and removing the organisations of an idea's consortium."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portfolio import services
from portfolio.forms.consortium import MemberForm, save_or_show_errors
from portfolio.models import ConsortiumMember, Idea
from portfolio.permissions import manager_required


def consortium_url(idea: Idea) -> str:
    return reverse("idea-detail", args=[idea.pk]) + "#consortium"


def _member(pk: int, member_pk: int) -> ConsortiumMember:
    # A member reached through another idea's URL is not found, rather than edited there.
    return get_object_or_404(
        ConsortiumMember.objects.select_related("idea", "organisation", "contact"),
        pk=member_pk,
        idea_id=pk,
    )


@manager_required
@require_http_methods(["GET", "POST"])
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    idea = get_object_or_404(Idea, pk=pk)
    return _member_form(request, idea, ConsortiumMember(idea=idea))


@manager_required
@require_http_methods(["GET", "POST"])
def member_edit(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    member = _member(pk, member_pk)
    return _member_form(request, member.idea, member)


def _member_form(request: HttpRequest, idea: Idea, member: ConsortiumMember) -> HttpResponse:
    adding = member._state.adding
    if request.method == "POST":
        form = MemberForm(request.POST, instance=member)
        if form.is_valid() and save_or_show_errors(
            form,
            lambda: services.consortium_member_save(
                member=form.save(commit=False), by=request.user
            ),
        ):
            text = (
                _("%(organisation)s was added to the consortium.")
                if adding
                else _("The membership of %(organisation)s was saved.")
            )
            messages.success(request, text % {"organisation": form.instance.organisation})
            return redirect(consortium_url(idea))
    else:
        form = MemberForm(instance=member)
    return render(
        request,
        "portfolio/member_form.html",
        {
            "idea": idea,
            "member": member,
            "form": form,
            "adding": adding,
            "back": consortium_url(idea),
        },
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
        return redirect(consortium_url(member.idea))
    return render(
        request,
        "portfolio/member_confirm_remove.html",
        {"idea": member.idea, "member": member, "back": consortium_url(member.idea)},
    )
