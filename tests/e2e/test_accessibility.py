"""WCAG 2.1 AA in the browser: axe-core on every main page, for each role and UI language;
the page's structure (one h1, headings in order, landmarks); and the pages at 320 px wide.

axe-core is the copy pinned with axe-playwright-python (PyPI), read from the installed
package, so the suite needs no network and a new axe arrives only with a new pin.
"""

from __future__ import annotations

from pathlib import Path

import axe_playwright_python
import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from accessibility.models import AccessibilityStatement
from network.models import Platform
from portfolio.models import Idea, Organisation, Region, RoadshowEvent, Theme
from tests.e2e.keyboard import tab_to
from tests.factories import IdeaFactory, import_xlsx
from vuosikello.models import CalendarEntry

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

AXE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()

# The WCAG 2.0 and 2.1 level A and AA rules, and the best-practice rules behind "one h1 per
# page, headings in order, landmarks": those are checked whatever their impact.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
STRUCTURE_RULES = [
    "page-has-heading-one",
    "heading-order",
    "landmark-one-main",
    "landmark-no-duplicate-main",
    "landmark-unique",
    "region",
    "bypass",
]
RUN_AXE = """async ([tags, rules]) => {
  const wcag = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  const structure = await axe.run(document, {runOnly: {type: 'rule', values: rules}});
  const serious = wcag.violations.filter(v => v.impact === 'serious' || v.impact === 'critical');
  return serious.concat(structure.violations).map(v => ({
    rule: v.id, impact: v.impact,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ': ' + n.failureSummary),
  }));
}"""


@pytest.fixture
def portfolio():
    """A small but whole portfolio: every list has rows and every chart has data."""
    call_command("seed_demo", ideas=12, force=True, stdout=open("/dev/null", "w"))
    idea = Idea.objects.order_by("pk").first()
    return {
        "idea": idea.pk,
        "event": RoadshowEvent.objects.order_by("pk").first().pk,
        "organisation": Organisation.objects.order_by("pk").first().pk,
        "platform": Platform.objects.order_by("pk").first().pk,
        "theme": Theme.objects.order_by("pk").first().slug,
        "region": Region.objects.get(code="06").code,
        "entry": CalendarEntry.objects.order_by("pk").first().pk,
    }


def pages(role: str, ids: dict) -> list[str]:
    read = [
        "/", "/board/", "/ideas/", f"/ideas/{ids['idea']}/", "/events/",
        f"/events/{ids['event']}/", "/organisations/", f"/organisations/{ids['organisation']}/",
        "/platforms/", f"/platforms/{ids['platform']}/", "/themes/", f"/themes/{ids['theme']}/",
        "/funding/applications/", "/funding/instruments/", "/funding/calls/", "/dashboards/",
        "/dashboards/?year=2025&quarter=2", "/reports/", "/calendar/",
        f"/regions/{ids['region']}/", "/targets/", "/account/", "/account/tokens/",
        "/calendar/feeds/", "/saavutettavuus/",
    ]
    write = [
        "/ideas/new/", f"/ideas/{ids['idea']}/edit/", "/ideas/import/",
        f"/ideas/{ids['idea']}/members/add/", f"/ideas/{ids['idea']}/applications/add/",
        f"/ideas/{ids['idea']}/implementation/", "/events/new/", "/organisations/new/",
        "/platforms/new/", "/calendar/new/", "/targets/new/", "/account/two-factor/",
        f"/organisations/{ids['organisation']}/contacts/add/", f"/themes/{ids['theme']}/needs/new/",
        f"/ideas/{ids['idea']}/platforms/", f"/calendar/entries/{ids['entry']}/edit/",
    ]
    return read + write if role == "manager" else read


def violations(page: Page) -> list[dict]:
    page.evaluate(AXE)
    return page.evaluate(RUN_AXE, [WCAG_TAGS, STRUCTURE_RULES])


def choose_language(page: Page, language: str) -> None:
    page.locator(f"form.lang button[value={language}]").click()
    expect(page.locator("html")).to_have_attribute("lang", language)


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
@pytest.mark.parametrize("role", ["manager", "funder", "admin"])
def test_no_serious_accessibility_violation_on_any_page(
    login, manager_user, funder_user, admin_user, live_server, portfolio, role, language
):
    user = {"manager": manager_user, "funder": funder_user, "admin": admin_user}[role]
    page = login(user.username)
    choose_language(page, language)
    found = {}
    for path in pages(role, portfolio):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        if path.startswith("/dashboards/") or path == "/calendar/":
            # The charts are drawn after the page loads; their toolbars are part of the check.
            page.wait_for_selector(".js-plotly-plot")
        problems = violations(page)
        if (headings := page.locator("h1").count()) != 1:
            problems.append(f"{headings} h1 headings")
        if problems:
            found[path] = problems
    assert found == {}, "\n".join(f"{path}: {problems}" for path, problems in found.items())


