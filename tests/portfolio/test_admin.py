"""The Django admin of portfolio and funding: every screen opens, lists stay cheap, and the
admin keeps the same rules as the services (stage history, contact persons' privacy)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.admin.sites import site as admin_site
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.forms import CheckboxInput, DateInput, DateTimeInput, MultiWidget, TimeInput
from django.test import Client, RequestFactory
from django.urls import reverse

import funding.admin
import portfolio.admin
import portfolio.services
from accounts.permissions import FUNDERS_GROUP, MANAGERS_GROUP
from funding.models import (
    Funder,
    FundingApplication,
    FundingCall,
    FundingInstrument,
    Implementation,
)
from portfolio.models import (
    ConsortiumMember,
    Contact,
    Idea,
    IdeaImport,
    Organisation,
    Region,
    RoadshowEvent,
    StageTransition,
    Theme,
)
from portfolio.permissions import can_view_contacts
from portfolio.services import idea_move
from portfolio.stages import Stage
from tests.factories import (
    ConsortiumMemberFactory,
    ContactFactory,
    FundingApplicationFactory,
    FundingCallFactory,
    IdeaFactory,
    IdeaImportFactory,
    ImplementationFactory,
    OrganisationFactory,
    RoadshowEventFactory,
    ThemeFactory,
    UserFactory,
    region,
)

ALL_MODELS = [
    Region,
    Theme,
    Organisation,
    Contact,
    RoadshowEvent,
    Idea,
    ConsortiumMember,
    StageTransition,
    IdeaImport,
    Funder,
    FundingInstrument,
    FundingCall,
    FundingApplication,
    Implementation,
]
HISTORY_MODELS = [Idea, ConsortiumMember, FundingApplication, Implementation]


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def post_value(bound):
    """A bound field's current value as a browser would post it back (None: leave it out)."""
    widget = bound.field.widget
    value = bound.value()
    if isinstance(widget, MultiWidget):
        parts = value if isinstance(value, list) else widget.decompress(value)
        pairs = zip(widget.widgets, parts, strict=True)
        return {f"_{i}": sub.format_value(part) for i, (sub, part) in enumerate(pairs)}
    if isinstance(widget, CheckboxInput):
        return "on" if value else None
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    if isinstance(widget, (DateInput, DateTimeInput, TimeInput)):
        return widget.format_value(value)
    return str(value)


def form_data(response) -> dict:
    """The change form as rendered, ready to post back: main form plus every inline's
    management form and existing rows (no extra blank rows)."""
    data: dict = {}
    forms = [response.context["adminform"].form]
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        data[f"{formset.prefix}-TOTAL_FORMS"] = formset.initial_form_count()
        forms.extend(formset.initial_forms)
    for form in forms:
        for name in form.fields:
            value = post_value(form[name])
            key = form.add_prefix(name)
            if isinstance(value, dict):
                data.update({key + suffix: part for suffix, part in value.items()})
            elif value is not None:
                data[key] = value
    return data


@pytest.fixture
def one_of_each(db) -> dict:
    """One stored object of every model in the admin, keyed by model."""
    theme = ThemeFactory()
    organisation = OrganisationFactory()
    contact = ContactFactory(organisation=organisation, name="Kalle Kontakti")
    event = RoadshowEventFactory()
    event.themes.add(theme)
    event.organisations.add(organisation)
    idea = IdeaFactory(in_implementation=True)
    idea.themes.add(theme)
    member = ConsortiumMemberFactory(idea=idea, organisation=organisation, contact=contact)
    application = idea.funding_applications.get()
    implementation = ImplementationFactory(idea=idea)
    call = FundingCallFactory()
    return {
        Region: region(),
        Theme: theme,
        Organisation: organisation,
        Contact: contact,
        RoadshowEvent: event,
        Idea: idea,
        ConsortiumMember: member,
        StageTransition: idea.transitions.last(),
        IdeaImport: IdeaImportFactory(),
        Funder: call.instrument.funder,
        FundingInstrument: call.instrument,
        FundingCall: call,
        FundingApplication: application,
        Implementation: implementation,
    }


