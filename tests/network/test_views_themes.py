"""Theme pages: the list of themes, one theme's numbers checked against a computation made
here from the stored rows, the regional gap, its workbook, and its development needs."""

from __future__ import annotations

import random
import re
from collections import Counter
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from funding.models import FundingApplication
from network.models import DevelopmentNeed
from portfolio.models import Idea, Region
from portfolio.stages import Stage
from tests.factories import (
    DevelopmentNeedFactory,
    FundingApplicationFactory,
    IdeaFactory,
    PlatformFactory,
    RoadshowEventFactory,
    ThemeFactory,
    UserFactory,
    region,
)
from tests.helpers import assert_no_inline_code

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
THEME_QUERIES = 15  # two more for the € shared out among regions: the ideas' regions and consortia
LIST_QUERIES = 9

# The stage an idea is created in, by the factory trait that puts it there.
TRAITS = {
    Stage.IDEA: {},
    Stage.CONSORTIUM: {"in_consortium": True},
    Stage.APPLICATION: {"in_application": True},
    Stage.IMPLEMENTATION: {"in_implementation": True},
    Stage.DROPPED: {"dropped": True},
}


@pytest.fixture(autouse=True)
def pages_in_english(settings):
    settings.LANGUAGE_CODE = "en"


def theme_url(theme, name: str = "theme-detail") -> str:
    return reverse(name, args=[theme.slug])


def build_portfolio(seed: int, ideas: int, theme, other) -> None:
    """Ideas with random themes, regions and stages, and applications in every status."""
    rng = random.Random(seed)
    codes = list(Region.objects.values_list("code", flat=True))
    for n in range(ideas):
        themes = rng.choice([[theme], [theme, other], [other], []])
        regions = [region(code) for code in rng.sample(codes, rng.randint(0, 3))]
        stage = rng.choice(list(TRAITS))
        idea = IdeaFactory(title=f"Idea {n:03}", themes=themes, regions=regions, **TRAITS[stage])
        for _ in range(rng.randint(0, 2)):
            requested = Decimal(rng.randint(10, 200) * 1000)
            kind = rng.choice(["draft", "submitted", "approved", "rejected"])
            if kind == "draft":
                FundingApplicationFactory(
                    idea=idea, requested=requested, status="draft", submitted_on=None
                )
            elif kind == "approved":
                FundingApplicationFactory(
                    idea=idea,
                    requested=requested,
                    approved=True,
                    granted=requested * Decimal("0.75"),
                )
            else:
                FundingApplicationFactory(
                    idea=idea, requested=requested, status=kind,
                    decided_on=date(2023, 6, 1) if kind == "rejected" else None,
                )


def expected_numbers(theme) -> dict:
    """The theme page's numbers worked out row by row in Python, not by the selector's SQL."""
    in_theme = [
        idea
        for idea in Idea.objects.prefetch_related("themes", "regions")
        if theme in idea.themes.all()
    ]
    regions: Counter[str] = Counter()
    for idea in in_theme:
        if idea.stage != Stage.DROPPED:
            regions.update(r.code for r in idea.regions.all())
    applied = granted = Decimal("0")
    for application in FundingApplication.objects.select_related("idea"):
        if application.idea in in_theme:
            if application.submitted_on is not None:
                applied += application.requested
            if application.status == "approved":
                granted += application.granted
    return {
        "stages": Counter(idea.stage for idea in in_theme),
        "ideas": {idea.title for idea in in_theme},
        "regions": dict(regions),
        "absent": sorted(set(Region.objects.values_list("code", flat=True)) - set(regions)),
        "applied": applied,
        "granted": granted,
    }


# One theme's page ----------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [1, 2])
def test_theme_numbers_match_an_independent_computation(funder, seed):
    theme, other = ThemeFactory(), ThemeFactory()
    build_portfolio(seed, 24, theme, other)
    expected = expected_numbers(theme)

    response = funder.get(theme_url(theme))
    assert response.status_code == 200
    page = response.context["page"]
    assert {row.stage: row.count for row in page.stages if row.count} == expected["stages"]
    assert [row.stage for row in page.stages] == list(Stage)
    closed = re.findall(r'class="stage-card stage-(\w+) closed"', response.content.decode())
    assert closed == ["completed", "dropped"]
    assert page.idea_count == len(expected["ideas"])
    assert {idea.title for idea in page.ideas} == expected["ideas"]
    assert {row.region.code: row.ideas for row in page.active_regions} == expected["regions"]
    assert [region.code for region in page.absent_regions] == expected["absent"]
    assert page.applied == expected["applied"]
    assert page.granted == expected["granted"]
    assert_no_inline_code(response.content.decode())


