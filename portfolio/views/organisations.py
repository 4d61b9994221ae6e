"""Organisation pages and the contact persons at each organisation.

Contact persons are personal data: only users who pass ``can_view_contacts`` see them,
and only project managers add, change or erase them.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.permissions import manager_required, viewer_required
from core.filters import filtered_rows
from core.lists import list_page
from core.views import form_page
from portfolio import services
from portfolio.filters import OrganisationFilter
from portfolio.forms.organisations import ContactForm, OrganisationForm
from portfolio.models import Contact, Organisation
from portfolio.permissions import can_view_contacts
from portfolio.selectors import organisations as selectors


@viewer_required
@require_http_methods(["GET", "HEAD"])
def organisation_list(request: HttpRequest) -> HttpResponse:
    filterset = OrganisationFilter(request.GET or None, queryset=Organisation.objects.all())
    listed = list_page(
        request, filterset, selectors.organisation_rows(filtered_rows(filterset))
    )
    return render(request, "portfolio/organisation_list.html", listed.context())


@viewer_required
@require_http_methods(["GET", "HEAD"])
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        page = selectors.organisation_page(pk, with_contacts=can_view_contacts(request.user))
    except Organisation.DoesNotExist:
        raise Http404 from None
    return render(request, "portfolio/organisation_detail.html", {"page": page})


@manager_required
@require_http_methods(["GET", "POST"])
def organisation_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """A new organisation, or the one ``pk`` names."""
    organisation = Organisation() if pk is None else get_object_or_404(Organisation, pk=pk)
    is_new = organisation.pk is None
    return form_page(
        request,
        OrganisationForm,
        instance=organisation,
        save=lambda form: services.organisation_save(
            organisation=form.save(commit=False), by=request.user
        ),
        template="portfolio/organisation_form.html",
        success_message=(
            _("The organisation was created.") if is_new else _("The changes were saved.")
        ),
        success_url=lambda saved: reverse("organisation-detail", args=[saved.pk]),
        context={
            "organisation": None if is_new else organisation,
            "stored_name": organisation.name,
        },
    )


@manager_required
@require_http_methods(["GET", "POST"])
def contact_add(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk)
    return _contact_form(request, Contact(organisation=organisation))


@manager_required
@require_http_methods(["GET", "POST"])
def contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(Contact.objects.select_related("organisation"), pk=pk)
    return _contact_form(request, contact)


def _contact_form(request: HttpRequest, contact: Contact) -> HttpResponse:
    is_new = contact.pk is None
    return form_page(
        request,
        ContactForm,
        instance=contact,
        save=lambda form: services.contact_save(contact=form.save(commit=False), by=request.user),
        template="portfolio/contact_form.html",
        success_message=(
            _("The contact person was added.") if is_new else _("The changes were saved.")
        ),
        success_url=lambda saved: reverse("organisation-detail", args=[saved.organisation_id]),
        context={
            "contact": None if is_new else contact,
            "organisation": contact.organisation,
            "stored_name": contact.name,
        },
    )


@manager_required
@require_http_methods(["GET", "POST"])
def contact_erase(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(Contact.objects.select_related("organisation"), pk=pk)
    organisation = contact.organisation
    if request.method == "POST":
        services.contact_erase(contact=contact, by=request.user)
        # The message names no one: the person asked for their data to be gone.
        messages.success(request, _("The contact person's data was erased."))
        return redirect("organisation-detail", pk=organisation.pk)
    return render(
        request,
        "portfolio/contact_confirm_erase.html",
        {"contact": contact, "organisation": organisation},
    )
