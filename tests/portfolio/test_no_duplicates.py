"""No accidental duplicates: a new idea with a title already in Salkku asks for confirmation
(on the page and in the API), and a create form sent twice creates one row."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from core.views import SENT_FORMS_KEPT
from portfolio.imports.columns import normal
from portfolio.models import Contact, Idea, Organisation, RoadshowEvent
from tests.factories import IdeaFactory, OrganisationFactory, ThemeFactory
from tests.portfolio.test_views_events import event_data
from tests.portfolio.test_views_ideas import form_data
from tests.portfolio.test_views_organisations import contact_data, organisation_data

pytestmark = pytest.mark.django_db

CREATE = reverse("idea-create")
TOKEN = re.compile(r'<input type="hidden" name="form_token" value="([0-9a-f]{32})">')


@pytest.fixture(autouse=True)
def english(manager):
    """The pages in English, the language these tests read; the default is Finnish."""
    manager.cookies["django_language"] = "en"


def token_of(response) -> str:
    found = TOKEN.findall(response.content.decode())
    assert len(found) == 1, "the form carries exactly one token"
    return found[0]


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def detail(idea: Idea) -> str:
    return reverse("idea-detail", args=[idea.pk])


# The rule ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "Robot welding cell",
        "robot WELDING cell",
        "  Robot   welding\tcell ",
        "ROBOT WELDING CELL",
    ],
)
def test_same_title_ignores_letter_case_and_spaces(typed):
    existing = IdeaFactory(title="Robot welding cell")
    IdeaFactory(title="Robot welding cells")
    assert Idea.objects.same_title(typed) == [existing]


def test_same_title_folds_finnish_letters_on_every_database():
    existing = IdeaFactory(title="Älykäs kiertotalous")
    assert Idea.objects.same_title("ÄLYKÄS KIERTOTALOUS") == [existing]
    assert Idea.objects.same_title("Alykas kiertotalous") == []
    assert Idea.objects.same_title("   ") == []


def test_import_and_form_share_the_rule():
    IdeaFactory(title="Älykäs  Kiertotalous")
    assert Idea.objects.title_keys() == {"älykäs kiertotalous"}
    assert normal(" ÄLYKÄS kiertotalous") in Idea.objects.title_keys()


# The page ----------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["robot welding cell", "  ROBOT  Welding Cell  "])
def test_a_same_title_asks_first_and_links_to_the_existing_idea(manager, typed):
    existing = IdeaFactory(title="Robot welding cell")
    response = manager.post(CREATE, form_data(title=typed))
    assert response.status_code == 200
    assert Idea.objects.count() == 1
    body = response.content.decode()
    assert "An idea with this title is already in Salkku." in body
    assert f'<a href="{detail(existing)}">Robot welding cell</a>' in body
    assert 'name="create_anyway"' in body
    # The fields as typed are kept, for the second try.
    assert response.context["form"]["title"].value() == typed


def test_create_anyway_creates_the_second_idea(manager):
    existing = IdeaFactory(title="Robot welding cell")
    response = manager.post(CREATE, form_data(title="ROBOT welding cell", create_anyway="on"))
    created = Idea.objects.exclude(pk=existing.pk).get()
    assert response.status_code == 302
    assert response["Location"] == detail(created)
    assert created.title == "ROBOT welding cell"
    assert Idea.objects.count() == 2


def test_a_new_title_is_created_without_asking(manager):
    IdeaFactory(title="Robot welding cell")
    response = manager.post(CREATE, form_data(title="Robot welding cell 2"))
    assert response.status_code == 302
    assert Idea.objects.count() == 2
    assert 'name="create_anyway"' not in manager.get(CREATE).content.decode()


def test_editing_an_idea_keeps_its_own_title_without_asking(manager):
    idea = IdeaFactory(title="Robot welding cell", estimated_budget=None)
    response = manager.post(
        reverse("idea-edit", args=[idea.pk]), form_data(title="Robot welding cell")
    )
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.summary == "Shared pilot line"


# A form sent twice -------------------------------------------------------------------------


def test_the_same_idea_form_sent_twice_creates_one_idea(manager):
    token = token_of(manager.get(CREATE))
    first = manager.post(CREATE, form_data(form_token=token))
    idea = Idea.objects.get()
    assert first["Location"] == detail(idea)

    again = manager.post(CREATE, form_data(form_token=token), follow=True)
    assert Idea.objects.count() == 1
    assert again.redirect_chain == [(detail(idea), 302)]
    assert "This form was already sent; here is what it created." in messages_of(again)


def test_a_fresh_form_creates_again(manager):
    """A new visit to the page has a new token: the user's deliberate second idea (confirmed
    as a duplicate title) is created."""
    manager.post(CREATE, form_data(form_token=token_of(manager.get(CREATE))))
    second = token_of(manager.get(CREATE))
    manager.post(CREATE, form_data(form_token=second, create_anyway="on"))
    assert Idea.objects.count() == 2


def test_the_token_is_kept_while_the_form_is_corrected(manager):
    token = token_of(manager.get(CREATE))
    refused = manager.post(CREATE, form_data(title="", form_token=token))
    assert refused.status_code == 200
    assert token_of(refused) == token
    manager.post(CREATE, form_data(form_token=token))
    manager.post(CREATE, form_data(form_token=token))
    assert Idea.objects.count() == 1


def test_a_refused_send_does_not_use_up_the_token(manager):
    IdeaFactory(title="Robot welding cell")
    token = token_of(manager.get(CREATE))
    manager.post(CREATE, form_data(form_token=token))  # asks about the same title
    assert Idea.objects.count() == 1
    response = manager.post(CREATE, form_data(form_token=token, create_anyway="on"))
    assert response.status_code == 302
    assert Idea.objects.count() == 2


@pytest.mark.parametrize("token", ["", "not-a-token", "0" * 31, "<script>" + "a" * 24])
def test_a_missing_or_odd_token_saves_as_before(manager, token):
    response = manager.post(CREATE, form_data(form_token=token))
    assert response.status_code == 302
    assert Idea.objects.count() == 1


def test_only_the_newest_sent_forms_are_remembered(manager):
    session = manager.session
    session["sent_forms"] = {f"{n:032x}": "/ideas/" for n in range(SENT_FORMS_KEPT)}
    session.save()
    manager.post(CREATE, form_data(form_token="f" * 32))
    sent = manager.session["sent_forms"]
    assert len(sent) == SENT_FORMS_KEPT
    assert f"{0:032x}" not in sent
    assert sent["f" * 32] == detail(Idea.objects.get())


def test_another_user_with_the_same_token_is_not_redirected(manager, admin):
    """The record is the session's: a token seen elsewhere does not lead to anything."""
    token = token_of(manager.get(CREATE))
    manager.post(CREATE, form_data(form_token=token))
    admin.post(CREATE, form_data(form_token=token, create_anyway="on"))
    assert Idea.objects.count() == 2


