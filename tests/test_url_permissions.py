"""Every URL pattern × every role has an expected answer.

A URL added without an entry in ``EXPECTED`` fails ``test_every_url_has_an_entry``.
Answers are the status of a GET (redirects not followed): 302 for anonymous users sent
to the login page, 403 for a signed-in user without the role, 405 for POST-only URLs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import ApiToken
from dashboards.models import ManualValue, Target
from tests.factories import (
    CalendarEntryFactory,
    ConsortiumMemberFactory,
    ContactFactory,
    DevelopmentNeedFactory,
    FundingApplicationFactory,
    IdeaFactory,
    IdeaImportFactory,
    IdeaImportRunFactory,
    ImplementationFactory,
    PlatformFactory,
    ReportRequestFactory,
    ReportRunFactory,
    RoadshowEventFactory,
    UserFactory,
)
from vuosikello.services import feed_token_for

ROLES = ("anonymous", "funder", "manager", "admin")

# Reading pages: everyone with a role. Writing pages: managers and admins.
READ = {"anonymous": 302, "funder": 200, "manager": 200, "admin": 200}
WRITE = {"anonymous": 302, "funder": 403, "manager": 200, "admin": 200}
POST_ONLY = {"anonymous": 302, "funder": 403, "manager": 405, "admin": 405}
PUBLIC = {"anonymous": 200, "funder": 200, "manager": 200, "admin": 200}
LOGIN_PAGE = {"anonymous": 200, "funder": 302, "manager": 302, "admin": 302}
ADMIN_SITE = {"anonymous": 302, "funder": 302, "manager": 302, "admin": 200}


@dataclass(frozen=True)
class Entry:
    expected: dict[str, int]
    kwargs: str = ""  # which object(s) of the world fill the URL's parameters
    private: bool = True  # an anonymous redirect must lead to the login page


EXPECTED: dict[str, Entry] = {
    "home": Entry(READ),
    "healthz": Entry(PUBLIC, private=False),
    "login": Entry(LOGIN_PAGE, private=False),
    "logout": Entry(
        {"anonymous": 405, "funder": 405, "manager": 405, "admin": 405}, private=False
    ),
    # Switching the language redirects back, signed in or not.
    "set_language": Entry(
        {"anonymous": 302, "funder": 302, "manager": 302, "admin": 302}, private=False
    ),
    "board": Entry(READ),
    "idea-list": Entry(READ),
    "idea-export": Entry(READ),
    "idea-create": Entry(WRITE),
    "idea-detail": Entry(READ, "idea"),
    "idea-edit": Entry(WRITE, "idea"),
    "idea-platforms": Entry(WRITE, "idea"),
    "idea-move": Entry(POST_ONLY, "idea"),
    "idea-import": Entry(WRITE),
    "idea-import-template": Entry(WRITE),
    "idea-import-detail": Entry(WRITE, "idea_import"),
    "idea-import-confirm": Entry(POST_ONLY, "idea_import"),
    "idea-import-check": Entry(POST_ONLY, "idea_import"),
    "idea-import-retry": Entry(POST_ONLY, "idea_import_run"),
    "idea-import-discard": Entry(POST_ONLY, "idea_import"),
    "member-add": Entry(WRITE, "idea"),
    "member-edit": Entry(WRITE, "member"),
    "member-remove": Entry(WRITE, "member"),
    "application-add": Entry(WRITE, "idea"),
    "application-edit": Entry(WRITE, "application"),
    "application-decision": Entry(WRITE, "application"),
    "implementation-edit": Entry(WRITE, "idea"),
    "event-list": Entry(READ),
    "event-outcomes-export": Entry(READ),
    "event-create": Entry(WRITE),
    "event-detail": Entry(READ, "event"),
    "event-edit": Entry(WRITE, "event"),
    "organisation-list": Entry(READ),
    "organisation-create": Entry(WRITE),
    "organisation-detail": Entry(READ, "organisation"),
    "organisation-edit": Entry(WRITE, "organisation"),
    "contact-add": Entry(WRITE, "organisation"),
    "contact-edit": Entry(WRITE, "contact"),
    "contact-erase": Entry(WRITE, "contact"),
    "application-list": Entry(READ),
    "instrument-list": Entry(READ),
    "call-list": Entry(READ),
    "token-list": Entry(READ),
    # Every signed-in user's own page; its forms only POST.
    "account": Entry(READ),
    "password-change": Entry(
        {"anonymous": 302, "funder": 405, "manager": 405, "admin": 405}
    ),
    "account-sign-out-others": Entry(
        {"anonymous": 302, "funder": 405, "manager": 405, "admin": 405}
    ),
    # The password reset is for those who cannot log in: open to all. A link that does not
    # work says so.
    "password-reset": Entry(PUBLIC, private=False),
    "password-reset-sent": Entry(PUBLIC, private=False),
    "password-reset-confirm": Entry(PUBLIC, "password_reset", private=False),
    "password-reset-complete": Entry(PUBLIC, private=False),
    # The accessibility statement is for everyone, signed in or not (law 306/2019).
    "statement-fi": Entry(PUBLIC, private=False),
    "statement-sv": Entry(PUBLIC, private=False),
    "statement-en": Entry(PUBLIC, private=False),
    "dashboard": Entry(READ),
    "dashboard-download": Entry(READ, "panel"),
    # Everyone with a role lists and downloads reports; the form only makes them (POST).
    "report-list": Entry(READ),
    "region-detail": Entry(READ, "region"),
    "report-download": Entry(READ, "report"),
    "target-list": Entry(READ),
    "target-create": Entry(WRITE),
    "target-edit": Entry(WRITE, "target"),
    "target-delete": Entry(WRITE, "target"),
    "target-value-create": Entry(WRITE, "manual_target"),
    "target-value-edit": Entry(WRITE, "manual_value"),
    "target-value-delete": Entry(WRITE, "manual_value"),
    "report-pdf-download": Entry(READ, "report"),
    # A report being made: its progress for project managers; "Try again" is a POST.
    "report-request": Entry(WRITE, "report_request"),
    "report-request-retry": Entry(POST_ONLY, "report_request"),
    "token-revoke": Entry(
        {"anonymous": 302, "funder": 405, "manager": 405, "admin": 405}, "token"
    ),
    # Everyone signed in has their own two-factor page; the code page sends on whoever
    # owes no code.
    "two-factor": Entry(READ),
    "two-factor-verify": Entry(
        {"anonymous": 302, "funder": 302, "manager": 302, "admin": 302}
    ),
    "two-factor-remove": Entry(
        {"anonymous": 302, "funder": 405, "manager": 405, "admin": 405}
    ),
    "platform-list": Entry(READ),
    "platform-create": Entry(WRITE),
    "platform-detail": Entry(READ, "platform"),
    "platform-edit": Entry(WRITE, "platform"),
    "theme-list": Entry(READ),
    "theme-detail": Entry(READ, "theme"),
    "theme-export": Entry(READ, "theme"),
    "need-create": Entry(WRITE, "theme"),
    "need-edit": Entry(WRITE, "need"),

    "calendar": Entry(READ),
    "calendar-entry-create": Entry(WRITE),
    "calendar-entry-edit": Entry(WRITE, "calendar_entry"),
    "calendar-entry-delete": Entry(WRITE, "calendar_entry"),
    "calendar-feeds": Entry(READ),
    # Everyone with a role resets their own feed token.
    "calendar-feed-reset": Entry({"anonymous": 302, "funder": 405, "manager": 405, "admin": 405}),
    # Calendar clients cannot log in: a valid token is the key, for anyone who has it.
    "calendar-feed": Entry(PUBLIC, "feed", private=False),
    "calendar-feed-category": Entry(PUBLIC, "feed_category", private=False),
    # The admin site is one entry: its own permission checks cover its many URLs.
    "admin:*": Entry(ADMIN_SITE),
    # The API is one entry here; tests/api/test_permissions_matrix.py walks its every
    # operation. Without credentials it answers 401, never a login redirect.
    "api:*": Entry({"anonymous": 401, "funder": 200, "manager": 200, "admin": 200}, private=False),
}


def url_names(resolver: URLResolver | None = None, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or namespace
            if inner in ("admin", "api"):
                names.add(f"{inner}:*")
                continue
            names |= url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return names


def test_every_url_has_an_entry():
    missing = url_names() - set(EXPECTED)
    assert not missing, f"Add these URL names to EXPECTED: {sorted(missing)}"
    stale = set(EXPECTED) - url_names()
    assert not stale, f"These entries name no URL any more: {sorted(stale)}"


@pytest.fixture
def world(db):
    idea = IdeaFactory(in_application=True)
    member = idea.consortium_members.get()
    contact = ContactFactory(organisation=member.organisation)
    application = FundingApplicationFactory(idea=idea)
    ImplementationFactory(idea=IdeaFactory(in_implementation=True))
    event = RoadshowEventFactory()
    ConsortiumMemberFactory(idea=idea)
    token, _secret = ApiToken.objects.create(user=UserFactory(manager=True), name="Script")
    upload = IdeaImportFactory()
    need = DevelopmentNeedFactory()
    platform = PlatformFactory(themes=[need.theme], ideas=[idea])
    feed_token = feed_token_for(UserFactory(funder=True))
    manual_value = ManualValue.objects.create(
        target=Target.objects.create(
            indicator=Target.Indicator.MANUAL, name="Reach", target_value=100,
            target_date=date(2023, 12, 31),
        ),
        period_start=date(2023, 1, 1), period_end=date(2023, 3, 31), value=10,
    )
    return {
        "idea_import": {"pk": upload.pk},
        "idea_import_run": {"pk": IdeaImportRunFactory(upload=upload).pk},
        "report_request": {"pk": ReportRequestFactory().pk},
        "platform": {"pk": platform.pk},
        "theme": {"slug": need.theme.slug},
        "need": {"pk": need.pk},
        "token": {"key": token.digest},
        "panel": {"key": "balance"},
        "region": {"code": "06"},
        "report": {"pk": ReportRunFactory(with_pdf=True).pk},
        "target": {"pk": manual_value.target_id},
        "manual_target": {"target_pk": manual_value.target_id},
        "manual_value": {"pk": manual_value.pk},
        "idea": {"pk": idea.pk},
        "member": {"pk": idea.pk, "member_pk": member.pk},
        "application": {"pk": idea.pk, "application_pk": application.pk},
        "event": {"pk": event.pk},
        "organisation": {"pk": member.organisation_id},
        "contact": {"pk": contact.pk},
        "calendar_entry": {"pk": CalendarEntryFactory().pk},
        "password_reset": {"uidb64": "MQ", "token": "no-such-token"},
        "feed": {"token": feed_token.secret},
        "feed_category": {"token": feed_token.secret, "category": "call_deadline"},
    }


def url_for(name: str, entry: Entry, world) -> str:
    if name == "admin:*":
        return reverse("admin:index")
    if name == "api:*":
        return reverse("api:idea-list")
    return reverse(name, kwargs=world[entry.kwargs] if entry.kwargs else None)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_answer(request, world, name, role):
    client: Client = request.getfixturevalue(role)
    entry = EXPECTED[name]
    response = client.get(url_for(name, entry, world))
    assert response.status_code == entry.expected[role], (name, role)
    if response.status_code == 302 and role == "anonymous" and entry.private:
        assert "login" in response["Location"]
