"""Each database constraint of the portfolio models rejects a bad row by itself.

Rows are written with plain ``save()``/``create()`` so only the database stands in the way.
"""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from portfolio.models import (
    ConsortiumMember,
    Contact,
    Idea,
    Organisation,
    Region,
    StageTransition,
    Theme,
)
from tests.factories import (
    ConsortiumMemberFactory,
    IdeaFactory,
    OrganisationFactory,
    RoadshowEventFactory,
    ThemeFactory,
    UncheckedConsortiumMemberFactory,
    region,
)

pytestmark = pytest.mark.django_db


def rejected(write) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        write()


def test_region_code_is_two_digits():
    rejected(lambda: Region.objects.create(code="6", name_fi="x", name_sv="x", name_en="x"))
    rejected(lambda: Region.objects.create(code="A1", name_fi="x", name_sv="x", name_en="x"))


def test_region_code_unique():
    rejected(lambda: Region.objects.create(code="06", name_fi="x", name_sv="x", name_en="x"))


def test_theme_needs_a_name_and_is_not_its_own_parent():
    rejected(lambda: Theme.objects.create(name_fi="", slug="empty"))
    theme = ThemeFactory()
    theme.parent_id = theme.pk
    rejected(theme.save)


def test_organisation_rules():
    OrganisationFactory(business_id="2252888-5")
    rejected(lambda: Organisation.objects.create(name="Twin Oy", business_id="2252888-5"))
    rejected(lambda: Organisation.objects.create(name="Bad Oy", business_id="22528885"))
    rejected(lambda: Organisation.objects.create(name="", business_id=""))
    rejected(lambda: Organisation.objects.create(name="Kind Oy", kind="bank"))
    rejected(lambda: Organisation.objects.create(name="Size Oy", size="huge"))


def test_contact_needs_a_name():
    org = OrganisationFactory()
    rejected(lambda: Contact.objects.create(organisation=org, name=""))


def test_event_rules():
    rejected(lambda: RoadshowEventFactory(title=""))
    rejected(lambda: RoadshowEventFactory(format="webinar"))
    rejected(lambda: RoadshowEventFactory(format="onsite", participants_online=3))
    rejected(lambda: RoadshowEventFactory(format="online", participants_onsite=3))
    rejected(lambda: RoadshowEventFactory(participants_onsite=-1))


def test_idea_rules():
    idea = IdeaFactory()

    def write(**fields):
        def do():
            Idea.objects.filter(pk=idea.pk).update(**fields)

        return do

    rejected(write(title=""))
    rejected(write(stage="someday"))
    rejected(write(estimated_budget=Decimal("-1")))
    rejected(write(stage="dropped", drop_reason=""))
    rejected(write(stage="dropped", drop_reason="   "))
    rejected(write(stage="consortium", drop_reason="left over"))


def test_consortium_rules():
    member = ConsortiumMemberFactory(role="lead")
    idea = member.idea
    rejected(lambda: ConsortiumMember.objects.create(idea=idea, organisation=member.organisation))
    rejected(lambda: UncheckedConsortiumMemberFactory(idea=idea, role="lead"))
    rejected(lambda: UncheckedConsortiumMemberFactory(idea=idea, role="sponsor"))
    rejected(lambda: UncheckedConsortiumMemberFactory(idea=idea, status="maybe"))
    rejected(lambda: UncheckedConsortiumMemberFactory(idea=idea, budget_share=Decimal("-5")))
    # A lead in another idea is fine.
    ConsortiumMemberFactory(role="lead")


def test_stage_transition_rules():
    idea = IdeaFactory()
    rejected(lambda: StageTransition.objects.create(idea=idea, from_stage="idea", to_stage="idea"))
    rejected(lambda: StageTransition.objects.create(idea=idea, from_stage="", to_stage="nowhere"))
    rejected(lambda: StageTransition.objects.create(idea=idea, from_stage="x", to_stage="idea"))


def test_stage_transitions_are_append_only():
    transition = IdeaFactory().transitions.get()
    with pytest.raises(TypeError):
        transition.note = "rewritten"
        transition.save()
    with pytest.raises(TypeError):
        StageTransition.objects.filter(pk=transition.pk).update(note="rewritten")


def test_region_helper_finds_partner_regions():
    assert region("06").name_fi == "Pirkanmaa"