def test_the_import_preview_has_no_violation_and_confirms_by_keyboard(
    login, manager_user, live_server, tmp_path
):
    page = login(manager_user.username)
    file = tmp_path / "ideat.xlsx"
    file.write_bytes(
        import_xlsx(
            [{"title": "Konenäkö hitsaukseen", "lead_organisation": "Uusi Oy"}],
            [{"name": "Uusi Oy"}],
        )
    )
    page.goto(f"{live_server.url}/ideas/import/")
    page.set_input_files("#id_file", file)
    page.locator("main form[enctype] button[type=submit]").press("Enter")
    page.wait_for_url("**/ideas/import/*/")
    expect(page.locator("main")).to_contain_text("Konenäkö hitsaukseen")
    assert violations(page) == []
    assert page.locator("h1").count() == 1
    # From the top of the page, Tab reaches the confirm button; Enter imports.
    tab_to(page, "form[action$='/confirm/'] button")
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_contain_text("Konenäkö hitsaukseen")
    page.wait_for_function("() => !document.querySelector('form[action$=\\'/confirm/\\']')")
    assert Idea.objects.filter(title="Konenäkö hitsaukseen").exists()
    assert violations(page) == []


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_pages_before_signing_in_and_error_pages_have_no_violation(
    page, live_server, funder_user, login, language
):
    page.goto(f"{live_server.url}/login/")
    choose_language(page, language)
    for path in ("/login/", "/password/reset/", "/saavutettavuus/", "/tillganglighet/",
                 "/accessibility/", "/no-such-page/"):
        page.goto(f"{live_server.url}{path}")
        assert violations(page) == [], path
    # A funder's view of a manager's page: the 403 page. (The sign-in helper reads Finnish.)
    choose_language(page, "fi")
    login(funder_user.username)
    choose_language(page, language)
    assert page.goto(f"{live_server.url}/ideas/new/").status == 403
    assert violations(page) == []


@pytest.mark.parametrize("path", ["/board/", "/ideas/{idea}/", "/dashboards/"])
def test_pages_reflow_to_320_pixels_and_keep_their_text_when_spaced(
    login, manager_user, live_server, portfolio, path
):
    page = login(manager_user.username)
    # 1280 px at 400 % zoom is 320 CSS pixels: the width WCAG 1.4.10 asks a page to fit.
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"{live_server.url}{path.format(**portfolio)}")
    if path == "/dashboards/":
        page.wait_for_selector(".js-plotly-plot")
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    # Tables may scroll, but only inside their own region.
    wide = page.evaluate(
        """() => [...document.querySelectorAll('main *')].filter(e => {
          const r = e.getBoundingClientRect();
          if (r.width === 0 || r.right <= document.documentElement.clientWidth + 1) return false;
          for (let p = e.parentElement; p; p = p.parentElement) {
            const s = getComputedStyle(p).overflowX;
            if (s === 'auto' || s === 'scroll' || s === 'hidden') return false;
          }
          return true;
        }).slice(0, 5).map(e => e.tagName + '.' + e.className)"""
    )
    assert wide == []
    # WCAG 1.4.12: with the text spacing a reader may set, nothing is cut off.
    page.add_style_tag(
        content="* { line-height: 1.5 !important; letter-spacing: 0.12em !important;"
        " word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }"
    )
    clipped = page.evaluate(
        """() => [...document.querySelectorAll('body *')].filter(e => {
          if (e.closest('.visually-hidden, .js-plotly-plot')) return false;
          const s = getComputedStyle(e);
          const clipX = ['hidden', 'clip'].includes(s.overflowX);
          const clipY = ['hidden', 'clip'].includes(s.overflowY);
          return (clipY && e.scrollHeight > e.clientHeight + 1)
            || ((clipX || s.textOverflow === 'ellipsis') && e.scrollWidth > e.clientWidth + 1);
        }).slice(0, 5).map(e => e.tagName + '.' + e.className)"""
    )
    assert clipped == []


def test_the_statement_is_linked_from_every_footer_in_its_language(page, live_server):
    assert AccessibilityStatement.objects.exists()
    page.goto(f"{live_server.url}/login/")
    page.get_by_role("contentinfo").get_by_role("link", name="Saavutettavuusseloste").click()
    expect(page).to_have_url(f"{live_server.url}/saavutettavuus/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Saavutettavuusseloste")
    page.get_by_role("link", name="På svenska").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tillgänglighetsutlåtande")
    # The header's language switch leads to the statement's own address in that language.
    page.locator("form.lang button[value=en]").click()
    expect(page).to_have_url(f"{live_server.url}/accessibility/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Accessibility statement")


def test_tab_goes_through_every_chart_to_the_footer(login, funder_user, live_server, portfolio):
    """The charts are no keyboard traps: from the top of the dashboards Tab reaches the end."""
    page = login(funder_user.username)
    page.goto(f"{live_server.url}/dashboards/")
    page.wait_for_selector(".js-plotly-plot")
    tab_to(page, ".site-footer a", most=600)


def test_the_error_summary_takes_the_focus_and_leads_to_the_field(login, manager_user, live_server):
    idea = IdeaFactory()
    page = login(manager_user.username)
    page.goto(f"{live_server.url}/ideas/{idea.pk}/members/add/")
    page.locator("form.stacked-form button[type=submit]").press("Enter")
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    page.keyboard.press("Tab")
    expect(summary.locator("a[href='#id_organisation']")).to_be_focused()
    page.keyboard.press("Enter")
    organisation = page.locator("#id_organisation")
    expect(organisation).to_be_focused()
    expect(organisation).to_have_attribute("aria-invalid", "true")
    expect(organisation).to_have_attribute("aria-describedby", "id_organisation_error")
