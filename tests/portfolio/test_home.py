"""The home page sends each role to its place; login, logout and the health check."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone

from portfolio.services import idea_move
from portfolio.stages import Stage
from tests.factories import ConsortiumMemberFactory, ContactFactory, IdeaFactory, UserFactory
from tests.helpers import assert_no_inline_code


def long_ago() -> timezone.datetime:
    return timezone.now() - timedelta(days=400)




# Home -----------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(anonymous):
    response = anonymous.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/"


def test_manager_sees_pipeline_and_own_stalled_ideas(manager, manager_user):
    manager.cookies["django_language"] = "en"
    stale = IdeaFactory(title="Oma vanha idea", owner=manager_user, at=long_ago())
    IdeaFactory(title="Oma tuore idea", owner=manager_user)
    IdeaFactory(title="Toisen vanha idea", at=long_ago())

    response = manager.get(reverse("home"))

    assert response.status_code == 200
    assert response.context["role"] == "manager"
    body = response.content.decode()
    assert [row.count for row in response.context["summary"]] == [3, 0, 0, 0, 0, 0]
    assert [row.idea.title for row in response.context["stalled"]] == ["Oma vanha idea"]
    assert response.context["stalled"][0].days_in_stage == 400
    assert "stalled: no move or edit for 60 days" in body
    assert f'<a href="{reverse("idea-detail", args=[stale.pk])}">Oma vanha idea</a>' in body
    assert "Oma tuore idea" not in body
    assert "Toisen vanha idea" not in body
    assert 'class="stage-cards"' in body
    assert reverse("admin:index") not in body
    assert_no_inline_code(body)


def test_manager_without_stalled_ideas_gets_an_empty_state(manager):
    response = manager.get(reverse("home"))
    assert response.status_code == 200
    assert list(response.context["stalled"]) == []
    assert 'class="empty"' in response.content.decode()


def test_pipeline_summary_in_finnish_number_format(manager, manager_user):
    IdeaFactory(owner=manager_user, estimated_budget=Decimal("1234567.50"))
    IdeaFactory(owner=manager_user, estimated_budget=Decimal("100000.00"), in_consortium=True)

    body = manager.get(reverse("home"), headers={"accept-language": "fi"}).content.decode()

    assert "1\xa0234\xa0567,50&nbsp;€" in body
    assert "100\xa0000,00&nbsp;€" in body
    assert '<html lang="fi">' in body


def test_pipeline_summary_in_english_number_format(manager, manager_user):
    IdeaFactory(owner=manager_user, estimated_budget=Decimal("1234567.50"))
    body = manager.get(reverse("home"), headers={"accept-language": "en"}).content.decode()
    assert "1,234,567.50&nbsp;€" in body
    assert '<html lang="en">' in body


def test_funder_sees_pipeline_without_personal_data(funder):
    contact = ContactFactory(name="Pekka Yhteyshenkilö", email="pekka@yritys.fi", phone="040 123")
    idea = IdeaFactory(at=long_ago())
    ConsortiumMemberFactory(idea=idea, organisation=contact.organisation, contact=contact)

    response = funder.get(reverse("home"))

    assert response.status_code == 200
    assert response.context["role"] == "funder"
    assert response.context["summary"][0].count == 1
    assert "stalled" not in response.context
    body = response.content.decode()
    assert 'class="stage-cards"' in body
    assert f'href="{reverse("dashboard")}"' in body
    for personal in (contact.name, contact.email, contact.phone, idea.owner.get_full_name()):
        assert personal not in body
    assert reverse("admin:index") not in body
    assert_no_inline_code(body)


def test_admin_sees_pipeline_and_a_link_to_the_admin(admin):
    response = admin.get(reverse("home"))
    assert response.status_code == 200
    assert response.context["role"] == "admin"
    body = response.content.decode()
    assert 'class="stage-cards"' in body
    assert f'href="{reverse("admin:index")}"' in body
    assert_no_inline_code(body)


def test_user_without_a_role_is_told_to_ask_for_access(client, db):
    client.force_login(UserFactory(username="nobody"))
    IdeaFactory()
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert response.context["role"] == "none"
    assert "summary" not in response.context
    body = response.content.decode()
    assert 'id="no-access-heading"' in body
    assert 'class="stage-cards"' not in body


def test_every_stage_has_a_card_in_pipeline_order(manager):
    response = manager.get(reverse("home"))
    body = response.content.decode()
    positions = [body.index(f"stage-card stage-{stage.value}") for stage in Stage]
    assert positions == sorted(positions)
    assert re.findall(r'class="stage-card stage-(\w+) closed"', body) == ["completed", "dropped"]


def test_stalled_list_is_capped_and_says_how_many_there_are(manager, manager_user):
    for i in range(12):
        IdeaFactory(title=f"Vanha {i}", owner=manager_user, at=long_ago() + timedelta(days=i))
    response = manager.get(reverse("home"))
    assert len(response.context["stalled"]) == 10
    assert response.context["stalled_count"] == 12
    assert response.context["stalled"][0].idea.title == "Vanha 0"


def test_home_queries_do_not_grow_with_ideas(manager, manager_user, django_assert_max_num_queries):
    for _ in range(15):
        IdeaFactory(owner=manager_user, at=long_ago())
    with django_assert_max_num_queries(8):
        assert manager.get(reverse("home")).status_code == 200


# Login and logout -------------------------------------------------------------------------


def test_login_page_has_the_app_name_labels_and_no_inline_code(anonymous):
    response = anonymous.get(reverse("login"))
    assert response.status_code == 200
    body = response.content.decode()
    assert '<h1 id="login-heading">Salkku</h1>' in body
    assert 'class="lead"' in body
    assert '<label for="id_username">' in body
    assert '<label for="id_password">' in body
    assert_no_inline_code(body)


def test_wrong_password_shows_an_error(anonymous, manager_user):
    response = anonymous.post(
        reverse("login"), {"username": manager_user.username, "password": "wrong"}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    body = response.content.decode()
    assert 'role="alert"' in body
    assert "_auth_user_id" not in anonymous.session


def test_missing_fields_are_named_beside_the_fields(anonymous):
    response = anonymous.post(reverse("login"), {"username": "", "password": ""})
    assert response.status_code == 200
    assert 'id="id_username_errors"' in response.content.decode()


def test_right_password_logs_in_and_goes_home(anonymous, manager_user):
    response = anonymous.post(
        reverse("login"), {"username": manager_user.username, "password": "pw-for-tests"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert anonymous.get(reverse("home")).status_code == 200


def test_login_honours_next(anonymous, manager_user):
    response = anonymous.post(
        f"{reverse('login')}?next=/admin/",
        {"username": manager_user.username, "password": "pw-for-tests", "next": "/admin/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_logged_in_user_visiting_login_goes_home(manager):
    response = manager.get(reverse("login"))
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_logout_is_a_post(manager):
    assert manager.get(reverse("logout")).status_code == 405
    response = manager.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert manager.get(reverse("home")).status_code == 302


def test_base_shows_logout_form_and_language_switcher(manager):
    body = manager.get(reverse("home")).content.decode()
    assert f'action="{reverse("logout")}" method="post"' in body
    assert f'action="{reverse("set_language")}" method="post"' in body
    assert 'name="language" value="en"' in body


# Health check -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_healthz_ok(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_healthz_reports_an_unreachable_database(client):
    with mock.patch("django.db.connection.cursor", side_effect=OperationalError("down")):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["status"] == "error"
    assert response.json()["database"] == "unreachable"


@pytest.mark.django_db
def test_healthz_needs_no_login_and_is_not_cached(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_home_names_dropped_now_and_ever_dropped_apart(manager, manager_user):
    """Three drops: A dropped and still dropped, B dropped and revived, C dropped, revived
    and dropped again. Dropped now: A and C (2); ever dropped: A, B, C (3), 1 revived."""
    manager.cookies["django_language"] = "en"
    IdeaFactory(title="A", owner=manager_user, dropped=True)
    b = IdeaFactory(title="B", owner=manager_user, dropped=True)
    idea_move(idea=b, to_stage=Stage.IDEA, by=manager_user, note="New partner")
    c = IdeaFactory(title="C", owner=manager_user, dropped=True)
    c = idea_move(idea=c, to_stage=Stage.IDEA, by=manager_user, note="Try again")
    idea_move(idea=c, to_stage=Stage.DROPPED, by=manager_user, note="Still no partner")

    response = manager.get(reverse("home"))

    drops = response.context["drops"]
    assert (drops.now, drops.ever, drops.revived) == (2, 3, 1)
    body = response.content.decode()
    dropped_card = body[body.index('class="stage-card stage-dropped'):]
    dropped_card = dropped_card[: dropped_card.index("</li>")]
    assert "<h3>Dropped now</h3>" in dropped_card
    assert '<span class="number">2</span>' in dropped_card
    assert "Ever dropped: 3, of which 1 revived" in dropped_card
    assert "Ever dropped: ideas dropped at least once" in body

