import pytest
from playwright.sync_api import expect

from tests.factories import IdeaFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_manager_logs_in_and_sees_the_pipeline(login, manager_user, live_server):
    IdeaFactory(owner=manager_user)
    page = login(manager_user.username)
    expect(page.get_by_role("heading", name="Ideaputki")).to_be_visible()
    expect(page.locator(".stage-card").first).to_contain_text("1")
    page.get_by_role("button", name="Kirjaudu ulos").click()
    expect(page).to_have_url(f"{live_server.url}/login/")


def test_wrong_password_says_so(live_server, page, funder_user):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Käyttäjätunnus").fill(funder_user.username)
    page.get_by_label("Salasana").fill("wrong")
    page.get_by_role("button", name="Kirjaudu sisään").click()
    expect(page.get_by_text("kelvollinen käyttäjätunnus")).to_be_visible()
