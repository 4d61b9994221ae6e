"""The consortium part of the idea page: add, edit and remove members, and its table."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from portfolio.models import ConsortiumMember
from portfolio.selectors.consortium import idea_members
from tests.factories import (
    ConsortiumMemberFactory,
    ContactFactory,
    IdeaFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_pages(settings):
    # Requests without an Accept-Language header get the default language; read English here.
    settings.LANGUAGE_CODE = "en"


Role = ConsortiumMember.Role
Status = ConsortiumMember.Status


def assert_no_inline_code(body: str) -> None:
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body)
    assert "<style" not in body
    assert not re.search(r"\sstyle=", body)
    assert not re.search(r"\son[a-z]+=", body)


def idea_url(idea, part: str = "consortium") -> str:
    return reverse("idea-detail", args=[idea.pk]) + f"#{part}"


def member_data(organisation, **fields) -> dict[str, str]:
    data = {
        "organisation": organisation.pk,
        "role": Role.PARTNER,
        "status": Status.INVITED,
        "budget_share": "",
        "contact": "",
    }
    return {**data, **fields}


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def idea():
    return IdeaFactory(title="Robottisolu pk-yrityksille")


@pytest.fixture
def member(idea):
    return ConsortiumMemberFactory(idea=idea, organisation=OrganisationFactory(name="Konepaja Oy"))


def urls(idea, member) -> dict[str, str]:
    return {
        "add": reverse("member-add", args=[idea.pk]),
        "edit": reverse("member-edit", args=[idea.pk, member.pk]),
        "remove": reverse("member-remove", args=[idea.pk, member.pk]),
    }


# Who may open the pages --------------------------------------------------------------------


@pytest.mark.parametrize("page", ["add", "edit", "remove"])
def test_manager_gets_the_form_page(manager, idea, member, page):
    response = manager.get(urls(idea, member)[page])
    assert response.status_code == 200
    body = response.content.decode()
    assert "css/consortium.css" in body
    assert f'href="{idea_url(idea)}"' in body
    assert_no_inline_code(body)


@pytest.mark.parametrize("page", ["add", "edit", "remove"])
def test_admin_gets_the_form_page(admin, idea, member, page):
    assert admin.get(urls(idea, member)[page]).status_code == 200


@pytest.mark.parametrize("page", ["add", "edit", "remove"])
def test_funder_is_refused_on_get_and_post(funder, idea, member, page):
    url = urls(idea, member)[page]
    assert funder.get(url).status_code == 403
    response = funder.post(url, member_data(OrganisationFactory(), role=Role.LEAD))
    assert response.status_code == 403
    member.refresh_from_db()
    assert member.role == Role.PARTNER
    assert ConsortiumMember.objects.count() == 1


@pytest.mark.parametrize("page", ["add", "edit", "remove"])
def test_anonymous_goes_to_login(anonymous, idea, member, page):
    url = urls(idea, member)[page]
    for response in (anonymous.get(url), anonymous.post(url, {})):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")
    assert ConsortiumMember.objects.count() == 1


def test_unknown_idea_is_not_found(manager):
    assert manager.get(reverse("member-add", args=[999999])).status_code == 404


@pytest.mark.parametrize("page", ["edit", "remove"])
def test_member_of_another_idea_is_not_found(manager, member, page):
    other = IdeaFactory()
    url = urls(other, member)[page]
    assert manager.get(url).status_code == 404
    assert manager.post(url, member_data(member.organisation, role=Role.LEAD)).status_code == 404
    member.refresh_from_db()
    assert member.role == Role.PARTNER


# Adding -------------------------------------------------------------------------------------


def test_add_member_saves_and_returns_to_the_consortium(manager, manager_user, idea):
    organisation = OrganisationFactory(name="Tampereen yliopisto")
    contact = ContactFactory(organisation=organisation, name="Liisa Tutkija")

    response = manager.post(
        reverse("member-add", args=[idea.pk]),
        member_data(
            organisation,
            role=Role.LEAD,
            status=Status.COMMITTED,
            budget_share="125000.50",
            contact=contact.pk,
        ),
    )

    assert response.status_code == 302
    assert response["Location"] == idea_url(idea)
    member = ConsortiumMember.objects.get(idea=idea)
    assert member.organisation == organisation
    assert member.role == Role.LEAD
    assert member.status == Status.COMMITTED
    assert member.budget_share == Decimal("125000.50")
    assert member.contact == contact
    assert member.history.get().history_user == manager_user
    assert messages_of(response) == ["Tampereen yliopisto was added to the consortium."]


def test_add_form_offers_organisations_by_name_and_contacts_grouped(manager, idea):
    OrganisationFactory(name="Öljynjalostus Oy")
    alpha = OrganisationFactory(name="Alfa Oy")
    ContactFactory(organisation=alpha, name="Anni Alfa")

    response = manager.get(reverse("member-add", args=[idea.pk]))

    form = response.context["form"]
    names = [org.name for org in form.fields["organisation"].queryset]
    assert names == sorted(names)
    body = response.content.decode()
    assert '<optgroup label="Alfa Oy">' in body
    assert "Anni Alfa" in body
    assert 'type="date"' not in body  # no date fields on this form
    assert 'inputmode="decimal"' in body


def test_second_lead_is_refused_beside_the_role(manager, idea):
    ConsortiumMemberFactory(idea=idea, role=Role.LEAD)
    newcomer = OrganisationFactory()

    response = manager.post(
        reverse("member-add", args=[idea.pk]), member_data(newcomer, role=Role.LEAD)
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "already has a lead organisation" in errors["role"][0]
    assert list(errors) == ["role"]
    body = response.content.decode()
    assert re.search(r'id="id_role_error"><li>The consortium already has a lead', body)
    assert 'aria-invalid="true"' in body
    assert not ConsortiumMember.objects.filter(organisation=newcomer).exists()


def test_every_mistake_is_reported_in_one_round(manager, idea):
    ConsortiumMemberFactory(idea=idea, role=Role.LEAD)
    response = manager.post(
        reverse("member-add", args=[idea.pk]),
        member_data(OrganisationFactory(), role=Role.LEAD, budget_share="-1"),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert sorted(errors) == ["budget_share", "role"]
    assert ConsortiumMember.objects.count() == 1


def test_a_clash_at_the_database_is_a_message_not_an_error_page(manager, idea, monkeypatch):
    from django.db import IntegrityError

    from portfolio import services

    def clash(**kwargs):
        raise IntegrityError("consortium_one_lead_per_idea")

    monkeypatch.setattr(services, "consortium_member_save", clash)
    response = manager.post(
        reverse("member-add", args=[idea.pk]), member_data(OrganisationFactory())
    )
    assert response.status_code == 200
    assert "Someone else saved a conflicting change" in response.content.decode()
    assert not ConsortiumMember.objects.exists()


def test_negative_budget_share_is_refused_beside_the_field(manager, idea):
    organisation = OrganisationFactory()
    response = manager.post(
        reverse("member-add", args=[idea.pk]), member_data(organisation, budget_share="-5")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["budget_share"] == ["The amount cannot be negative."]
    assert not ConsortiumMember.objects.exists()


def test_budget_share_that_is_not_a_number_is_refused(manager, idea):
    response = manager.post(
        reverse("member-add", args=[idea.pk]),
        member_data(OrganisationFactory(), budget_share="paljon"),
    )
    assert response.status_code == 200
    assert "Enter an amount in euros" in response.context["form"].errors["budget_share"][0]
    assert not ConsortiumMember.objects.exists()


def test_finnish_money_with_spaces_and_comma_is_understood(manager, idea):
    response = manager.post(
        reverse("member-add", args=[idea.pk]),
        member_data(OrganisationFactory(), budget_share="125\xa0000,50 €"),
        headers={"accept-language": "fi"},
    )
    assert response.status_code == 302
    assert ConsortiumMember.objects.get().budget_share == Decimal("125000.50")


def test_contact_from_another_organisation_is_refused(manager, idea):
    organisation = OrganisationFactory()
    stranger = ContactFactory(name="Vieras Henkilö")

    response = manager.post(
        reverse("member-add", args=[idea.pk]), member_data(organisation, contact=stranger.pk)
    )

    assert response.status_code == 200
    assert response.context["form"].errors["contact"] == [
        "The contact person must work at the member organisation."
    ]
    assert not ConsortiumMember.objects.exists()


def test_organisation_already_in_the_consortium_is_refused(manager, idea, member):
    response = manager.post(reverse("member-add", args=[idea.pk]), member_data(member.organisation))
    assert response.status_code == 200
    assert response.context["form"].errors["organisation"] == [
        "This organisation is already in the consortium."
    ]
    assert ConsortiumMember.objects.count() == 1


def test_missing_organisation_is_named(manager, idea):
    response = manager.post(reverse("member-add", args=[idea.pk]), {"role": "partner"})
    assert response.status_code == 200
    assert response.context["form"].errors["organisation"] == ["This field is required."]
    assert "Nothing was saved" in response.content.decode()


# Editing ------------------------------------------------------------------------------------


def test_contacts_carry_their_organisation_for_the_narrowing_script(manager, idea, member):
    own = ContactFactory(organisation=member.organisation, name="Oma Henkilö")
    stranger = ContactFactory(name="Vieras Henkilö")

    response = manager.get(reverse("member-edit", args=[idea.pk, member.pk]))

    body = response.content.decode()
    select = re.search(r'<select name="contact".*?</select>', body, re.S).group(0)
    assert 'data-narrowed-by="organisation"' in select
    assert 'data-none-text="The chosen organisation has no contact persons yet;' in select
    # Every organisation's people are sent, grouped, so the organisation and its contact can
    # change in one save; the script offers only the chosen organisation's.
    assert f'<option value="{own.pk}" data-parent="{member.organisation_id}">Oma Henkilö' in select
    assert (
        f'<option value="{stranger.pk}" data-parent="{stranger.organisation_id}">Vieras Henkilö'
    ) in select
    assert f'<optgroup label="{member.organisation.name}">' in select
    assert '<option value="" selected>' in select
    assert re.search(r'<script src="/static/js/narrow\.js[^"]*" defer nonce="[^"]+">', body)
    assert_no_inline_code(body)


def test_edit_changes_organisation_and_contact_in_one_save(manager, idea, member):
    other = OrganisationFactory(name="Toinen Oy")
    contact = ContactFactory(organisation=other, name="Toinen Henkilö")

    response = manager.post(
        reverse("member-edit", args=[idea.pk, member.pk]),
        member_data(other, contact=contact.pk),
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.organisation, member.contact) == (other, contact)


def test_contact_form_queries_do_not_grow_with_contacts(
    manager, idea, django_assert_max_num_queries
):
    ContactFactory()
    with django_assert_max_num_queries(40) as few:
        manager.get(reverse("member-add", args=[idea.pk]))
    for _ in range(6):
        ContactFactory()
    with django_assert_max_num_queries(len(few.captured_queries)):
        manager.get(reverse("member-add", args=[idea.pk]))


def test_edit_saves_changes(manager, idea, member):
    contact = ContactFactory(organisation=member.organisation)
    response = manager.post(
        reverse("member-edit", args=[idea.pk, member.pk]),
        member_data(
            member.organisation, status=Status.COMMITTED, budget_share="5000", contact=contact.pk
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == idea_url(idea)
    member.refresh_from_db()
    assert (member.status, member.budget_share, member.contact) == (
        Status.COMMITTED,
        Decimal("5000"),
        contact,
    )
    assert messages_of(response) == ["The membership of Konepaja Oy was saved."]


def test_edit_with_a_contact_of_another_organisation_is_refused(manager, idea, member):
    stranger = ContactFactory()
    response = manager.post(
        reverse("member-edit", args=[idea.pk, member.pk]),
        member_data(member.organisation, contact=stranger.pk),
    )
    assert response.status_code == 200
    assert "contact" in response.context["form"].errors
    member.refresh_from_db()
    assert member.contact is None


def test_edit_to_a_second_lead_is_refused_and_nothing_changes(manager, idea, member):
    ConsortiumMemberFactory(idea=idea, role=Role.LEAD)
    response = manager.post(
        reverse("member-edit", args=[idea.pk, member.pk]),
        member_data(member.organisation, role=Role.LEAD, status=Status.COMMITTED),
    )
    assert response.status_code == 200
    assert "already has a lead organisation" in response.context["form"].errors["role"][0]
    member.refresh_from_db()
    assert (member.role, member.status) == (Role.PARTNER, Status.INTERESTED)


def test_edit_form_shows_money_in_the_active_language(manager, idea):
    member = ConsortiumMemberFactory(idea=idea, budget_share=Decimal("125000.50"))
    url = reverse("member-edit", args=[idea.pk, member.pk])
    assert (
        'value="125000,50"' in manager.get(url, headers={"accept-language": "fi"}).content.decode()
    )
    assert (
        'value="125000.50"' in manager.get(url, headers={"accept-language": "en"}).content.decode()
    )


# Removing -----------------------------------------------------------------------------------


def test_remove_asks_first_and_removes_on_post(manager, idea, member):
    url = reverse("member-remove", args=[idea.pk, member.pk])
    body = manager.get(url).content.decode()
    assert "Konepaja Oy" in body
    assert 'method="post"' in body
    assert ConsortiumMember.objects.filter(pk=member.pk).exists()

    response = manager.post(url)

    assert response.status_code == 302
    assert response["Location"] == idea_url(idea)
    assert not ConsortiumMember.objects.filter(pk=member.pk).exists()
    assert messages_of(response) == ["Konepaja Oy was removed from the consortium."]


def test_removing_the_lead_warns_first(manager, idea):
    lead = ConsortiumMemberFactory(idea=idea, role=Role.LEAD)
    body = manager.get(reverse("member-remove", args=[idea.pk, lead.pk])).content.decode()
    assert "This organisation is the consortium" in body
    assert "Without a committed lead" in body


# The consortium table on the idea page ---------------------------------------------------------


def render_consortium(idea, *, can_edit: bool, can_view_contacts: bool) -> str:
    return render_to_string(
        "portfolio/_idea_consortium.html",
        {
            "idea": idea,
            "members": list(idea_members(idea)),
            "can_edit": can_edit,
            "can_view_contacts": can_view_contacts,
        },
    )


@pytest.fixture
def full_consortium(idea):
    lead_org = OrganisationFactory(name="Johtava Oy")
    contact = ContactFactory(
        organisation=lead_org, name="Pekka Yhteyshenkilö", email="pekka@johtava.fi", phone="040 123"
    )
    lead = ConsortiumMemberFactory(
        idea=idea,
        organisation=lead_org,
        role=Role.LEAD,
        status=Status.COMMITTED,
        budget_share=Decimal("1234.50"),
        contact=contact,
    )
    partner = ConsortiumMemberFactory(
        idea=idea, organisation=OrganisationFactory(name="Alihankkija Oy")
    )
    return lead, partner, contact


def test_manager_sees_members_contacts_and_edit_links(idea, full_consortium):
    lead, partner, contact = full_consortium
    html = render_consortium(idea, can_edit=True, can_view_contacts=True)

    assert '<section id="consortium"' in html
    # The lead comes first, whatever the names.
    assert html.index("Johtava Oy") < html.index("Alihankkija Oy")
    assert "1,234.50&nbsp;€" in html
    assert contact.name in html
    assert contact.email in html
    for url in (
        reverse("member-add", args=[idea.pk]),
        reverse("member-edit", args=[idea.pk, lead.pk]),
        reverse("member-remove", args=[idea.pk, partner.pk]),
    ):
        assert f'href="{url}"' in html
    assert_no_inline_code(html)


def test_funder_sees_members_without_contacts_or_edit_links(idea, full_consortium):
    _lead, _partner, contact = full_consortium
    html = render_consortium(idea, can_edit=False, can_view_contacts=False)

    assert "Johtava Oy" in html
    assert "Alihankkija Oy" in html
    for personal in (contact.name, contact.email, contact.phone, "mailto:"):
        assert personal not in html
    assert "/members/" not in html
    assert "Contact person" not in html


def test_consortium_money_in_finnish(idea, full_consortium):
    with translation.override("fi"):
        html = render_consortium(idea, can_edit=False, can_view_contacts=False)
    assert "1\xa0234,50&nbsp;€" in html


def test_empty_consortium_says_so(idea):
    html = render_consortium(idea, can_edit=True, can_view_contacts=True)
    assert "No organisations in the consortium yet." in html
    assert "<table" not in html


@pytest.mark.parametrize("rows", [5, 30])
def test_consortium_table_queries_do_not_grow(idea, rows, django_assert_max_num_queries):
    for _ in range(rows):
        organisation = OrganisationFactory()
        ConsortiumMemberFactory(
            idea=idea, organisation=organisation, contact=ContactFactory(organisation=organisation)
        )
    with django_assert_max_num_queries(1):
        html = render_consortium(idea, can_edit=True, can_view_contacts=True)
    assert html.count('class="row-actions"') == rows


@pytest.mark.parametrize("rows", [5, 30])
def test_add_page_queries_do_not_grow(manager, idea, rows, django_assert_max_num_queries):
    for _ in range(rows):
        ContactFactory()
    with django_assert_max_num_queries(10):
        assert manager.get(reverse("member-add", args=[idea.pk])).status_code == 200