def staff_in_group(group: str, username: str):
    user = UserFactory(username=username, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


# Every screen opens for the administrator ------------------------------------------------


def test_every_portfolio_and_funding_model_is_registered():
    assert set(ALL_MODELS) <= set(admin_site._registry)


@pytest.mark.parametrize("model", ALL_MODELS, ids=lambda m: m._meta.model_name)
def test_changelist_opens(admin, one_of_each, model):
    response = admin.get(admin_url(model, "changelist"))
    assert response.status_code == 200


@pytest.mark.parametrize("model", ALL_MODELS, ids=lambda m: m._meta.model_name)
def test_changelist_search_opens(admin, one_of_each, model):
    response = admin.get(admin_url(model, "changelist"), {"q": "a"})
    assert response.status_code == 200


@pytest.mark.parametrize("model", ALL_MODELS, ids=lambda m: m._meta.model_name)
def test_change_page_opens(admin, one_of_each, model):
    response = admin.get(admin_url(model, "change", one_of_each[model].pk))
    assert response.status_code == 200


@pytest.mark.parametrize(
    "model",
    [m for m in ALL_MODELS if m not in (StageTransition, IdeaImport)],
    ids=lambda m: m._meta.model_name,
)
def test_add_page_opens(admin, one_of_each, model):
    assert admin.get(admin_url(model, "add")).status_code == 200


@pytest.mark.parametrize("model", HISTORY_MODELS, ids=lambda m: m._meta.model_name)
def test_history_page_opens(admin, one_of_each, model):
    response = admin.get(admin_url(model, "history", one_of_each[model].pk))
    assert response.status_code == 200


def test_admin_index_opens(admin, one_of_each):
    assert admin.get(reverse("admin:index")).status_code == 200


# Lists do not grow queries with rows -----------------------------------------------------


@pytest.mark.parametrize("rows", [1, 30])
def test_idea_changelist_queries_are_bounded(admin, django_assert_max_num_queries, rows):
    theme = ThemeFactory()
    for _ in range(rows):
        IdeaFactory().themes.add(theme)
    # Session, user, counts, the page of rows with owners joined, the filters' choices.
    with django_assert_max_num_queries(10):
        response = admin.get(admin_url(Idea, "changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count == rows


@pytest.mark.parametrize("rows", [1, 30])
def test_organisation_changelist_queries_are_bounded(admin, django_assert_max_num_queries, rows):
    for i in range(rows):
        OrganisationFactory(region=region("06" if i % 2 else "13"))
    with django_assert_max_num_queries(8):
        response = admin.get(admin_url(Organisation, "changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count == rows


@pytest.mark.parametrize(
    ("model", "make"),
    [
        (StageTransition, lambda: IdeaFactory()),
        (FundingApplication, lambda: FundingApplicationFactory()),
        (ConsortiumMember, lambda: ConsortiumMemberFactory()),
    ],
    ids=["stagetransition", "fundingapplication", "consortiummember"],
)
def test_other_changelists_queries_are_bounded(admin, django_assert_max_num_queries, model, make):
    for _ in range(30):
        make()
    with django_assert_max_num_queries(10):
        assert admin.get(admin_url(model, "changelist")).status_code == 200


# Ideas: created through the service, stage never edited here -----------------------------


def test_adding_an_idea_writes_its_first_stage_transition(admin, admin_user, manager_user):
    theme = ThemeFactory()
    page = admin.get(admin_url(Idea, "add"))
    data = form_data(page)
    data.update(
        {
            "title": "Koneoppiva laadunvalvonta",
            "summary": "Konenäkö hitsaussaumoihin",
            "owner": str(manager_user.pk),
            "estimated_budget": "250000",
            "themes": [str(theme.pk)],
            "regions": [str(region("06").pk), str(region("14").pk)],
            # A stage in the post is ignored: new ideas start in the first stage.
            "stage": Stage.APPLICATION,
        }
    )
    response = admin.post(admin_url(Idea, "add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors

    idea = Idea.objects.get(title="Koneoppiva laadunvalvonta")
    assert idea.stage == Stage.IDEA
    assert idea.owner == manager_user
    assert idea.estimated_budget == Decimal("250000")
    assert set(idea.themes.all()) == {theme}
    assert {r.code for r in idea.regions.all()} == {"06", "14"}
    (first,) = idea.transitions.all()
    assert (first.from_stage, first.to_stage, first.by) == ("", Stage.IDEA, admin_user)
    assert idea.history.first().history_user == admin_user


def test_adding_an_idea_with_invalid_data_shows_errors(admin):
    data = form_data(admin.get(admin_url(Idea, "add")))
    data.update({"title": "", "estimated_budget": "-5"})
    response = admin.post(admin_url(Idea, "add"), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "title" in errors
    assert not Idea.objects.exists()
    assert not StageTransition.objects.exists()


def test_changing_an_idea_keeps_its_stage_and_history(admin, admin_user):
    idea = IdeaFactory(in_consortium=True)
    transitions_before = list(idea.transitions.values_list("pk", flat=True))
    url = admin_url(Idea, "change", idea.pk)
    data = form_data(admin.get(url))
    data.update({"title": "Uusi nimi", "stage": Stage.COMPLETED, "drop_reason": "x"})

    response = admin.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    idea_after = Idea.objects.get(pk=idea.pk)
    assert idea_after.title == "Uusi nimi"
    assert idea_after.stage == Stage.CONSORTIUM
    assert idea_after.stage_entered_at == idea.stage_entered_at
    assert idea_after.drop_reason == ""
    # An edit is not a move: the version counts stage moves, as after the idea page's edit.
    assert idea_after.version == idea.version
    assert list(idea_after.transitions.values_list("pk", flat=True)) == transitions_before
    assert idea_after.history.first().history_user == admin_user


def test_reverting_an_idea_from_its_history_does_not_move_it(admin):
    idea = IdeaFactory(title="Alkuperäinen")
    created = idea.history.earliest()
    idea = idea_move(idea=idea, to_stage=Stage.CONSORTIUM, by=idea.owner)
    url = reverse("admin:portfolio_idea_simple_history", args=(idea.pk, created.history_id))
    data = form_data(admin.get(url))

    response = admin.post(url, data)

    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.stage == Stage.CONSORTIUM
    assert idea.transitions.count() == 2


def test_stage_fields_are_read_only_on_the_change_page(admin):
    idea = IdeaFactory()
    response = admin.get(admin_url(Idea, "change", idea.pk))
    form = response.context["adminform"].form
    for field in ("stage", "stage_entered_at", "drop_reason", "version"):
        assert field not in form.fields


def test_ideas_cannot_be_deleted_in_the_admin(admin):
    idea = IdeaFactory()
    assert admin.get(admin_url(Idea, "delete", idea.pk)).status_code == 403
    assert admin.post(admin_url(Idea, "delete", idea.pk), {"post": "yes"}).status_code == 403
    assert Idea.objects.filter(pk=idea.pk).exists()


def test_consortium_members_added_inline_go_through_the_service(admin, admin_user):
    idea = IdeaFactory()
    first, second = OrganisationFactory(), OrganisationFactory()
    url = admin_url(Idea, "change", idea.pk)
    data = form_data(admin.get(url))
    prefix = "consortium_members"
    data[f"{prefix}-TOTAL_FORMS"] = 2
    for i, organisation in enumerate((first, second)):
        data.update(
            {
                f"{prefix}-{i}-organisation": organisation.pk,
                f"{prefix}-{i}-role": ConsortiumMember.Role.LEAD,
                f"{prefix}-{i}-status": ConsortiumMember.Status.INVITED,
            }
        )

    # Two leads in one submit: refused with a message, nothing saved.
    response = admin.post(url, data)
    assert response.status_code == 200
    assert not idea.consortium_members.exists()
    (members,) = [
        i.formset
        for i in response.context["inline_admin_formsets"]
        if i.formset.model is ConsortiumMember
    ]
    assert members.non_form_errors()

    data[f"{prefix}-1-role"] = ConsortiumMember.Role.PARTNER
    response = admin.post(url, data)
    assert response.status_code == 302
    lead = idea.consortium_members.get(role=ConsortiumMember.Role.LEAD)
    assert lead.organisation == first
    assert lead.history.first().history_user == admin_user


# Every write goes through the services, and a refusal is shown, never half saved ---------


def refuse(message: str, field: str | None = None):
    """A stand-in for a service that refuses every call, as a rule added to it later would."""
    error = ValidationError({field: [message]} if field else [message])

    def service(**kwargs):
        raise error

    return service


def calls_through(monkeypatch, name: str) -> list[dict]:
    """Record every call the admin makes to the service ``name``, and let it run. Objects
    are recorded by their pk at the call (a deleted one has none afterwards)."""
    real = getattr(portfolio.services, name)
    calls: list[dict] = []

    def spy(**kwargs):
        calls.append({key: getattr(value, "pk", value) for key, value in kwargs.items()})
        return real(**kwargs)

    monkeypatch.setattr(portfolio.admin, name, spy, raising=False)
    return calls


def inline_formset(response, model):
    (formset,) = [
        i.formset for i in response.context["inline_admin_formsets"] if i.formset.model is model
    ]
    return formset


def add_member_rows(data: dict, *organisations) -> None:
    prefix = "consortium_members"
    data[f"{prefix}-TOTAL_FORMS"] = len(organisations)
    for i, organisation in enumerate(organisations):
        data.update(
            {
                f"{prefix}-{i}-organisation": organisation.pk,
                f"{prefix}-{i}-role": ConsortiumMember.Role.PARTNER,
                f"{prefix}-{i}-status": ConsortiumMember.Status.INVITED,
            }
        )


def test_changing_an_idea_goes_through_idea_update_and_versions_it_as_the_page_does(
    admin, admin_user, manager, monkeypatch
):
    theme = ThemeFactory()
    on_page, in_admin = IdeaFactory(in_consortium=True), IdeaFactory(in_consortium=True)
    calls = calls_through(monkeypatch, "idea_update")

    response = manager.post(
        reverse("idea-edit", args=[on_page.pk]),
        {"title": "Sivulla", "owner": on_page.owner.pk, "themes": [theme.pk], "regions": []},
    )
    assert response.status_code == 302
    url = admin_url(Idea, "change", in_admin.pk)
    data = form_data(admin.get(url))
    data.update({"title": "Ylläpidossa", "themes": [str(theme.pk)]})
    response = admin.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors

    page_after, admin_after = Idea.objects.get(pk=on_page.pk), Idea.objects.get(pk=in_admin.pk)
    assert admin_after.title == "Ylläpidossa"
    assert list(admin_after.themes.all()) == [theme]
    assert admin_after.version - in_admin.version == page_after.version - on_page.version
    (call,) = calls
    assert call["idea"] == in_admin.pk
    assert call["by"] == admin_user.pk
    assert list(call["themes"]) == [theme]
    assert admin_after.history.latest().history_user == admin_user


def test_a_refused_idea_change_is_shown_beside_its_field_and_saves_nothing(admin, monkeypatch):
    idea = IdeaFactory(title="Ennallaan")
    history_before = idea.history.count()
    monkeypatch.setattr(
        portfolio.admin,
        "idea_update",
        refuse("Over the instrument's ceiling.", "estimated_budget"),
        raising=False,
    )
    url = admin_url(Idea, "change", idea.pk)
    data = form_data(admin.get(url))
    data["title"] = "Muutettu"

    response = admin.post(url, data)

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["estimated_budget"] == ["Over the instrument's ceiling."]
    assert "Over the instrument&#x27;s ceiling." in response.content.decode()
    idea.refresh_from_db()
    assert idea.title == "Ennallaan"
    assert idea.history.count() == history_before


def test_a_refused_revert_from_history_is_shown_and_saves_nothing(admin, monkeypatch):
    idea = IdeaFactory(title="Alkuperäinen")
    created = idea.history.earliest()
    idea.title = "Nykyinen"
    idea.save()
    monkeypatch.setattr(portfolio.admin, "idea_update", refuse("Not now."), raising=False)
    url = reverse("admin:portfolio_idea_simple_history", args=(idea.pk, created.history_id))

    response = admin.post(url, form_data(admin.get(url)))

    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == ["Not now."]
    idea.refresh_from_db()
    assert idea.title == "Nykyinen"


def test_a_refused_inline_row_on_a_new_idea_saves_no_idea_at_all(admin, monkeypatch):
    monkeypatch.setattr(
        portfolio.admin,
        "consortium_member_save",
        refuse("This organisation cannot join now.", "organisation"),
    )
    data = form_data(admin.get(admin_url(Idea, "add")))
    data["title"] = "Puoliksi tallennettu?"
    add_member_rows(data, OrganisationFactory())

    response = admin.post(admin_url(Idea, "add"), data)

    assert response.status_code == 200
    (row,) = inline_formset(response, ConsortiumMember).forms
    assert row.errors["organisation"] == ["This organisation cannot join now."]
    assert not Idea.objects.exists()
    assert not StageTransition.objects.exists()
    assert not ConsortiumMember.objects.exists()
    assert not Idea.history.exists()


def test_a_refused_funding_row_leaves_the_idea_and_its_other_rows_as_they_were(admin, monkeypatch):
    idea = IdeaFactory(title="Ennallaan")
    application = FundingApplicationFactory(idea=idea, reference="VANHA")
    # The idea's funding rows are funding's part of its admin page.
    monkeypatch.setattr(
        funding.admin, "application_save", refuse("Funding is closed for this idea.", "idea")
    )
    url = admin_url(Idea, "change", idea.pk)
    data = form_data(admin.get(url))
    data.update({"title": "Muutettu", "funding_applications-0-reference": "UUSI"})
    add_member_rows(data, OrganisationFactory())

    response = admin.post(url, data)

    assert response.status_code == 200
    (row,) = inline_formset(response, FundingApplication).forms
    # The row's idea is a hidden field: the message stands above the row instead.
    assert row.non_field_errors() == ["Funding is closed for this idea."]
    assert "Funding is closed for this idea." in response.content.decode()
    idea.refresh_from_db()
    application.refresh_from_db()
    assert idea.title == "Ennallaan"
    assert application.reference == "VANHA"
    assert not idea.consortium_members.exists()


def test_deleting_a_member_inline_goes_through_the_service(admin, admin_user, monkeypatch):
    idea = IdeaFactory()
    member = ConsortiumMemberFactory(idea=idea)
    calls = calls_through(monkeypatch, "consortium_member_remove")
    url = admin_url(Idea, "change", idea.pk)
    data = form_data(admin.get(url))
    data["consortium_members-0-DELETE"] = "on"

    response = admin.post(url, data)

    assert response.status_code == 302
    assert [(call["member"], call["by"]) for call in calls] == [(member.pk, admin_user.pk)]
    assert not idea.consortium_members.exists()


def test_a_refused_member_removal_is_shown_and_keeps_the_member(admin, monkeypatch):
    idea = IdeaFactory(title="Ennallaan")
    member = ConsortiumMemberFactory(idea=idea)
    monkeypatch.setattr(
        portfolio.admin,
        "consortium_member_remove",
        refuse("The lead stays while the application is open."),
        raising=False,
    )
    url = admin_url(Idea, "change", idea.pk)
    data = form_data(admin.get(url))
    data.update({"title": "Muutettu", "consortium_members-0-DELETE": "on"})

    response = admin.post(url, data)

    assert response.status_code == 200
    members = inline_formset(response, ConsortiumMember)
    assert members.non_form_errors() == [f"{member}: The lead stays while the application is open."]
    assert ConsortiumMember.objects.filter(pk=member.pk).exists()
    idea.refresh_from_db()
    assert idea.title == "Ennallaan"


def test_deleting_members_on_their_own_screens_goes_through_the_service(
    admin, admin_user, monkeypatch
):
    one, two, three = (ConsortiumMemberFactory() for _ in range(3))
    calls = calls_through(monkeypatch, "consortium_member_remove")

    response = admin.post(admin_url(ConsortiumMember, "delete", one.pk), {"post": "yes"})
    assert response.status_code == 302
    response = admin.post(
        admin_url(ConsortiumMember, "changelist"),
        {"action": "delete_selected", "_selected_action": [two.pk, three.pk], "post": "yes"},
    )
    assert response.status_code == 302

    assert sorted(call["member"] for call in calls) == [one.pk, two.pk, three.pk]
    assert {call["by"] for call in calls} == {admin_user.pk}
    assert not ConsortiumMember.objects.exists()


def test_a_refused_member_removal_on_its_own_screens_is_a_message(admin, monkeypatch):
    member = ConsortiumMemberFactory()
    monkeypatch.setattr(
        portfolio.admin, "consortium_member_remove", refuse("Not now."), raising=False
    )

    response = admin.post(
        admin_url(ConsortiumMember, "delete", member.pk), {"post": "yes"}, follow=True
    )
    assert response.status_code == 200
    assert "Not now." in [str(m) for m in get_messages(response.wsgi_request)]

    response = admin.post(
        admin_url(ConsortiumMember, "changelist"),
        {"action": "delete_selected", "_selected_action": [member.pk], "post": "yes"},
        follow=True,
    )
    assert response.status_code == 200
    # The refusal alone: no word of a deletion.
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Not now."]
    assert ConsortiumMember.objects.filter(pk=member.pk).exists()


def test_a_refused_member_save_on_its_own_screen_is_shown_on_the_form(admin, monkeypatch):
    member = ConsortiumMemberFactory(status=ConsortiumMember.Status.INVITED)
    monkeypatch.setattr(portfolio.admin, "consortium_member_save", refuse("Not yet.", "status"))
    url = admin_url(ConsortiumMember, "change", member.pk)
    data = form_data(admin.get(url))
    data["status"] = ConsortiumMember.Status.COMMITTED

    response = admin.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["status"] == ["Not yet."]
    member.refresh_from_db()
    assert member.status == ConsortiumMember.Status.INVITED


def test_an_application_set_back_to_draft_in_the_admin_loses_its_decision(admin, admin_user):
    # As on the idea page and in the API: the granted amount and decision date still in the
    # form's fields are not recorded for an undecided application.
    application = FundingApplicationFactory(approved=True)
    url = admin_url(FundingApplication, "change", application.pk)
    data = form_data(admin.get(url))
    assert data["granted"] == "120000.00"
    data["status"] = FundingApplication.Status.DRAFT
    data["submitted_on"] = ""  # a draft has not been submitted

    response = admin.post(url, data)

    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.status, application.granted, application.decided_on) == (
        FundingApplication.Status.DRAFT,
        None,
        None,
    )
    assert application.history.first().history_user == admin_user


def test_an_application_rejected_inline_on_an_idea_records_no_granted_amount(admin, admin_user):
    application = FundingApplicationFactory(approved=True)
    url = admin_url(Idea, "change", application.idea_id)
    data = form_data(admin.get(url))
    prefix = "funding_applications-0"
    assert data[f"{prefix}-granted"] == "120000.00"
    data[f"{prefix}-status"] = FundingApplication.Status.REJECTED

    response = admin.post(url, data)

    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.status, application.granted) == (FundingApplication.Status.REJECTED, None)
    assert application.history.first().history_user == admin_user


# Stage transitions are append-only --------------------------------------------------------


def test_stage_transition_admin_refuses_add_change_and_delete(admin, admin_user):
    idea = IdeaFactory()
    transition = idea.transitions.get()
    model_admin = admin_site._registry[StageTransition]
    request = RequestFactory().get("/")
    request.user = admin_user
    assert model_admin.has_view_permission(request, transition)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, transition)
    assert not model_admin.has_delete_permission(request, transition)

    assert admin.get(admin_url(StageTransition, "add")).status_code == 403
    assert admin.post(admin_url(StageTransition, "add"), {}).status_code == 403
    change_url = admin_url(StageTransition, "change", transition.pk)
    assert admin.post(change_url, {"note": "rewritten", "to_stage": "dropped"}).status_code == 403
    assert admin.get(admin_url(StageTransition, "delete", transition.pk)).status_code == 403
    assert admin.post(
        admin_url(StageTransition, "changelist"),
        {"action": "delete_selected", "_selected_action": [transition.pk], "post": "yes"},
    ).status_code in (200, 302)

    transition.refresh_from_db()
    assert transition.note == ""
    assert transition.to_stage == Stage.IDEA
    assert StageTransition.objects.filter(pk=transition.pk).exists()


def test_stage_history_inline_on_an_idea_is_read_only(admin):
    idea = IdeaFactory(in_consortium=True)
    response = admin.get(admin_url(Idea, "change", idea.pk))
    (inline,) = [
        i for i in response.context["inline_admin_formsets"] if i.formset.model is StageTransition
    ]
    assert not inline.has_add_permission
    assert not inline.has_change_permission
    assert not inline.has_delete_permission
    assert len(inline.formset.initial_forms) == 2


# Only the administrator gets in; contact persons stay hidden -----------------------------


# The marker orders the test among the database tests: its persona fixture is looked up late,
# after tests that flush the database (and the groups its migrations made) may have run.
@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["admin:index", "admin:portfolio_idea_changelist"])
@pytest.mark.parametrize("who", ["anonymous", "funder", "manager"])
def test_non_staff_are_sent_to_the_admin_login(request, who, url_name):
    client: Client = request.getfixturevalue(who)
    url = reverse(url_name)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_contact_inline_is_hidden_from_a_user_without_view_contact(client, one_of_each):
    # Funders are never staff; if one ever were, their missing view_contact still hides
    # contact persons everywhere in the admin.
    funder = staff_in_group(FUNDERS_GROUP, "staff-funder")
    client.force_login(funder)
    organisation = one_of_each[Organisation]
    contact = one_of_each[Contact]

    response = client.get(admin_url(Organisation, "change", organisation.pk))
    assert response.status_code == 200
    assert not any(i.formset.model is Contact for i in response.context["inline_admin_formsets"])
    body = response.content.decode()
    assert contact.name not in body
    assert contact.email not in body

    response = client.get(admin_url(Idea, "change", one_of_each[Idea].pk))
    assert response.status_code == 200
    assert contact.name not in response.content.decode()

    response = client.get(admin_url(ConsortiumMember, "change", one_of_each[ConsortiumMember].pk))
    assert response.status_code == 200
    assert contact.name not in response.content.decode()

    assert client.get(admin_url(Contact, "changelist")).status_code == 403
    assert client.get(admin_url(Contact, "change", contact.pk)).status_code == 403


def test_contact_inline_is_shown_to_a_staff_project_manager(client, one_of_each):
    client.force_login(staff_in_group(MANAGERS_GROUP, "staff-manager"))
    contact = one_of_each[Contact]
    response = client.get(admin_url(Organisation, "change", one_of_each[Organisation].pk))
    assert response.status_code == 200
    assert any(i.formset.model is Contact for i in response.context["inline_admin_formsets"])
    assert contact.email in response.content.decode()


def test_contact_autocomplete_is_refused_without_view_contact(client, one_of_each):
    client.force_login(staff_in_group(FUNDERS_GROUP, "staff-funder"))
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "portfolio",
            "model_name": "consortiummember",
            "field_name": "contact",
            "term": one_of_each[Contact].name[:3],
        },
    )
    assert response.status_code == 403


def test_contacts_follow_can_view_contacts_not_the_admin_permission(client, one_of_each):
    # Staff who were given the contact permissions but are no project managers: the pages
    # hide contact persons from them (can_view_contacts), so the admin does too.
    clerk = UserFactory(username="staff-clerk", is_staff=True)
    clerk.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="portfolio",
            codename__in=[
                f"{action}_{model}"
                for action in ("view", "change")
                for model in ("contact", "organisation", "idea", "consortiummember")
            ],
        )
    )
    assert clerk.has_perm("portfolio.view_contact")
    assert not can_view_contacts(clerk)
    client.force_login(clerk)
    contact = one_of_each[Contact]

    response = client.get(admin_url(Organisation, "change", one_of_each[Organisation].pk))
    assert response.status_code == 200
    assert not any(i.formset.model is Contact for i in response.context["inline_admin_formsets"])
    assert contact.email not in response.content.decode()
    for model in (Idea, ConsortiumMember):
        response = client.get(admin_url(model, "change", one_of_each[model].pk))
        assert response.status_code == 200
        assert contact.name not in response.content.decode()
    assert client.get(admin_url(Contact, "changelist")).status_code == 403
    assert client.get(admin_url(Contact, "change", contact.pk)).status_code == 403
