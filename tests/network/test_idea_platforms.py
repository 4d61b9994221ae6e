"""Ideas name the platforms they plan to use: a field on the idea form, a list on its page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portfolio.models import Idea
from tests.factories import IdeaFactory, PlatformFactory
from tests.helpers import assert_no_inline_code

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def pages_in_english(settings):
    settings.LANGUAGE_CODE = "en"


def form_data(**overrides) -> dict:
    data = {
        "title": "Robottihitsaus pk-yrityksiin",
        "summary": "Yhteinen pilottilinja",
        "owner": "",
        "origin_event": "",
        "themes": [],
        "regions": [],
        "estimated_budget": "150000",
        "platforms": [],
    }
    data.update(overrides)
    return data


def test_new_idea_names_its_platforms(manager):
    line, lab = PlatformFactory(name="Pilottilinja"), PlatformFactory(name="Laboratorio")
    PlatformFactory(name="Suljettu", is_active=False)
    form = manager.get(reverse("idea-create")).context["form"]
    assert [p.name for p in form.fields["platforms"].queryset] == ["Laboratorio", "Pilottilinja"]

    response = manager.post(reverse("idea-create"), form_data(platforms=[line.pk, lab.pk]))
    idea = Idea.objects.get()
    assert response.status_code == 302
    assert set(idea.platforms.all()) == {line, lab}


def test_edit_form_shows_and_changes_the_platforms(manager):
    line, lab = PlatformFactory(), PlatformFactory()
    idea = IdeaFactory(title="Robottihitsaus")
    line.ideas.add(idea)
    response = manager.get(reverse("idea-edit", args=[idea.pk]))
    assert response.context["form"]["platforms"].value() == [line.pk]
    body = response.content.decode()
    assert f'value="{line.pk}"' in body and "checked" in body
    assert_no_inline_code(body)

    manager.post(
        reverse("idea-edit", args=[idea.pk]), form_data(title="Robottihitsaus", platforms=[lab.pk])
    )
    assert list(idea.platforms.all()) == [lab]
    manager.post(reverse("idea-edit", args=[idea.pk]), form_data(title="Robottihitsaus"))
    assert not idea.platforms.exists()


def test_a_retired_platform_stays_offered_to_the_idea_that_names_it(manager):
    retired = PlatformFactory(name="Suljettu")
    idea = IdeaFactory()
    retired.ideas.add(idea)
    retired.is_active = False
    retired.save()
    form = manager.get(reverse("idea-edit", args=[idea.pk])).context["form"]
    assert retired in form.fields["platforms"].queryset
    response = manager.post(
        reverse("idea-edit", args=[idea.pk]), form_data(title=idea.title, platforms=[retired.pk])
    )
    assert response.status_code == 302
    assert list(idea.platforms.all()) == [retired]


@pytest.mark.parametrize("value", ["99999999999999999999", "abc"])
def test_a_platform_that_does_not_exist_is_refused_at_the_field(manager, value):
    response = manager.post(reverse("idea-create"), form_data(platforms=[value]))
    assert response.status_code == 200
    assert response.context["form"].errors["platforms"]
    assert not Idea.objects.exists()


def test_a_retired_platform_cannot_be_chosen_and_nothing_is_saved(manager):
    retired = PlatformFactory(is_active=False)
    response = manager.post(reverse("idea-create"), form_data(platforms=[retired.pk]))
    assert response.status_code == 200
    assert response.context["form"].errors["platforms"]
    assert not Idea.objects.exists()


def test_idea_page_lists_its_platforms(funder):
    idea = IdeaFactory()
    platform = PlatformFactory(name="5G-testiverkko", ideas=[idea])
    PlatformFactory(name="Ei tämän idean")
    body = funder.get(reverse("idea-detail", args=[idea.pk])).content.decode()
    assert reverse("platform-detail", args=[platform.pk]) in body
    assert "5G-testiverkko" in body
    assert platform.host_organisation.name in body
    assert "Ei tämän idean" not in body
