"""Ideas name the platforms they plan to use: chosen on the idea's platforms page (the
network's own), listed on the idea's page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import IdeaFactory, PlatformFactory
from tests.helpers import assert_no_inline_code

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def pages_in_english(settings):
    settings.LANGUAGE_CODE = "en"


def platforms_url(idea) -> str:
    return reverse("idea-platforms", args=[idea.pk])


def test_an_idea_names_its_platforms(manager):
    line, lab = PlatformFactory(name="Pilottilinja"), PlatformFactory(name="Laboratorio")
    PlatformFactory(name="Suljettu", is_active=False)
    idea = IdeaFactory()
    form = manager.get(platforms_url(idea)).context["form"]
    assert [p.name for p in form.fields["platforms"].queryset] == ["Laboratorio", "Pilottilinja"]

    response = manager.post(platforms_url(idea), {"platforms": [line.pk, lab.pk]})
    assert response.status_code == 302
    assert response["Location"] == reverse("idea-detail", args=[idea.pk]) + "#platforms"
    assert set(idea.platforms.all()) == {line, lab}


def test_the_page_shows_and_changes_the_platforms(manager):
    line, lab = PlatformFactory(), PlatformFactory()
    idea = IdeaFactory(title="Robottihitsaus")
    line.ideas.add(idea)
    response = manager.get(platforms_url(idea))
    assert response.context["form"]["platforms"].value() == [line.pk]
    body = response.content.decode()
    assert f'value="{line.pk}"' in body and "checked" in body
    assert_no_inline_code(body)

    manager.post(platforms_url(idea), {"platforms": [lab.pk]})
    assert list(idea.platforms.all()) == [lab]
    manager.post(platforms_url(idea), {})
    assert not idea.platforms.exists()


def test_a_retired_platform_stays_offered_to_the_idea_that_names_it(manager):
    retired = PlatformFactory(name="Suljettu")
    idea = IdeaFactory()
    retired.ideas.add(idea)
    retired.is_active = False
    retired.save()
    form = manager.get(platforms_url(idea)).context["form"]
    assert retired in form.fields["platforms"].queryset
    response = manager.post(platforms_url(idea), {"platforms": [retired.pk]})
    assert response.status_code == 302
    assert list(idea.platforms.all()) == [retired]


@pytest.mark.parametrize("value", ["99999999999999999999", "abc"])
def test_a_platform_that_does_not_exist_is_refused_at_the_field(manager, value):
    idea = IdeaFactory()
    response = manager.post(platforms_url(idea), {"platforms": [value]})
    assert response.status_code == 200
    assert response.context["form"].errors["platforms"]
    assert not idea.platforms.exists()


def test_a_retired_platform_cannot_be_chosen_and_nothing_is_saved(manager):
    retired = PlatformFactory(is_active=False)
    idea = IdeaFactory()
    response = manager.post(platforms_url(idea), {"platforms": [retired.pk]})
    assert response.status_code == 200
    assert response.context["form"].errors["platforms"]
    assert not idea.platforms.exists()


def test_only_project_managers_choose_platforms(funder, client):
    idea = IdeaFactory()
    assert funder.get(platforms_url(idea)).status_code == 403
    assert funder.post(platforms_url(idea), {"platforms": []}).status_code == 403
    assert client.get(platforms_url(idea)).status_code == 302
    detail = funder.get(reverse("idea-detail", args=[idea.pk])).content.decode()
    assert platforms_url(idea) not in detail


def test_idea_page_lists_its_platforms_and_links_to_choosing_them(funder, manager):
    idea = IdeaFactory()
    platform = PlatformFactory(name="5G-testiverkko", ideas=[idea])
    PlatformFactory(name="Ei tämän idean")
    body = funder.get(reverse("idea-detail", args=[idea.pk])).content.decode()
    assert reverse("platform-detail", args=[platform.pk]) in body
    assert "5G-testiverkko" in body
    assert platform.host_organisation.name in body
    assert "Ei tämän idean" not in body
    detail = manager.get(reverse("idea-detail", args=[idea.pk])).content.decode()
    assert platforms_url(idea) in detail