def test_the_same_organisation_form_sent_twice_creates_one(manager):
    url = reverse("organisation-create")
    token = token_of(manager.get(url))
    first = manager.post(url, organisation_data(form_token=token))
    assert first["Location"] == reverse("organisation-detail", args=[Organisation.objects.get().pk])
    again = manager.post(url, organisation_data(form_token=token))
    assert Organisation.objects.count() == 1
    assert again.status_code == 302
    assert again["Location"] == first["Location"]


def test_the_same_contact_form_sent_twice_creates_one(manager):
    organisation = OrganisationFactory()
    url = reverse("contact-add", args=[organisation.pk])
    token = token_of(manager.get(url))
    manager.post(url, contact_data(form_token=token))
    again = manager.post(url, contact_data(form_token=token), follow=True)
    assert Contact.objects.filter(organisation=organisation).count() == 1
    assert "This form was already sent; here is what it created." in messages_of(again)


def test_the_same_event_form_sent_twice_creates_one(manager):
    url = reverse("event-create")
    token = token_of(manager.get(url))
    manager.post(url, event_data(form_token=token))
    manager.post(url, event_data(form_token=token))
    assert RoadshowEvent.objects.count() == 1


def test_back_then_save_with_a_fresh_token_creates_nothing_new(manager):
    """The browser's Back may fetch the form anew, with a new token, and refill what was
    typed: the same values sent to the same page lead to what the first send created."""
    url = reverse("event-create")
    first = manager.post(url, event_data(form_token=token_of(manager.get(url))))
    again = manager.post(url, event_data(form_token=token_of(manager.get(url))), follow=True)
    assert RoadshowEvent.objects.count() == 1
    assert again.redirect_chain == [(first["Location"], 302)]
    assert "This form was already sent; here is what it created." in messages_of(again)
    # Other values are another event.
    manager.post(url, event_data(title="Roadshow Kotka", form_token=token_of(manager.get(url))))
    assert RoadshowEvent.objects.count() == 2


def test_back_then_save_adds_no_second_application(manager):
    from funding.models import FundingApplication
    from tests.factories import OrganisationFactory, instrument

    idea = IdeaFactory(in_application=True)
    url = reverse("application-add", args=[idea.pk])
    data = {
        "instrument": instrument("akke").pk, "call": "", "applicant": OrganisationFactory().pk,
        "reference": "", "total_budget": "100 000", "requested": "80 000,00 €",
        "status": FundingApplication.Status.DRAFT, "submitted_on": "",
    }
    assert manager.post(url, {**data, "form_token": token_of(manager.get(url))}).status_code == 302
    manager.post(url, {**data, "form_token": token_of(manager.get(url))})
    assert FundingApplication.objects.filter(idea=idea).count() == 1


def test_edit_forms_carry_no_token(manager):
    idea = IdeaFactory()
    assert "form_token" not in manager.get(reverse("idea-edit", args=[idea.pk])).content.decode()



def test_every_create_page_carries_a_token(admin):
    idea = IdeaFactory()
    organisation = OrganisationFactory()
    theme = ThemeFactory()
    pages = [
        reverse("idea-create"),
        reverse("member-add", args=[idea.pk]),
        reverse("event-create"),
        reverse("organisation-create"),
        reverse("contact-add", args=[organisation.pk]),
        reverse("application-add", args=[idea.pk]),
        reverse("platform-create"),
        reverse("need-create", args=[theme.slug]),
        reverse("calendar-entry-create"),
        reverse("target-create"),
    ]
    for url in pages:
        response = admin.get(url)
        assert response.status_code == 200, url
        token_of(response)
