from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from portfolio.models import ConsortiumMember, Idea
from portfolio.services import consortium_member_save, idea_create, idea_move
from portfolio.stages import Stage
from tests.factories import (
    ConsortiumMemberFactory,
    ContactFactory,
    IdeaFactory,
    OrganisationFactory,
    RoadshowEventFactory,
    ThemeFactory,
    region,
)

pytestmark = pytest.mark.django_db


def test_idea_create_starts_the_history(manager_user):
    event = RoadshowEventFactory()
    theme = ThemeFactory()
    when = datetime(2023, 3, 16, 10, tzinfo=ZoneInfo("Europe/Helsinki"))
    idea = idea_create(
        title="Shared robot cell for SMEs",
        by=manager_user,
        owner=manager_user,
        origin_event=event,
        themes=[theme],
        regions=[region("06"), region("14")],
        estimated_budget=Decimal("250000"),
        at=when,
    )
    assert idea.stage == Stage.IDEA
    assert idea.stage_entered_at == idea.created_at == when
    (first,) = idea.transitions.all()
    assert (first.from_stage, first.to_stage, first.at, first.by) == ("", "idea", when, manager_user)
    assert list(idea.regions.values_list("code", flat=True)) == ["06", "14"]
    record = idea.history.get(history_type="+")
    assert (record.history_user, record.history_date) == (manager_user, when)


def test_idea_create_rejects_bad_input_and_writes_nothing(manager_user):
    with pytest.raises(ValidationError) as exc:
        idea_create(title="", by=manager_user, estimated_budget=Decimal("-5"))
    assert set(exc.value.message_dict) == {"title", "estimated_budget"}
    assert not Idea.objects.exists()


def test_field_changes_are_kept_in_history(manager_user):
    idea = IdeaFactory(title="Before")
    idea.title = "After"
    idea._history_user = manager_user
    idea.save()
    titles = list(idea.history.order_by("history_date").values_list("title", flat=True))
    assert titles == ["Before", "After"]


def test_moves_do_not_touch_field_history_but_are_in_transitions():
    idea = IdeaFactory()
    idea_move(idea=idea, to_stage=Stage.CONSORTIUM, by=idea.owner)
    assert idea.transitions.count() == 2


class TestConsortium:
    def test_second_lead_is_refused_with_a_message(self, manager_user):
        lead = ConsortiumMemberFactory(role="lead")
        second = ConsortiumMember(idea=lead.idea, organisation=OrganisationFactory(), role="lead")
        with pytest.raises(ValidationError) as exc:
            consortium_member_save(member=second, by=manager_user)
        assert "already has a lead organisation" in exc.value.message_dict["role"][0]
        assert lead.idea.consortium_members.count() == 1

    def test_organisation_only_once(self, manager_user):
        member = ConsortiumMemberFactory()
        twin = ConsortiumMember(idea=member.idea, organisation=member.organisation)
        with pytest.raises(ValidationError) as exc:
            consortium_member_save(member=twin, by=manager_user)
        assert "already in the consortium" in exc.value.message_dict["organisation"][0]

    def test_contact_must_work_at_the_member(self, manager_user):
        idea = IdeaFactory()
        member = ConsortiumMember(
            idea=idea, organisation=OrganisationFactory(), contact=ContactFactory()
        )
        with pytest.raises(ValidationError) as exc:
            consortium_member_save(member=member, by=manager_user)
        assert "contact" in exc.value.message_dict

    def test_saved_with_history(self, manager_user):
        idea = IdeaFactory()
        org = OrganisationFactory()
        member = consortium_member_save(
            member=ConsortiumMember(
                idea=idea, organisation=org, role="lead", status="committed",
                contact=ContactFactory(organisation=org), budget_share=Decimal("50000"),
            ),
            by=manager_user,
        )
        assert member.history.get().history_user == manager_user
