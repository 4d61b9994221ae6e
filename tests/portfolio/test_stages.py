"""The stage machine: every allowed move with its guards met and unmet, every other move refused."""

import re
from datetime import datetime, timedelta
from itertools import pairwise, product
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import timezone

from funding.models import FundingApplication
from portfolio import stages
from portfolio.models import ConsortiumMember, Idea, StageTransition
from portfolio.services import StageConflict, StageRefused, idea_move
from portfolio.stages import (
    CLOSED_STAGES,
    OPEN_STAGES,
    PIPELINE,
    TRANSITIONS,
    About,
    MoveContext,
    MoveKind,
    Stage,
    move_kind,
    needs_note,
    next_stages,
    path,
    unmet_guards,
)
from tests.factories import (
    ConsortiumMemberFactory,
    FundingApplicationFactory,
    IdeaFactory,
    ImplementationFactory,
    UncheckedFundingApplicationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def put_in(idea: Idea, stage: str) -> Idea:
    """Place an idea in a stage directly, to test the move out of it in isolation."""
    Idea.objects.filter(pk=idea.pk).update(
        stage=stage, drop_reason="test" if stage == Stage.DROPPED else ""
    )
    idea.refresh_from_db()
    return idea


def move(idea, to, note=""):
    return idea_move(idea=idea, to_stage=to, by=idea.owner, note=note)


def history(idea):
    return list(idea.transitions.values_list("from_stage", "to_stage"))


def test_the_table_matches_the_design():
    assert set(TRANSITIONS) == {
        ("idea", "consortium"),
        ("consortium", "application"),
        ("application", "consortium"),
        ("application", "implementation"),
        ("implementation", "completed"),
        ("idea", "dropped"),
        ("consortium", "dropped"),
        ("application", "dropped"),
        ("implementation", "dropped"),
        ("dropped", "idea"),
    }
    assert next_stages("application") == ["consortium", "implementation", "dropped"]
    assert next_stages("completed") == []


class TestIdeaToConsortium:
    def test_with_owner(self):
        idea = IdeaFactory()
        moved = move(idea, Stage.CONSORTIUM)
        assert moved.stage == Stage.CONSORTIUM
        assert history(moved) == [("", "idea"), ("idea", "consortium")]

    def test_without_owner(self):
        idea = IdeaFactory(owner=None)
        with pytest.raises(StageRefused) as exc:
            move(idea, Stage.CONSORTIUM)
        assert exc.value.reasons == [
            "The idea has no owner: name the project manager who owns it."
        ]
        idea.refresh_from_db()
        assert idea.stage == Stage.IDEA
        assert idea.transitions.count() == 1


class TestConsortiumToApplication:
    def test_with_committed_lead(self):
        idea = IdeaFactory(in_consortium=True)
        ConsortiumMemberFactory(idea=idea, role="lead", status="committed")
        assert move(idea, Stage.APPLICATION).stage == Stage.APPLICATION

    def test_without_any_lead(self):
        idea = IdeaFactory(in_consortium=True)
        ConsortiumMemberFactory(idea=idea, role="partner", status="committed")
        with pytest.raises(StageRefused) as exc:
            move(idea, Stage.APPLICATION)
        assert exc.value.reasons == ["The consortium has no lead organisation."]

    @pytest.mark.parametrize("status", ["invited", "interested", "withdrawn"])
    def test_with_uncommitted_lead(self, status):
        idea = IdeaFactory(in_consortium=True)
        ConsortiumMemberFactory(idea=idea, role="lead", status=status)
        with pytest.raises(StageRefused) as exc:
            move(idea, Stage.APPLICATION)
        assert exc.value.reasons == ["The lead organisation has not committed to the consortium."]


class TestApplicationBackToConsortium:
    def test_always_allowed(self):
        idea = IdeaFactory(in_application=True)
        FundingApplicationFactory(idea=idea, rejected=True)
        moved = move(idea, Stage.CONSORTIUM, note="Rejected; looking for a research partner")
        assert moved.stage == Stage.CONSORTIUM
        assert moved.transitions.last().note == "Rejected; looking for a research partner"


class TestApplicationToImplementation:
    def test_with_approved_grant(self):
        idea = IdeaFactory(in_application=True)
        FundingApplicationFactory(idea=idea, approved=True)
        assert move(idea, Stage.IMPLEMENTATION).stage == Stage.IMPLEMENTATION

    @pytest.mark.parametrize(
        "application",
        [
            None,
            {"status": "submitted"},
            {"rejected": True},
            {"status": "approved", "granted": None, "decided_on": "2023-06-01"},
            {"status": "approved", "granted": 0, "decided_on": "2023-06-01"},
        ],
        ids=["none", "submitted", "rejected", "approved-without-amount", "approved-zero"],
    )
    def test_without_approved_grant(self, application):
        idea = IdeaFactory(in_application=True)
        if application is not None:
            # An approval without an amount is refused today, but an older row may be one.
            UncheckedFundingApplicationFactory(idea=idea, **application)
        with pytest.raises(StageRefused) as exc:
            move(idea, Stage.IMPLEMENTATION)
        assert exc.value.reasons == [
            "No funding application has been approved with a granted amount."
        ]


class TestImplementationToCompleted:
    def test_ended_yesterday(self):
        idea = IdeaFactory(in_implementation=True)
        ImplementationFactory(idea=idea, end=timezone.localdate() - timedelta(days=1))
        assert move(idea, Stage.COMPLETED).stage == Stage.COMPLETED

    def test_ends_today(self):
        idea = IdeaFactory(in_implementation=True)
        ImplementationFactory(idea=idea, end=timezone.localdate())
        assert move(idea, Stage.COMPLETED).stage == Stage.COMPLETED

    def test_no_implementation_record(self):
        idea = IdeaFactory(in_implementation=True)
        with pytest.raises(StageRefused) as exc:
            move(idea, Stage.COMPLETED)
        assert exc.value.reasons == ["The idea has no implementation record with an end date."]

    def test_no_end_date(self):
        idea = IdeaFactory(in_implementation=True)
        ImplementationFactory(idea=idea, end=None)
        with pytest.raises(StageRefused) as exc:
            move(idea, Stage.COMPLETED)
        assert exc.value.reasons == ["The implementation has no end date."]

    def test_ends_in_the_future(self):
        idea = IdeaFactory(in_implementation=True)
        end = timezone.localdate() + timedelta(days=30)
        ImplementationFactory(idea=idea, end=end)
        with pytest.raises(StageRefused) as exc:
            move(idea, Stage.COMPLETED)
        (reason,) = exc.value.reasons
        assert "in the future" in reason


@pytest.mark.parametrize("stage", ["idea", "consortium", "application", "implementation"])
class TestDrop:
    def test_with_reason(self, stage):
        idea = put_in(IdeaFactory(), stage)
        moved = move(idea, Stage.DROPPED, note="  The lead company was sold  ")
        assert moved.stage == Stage.DROPPED
        assert moved.drop_reason == "The lead company was sold"

    @pytest.mark.parametrize("note", ["", "   "])
    def test_without_reason(self, stage, note):
        idea = put_in(IdeaFactory(), stage)
        with pytest.raises(StageRefused) as exc:
            move(idea, Stage.DROPPED, note=note)
        assert exc.value.reasons == ["Give the reason for dropping the idea."]


class TestRevive:
    def test_with_note_clears_the_drop_reason(self):
        idea = IdeaFactory(dropped=True)
        assert idea.drop_reason
        revived = move(idea, Stage.IDEA, note="New partner found at the Oulu roadshow")
        assert revived.stage == Stage.IDEA
        assert revived.drop_reason == ""
        assert history(revived) == [("", "idea"), ("idea", "dropped"), ("dropped", "idea")]

    def test_without_note(self):
        idea = IdeaFactory(dropped=True)
        with pytest.raises(StageRefused) as exc:
            move(idea, Stage.IDEA)
        assert exc.value.reasons == ["Write a note saying why the idea is revived."]


NOT_IN_TABLE = [
    (frm, to)
    for frm, to in product(Stage.values, Stage.values)
    if frm != to and (frm, to) not in TRANSITIONS
]


@pytest.mark.parametrize(("frm", "to"), NOT_IN_TABLE)
def test_moves_outside_the_table_are_refused(frm, to):
    idea = put_in(IdeaFactory(), frm)
    # Give every guard what it wants, so only the table can refuse.
    ConsortiumMemberFactory(idea=idea, role="lead", status="committed")
    FundingApplicationFactory(idea=idea, approved=True)
    ImplementationFactory(idea=idea, end=timezone.localdate() - timedelta(days=1))
    with pytest.raises(StageRefused) as exc:
        move(idea, to, note="a note")
    (reason,) = exc.value.reasons
    assert "cannot move from" in reason
    idea.refresh_from_db()
    assert idea.stage == frm
    assert idea.transitions.count() == 1


def test_a_stage_that_does_not_exist_is_refused():
    idea = IdeaFactory()
    with pytest.raises(StageRefused) as exc:
        move(idea, "heaven")
    assert exc.value.reasons == ["“heaven” is not a stage."]


def test_refusal_lists_every_unmet_guard(monkeypatch):
    idea = IdeaFactory(owner=None)
    monkeypatch.setitem(
        stages.TRANSITIONS,
        (Stage.IDEA, Stage.CONSORTIUM),
        (stages.has_owner, stages.has_committed_lead, stages.has_revival_note),
    )
    with pytest.raises(StageRefused) as exc:
        move(idea, Stage.CONSORTIUM)
    assert exc.value.reasons == [
        "The idea has no owner: name the project manager who owns it.",
        "The consortium has no lead organisation.",
        "Write a note saying why the idea is revived.",
    ]
    assert str(exc.value) == " ".join(exc.value.reasons)


def test_unmet_guards_is_empty_when_all_are_met():
    idea = IdeaFactory()
    ctx = MoveContext(idea=idea, note="", today=timezone.localdate())
    assert unmet_guards("idea", "consortium", ctx) == []


def test_a_move_records_who_when_and_bumps_the_version():
    idea = IdeaFactory(at=timezone.now() - timedelta(days=10))
    mover = UserFactory(first_name="Ville", last_name="Vaihtaja", manager=True)
    when = timezone.now() - timedelta(days=3)
    moved = idea_move(idea=idea, to_stage=Stage.CONSORTIUM, by=mover, note="kick-off", at=when)
    transition = moved.transitions.last()
    assert (transition.by, transition.at, transition.note) == (mover, when, "kick-off")
    assert moved.stage_entered_at == when
    assert moved.version == idea.version == 2


class TestConflict:
    def test_stale_object_gets_a_conflict_naming_who_where_and_when(self):
        idea = IdeaFactory(at=datetime(2023, 4, 1, tzinfo=ZoneInfo("Europe/Helsinki")))
        stale = Idea.objects.get(pk=idea.pk)
        mover = UserFactory(first_name="Ville", last_name="Vaihtaja", manager=True)
        at = datetime(2023, 5, 2, 11, 15, tzinfo=ZoneInfo("Europe/Helsinki"))
        idea_move(idea=idea, to_stage=Stage.CONSORTIUM, by=mover, at=at)
        with pytest.raises(StageConflict) as exc:
            idea_move(idea=stale, to_stage=Stage.DROPPED, by=idea.owner, note="too late")
        conflict = exc.value
        assert (conflict.moved_to, conflict.moved_by, conflict.moved_at) == (
            "consortium", "Ville Vaihtaja", at,
        )
        assert str(conflict) == (
            "This idea was moved to “Consortium forming” by Ville Vaihtaja at 2.5.2023 11:15."
        )
        assert StageTransition.objects.filter(idea=idea).count() == 2

    def test_expected_stage_wins_over_the_loaded_object(self):
        idea = IdeaFactory()
        with pytest.raises(StageConflict):
            idea_move(
                idea=idea, to_stage=Stage.DROPPED, by=idea.owner, note="x",
                expected_stage=Stage.CONSORTIUM,
            )

    def test_conflict_message_follows_the_language(self):
        from django.utils import translation

        idea = IdeaFactory()
        stale = Idea.objects.get(pk=idea.pk)
        move(idea, Stage.CONSORTIUM)
        with translation.override("fi"):
            with pytest.raises(StageConflict) as exc:
                move(stale, Stage.DROPPED, note="x")
            assert "Konsortion muodostus" in exc.value.message


def test_a_move_cannot_be_dated_before_the_current_stage_began():
    idea = IdeaFactory()
    with pytest.raises(StageRefused) as exc:
        idea_move(idea=idea, to_stage=Stage.CONSORTIUM, by=idea.owner,
                  at=idea.stage_entered_at - timedelta(seconds=1))
    assert "cannot be dated before" in exc.value.reasons[0]
    assert idea.transitions.count() == 1


def test_guards_read_the_stored_idea_not_the_callers_copy():
    idea = IdeaFactory(owner=None)
    idea.owner = UserFactory(manager=True)  # not saved
    with pytest.raises(StageRefused):
        move(idea, Stage.CONSORTIUM)


def test_full_pipeline_history():
    idea = IdeaFactory(completed=True)
    assert idea.stage == Stage.COMPLETED
    assert history(idea) == [
        ("", "idea"),
        ("idea", "consortium"),
        ("consortium", "application"),
        ("application", "implementation"),
        ("implementation", "completed"),
    ]
    assert FundingApplication.objects.filter(idea=idea, status="approved").exists()
    assert ConsortiumMember.objects.filter(idea=idea, role="lead").exists()


def test_saving_a_stale_copy_does_not_undo_a_move():
    idea = IdeaFactory()
    stale = Idea.objects.get(pk=idea.pk)
    move(idea, Stage.CONSORTIUM)
    stale.title = "Renamed meanwhile"
    stale.save()
    idea.refresh_from_db()
    assert (idea.title, idea.stage, idea.version) == ("Renamed meanwhile", Stage.CONSORTIUM, 2)


# What the rest of the project asks the stage machine --------------------------------------


def test_every_stage_is_open_or_closed_and_in_the_pipeline_once():
    assert set(OPEN_STAGES) | set(CLOSED_STAGES) == set(Stage)
    assert not set(OPEN_STAGES) & set(CLOSED_STAGES)
    assert PIPELINE == (
        "idea", "consortium", "application", "implementation", "completed", "dropped",
    )


def test_the_moves_that_need_a_note_are_dropping_and_reviving():
    assert {move for move in TRANSITIONS if needs_note(*move)} == {
        ("idea", "dropped"),
        ("consortium", "dropped"),
        ("application", "dropped"),
        ("implementation", "dropped"),
        ("dropped", "idea"),
    }
    assert not needs_note("completed", "dropped")  # not a move at all


def test_a_guard_about_the_note_is_met_by_a_note_and_only_by_it():
    """``needs_note`` trusts what each guard says it looks at; check that it is true."""
    idea = IdeaFactory(owner=None)
    today = timezone.localdate()
    note_guards = {g for guards in TRANSITIONS.values() for g in guards if g.about == About.NOTE}
    assert note_guards == {stages.has_drop_reason, stages.has_revival_note}
    for guard in note_guards:
        assert guard(MoveContext(idea=idea, note="  ", today=today)) is not None
        assert guard(MoveContext(idea=idea, note="Why", today=today)) is None


def test_every_guard_says_what_it_looks_at():
    for guards in TRANSITIONS.values():
        for guard in guards:
            assert isinstance(guard.about, About)


@pytest.mark.parametrize(
    ("frm", "to", "kind"),
    [
        ("idea", "consortium", "forward"),
        ("consortium", "application", "forward"),
        ("application", "consortium", "back"),
        ("application", "implementation", "forward"),
        ("implementation", "completed", "forward"),
        ("idea", "dropped", "drop"),
        ("implementation", "dropped", "drop"),
        ("dropped", "idea", "revive"),
    ],
)
def test_which_way_a_move_goes(frm, to, kind):
    assert move_kind(frm, to) == kind
    assert isinstance(move_kind(frm, to), MoveKind)


def test_every_move_in_the_table_has_a_kind():
    assert {move_kind(*move) for move in TRANSITIONS} == set(MoveKind)


@pytest.mark.parametrize(
    ("frm", "to", "expected"),
    [
        ("idea", "idea", []),
        ("idea", "consortium", ["consortium"]),
        ("idea", "completed", ["consortium", "application", "implementation", "completed"]),
        ("idea", "dropped", ["dropped"]),
        ("application", "consortium", ["consortium"]),
        ("dropped", "application", ["idea", "consortium", "application"]),
    ],
)
def test_path_takes_the_fewest_moves(frm, to, expected):
    assert path(frm, to) == expected


def test_every_stage_can_be_reached_from_the_first_through_the_table():
    # The import brings a new idea to the stage its row names this way.
    for stage in Stage:
        stages_entered = [Stage.IDEA, *path(Stage.IDEA, stage)]
        assert stages_entered[-1] == stage
        assert all(move in TRANSITIONS for move in pairwise(stages_entered))


def test_no_path_leads_out_of_a_completed_idea():
    with pytest.raises(ValueError):
        path("completed", "idea")


# Templates and scripts ask the server instead of naming stages ------------------------------

# A stored stage value in quotes: what a comparison such as {% if idea.stage == "dropped" %}
# or `stage === "dropped"` needs.
QUOTED_STAGE = re.compile(r"""(["'])(""" + "|".join(Stage.values) + r")\1")
# Quoted words that are stage values only by their spelling: the idea page's section
# anchors and a translation context, named after what they hold.
NOT_A_STAGE = ('id="consortium"', 'id="implementation"', 'context "implementation"')


def quoted_stages(text: str) -> list[str]:
    for allowed in NOT_A_STAGE:
        text = text.replace(allowed, " ")
    return [match.group(0) for match in QUOTED_STAGE.finditer(text)]


def front_end_files() -> list[Path]:
    base = Path(settings.BASE_DIR)
    folders = [base / "templates", *base.glob("*/templates")]
    scripts = [base / "static" / "js", *base.glob("*/static")]
    return [
        *(file for folder in folders for file in folder.rglob("*") if file.is_file()),
        *(file for folder in scripts for file in folder.rglob("*.js")),
    ]


@pytest.mark.parametrize(
    "text",
    [
        '{% if idea.stage == "dropped" %}',
        "{% if row.stage == 'completed' or row.stage == 'dropped' %}",
        'toStage === "dropped" ? a : b',
        "board.querySelector(\"[data-stage='consortium']\")",
    ],
)
def test_the_scan_finds_a_stage_value_in_a_comparison(text):
    assert quoted_stages(text)


@pytest.mark.parametrize(
    "text",
    [
        '<section id="consortium" class="panel">',
        '{% translate "Period" context "implementation" %}',
        '{% translate "Funding application" %}',
        '{% if row.closed %} closed{% endif %}',
        'class="stage-{{ column.stage }}"',
    ],
)
def test_the_scan_lets_other_quoted_words_be(text):
    assert quoted_stages(text) == []


def test_templates_and_scripts_name_no_stage():
    """Which stages are closed, which moves need a note and the like come from
    ``portfolio.stages`` through the context (``column.closed``, the board's JSON block)."""
    files = front_end_files()
    assert any(file.name == "board.js" for file in files)
    assert any(file.name == "board.html" for file in files)
    found = {
        str(file.relative_to(settings.BASE_DIR)): hits
        for file in files
        if (hits := quoted_stages(file.read_text(encoding="utf-8")))
    }
    assert found == {}
