"""The board: columns per stage, the idea list's filters, capped columns, and who may drag."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portfolio.models import Idea
from portfolio.selectors.board import board_columns
from portfolio.stages import Stage
from tests.factories import (
    FundingApplicationFactory,
    IdeaFactory,
    ImplementationFactory,
    RoadshowEventFactory,
    ThemeFactory,
    UserFactory,
    advance,
    instrument,
    region,
)
from tests.helpers import assert_no_inline_code

pytestmark = pytest.mark.django_db

BOARD = reverse("board")


@pytest.fixture(autouse=True)
def english_pages(settings):
    # Pages follow the request's language, Finnish by default; the assertions read English.
    settings.LANGUAGE_CODE = "en"




def column(response, stage: str):
    return next(c for c in response.context["columns"] if c.stage == stage)


def titles(response, stage: str) -> list[str]:
    return [card.idea.title for card in column(response, stage).cards]


def days_ago(days: int):
    return timezone.now() - timedelta(days=days)


def implementation_idea(title: str, at, end) -> Idea:
    """An idea moved into implementation at ``at``, with its planned end."""
    idea = advance(IdeaFactory(title=title, at=at), Stage.IMPLEMENTATION, at=at)
    ImplementationFactory(idea=idea, end=end)
    return idea


# Access ------------------------------------------------------------------------------------


def test_anonymous_goes_to_login(anonymous):
    response = anonymous.get(BOARD)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_user_without_role_is_refused(client):
    client.force_login(UserFactory(username="nobody"))
    assert client.get(BOARD).status_code == 403


@pytest.mark.parametrize("persona", ["manager", "funder", "admin"])
def test_board_opens_for_every_reading_role(request, persona):
    IdeaFactory(title="Näkyvä idea")
    response = request.getfixturevalue(persona).get(BOARD)
    assert response.status_code == 200
    assert "Näkyvä idea" in response.content.decode()


# Columns -----------------------------------------------------------------------------------


def test_columns_in_stage_order_with_counts_and_sums(manager, manager_user):
    IdeaFactory(owner=manager_user, estimated_budget=Decimal("100000.00"))
    IdeaFactory(owner=manager_user, estimated_budget=Decimal("50000.50"))
    IdeaFactory(owner=manager_user, estimated_budget=None)
    IdeaFactory(owner=manager_user, estimated_budget=Decimal("200000.00"), in_consortium=True)
    IdeaFactory(owner=manager_user, estimated_budget=Decimal("7.25"), dropped=True)

    response = manager.get(BOARD)

    columns = response.context["columns"]
    assert [c.stage for c in columns] == list(Stage)
    assert [c.count for c in columns] == [3, 1, 0, 0, 0, 1]
    assert [c.budget for c in columns] == [
        Decimal("150000.50"), Decimal("200000.00"), 0, 0, 0, Decimal("7.25")
    ]
    assert [len(c.cards) for c in columns] == [3, 1, 0, 0, 0, 1]
    assert not any(c.has_more for c in columns)
    body = response.content.decode()
    assert "150,000.50&nbsp;€" in body
    positions = [body.index(f'id="column-{stage.value}-heading"') for stage in Stage]
    assert positions == sorted(positions)


def test_sums_in_finnish_format(manager, manager_user):
    IdeaFactory(owner=manager_user, estimated_budget=Decimal("1234567.50"))
    body = manager.get(BOARD, headers={"accept-language": "fi"}).content.decode()
    assert "1\xa0234\xa0567,50&nbsp;€" in body


def test_card_shows_owner_themes_regions_and_days_in_stage(manager):
    owner = UserFactory(first_name="Olli", last_name="Omistaja", manager=True)
    theme = ThemeFactory(name_en="Circular economy")
    idea = IdeaFactory(
        title="Kiertotalousdemo",
        owner=owner,
        themes=[theme],
        regions=[region("06"), region("13")],
        at=days_ago(12),
    )

    response = manager.get(BOARD)

    body = response.content.decode()
    card = column(response, Stage.IDEA).cards[0]
    assert card.idea == idea and card.days_in_stage == 12 and not card.stalled
    assert f'href="{reverse("idea-detail", args=[idea.pk])}"' in body
    for text in ("Kiertotalousdemo", "Olli Omistaja", "Circular economy", "Pirkanmaa",
                 "Central Finland", "12 days in stage"):
        assert text in body


def test_newest_in_stage_come_first_and_closed_stages_are_shown(manager, manager_user):
    IdeaFactory(title="Vanhempi", owner=manager_user, at=days_ago(30))
    IdeaFactory(title="Uudempi", owner=manager_user, at=days_ago(3))
    IdeaFactory(title="Valmis", owner=manager_user, completed=True)
    IdeaFactory(title="Hylätty", owner=manager_user, dropped=True)

    response = manager.get(BOARD)

    assert titles(response, Stage.IDEA) == ["Uudempi", "Vanhempi"]
    assert titles(response, Stage.COMPLETED) == ["Valmis"]
    assert titles(response, Stage.DROPPED) == ["Hylätty"]


def test_stalled_badge_only_on_open_ideas_past_the_limit(manager, manager_user, settings):
    settings.STALE_AFTER_DAYS = 60
    IdeaFactory(title="Seisova", owner=manager_user, at=days_ago(61))
    IdeaFactory(title="Tuore", owner=manager_user, at=days_ago(59))
    old_dropped = IdeaFactory(title="Vanha hylätty", owner=manager_user, dropped=True)
    Idea.objects.filter(pk=old_dropped.pk).update(stage_entered_at=days_ago(300))

    response = manager.get(BOARD)

    stalled = {c.idea.title: c.stalled for col in response.context["columns"] for c in col.cards}
    assert stalled == {"Seisova": "idle", "Tuore": None, "Vanha hylätty": None}
    body = response.content.decode()
    assert body.count('class="badge badge-stalled"') == 1
    assert 'title="stalled: no move or edit for 60 days"' in body


def test_an_edit_keeps_an_idea_from_being_stalled(manager, manager_user, settings):
    """61 days in the stage, but edited 10 days ago: something is happening."""
    settings.STALE_AFTER_DAYS = 60
    idea = IdeaFactory(title="Muokattu", owner=manager_user, at=days_ago(61))
    idea._history_date = days_ago(10)
    idea.summary = "Uusi kumppani löytyi"
    idea.save()

    response = manager.get(BOARD)

    assert column(response, Stage.IDEA).cards[0].stalled is None


def test_implementation_is_stalled_only_past_its_planned_end(manager, settings):
    """Implementation is not judged by the 60 days: two ideas in implementation for 400
    days, one due to end next month, one that should have ended yesterday."""
    settings.STALE_AFTER_DAYS = 60
    running = implementation_idea("Käynnissä", days_ago(400), end=days_ago(-30).date())
    late = implementation_idea("Myöhässä", days_ago(400), end=days_ago(1).date())

    response = manager.get(BOARD)

    cards = {c.idea.title: c for c in column(response, Stage.IMPLEMENTATION).cards}
    assert cards["Käynnissä"].stalled is None and cards["Käynnissä"].days_in_stage == 400
    assert cards["Myöhässä"].stalled == "past_end"
    assert cards["Myöhässä"].stalled_text == "implementation past its planned end"
    assert {running.pk, late.pk} == {c.idea.pk for c in cards.values()}


def test_selector_uses_one_now_for_days_and_staleness(settings):
    settings.STALE_AFTER_DAYS = 10
    idea = IdeaFactory(at=days_ago(5))
    later = timezone.now() + timedelta(days=6)
    card = board_columns(Idea.objects.all(), now=later)[0].cards[0]
    assert card.idea == idea
    assert card.days_in_stage == 11
    assert card.stalled == "idle"


# Filters -----------------------------------------------------------------------------------


def test_theme_filter(manager, manager_user):
    theme = ThemeFactory()
    IdeaFactory(title="Teemalla", owner=manager_user, themes=[theme, ThemeFactory()])
    IdeaFactory(title="Ilman", owner=manager_user)
    response = manager.get(BOARD, {"theme": theme.pk})
    assert titles(response, Stage.IDEA) == ["Teemalla"]
    assert column(response, Stage.IDEA).count == 1


def test_region_filter(manager, manager_user):
    IdeaFactory(title="Pirkanmaalla", owner=manager_user, regions=[region("06"), region("13")])
    IdeaFactory(title="Lapissa", owner=manager_user, regions=[region("19")])
    response = manager.get(BOARD, {"region": [region("06").pk, region("01").pk]})
    assert titles(response, Stage.IDEA) == ["Pirkanmaalla"]


def test_owner_filter(manager, manager_user):
    IdeaFactory(title="Minun", owner=manager_user)
    IdeaFactory(title="Toisen", in_consortium=True)
    response = manager.get(BOARD, {"owner": manager_user.pk})
    assert [c.count for c in response.context["columns"]] == [1, 0, 0, 0, 0, 0]
    assert titles(response, Stage.IDEA) == ["Minun"]


def test_origin_event_filter(manager, manager_user):
    event = RoadshowEventFactory()
    IdeaFactory(title="Tapahtumasta", owner=manager_user, origin_event=event)
    IdeaFactory(title="Muualta", owner=manager_user)
    response = manager.get(BOARD, {"origin_event": event.pk})
    assert titles(response, Stage.IDEA) == ["Tapahtumasta"]


def test_instrument_filter(manager, manager_user):
    with_akke = IdeaFactory(title="AKKE-haku", owner=manager_user)
    FundingApplicationFactory(idea=with_akke, instrument=instrument("akke"))
    FundingApplicationFactory(idea=with_akke, instrument=instrument("akke"))
    other = IdeaFactory(title="BF-haku", owner=manager_user)
    FundingApplicationFactory(idea=other, instrument=instrument("bf-rdi"))
    response = manager.get(BOARD, {"instrument": instrument("akke").pk})
    assert titles(response, Stage.IDEA) == ["AKKE-haku"]
    assert column(response, Stage.IDEA).count == 1


def test_text_filter_matches_every_word_in_title_or_summary(manager, manager_user):
    IdeaFactory(title="Robottisolu", summary="Hitsaus ja konenäkö", owner=manager_user)
    IdeaFactory(title="Robottikoulutus", summary="Opetus", owner=manager_user)
    response = manager.get(BOARD, {"q": "robotti konenäkö"})
    assert titles(response, Stage.IDEA) == ["Robottisolu"]


def test_stage_and_ordering_parameters_are_ignored(manager, manager_user):
    IdeaFactory(owner=manager_user)
    IdeaFactory(owner=manager_user, in_consortium=True)
    response = manager.get(BOARD, {"stage": "consortium", "ordering": "title"})
    assert response.status_code == 200
    assert [c.count for c in response.context["columns"]][:2] == [1, 1]
    assert 'name="stage"' not in response.content.decode()


@pytest.mark.parametrize(
    "params", [{"owner": "abc"}, {"theme": "999999"}, {"instrument": "x"}, {"origin_event": "-1"}]
)
def test_invalid_filter_shows_the_error_and_an_empty_board(manager, manager_user, params):
    IdeaFactory(owner=manager_user)
    response = manager.get(BOARD, params)
    assert response.status_code == 200
    assert response.context["filter"].errors
    assert all(c.count == 0 for c in response.context["columns"])
    assert 'class="field-errors"' in response.content.decode()


def test_filter_form_keeps_the_chosen_values(manager, manager_user):
    theme = ThemeFactory()
    body = manager.get(BOARD, {"theme": theme.pk, "q": "robotti"}).content.decode()
    assert re.search(rf'value="{theme.pk}"[^>]*checked', body)
    assert 'value="robotti"' in body


# The 50-card cap ---------------------------------------------------------------------------


def test_column_shows_newest_fifty_and_links_to_the_filtered_list(manager, manager_user):
    theme = ThemeFactory()
    for i in range(52):
        IdeaFactory(title=f"Idea {i:02d}", owner=manager_user, themes=[theme], at=days_ago(100 - i))
    IdeaFactory(title="Ei teemaa", owner=manager_user)

    response = manager.get(BOARD, {"theme": theme.pk, "q": "Idea"})

    col = column(response, Stage.IDEA)
    assert col.count == 52 and col.has_more
    assert len(col.cards) == 50
    assert col.cards[0].idea.title == "Idea 51"
    assert col.cards[-1].idea.title == "Idea 02"
    body = response.content.decode()
    link = re.search(r'<p class="column-more">\s*<a href="([^"]+)"', body).group(1)
    assert link.startswith(reverse("idea-list") + "?")
    query = link.split("?", 1)[1].replace("&amp;", "&").split("&")
    assert "stage=idea" in query
    assert f"theme={theme.pk}" in query
    assert "q=Idea" in query
    assert "Show all 52" in " ".join(body.split())
    assert body.count('<p class="column-more">') == 1


# Drag and drop controls --------------------------------------------------------------------


def test_manager_cards_are_draggable_with_a_move_link(manager, manager_user):
    idea = IdeaFactory(owner=manager_user)
    response = manager.get(BOARD)
    body = response.content.decode()
    assert 'draggable="true"' in body
    assert f'data-idea-id="{idea.pk}"' in body
    # The script puts the idea's id in place of the 0.
    assert f'data-move-url="{reverse("idea-move", args=[0])}"' in body
    # Without the script, "Move to…" opens the idea page's move forms.
    detail = reverse("idea-detail", args=[idea.pk])
    assert f'<a class="card-move" href="{detail}#stage-heading" data-move>' in body
    assert "data-drop-target" in body
    assert '<dialog class="note-dialog move-dialog" id="move-dialog"' in body
    assert '<dialog class="note-dialog" id="note-dialog"' in body
    assert 'name="csrfmiddlewaretoken"' in body


def test_a_card_with_nowhere_to_go_hides_its_move_link(manager, manager_user):
    IdeaFactory(owner=manager_user, completed=True)
    body = manager.get(BOARD).content.decode()
    assert 'draggable="true"' in body
    assert "data-move hidden>" in body


def test_funder_gets_plain_cards(funder):
    IdeaFactory(title="Rahoittajan näkymä")
    response = funder.get(BOARD)
    body = response.content.decode()
    assert "Rahoittajan näkymä" in body
    for control in ("draggable", "data-move-url", "data-idea-id", "data-drop-target",
                    "data-move", "card-move", "<dialog", "js/board.js", "board-stages"):
        assert control not in body
    assert_no_inline_code(body)


def test_the_script_reads_the_stage_machine_from_a_json_block(manager):
    body = manager.get(BOARD).content.decode()
    block = re.search(r'<script id="board-stages" type="application/json">(.*?)</script>', body)
    assert block, "the board renders its stage machine for the script"
    machine = json.loads(block.group(1))
    assert machine["labels"]["consortium"] == "Consortium forming"
    assert machine["transitions"]["application"] == ["consortium", "implementation", "dropped"]
    assert machine["transitions"]["completed"] == []
    assert machine["notes"] == {
        "idea>dropped": "Why is the idea dropped?",
        "consortium>dropped": "Why is the idea dropped?",
        "application>dropped": "Why is the idea dropped?",
        "implementation>dropped": "Why is the idea dropped?",
        "dropped>idea": "Why is the idea revived?",
    }


def test_closed_columns_are_marked_as_such(manager):
    body = manager.get(BOARD).content.decode()
    closed = re.findall(r'<section class="board-column stage-(\w+) closed"', body)
    assert closed == ["completed", "dropped"]


def test_script_is_a_static_file_loaded_with_the_nonce(manager, manager_user):
    IdeaFactory(owner=manager_user)
    response = manager.get(BOARD)
    body = response.content.decode()
    assert_no_inline_code(body)
    tag = re.search(r'<script src="/static/js/board\.js" defer nonce="([^"]+)"></script>', body)
    assert tag, "board.js is loaded with a nonce"
    assert f"'nonce-{tag.group(1)}'" in response["Content-Security-Policy"]


def test_script_file_is_served(settings, manager):
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    path = finders.find("js/board.js")
    assert path
    response = manager.get("/static/js/board.js")
    assert response.status_code == 200
    script = b"".join(response.streaming_content).decode()
    for needed in ("fetch(", "Accept", "X-CSRFToken", "showModal", 'role", "alert"'):
        assert needed in script


# Query counts ------------------------------------------------------------------------------


def make_ideas(owner, count: int, themes, regions) -> None:
    for _ in range(count):
        IdeaFactory(owner=owner, themes=themes, regions=regions)


def board_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(BOARD).status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_ideas(manager, manager_user, django_assert_max_num_queries):
    themes = [ThemeFactory(), ThemeFactory()]
    regions = [region("06"), region("13")]
    # Every column has cards, so every column's query runs in both measurements.
    for trait in ("in_consortium", "in_application", "in_implementation", "completed", "dropped"):
        IdeaFactory(owner=manager_user, themes=themes, regions=regions, **{trait: True})
    make_ideas(manager_user, 5, themes, regions)
    few = board_queries(manager)

    make_ideas(manager_user, 55, themes, regions)
    many = board_queries(manager)

    assert few == many
    # Sign-in (3), the filter's five lists (themes and regions also serve the cards' tags),
    # the column totals, every column's cards in one query, and the cards' tags.
    assert many <= 12
    with django_assert_max_num_queries(12):
        manager.get(BOARD, {"theme": themes[0].pk, "q": "Idea"})


def test_filtered_and_unfiltered_totals_agree(manager_user):
    # The board counts an unfiltered set by GROUP BY and a filtered one by filtered
    # aggregates: both must give every stage the same count and € sum.
    for trait, budget in (("in_consortium", "10.50"), ("dropped", "2.25"), ("completed", None)):
        IdeaFactory(owner=manager_user, estimated_budget=budget, **{trait: True})
    IdeaFactory(owner=manager_user, estimated_budget=Decimal("4"))
    everything = board_columns(Idea.objects.all())
    same = board_columns(Idea.objects.filter(pk__gt=0))
    assert [(c.stage, c.count, c.budget) for c in everything] == [
        (c.stage, c.count, c.budget) for c in same
    ]
    assert {c.stage: c.budget for c in everything}[Stage.CONSORTIUM] == Decimal("10.50")
    assert {c.stage: c.count for c in everything}[Stage.COMPLETED] == 1


def test_a_card_shows_two_themes_and_two_regions_and_counts_the_rest(manager):
    themes = [ThemeFactory(name_en=f"Theme {n}", name_fi=f"Teema {n}") for n in range(4)]
    IdeaFactory(themes=themes, regions=[region("06"), region("01"), region("02")])
    manager.cookies["django_language"] = "en"
    body = manager.get(BOARD).content.decode()
    assert body.count('class="tag tag-theme"') == 2
    assert body.count('class="tag tag-region"') == 2
    assert '<li class="tag tag-more" title="' in body
    assert ">+3<" in body