def test_the_gap_is_exactly_the_regions_without_a_live_idea(funder):
    theme, other = ThemeFactory(), ThemeFactory()
    IdeaFactory(themes=[theme], regions=[region("06"), region("17")])
    IdeaFactory(themes=[theme, other], regions=[region("13")], in_consortium=True)
    # A dropped idea does not make its region active ...
    IdeaFactory(themes=[theme], regions=[region("14"), region("06")], dropped=True)
    # ... and nor does an idea of another theme.
    IdeaFactory(themes=[other], regions=[region("01")])

    page = funder.get(theme_url(theme)).context["page"]
    assert [row.region.code for row in page.active_regions] == ["06", "13", "17"]
    assert [row.ideas for row in page.active_regions] == [1, 1, 1]
    all_codes = set(Region.objects.values_list("code", flat=True))
    assert len(all_codes) == 19
    assert [r.code for r in page.absent_regions] == sorted(all_codes - {"06", "13", "17"})
    assert "14" in [r.code for r in page.absent_regions]
    body = funder.get(theme_url(theme)).content.decode()
    assert "Dropped ideas do not count" in body


def test_a_theme_without_ideas_has_every_region_in_the_gap(funder):
    theme = ThemeFactory()
    page = funder.get(theme_url(theme)).context["page"]
    assert page.active_regions == []
    assert len(page.absent_regions) == 19
    assert (page.applied, page.granted, page.idea_count) == (Decimal("0"), Decimal("0"), 0)


def test_theme_page_shows_its_platforms_needs_and_facts(funder, manager):
    parent = ThemeFactory(name_en="Digital transformation")
    theme = ThemeFactory(
        name_en="Industrial AI", parent=parent, source="Tekoäly 4.0", description="Data first"
    )
    child = ThemeFactory(name_en="Machine vision", parent=theme)
    platform = PlatformFactory(name="TEDA-alusta", themes=[theme])
    PlatformFactory(name="Muu alusta", themes=[parent])
    event = RoadshowEventFactory(title="Roadshow Oulu")
    need = DevelopmentNeedFactory(
        theme=theme, need="Testiympäristöjen rahoitus", raised_at=event,
        addressed_to="other", addressed_to_other="Ruokavirasto",
    )
    DevelopmentNeedFactory(theme=parent, need="Toisen teeman tarve")

    response = funder.get(theme_url(theme))
    page = response.context["page"]
    assert [p.name for p in page.platforms] == ["TEDA-alusta"]
    assert page.needs == [need]
    assert page.children == [child]
    body = response.content.decode()
    for text in ("Tekoäly 4.0", "Data first", "Digital transformation", "Machine vision",
                 "Ruokavirasto", "Roadshow Oulu", reverse("platform-detail", args=[platform.pk]),
                 theme_url(theme, "theme-export")):
        assert text in body
    assert "Toisen teeman tarve" not in body
    # Funders read the needs; project managers also add and edit them.
    assert reverse("need-edit", args=[need.pk]) not in body
    assert reverse("need-create", args=[theme.slug]) not in body
    body = manager.get(theme_url(theme)).content.decode()
    assert reverse("need-edit", args=[need.pk]) in body
    assert reverse("need-create", args=[theme.slug]) in body


def test_money_in_finnish(funder):
    theme = ThemeFactory()
    idea = IdeaFactory(themes=[theme])
    FundingApplicationFactory(
        idea=idea, requested=Decimal("1234567.50"), total_budget=Decimal("2000000")
    )
    body = funder.get(theme_url(theme), headers={"accept-language": "fi"}).content.decode()
    assert "1\xa0234\xa0567,50&nbsp;€" in body


