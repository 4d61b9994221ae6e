"""The funding lists: applications (filters, totals, pages), instruments, calls."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from funding.models import FundingApplication, FundingCall, FundingInstrument
from tests.factories import (
    FundingApplicationFactory,
    FundingCallFactory,
    IdeaFactory,
    OrganisationFactory,
    UserFactory,
    instrument,
)

pytestmark = pytest.mark.django_db

APPLICATIONS = reverse("application-list")
INSTRUMENTS = reverse("instrument-list")
CALLS = reverse("call-list")
PAGES = [APPLICATIONS, INSTRUMENTS, CALLS]
HELSINKI = ZoneInfo("Europe/Helsinki")


@pytest.fixture(autouse=True)
def english_pages(settings):
    # Pages follow the request's language, Finnish by default; the assertions read English.
    settings.LANGUAGE_CODE = "en"


def assert_no_inline_code(body: str) -> None:
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body)
    assert "<style" not in body
    assert not re.search(r"\sstyle=", body)
    assert not re.search(r"\son[a-z]+=", body)


def application(**kwargs) -> FundingApplication:
    kwargs.setdefault("idea", shared_idea())
    return FundingApplicationFactory(**kwargs)


def shared_idea(title: str = "Yhteinen idea"):
    from portfolio.models import Idea

    return Idea.objects.filter(title=title).first() or IdeaFactory(title=title)


def shown(response) -> list[int]:
    return [row.pk for row in response.context["page"].object_list]


def queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params or {}).status_code == 200
    return len(captured)


# Access ------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_goes_to_login(anonymous, url):
    response = anonymous.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("persona", ["manager", "funder", "admin"])
def test_reading_roles_get_the_pages(request, persona, url):
    response = request.getfixturevalue(persona).get(url)
    assert response.status_code == 200
    assert_no_inline_code(response.content.decode())


@pytest.mark.parametrize("url", PAGES)
def test_user_without_role_is_refused(client, url):
    client.force_login(UserFactory(username="nobody"))
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", PAGES)
def test_funding_pages_mark_the_navigation_and_tabs(manager, url):
    body = manager.get(url).content.decode()
    assert f'<a href="{APPLICATIONS}" aria-current="page">Funding</a>' in body
    assert f'<a href="{url}" aria-current="page">' in body


# Applications ------------------------------------------------------------------------------


def test_application_rows_and_totals(manager):
    idea = IdeaFactory(title="Robottisolu")
    applicant = OrganisationFactory(name="Konepaja Oy")
    approved = application(
        idea=idea, applicant=applicant, approved=True, reference="AKKE-2023-7",
        requested=Decimal("150000.00"), granted=Decimal("120000.00"),
    )
    application(requested=Decimal("1000.50"))

    response = manager.get(APPLICATIONS)

    assert response.status_code == 200
    totals = response.context["totals"]
    assert (totals.count, totals.requested, totals.granted) == (
        2, Decimal("151000.50"), Decimal("120000.00")
    )
    body = response.content.decode()
    assert f'href="{reverse("idea-detail", args=[idea.pk])}">Robottisolu</a>' in body
    assert f'href="{reverse("organisation-detail", args=[applicant.pk])}">Konepaja Oy</a>' in body
    assert "AKKE-2023-7" in body
    assert "Approved" in body
    assert "1.4.2023" in body and "1.6.2023" in body
    assert "151,000.50&nbsp;€" in body
    assert "120,000.00&nbsp;€" in body
    assert "2 applications" in body
    assert approved.pk in shown(response)


def test_applications_show_the_instrument_name_with_its_code_in_small_print(manager):
    bf = instrument("bf-co-innovation")
    FundingInstrument.objects.filter(pk=bf.pk).update(
        name_fi="Co-Innovation (fi)", name_en="Co-Innovation (en)"
    )
    created = application(instrument=bf)
    body = manager.get(APPLICATIONS).content.decode()
    assert '<td>Co-Innovation (en)<span class="code">BF-CO-INNOVATION</span></td>' in body
    assert "<abbr" not in body
    created.refresh_from_db()
    assert str(created) == "Co-Innovation (en): Yhteinen idea"


def test_totals_in_finnish_format(manager):
    application(requested=Decimal("1234567.50"), total_budget=Decimal("2000000"))
    body = manager.get(APPLICATIONS, headers={"accept-language": "fi"}).content.decode()
    assert "1\xa0234\xa0567,50&nbsp;€" in body


def test_filter_by_instrument(manager):
    akke = application(instrument=instrument("akke"))
    application(instrument=instrument("bf-rdi"))
    response = manager.get(APPLICATIONS, {"instrument": instrument("akke").pk})
    assert shown(response) == [akke.pk]
    assert response.context["totals"].count == 1


def test_filter_by_status(manager):
    application()
    rejected = application(rejected=True)
    response = manager.get(APPLICATIONS, {"status": "rejected"})
    assert shown(response) == [rejected.pk]


def test_filter_by_year_of_submission(manager):
    old = application(submitted_on=date(2022, 12, 31))
    application(submitted_on=date(2023, 1, 1))
    application(status=FundingApplication.Status.DRAFT, submitted_on=None)
    response = manager.get(APPLICATIONS, {"year": "2022"})
    assert shown(response) == [old.pk]
    year_field = response.context["filter"].form.fields["year"]
    assert [value for value, _label in year_field.choices if value] == ["2023", "2022"]


def test_filter_by_applicant(manager):
    applicant = OrganisationFactory()
    mine = application(applicant=applicant)
    application()
    response = manager.get(APPLICATIONS, {"applicant": applicant.pk})
    assert shown(response) == [mine.pk]


def test_applicant_choices_are_organisations_with_applications(manager):
    applicant = OrganisationFactory(name="Hakija Oy")
    OrganisationFactory(name="Sivullinen Oy")
    application(applicant=applicant)
    field = manager.get(APPLICATIONS).context["filter"].form.fields["applicant"]
    assert [org.name for org in field.queryset] == ["Hakija Oy"]


def test_free_text_matches_idea_title_or_reference(manager):
    by_title = application(idea=IdeaFactory(title="Vetyvarasto"))
    by_reference = application(reference="BF-1234/31/2023")
    application(idea=IdeaFactory(title="Muu"))
    assert shown(manager.get(APPLICATIONS, {"q": "vetyvar"})) == [by_title.pk]
    assert shown(manager.get(APPLICATIONS, {"q": "1234/31"})) == [by_reference.pk]


def test_filters_combine_and_totals_follow_them(manager):
    application(instrument=instrument("akke"), requested=Decimal("10.00"))
    application(instrument=instrument("akke"), requested=Decimal("20.00"), rejected=True)
    application(instrument=instrument("bf-rdi"), requested=Decimal("40.00"))
    response = manager.get(
        APPLICATIONS, {"instrument": instrument("akke").pk, "status": "submitted"}
    )
    assert response.context["totals"].requested == Decimal("10.00")
    assert "Total of the filtered applications" in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [{"year": "1999"}, {"year": "abc"}, {"instrument": "x"}, {"applicant": "999999"},
     {"status": "lost"}, {"page": "abc"}],
)
def test_invalid_filter_values_do_not_fail(manager, params):
    application()
    response = manager.get(APPLICATIONS, params)
    assert response.status_code == 200
    if "page" not in params:
        assert response.context["filter"].errors
        assert response.context["totals"].count == 0
        assert 'class="field-errors"' in response.content.decode()


def test_newest_submission_first_and_drafts_last(manager):
    draft = application(status=FundingApplication.Status.DRAFT, submitted_on=None)
    older = application(submitted_on=date(2023, 1, 10))
    newer = application(submitted_on=date(2023, 5, 10))
    assert shown(manager.get(APPLICATIONS)) == [newer.pk, older.pk, draft.pk]


def test_fifty_per_page_with_the_filter_kept(manager):
    idea = shared_idea()
    for day in range(53):
        application(idea=idea, submitted_on=date(2023, 1, 1) + timedelta(days=day))
    response = manager.get(APPLICATIONS, {"status": "submitted"})
    assert len(shown(response)) == 50
    assert response.context["totals"].count == 53
    body = response.content.decode()
    assert 'href="?status=submitted&amp;page=2"' in body
    second = manager.get(APPLICATIONS, {"status": "submitted", "page": 2})
    assert len(shown(second)) == 3


def test_application_list_queries_do_not_grow(manager, django_assert_max_num_queries):
    ideas = [IdeaFactory() for _ in range(3)]
    for i in range(5):
        application(idea=ideas[i % 3], approved=bool(i % 2))
    few = queries(manager, APPLICATIONS)
    for i in range(25):
        application(idea=ideas[i % 3], applicant=OrganisationFactory())
    many = queries(manager, APPLICATIONS)
    assert few == many
    with django_assert_max_num_queries(12):
        manager.get(APPLICATIONS, {"instrument": instrument("akke").pk, "q": "Idea"})


# Instruments -------------------------------------------------------------------------------


def test_instruments_grouped_by_level_with_applications_and_granted(manager):
    application(instrument=instrument("akke"), approved=True, granted=Decimal("120000.00"))
    application(instrument=instrument("akke"), approved=True, granted=Decimal("5000.50"))
    application(instrument=instrument("akke"))
    application(instrument=instrument("bf-rdi"), rejected=True)

    response = manager.get(INSTRUMENTS)

    groups = response.context["groups"]
    assert [group.level for group in groups] == ["regional", "national", "eu"]
    rows = {i.code: i for group in groups for i in group.instruments}
    assert len(rows) == FundingInstrument.objects.count()
    assert (rows["akke"].application_count, rows["akke"].granted) == (3, Decimal("125000.50"))
    assert (rows["bf-rdi"].application_count, rows["bf-rdi"].granted) == (1, None)
    assert rows["life"].application_count == 0
    body = response.content.decode()
    assert "125,000.50&nbsp;€" in body
    assert ">80%<" in body
    assert "Regional councils" in body and "Maakuntien liitot" not in body
    assert "AKKE" in body
    assert f'href="{APPLICATIONS}?instrument={instrument("akke").pk}"' in body


def test_instruments_in_finnish_have_finnish_funders_and_spaced_percentages(manager):
    manager.cookies["django_language"] = "fi"
    body = manager.get(INSTRUMENTS).content.decode()
    assert ">80 %<" in body
    assert "Maakuntien liitot" in body


def test_inactive_instrument_is_marked(manager):
    FundingInstrument.objects.filter(code="life").update(is_active=False)
    body = manager.get(INSTRUMENTS).content.decode()
    assert 'class="inactive"' in body
    assert "Not active" in body


def test_instrument_list_queries_do_not_grow(manager):
    few = queries(manager, INSTRUMENTS)
    for _ in range(20):
        application(approved=True)
    assert queries(manager, INSTRUMENTS) == few


# Calls -------------------------------------------------------------------------------------


def test_open_calls_by_deadline_with_days_left_then_past_calls(manager):
    now = timezone.now()
    later = FundingCallFactory(title="Myöhempi haku", deadline=now + timedelta(days=30))
    sooner = FundingCallFactory(title="Pian sulkeutuva", deadline=now + timedelta(days=3))
    FundingCallFactory(title="Päättynyt haku", deadline=now - timedelta(days=2))
    FundingCallFactory(title="Tuleva haku", opens=timezone.localdate() + timedelta(days=5),
                       deadline=now + timedelta(days=40))

    response = manager.get(CALLS)

    open_rows = response.context["open_calls"]
    assert [row.call for row in open_rows] == [sooner, later]
    today = timezone.localdate()
    assert open_rows[0].days_left == (timezone.localdate(sooner.deadline) - today).days
    assert [c.title for c in response.context["past_calls"]] == ["Päättynyt haku"]
    assert [c.title for c in response.context["upcoming_calls"]] == ["Tuleva haku"]
    body = response.content.decode()
    assert body.index("Pian sulkeutuva") < body.index("Myöhempi haku") < body.index("Past calls")
    assert body.index("Past calls") < body.index("Päättynyt haku")


def test_deadline_is_shown_in_helsinki_time(manager):
    deadline = datetime(2099, 3, 31, 13, 15, tzinfo=ZoneInfo("UTC"))
    FundingCallFactory(title="Kevään haku", deadline=deadline)
    body = manager.get(CALLS).content.decode()
    # 13.15 UTC is 16.15 in Helsinki (summer time).
    assert "31.3.2099 16:15" in body
    assert 'datetime="2099-03-31T16:15:00+03:00"' in body


def test_call_closing_today_says_so(manager):
    end_of_today = datetime.combine(
        timezone.localdate(), datetime.max.time().replace(microsecond=0), tzinfo=HELSINKI
    )
    FundingCallFactory(title="Viime hetki", deadline=end_of_today)
    assert "Closes today" in manager.get(CALLS).content.decode()


def test_past_calls_are_the_last_twenty(manager):
    now = timezone.now()
    for day in range(1, 23):
        FundingCallFactory(title=f"Vanha {day:02d}", deadline=now - timedelta(days=day))
    past = manager.get(CALLS).context["past_calls"]
    assert len(past) == 20
    assert past[0].title == "Vanha 01"
    assert past[19].title == "Vanha 20"


def test_no_calls_gives_empty_states(manager):
    FundingCall.objects.all().delete()
    body = manager.get(CALLS).content.decode()
    assert "No call is open right now." in body
    assert "No calls have closed yet." in body


def test_call_list_queries_do_not_grow(manager):
    now = timezone.now()
    FundingCallFactory(deadline=now + timedelta(days=2))
    FundingCallFactory(deadline=now - timedelta(days=2))
    few = queries(manager, CALLS)
    for day in range(15):
        FundingCallFactory(deadline=now + timedelta(days=day + 1), instrument=instrument("bf-rdi"))
        FundingCallFactory(deadline=now - timedelta(days=day + 1))
    assert queries(manager, CALLS) == few
