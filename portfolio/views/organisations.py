"""Organisation pages and the contact persons at each organisation.

Contact persons are personal data: only users who pass ``can_view_contacts`` see them,
and only project managers add, change or erase them.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.forms import ModelForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portfolio import services
from portfolio.filters import OrganisationFilter, filtered_rows
from portfolio.forms.common import add_service_errors
from portfolio.forms.organisations import ContactForm, OrganisationForm
from portfolio.models import Contact, Organisation
from portfolio.permissions import can_view_contacts, manager_required, viewer_required
from portfolio.selectors import organisations as selectors
from portfolio.views.lists import list_page


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
def organisation_create(request: HttpRequest) -> HttpResponse:
    return _organisation_form(request, Organisation())


@manager_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _organisation_form(request, get_object_or_404(Organisation, pk=pk))


def _organisation_form(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    stored_name = organisation.name
    is_new = organisation.pk is None
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        saved = _save(
            form,
            lambda: services.organisation_save(
                organisation=form.save(commit=False), by=request.user
            ),
        )
        if saved is not None:
            messages.success(
                request,
                _("The organisation was created.") if is_new else _("The changes were saved."),
            )
            return redirect("organisation-detail", pk=saved.pk)
    return render(
        request,
        "portfolio/organisation_form.html",
        {
            "form": form,
            "organisation": None if is_new else organisation,
            "stored_name": stored_name,
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
    stored_name = contact.name
    is_new = contact.pk is None
    form = ContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        saved = _save(
            form, lambda: services.contact_save(contact=form.save(commit=False), by=request.user)
        )
        if saved is not None:
            messages.success(
                request,
                _("The contact person was added.") if is_new else _("The changes were saved."),
            )
            return redirect("organisation-detail", pk=saved.organisation_id)
    return render(
        request,
        "portfolio/contact_form.html",
        {
            "form": form,
            "contact": None if is_new else contact,
            "organisation": contact.organisation,
            "stored_name": stored_name,
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


def _save(form: ModelForm, save):
    """Run a service's save; on a rule it refuses, put the messages on the form and return None."""
    try:
        return save()
    except ValidationError as exc:
        add_service_errors(form, exc)
    except IntegrityError:
        # Two people saving the same Y-tunnus at the same moment: the database says no.
        form.add_error(
            None,
            _("Someone changed the same data at the same time; check the form and save again."),
        )
    return None