def test_long_idea_list_is_cut_with_a_link_to_all(funder, monkeypatch):
    from network import selectors

    monkeypatch.setattr(selectors, "THEME_PAGE_IDEAS", 2)
    theme = ThemeFactory()
    for _ in range(3):
        IdeaFactory(themes=[theme])
    response = funder.get(theme_url(theme))
    assert len(response.context["page"].ideas) == 2
    body = response.content.decode()
    assert "The first 2 of 3 ideas" in body
    assert f'{reverse("idea-list")}?theme={theme.pk}' in body


def test_unknown_theme_is_404(manager):
    for name in ("theme-detail", "theme-export", "need-create"):
        assert manager.get(reverse(name, args=["no-such-theme"])).status_code == 404


@pytest.mark.parametrize("rows", [2, 25])
def test_theme_page_queries_do_not_grow(manager, rows, django_assert_max_num_queries):
    theme = ThemeFactory()
    for n in range(rows):
        idea = IdeaFactory(themes=[theme], regions=[region("06"), region("13")])
        FundingApplicationFactory(idea=idea)
        PlatformFactory(themes=[theme], ideas=[idea])
        DevelopmentNeedFactory(theme=theme, raised_at=RoadshowEventFactory())
        ThemeFactory(parent=theme)
    with django_assert_max_num_queries(THEME_QUERIES):
        response = manager.get(theme_url(theme))
    page = response.context["page"]
    assert len(page.ideas) == len(page.platforms) == len(page.needs) == rows


# The list of themes ---------------------------------------------------------------------------


def test_theme_list_groups_active_themes_by_source_with_their_numbers(funder):
    ai = ThemeFactory(name_en="Industrial AI", source="Tekoäly 4.0")
    sme = ThemeFactory(name_en="SME digital", source="Tekoäly 4.0")
    six = ThemeFactory(name_en="Ecosystems", source="SIX")
    loose = ThemeFactory(name_en="Loose", source="")
    ThemeFactory(name_en="Retired", source="SIX", is_active=False)
    IdeaFactory(themes=[ai, six], regions=[region("06"), region("17")])
    IdeaFactory(themes=[ai], regions=[region("06")], in_consortium=True)
    IdeaFactory(themes=[ai], regions=[region("13")], dropped=True)
    PlatformFactory(themes=[ai, sme])
    DevelopmentNeedFactory(theme=ai)
    DevelopmentNeedFactory(theme=ai, status=DevelopmentNeed.Status.CLOSED)

    response = funder.get(reverse("theme-list"))
    groups = response.context["groups"]
    assert [group.source for group in groups] == ["SIX", "Tekoäly 4.0", ""]
    rows = {row.theme.name: row for group in groups for row in group.rows}
    assert "Retired" not in rows
    assert [row.theme for row in groups[1].rows] == [ai, sme]
    assert groups[2].rows[0].theme == loose
    ai_row = rows["Industrial AI"]
    assert (ai_row.ideas, ai_row.open_ideas, ai_row.active_regions) == (3, 2, 2)
    assert (ai_row.platforms, ai_row.unresolved_needs) == (1, 1)
    assert (rows["Ecosystems"].ideas, rows["Ecosystems"].active_regions) == (1, 2)
    assert (rows["SME digital"].ideas, rows["SME digital"].platforms) == (0, 1)
    body = response.content.decode()
    assert "Other themes" in body
    assert "2 of 19" in body
    assert_no_inline_code(body)


@pytest.mark.parametrize("rows", [2, 20])
def test_theme_list_queries_do_not_grow(funder, rows, django_assert_max_num_queries):
    for _ in range(rows):
        theme = ThemeFactory(parent=ThemeFactory())
        IdeaFactory(themes=[theme], regions=[region("06")])
        PlatformFactory(themes=[theme])
        DevelopmentNeedFactory(theme=theme)
    with django_assert_max_num_queries(LIST_QUERIES):
        response = funder.get(reverse("theme-list"))
    assert sum(len(group.rows) for group in response.context["groups"]) == rows * 2


# The workbook --------------------------------------------------------------------------------


