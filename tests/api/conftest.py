"""API clients for each role, and the objects the API tests read and write."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AbstractBaseUser
from rest_framework.test import APIClient

from funding.models import FundingApplication, FundingCall, FundingInstrument, Implementation
from portfolio.models import (
    ConsortiumMember,
    Contact,
    Idea,
    Organisation,
    Region,
    RoadshowEvent,
    StageTransition,
    Theme,
)
from tests.factories import (
    ConsortiumMemberFactory,
    ContactFactory,
    FundingApplicationFactory,
    FundingCallFactory,
    IdeaFactory,
    ImplementationFactory,
    OrganisationFactory,
    RoadshowEventFactory,
    ThemeFactory,
    UserFactory,
    instrument,
    region,
)

API = "/api/v1"
ROLES = ("anonymous", "funder", "manager", "admin")


def api_client(user: AbstractBaseUser | None = None, *, language: str = "en") -> APIClient:
    """A client signed in with the session, as a browser script would be. Answers are asked
    in English: the site's default language is Finnish, and the assertions read English."""
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def no_group_user(db) -> AbstractBaseUser:
    """An account that belongs to no group: signed in, but no role in the portfolio."""
    return UserFactory(username="nelli", first_name="Nelli", last_name="Ryhmätön")


@pytest.fixture
def api_as(request: pytest.FixtureRequest, db) -> Callable[[str], APIClient]:
    """``api_as("funder")``: a client for a role; ``"none"`` is an account without a group."""

    def make(role: str) -> APIClient:
        if role == "anonymous":
            return api_client()
        name = "no_group_user" if role == "none" else f"{role}_user"
        return api_client(request.getfixturevalue(name))

    return make


@pytest.fixture
def manager_api(manager_user) -> APIClient:
    return api_client(manager_user)


@pytest.fixture
def admin_api(admin_user) -> APIClient:
    return api_client(admin_user)


@pytest.fixture
def funder_api(funder_user) -> APIClient:
    return api_client(funder_user)


@pytest.fixture
def anonymous_api(db) -> APIClient:
    return api_client()


@dataclass(frozen=True)
class World:
    """One object of every resource, plus what a new one needs.

    ``idea`` has an owner, no consortium and no implementation, and ``organisation`` is in
    no consortium, so creating a membership, an application or an implementation for them
    is valid."""

    idea: Idea
    member: ConsortiumMember
    contact: Contact
    organisation: Organisation
    event: RoadshowEvent
    application: FundingApplication
    implementation: Implementation
    call: FundingCall
    instrument: FundingInstrument
    region: Region
    theme: Theme
    transition: StageTransition

    def object_for(self, resource: str):
        """The object whose id fills ``{id}`` in the paths of ``resource`` (e.g. "ideas")."""
        return {
            "applications": self.application,
            "calls": self.call,
            "contacts": self.contact,
            "events": self.event,
            "ideas": self.idea,
            "implementations": self.implementation,
            "instruments": self.instrument,
            "members": self.member,
            "organisations": self.organisation,
            "regions": self.region,
            "themes": self.theme,
            "transitions": self.transition,
        }[resource]


@pytest.fixture
def world(db) -> World:
    idea = IdeaFactory(title="Vetytalouden pilotti")
    member_organisation = OrganisationFactory(name="Konepaja Oy")
    return World(
        idea=idea,
        member=ConsortiumMemberFactory(
            idea=IdeaFactory(in_consortium=True),
            organisation=member_organisation,
            contact=ContactFactory(organisation=member_organisation),
        ),
        contact=ContactFactory(),
        organisation=OrganisationFactory(name="Pohjanmaan Akku Oy"),
        event=RoadshowEventFactory(),
        application=FundingApplicationFactory(),
        implementation=ImplementationFactory(),
        call=FundingCallFactory(),
        instrument=instrument("akke"),
        region=region("06"),
        theme=ThemeFactory(),
        transition=StageTransition.objects.filter(idea=idea).get(),
    )
