"""An idea is owned by an active project manager: the rule lives in the idea service, and
the page, the API and the import give the same answer. An owner who has left the role stays
on the ideas they already own."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from portfolio import services
from portfolio.models import Idea
from tests.api.conftest import API, api_client
from tests.factories import IdeaFactory, UserFactory

pytestmark = pytest.mark.django_db

OWNER_MESSAGE = "The owner must be an active project manager."


def idea_form(**overrides) -> dict:
    data = {
        "title": "Robottihitsaus",
        "summary": "",
        "owner": "",
        "origin_event": "",
        "themes": [],
        "regions": [],
        "estimated_budget": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def manager_api(manager_user):
    return api_client(manager_user)


@pytest.fixture
def funder_person(db):
    return UserFactory(username="fanni2", funder=True)


def test_the_service_refuses_an_owner_who_is_not_a_project_manager(funder_person, manager_user):
    with pytest.raises(ValidationError) as refused:
        services.idea_create(title="Robottihitsaus", owner=funder_person, by=manager_user)
    assert refused.value.message_dict == {"owner": [OWNER_MESSAGE]}
    assert not Idea.objects.exists()


def test_the_page_and_the_api_refuse_the_same_owner(manager, manager_api, funder_person):
    page = manager.post(reverse("idea-create"), idea_form(owner=funder_person.pk))
    api = manager_api.post(
        f"{API}/ideas/", {"title": "Robottihitsaus", "owner": funder_person.pk}, format="json"
    )
    assert page.status_code == 200 and "owner" in page.context["form"].errors
    assert api.status_code == 400 and "owner" in api.json()
    assert not Idea.objects.exists()


def test_an_owner_who_left_the_role_stays_on_their_ideas_but_gets_no_new_ones(
    manager, manager_api, manager_user
):
    former = UserFactory(username="entinen", manager=True)
    idea = IdeaFactory(owner=former)
    former.groups.clear()

    # Their idea can still be edited without naming another owner, on the page and the API.
    response = manager.post(
        reverse("idea-edit", args=[idea.pk]), idea_form(title="Uusi nimi", owner=former.pk)
    )
    assert response.status_code == 302
    response = manager_api.patch(
        f"{API}/ideas/{idea.pk}/", {"title": "Toinen nimi", "owner": former.pk}, format="json"
    )
    assert response.status_code == 200, response.json()

    # Another idea cannot be given to them.
    other = IdeaFactory(owner=manager_user)
    page = manager.post(
        reverse("idea-edit", args=[other.pk]), idea_form(title=other.title, owner=former.pk)
    )
    api = manager_api.patch(f"{API}/ideas/{other.pk}/", {"owner": former.pk}, format="json")
    assert page.status_code == 200 and "owner" in page.context["form"].errors
    assert api.status_code == 400 and "owner" in api.json()
    with pytest.raises(ValidationError):
        other.owner = former
        services.idea_update(idea=other, by=manager_user)
    other.refresh_from_db()
    assert other.owner == manager_user


def test_the_owner_filter_offers_managers_and_whoever_still_owns_an_idea(funder_person):
    from portfolio.filters import idea_owners

    idle_manager = UserFactory(username="joutilas", manager=True)
    former = UserFactory(username="entinen2", manager=True)
    IdeaFactory(owner=former)
    former.groups.clear()
    # Neither a manager nor an owner: not offered (a funder who owns nothing).
    offered = set(idea_owners().values_list("username", flat=True))
    assert {"joutilas", "entinen2"} <= offered
    assert funder_person.username not in offered
    assert idle_manager.pk in set(idea_owners().values_list("pk", flat=True))