def test_theme_workbook_has_every_sheet_with_the_pages_numbers(funder):
    theme, other = ThemeFactory(name_en="Industrial AI", source="Tekoäly 4.0"), ThemeFactory()
    build_portfolio(3, 16, theme, other)
    idea = IdeaFactory(title="=HYPERLINK(\"http://evil.example\")", themes=[theme],
                       regions=[region("19")])
    PlatformFactory(name="TEDA-alusta", themes=[theme], ideas=[idea], access_terms="Maksuton")
    DevelopmentNeedFactory(theme=theme, need="Rahoitus testiympäristöille",
                           addressed_to="business_finland")
    expected = expected_numbers(theme)

    response = funder.get(theme_url(theme, "theme-export"))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert f'filename="theme-{theme.slug}-' in response["Content-Disposition"]
    workbook = load_workbook(BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == ["Summary", "Ideas", "Regions", "Platforms", "Development needs"]

    summary = dict(workbook["Summary"].iter_rows(min_row=2, values_only=True))
    assert summary["Theme"] == "Industrial AI"
    assert summary["Source strategy"] == "Tekoäly 4.0"
    assert summary["Ideas"] == len(expected["ideas"])
    for stage in Stage:
        assert summary[str(stage.label)] == expected["stages"].get(stage, 0)
    assert Decimal(str(summary["€ applied (submitted applications)"])) == expected["applied"]
    assert Decimal(str(summary["€ granted (approved applications)"])) == expected["granted"]
    assert summary["Regions without ideas (the gap)"] == len(expected["absent"])

    ideas = list(workbook["Ideas"].iter_rows(min_row=2, values_only=True))
    assert {row[0] for row in ideas} == expected["ideas"]
    # A title that looks like a formula stays text.
    formula_row = next(
        row for row in workbook["Ideas"].iter_rows(min_row=2) if row[0].value.startswith("=")
    )
    assert formula_row[0].data_type == "s"

    regions = {row[1]: row for row in workbook["Regions"].iter_rows(min_row=2, values_only=True)}
    assert len(regions) == 19
    assert {code for code, row in regions.items() if row[2] == "Absent (the gap)"} == set(
        expected["absent"]
    )
    assert {code: row[3] for code, row in regions.items() if row[3]} == expected["regions"]

    platforms = list(workbook["Platforms"].iter_rows(min_row=2, values_only=True))
    assert [(row[0], row[5], row[6]) for row in platforms] == [("TEDA-alusta", 1, "Maksuton")]
    needs = list(workbook["Development needs"].iter_rows(min_row=2, values_only=True))
    assert [(row[0], row[1], row[2]) for row in needs] == [
        ("Rahoitus testiympäristöille", "Open", "Business Finland")
    ]


def test_workbook_has_every_idea_even_when_the_page_cuts_the_list(funder, monkeypatch):
    from network import selectors

    monkeypatch.setattr(selectors, "THEME_PAGE_IDEAS", 1)
    theme = ThemeFactory()
    for _ in range(3):
        IdeaFactory(themes=[theme])
    response = funder.get(theme_url(theme, "theme-export"))
    workbook = load_workbook(BytesIO(b"".join(response.streaming_content)))
    assert workbook["Ideas"].max_row == 4


# Development needs -----------------------------------------------------------------------------


def need_data(for_theme, **overrides) -> dict:
    data = {
        "need": "Pk-yrityksille rahoitus testiympäristöjen käyttöön",
        "theme": for_theme.pk,
        "raised_at": "",
        "addressed_to": "business_finland",
        "addressed_to_other": "",
        "status": "open",
    }
    data.update(overrides)
    return data


def test_manager_records_a_need_on_the_themes_page(manager, manager_user):
    theme = ThemeFactory()
    event = RoadshowEventFactory()
    form = manager.get(reverse("need-create", args=[theme.slug])).context["form"]
    assert form.initial["theme"] == theme.pk
    response = manager.post(
        reverse("need-create", args=[theme.slug]), need_data(theme, raised_at=event.pk)
    )
    assert response.status_code == 302
    assert response["Location"] == theme_url(theme) + "#needs"
    need = DevelopmentNeed.objects.get()
    assert (need.theme, need.raised_at, need.created_by) == (theme, event, manager_user)


def test_manager_edits_a_need_and_may_move_it_to_another_theme(manager):
    need = DevelopmentNeedFactory(created_by=UserFactory(manager=True))
    other = ThemeFactory()
    response = manager.post(
        reverse("need-edit", args=[need.pk]),
        need_data(other, status="communicated", addressed_to="tem"),
    )
    assert response.status_code == 302
    assert response["Location"] == theme_url(other) + "#needs"
    need.refresh_from_db()
    assert (need.theme, need.status, need.addressed_to) == (other, "communicated", "tem")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"need": "  "}, "need", "This field is required."),
        ({"status": "forgotten"}, "status", "Select a valid choice."),
        ({"addressed_to": "eu"}, "addressed_to", "Select a valid choice."),
        ({"addressed_to": "other"}, "addressed_to_other", "Name the body the need is"),
        ({"addressed_to_other": "Ruokavirasto"}, "addressed_to_other", "Choose “Other body”"),
        ({"raised_at": "99999999999999999999"}, "raised_at", "Select a valid choice."),
        ({"theme": ""}, "theme", "This field is required."),
    ],
)
def test_bad_need_is_refused_at_the_field(manager, overrides, field, message):
    theme = ThemeFactory()
    response = manager.post(
        reverse("need-create", args=[theme.slug]), need_data(theme, **overrides)
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not DevelopmentNeed.objects.exists()
    assert_no_inline_code(response.content.decode())


def test_funder_cannot_add_or_edit_needs(funder):
    need = DevelopmentNeedFactory()
    urls = (reverse("need-create", args=[need.theme.slug]), reverse("need-edit", args=[need.pk]))
    for url in urls:
        assert funder.get(url).status_code == 403
        assert funder.post(url, need_data(need.theme, need="Muutettu")).status_code == 403
    need.refresh_from_db()
    assert need.need != "Muutettu"
    assert DevelopmentNeed.objects.count() == 1


def test_navigation_marks_platforms_and_themes(manager):
    need = DevelopmentNeedFactory()
    platform = PlatformFactory()
    for url, item in (
        (reverse("platform-list"), "Platforms"),
        (reverse("platform-edit", args=[platform.pk]), "Platforms"),
        (reverse("theme-list"), "Themes"),
        (theme_url(need.theme), "Themes"),
        (reverse("need-edit", args=[need.pk]), "Themes"),
    ):
        body = manager.get(url).content.decode()
        assert f'aria-current="page">{item}</a>' in body, url


# € by region, shared out ----------------------------------------------------------------------


def test_theme_page_shares_the_money_among_regions_by_the_one_rule(funder):
    from portfolio.models import Organisation
    from tests.factories import ConsortiumMemberFactory, OrganisationFactory

    theme = ThemeFactory(name_en="Robots")
    pirkanmaa, uusimaa, lappi = region("06"), region("01"), region("19")
    # Two regions, no shares: 100 000 € granted and 150 000 € applied half to each.
    even = IdeaFactory(themes=[theme], regions=[pirkanmaa, uusimaa])
    FundingApplicationFactory(idea=even, approved=True, requested=Decimal("150000"),
                              granted=Decimal("100000"))
    # Shares recorded: a Lapland member plans 20 000 €, a Pirkanmaa one 60 000 €.
    planned = IdeaFactory(themes=[theme], regions=[pirkanmaa])
    for where, share in ((lappi, "20000"), (pirkanmaa, "60000")):
        ConsortiumMemberFactory(idea=planned, budget_share=Decimal(share),
                                organisation=OrganisationFactory(region=where))
    FundingApplicationFactory(idea=planned, approved=True, requested=Decimal("40000"),
                              granted=Decimal("40000"))
    # No region at all.
    nowhere = IdeaFactory(themes=[theme], regions=[])
    FundingApplicationFactory(idea=nowhere, requested=Decimal("10000"))
    assert Organisation.objects.exists()

    response = funder.get(theme_url(theme))
    page = response.context["page"]
    money = {
        (row.region.code if row.region else None): (row.applied, row.granted)
        for row in page.money_by_region
    }
    assert money == {
        "01": (Decimal("75000"), Decimal("50000")),
        "06": (Decimal("105000"), Decimal("80000")),  # 75 000 + 30 000; 50 000 + 30 000
        "19": (Decimal("10000"), Decimal("10000")),
        None: (Decimal("10000"), Decimal("0")),
    }
    assert sum(applied for applied, _ in money.values()) == page.applied == Decimal("200000")
    assert sum(granted for _, granted in money.values()) == page.granted == Decimal("140000")
    html = response.content.decode()
    assert "€ by region, shared out" in html and "No region" in html
    assert reverse("region-detail", args=["19"]) in html
