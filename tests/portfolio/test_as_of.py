"""``Idea.objects.as_of(day)``: the stage each idea was in at the end of a past day."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from portfolio.models import Idea
from portfolio.services import idea_move
from portfolio.stages import Stage
from tests.factories import ConsortiumMemberFactory, FundingApplicationFactory, IdeaFactory

pytestmark = pytest.mark.django_db
HELSINKI = ZoneInfo("Europe/Helsinki")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=HELSINKI)


@pytest.fixture
def history():
    """Two ideas with dated histories (Helsinki time)."""
    first = IdeaFactory(title="First", at=at(2023, 1, 10, 9))
    idea_move(idea=first, to_stage=Stage.CONSORTIUM, by=first.owner, at=at(2023, 2, 1, 12))
    ConsortiumMemberFactory(idea=first, role="lead", status="committed")
    idea_move(idea=first, to_stage=Stage.APPLICATION, by=first.owner, at=at(2023, 3, 31, 23, 30))
    FundingApplicationFactory(idea=first, approved=True)
    idea_move(idea=first, to_stage=Stage.IMPLEMENTATION, by=first.owner, at=at(2023, 6, 15, 10))

    second = IdeaFactory(title="Second", at=at(2023, 2, 20, 14))
    # 00:30 on 1 April in Helsinki is still 31 March in UTC: it must count for April.
    idea_move(idea=second, to_stage=Stage.DROPPED, by=second.owner, note="No lead",
              at=at(2023, 4, 1, 0, 30))
    idea_move(idea=second, to_stage=Stage.IDEA, by=second.owner, note="Lead found",
              at=at(2023, 9, 1, 8))
    return first, second


def stages_on(day: date) -> dict[str, str]:
    return dict(Idea.objects.as_of(day).values_list("title", "stage_as_of"))


def test_before_anything_existed(history):
    assert stages_on(date(2023, 1, 9)) == {}


def test_creation_day_counts(history):
    assert stages_on(date(2023, 1, 10)) == {"First": "idea"}


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2023, 2, 1), {"First": "consortium"}),
        (date(2023, 2, 20), {"First": "consortium", "Second": "idea"}),
        (date(2023, 3, 30), {"First": "consortium", "Second": "idea"}),
        (date(2023, 3, 31), {"First": "application", "Second": "idea"}),
        (date(2023, 4, 1), {"First": "application", "Second": "dropped"}),
        (date(2023, 6, 30), {"First": "implementation", "Second": "dropped"}),
        (date(2023, 9, 1), {"First": "implementation", "Second": "idea"}),
    ],
)
def test_stage_at_the_end_of_each_day(history, day, expected):
    assert stages_on(day) == expected


def test_today_matches_the_current_stage(history):
    first, second = history
    assert stages_on(date.today()) == {"First": first.stage, "Second": second.stage}


def test_later_moves_do_not_change_the_past(history):
    first, _ = history
    before = stages_on(date(2023, 6, 30))
    idea_move(idea=first, to_stage=Stage.DROPPED, by=first.owner, note="Funding cut")
    assert stages_on(date(2023, 6, 30)) == before


def test_combines_with_other_filters(history):
    rows = Idea.objects.as_of(date(2023, 4, 1)).filter(stage_as_of=Stage.DROPPED)
    assert [idea.title for idea in rows] == ["Second"]


def test_one_query(history, django_assert_num_queries):
    with django_assert_num_queries(1):
        stages_on(date(2023, 4, 1))
