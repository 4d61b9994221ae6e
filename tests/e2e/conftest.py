"""Browser tests: pytest-playwright driving Debian's Chromium against the live test server.

Locally a missing browser skips these tests; on CI (CI=true) it fails them, so a broken
browser install cannot pass unnoticed.
"""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Playwright keeps an event loop running in the test thread for the whole session; Django's
# ORM calls from test code are synchronous and safe there. (The deploy-check test removes
# this from the environment it hands to manage.py.)
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if shutil.which(CHROMIUM):
        return
    if os.environ.get("CI"):
        return  # fail loudly in browser_type_launch_args below
    skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    for item in items:
        if "e2e" in item.nodeid:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not shutil.which(CHROMIUM):
        pytest.fail(f"Chromium is required for the browser tests on CI; none at {CHROMIUM}")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fi-FI", "timezone_id": "Europe/Helsinki"}


@pytest.fixture
def e2e_password():
    return "pw-for-tests"


@pytest.fixture
def login(live_server, page, e2e_password):
    """Log in through the real form, as a person would."""

    def do(username: str):
        page.goto(f"{live_server.url}/login/")
        page.get_by_label("Käyttäjätunnus").fill(username)
        page.get_by_label("Salasana").fill(e2e_password)
        page.get_by_role("button", name="Kirjaudu sisään").click()
        page.wait_for_url(f"{live_server.url}/")
        return page

    return do


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    """The rows the data migrations load (regions, funders, instruments, groups).

    Browser tests run in transactional test cases, which empty the tables between tests;
    depending on the order of the whole suite they may start without these rows.
    """
    from importlib import import_module

    from django.apps import apps
    from django.contrib.auth.models import Group

    from accounts.permissions import FUNDERS_GROUP, MANAGERS_GROUP

    import_module("portfolio.migrations.0002_regions").load(apps, None)
    import_module("funding.migrations.0002_funders_and_instruments").load(apps, None)
    import_module("funding.migrations.0005_funder_name_en").name_in_english(apps, None)
    import_module("funding.migrations.0006_swedish_names").name_in_swedish(apps, None)
    import_module("accessibility.migrations.0002_the_statement").create(apps, None)
    for name in (MANAGERS_GROUP, FUNDERS_GROUP):
        Group.objects.get_or_create(name=name)
