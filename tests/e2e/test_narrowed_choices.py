"""Choices that depend on another choice, narrowed in Chromium as the user chooses."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from portfolio.models import ConsortiumMember
from tests.factories import (
    ContactFactory,
    FundingCallFactory,
    IdeaFactory,
    OrganisationFactory,
    instrument,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def offered(page: Page, select: str) -> list[str]:
    return page.eval_on_selector_all(f"{select} option", "options => options.map(o => o.text)")


def test_choosing_an_instrument_narrows_the_calls(login, manager_user, live_server):
    idea = IdeaFactory(title="Robottisolu")
    soon = timezone.now() + timedelta(days=30)
    akke = FundingCallFactory(instrument=instrument("akke"), title="AKKE-haku", deadline=soon)
    FundingCallFactory(instrument=instrument("eakr"), title="EAKR-haku", deadline=soon)
    page = login(manager_user.username)
    page.goto(f"{live_server.url}/ideas/{idea.pk}/applications/add/")

    # Nothing chosen yet: every call, as without scripts.
    assert len(offered(page, "#id_call")) == 3

    page.select_option("#id_instrument", str(instrument("akke").pk))
    assert [text.split(" (")[0] for text in offered(page, "#id_call")[1:]] == ["AKKE-haku"]
    page.select_option("#id_call", str(akke.pk))

    # Another instrument drops the chosen call and says when it has none.
    page.select_option("#id_instrument", str(instrument("bf-rdi").pk))
    assert len(offered(page, "#id_call")) == 1
    expect(page.locator("#id_call")).to_have_value("")
    expect(page.locator("#id_call_none")).to_be_visible()

    page.select_option("#id_instrument", str(instrument("eakr").pk))
    assert [text.split(" (")[0] for text in offered(page, "#id_call")[1:]] == ["EAKR-haku"]
    expect(page.locator("#id_call_none")).to_be_hidden()


def test_choosing_an_organisation_narrows_its_contacts(login, manager_user, live_server):
    idea = IdeaFactory(title="Robottisolu")
    alpha = OrganisationFactory(name="Alfa Oy")
    empty = OrganisationFactory(name="Tyhjä Oy")
    ContactFactory(organisation=alpha, name="Anni Alfa")
    ContactFactory(name="Vieras Henkilö")
    page = login(manager_user.username)
    page.goto(f"{live_server.url}/ideas/{idea.pk}/members/add/")

    page.select_option("#id_organisation", str(alpha.pk))
    assert [text.split(" —")[0] for text in offered(page, "#id_contact")[1:]] == ["Anni Alfa"]
    page.select_option("#id_contact", label="Anni Alfa")

    page.select_option("#id_organisation", str(empty.pk))
    assert len(offered(page, "#id_contact")) == 1
    expect(page.locator("#id_contact_none")).to_be_visible()

    page.select_option("#id_organisation", str(alpha.pk))
    page.select_option("#id_contact", label="Anni Alfa")
    page.select_option("#id_role", "lead")
    page.get_by_role("button", name="Lisää konsortioon").click()
    page.wait_for_url(f"**/ideas/{idea.pk}/**")
    assert ConsortiumMember.objects.get(idea=idea).contact.name == "Anni Alfa"
