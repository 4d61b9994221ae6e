"""Platforms and development needs are written through services that check every rule,
and the database refuses what slips past them."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from network.models import DevelopmentNeed, Platform
from network.services import idea_platforms_set, need_save, platform_save
from tests.factories import (
    DevelopmentNeedFactory,
    IdeaFactory,
    OrganisationFactory,
    PlatformFactory,
    ThemeFactory,
    UserFactory,
    region,
)

pytestmark = pytest.mark.django_db


def new_platform(**fields) -> Platform:
    fields.setdefault("name", "Robotiikan pilottilinja")
    fields.setdefault("kind", Platform.Kind.PILOT_LINE)
    if "host_organisation" not in fields:
        fields["host_organisation"] = OrganisationFactory(region=region("13"))
    return Platform(**fields)


# Platforms -----------------------------------------------------------------------------------


def test_a_platform_without_a_region_is_in_its_host_organisations():
    theme = ThemeFactory()
    platform = platform_save(platform=new_platform(), by=None, themes=[theme])
    platform.refresh_from_db()
    assert platform.region == region("13")
    assert list(platform.themes.all()) == [theme]


def test_a_chosen_region_is_kept():
    platform = platform_save(platform=new_platform(region=region("17")), by=None)
    assert Platform.objects.get(pk=platform.pk).region == region("17")


def test_without_any_region_the_region_field_says_so():
    host = OrganisationFactory(region=None)
    with pytest.raises(ValidationError) as refused:
        platform_save(platform=new_platform(host_organisation=host), by=None)
    assert "host organisation has none" in refused.value.message_dict["region"][0]
    assert not Platform.objects.exists()


def test_name_is_unique_per_host_whatever_the_case():
    host = OrganisationFactory()
    platform_save(platform=new_platform(name="5G-testiverkko", host_organisation=host), by=None)
    with pytest.raises(ValidationError) as refused:
        platform_save(
            platform=new_platform(name="5g-TESTIVERKKO ", host_organisation=host), by=None
        )
    assert refused.value.message_dict["name"] == [
        "The host organisation already has a platform with this name."
    ]
    # Another host may use the same name.
    platform_save(platform=new_platform(name="5G-testiverkko"), by=None)
    assert Platform.objects.count() == 2


@pytest.mark.parametrize("name", ["", "   "])
def test_a_platform_needs_a_name(name):
    with pytest.raises(ValidationError) as refused:
        platform_save(platform=new_platform(name=name), by=None)
    assert "name" in refused.value.message_dict


def test_the_database_refuses_an_empty_name_and_an_unknown_kind():
    platform = PlatformFactory()
    for field, value in (("name", ""), ("kind", "spaceport")):
        with pytest.raises(IntegrityError), transaction.atomic():
            Platform.objects.filter(pk=platform.pk).update(**{field: value})


def test_the_database_refuses_a_second_name_at_the_same_host():
    platform = PlatformFactory(name="Datalabra")
    with pytest.raises(IntegrityError), transaction.atomic():
        Platform.objects.create(
            name="DATALABRA", host_organisation=platform.host_organisation, region=region()
        )


# Ideas naming platforms ------------------------------------------------------------------------


def test_an_idea_names_its_platforms_and_changes_them():
    idea = IdeaFactory()
    first, second, third = PlatformFactory(), PlatformFactory(), PlatformFactory()
    idea_platforms_set(idea=idea, platforms=[first, second], by=None)
    assert set(idea.platforms.all()) == {first, second}
    idea_platforms_set(idea=idea, platforms=[third], by=None)
    assert set(idea.platforms.all()) == {third}
    assert list(first.ideas.all()) == []


def test_a_retired_platform_cannot_be_newly_chosen_but_may_stay():
    idea = IdeaFactory()
    kept = PlatformFactory(name="Vanha laboratorio")
    idea_platforms_set(idea=idea, platforms=[kept], by=None)
    kept.is_active = False
    kept.save()
    retired = PlatformFactory(name="Suljettu linja", is_active=False)

    idea_platforms_set(idea=idea, platforms=[kept], by=None)  # staying is fine
    with pytest.raises(ValidationError) as refused:
        idea_platforms_set(idea=idea, platforms=[kept, retired], by=None)
    assert refused.value.message_dict["platforms"] == [
        "No longer available, so it cannot be chosen: Suljettu linja."
    ]
    assert list(idea.platforms.all()) == [kept]


# Development needs -----------------------------------------------------------------------------


def test_a_new_need_records_who_raised_it_and_an_edit_keeps_that():
    author, editor = UserFactory(manager=True), UserFactory(manager=True)
    need = need_save(
        need=DevelopmentNeed(need="  Testiympäristöjen rahoitus  ", theme=ThemeFactory()),
        by=author,
    )
    assert need.need == "Testiympäristöjen rahoitus"
    assert need.status == DevelopmentNeed.Status.OPEN
    need.status = DevelopmentNeed.Status.COMMUNICATED
    need_save(need=need, by=editor)
    need.refresh_from_db()
    assert need.created_by == author
    assert need.status == DevelopmentNeed.Status.COMMUNICATED


def test_a_need_has_words():
    with pytest.raises(ValidationError) as refused:
        need_save(need=DevelopmentNeed(need=" \n ", theme=ThemeFactory()), by=None)
    assert "need" in refused.value.message_dict
    assert not DevelopmentNeed.objects.exists()


def test_another_body_must_be_named_and_only_then():
    theme = ThemeFactory()
    with pytest.raises(ValidationError) as refused:
        need_save(
            need=DevelopmentNeed(need="Tarve", theme=theme, addressed_to="other"), by=None
        )
    assert refused.value.message_dict["addressed_to_other"] == [
        "Name the body the need is addressed to."
    ]
    with pytest.raises(ValidationError) as refused:
        need_save(
            need=DevelopmentNeed(
                need="Tarve", theme=theme, addressed_to="tem", addressed_to_other="Ruokavirasto"
            ),
            by=None,
        )
    assert "addressed_to_other" in refused.value.message_dict
    need = need_save(
        need=DevelopmentNeed(
            need="Tarve", theme=theme, addressed_to="other", addressed_to_other=" Ruokavirasto "
        ),
        by=None,
    )
    assert need.addressed_to_label == "Ruokavirasto"


def test_the_database_refuses_a_need_without_words_or_with_an_unknown_status():
    need = DevelopmentNeedFactory()
    for field, value in (("need", "  "), ("status", "forgotten"), ("addressed_to", "eu")):
        with pytest.raises(IntegrityError), transaction.atomic():
            DevelopmentNeed.objects.filter(pk=need.pk).update(**{field: value})
