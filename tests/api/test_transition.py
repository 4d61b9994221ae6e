"""POST /api/v1/ideas/{id}/transition/: the only way an idea's stage changes through the API."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from portfolio import services
from portfolio.models import Idea, StageTransition
from portfolio.stages import MoveContext, Stage, unmet_guards
from tests.api.conftest import API, api_client
from tests.factories import ConsortiumMemberFactory, IdeaFactory, UserFactory

pytestmark = pytest.mark.django_db


def move_url(idea: Idea) -> str:
    return f"{API}/ideas/{idea.pk}/transition/"


def expected_reasons(idea: Idea, to_stage: str, note: str = "") -> list[str]:
    """The words the stage table gives for this move, as the idea page shows them."""
    idea = Idea.objects.get(pk=idea.pk)
    ctx = MoveContext(idea=idea, note=note, today=timezone.localdate())
    return unmet_guards(idea.stage, to_stage, ctx)


def state(idea: Idea) -> tuple:
    """What a refused or conflicting move must leave as it was."""
    idea = Idea.objects.get(pk=idea.pk)
    history = list(StageTransition.objects.filter(idea=idea).values_list("pk", flat=True))
    return idea.stage, idea.version, idea.stage_entered_at, idea.drop_reason, history


def test_move_answers_with_the_moved_idea_and_records_who(manager_api, manager_user):
    idea = IdeaFactory()

    response = manager_api.post(
        move_url(idea),
        {"to_stage": "consortium", "expected_stage": "idea", "note": "Three partners interested"},
        format="json",
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["id"] == idea.pk
    assert body["stage"] == "consortium"
    assert body["stage_label"] == "Consortium forming"
    assert body["version"] == idea.version + 1
    idea.refresh_from_db()
    assert idea.stage == Stage.CONSORTIUM
    move = StageTransition.objects.get(idea=idea, to_stage=Stage.CONSORTIUM)
    assert move.from_stage == Stage.IDEA
    assert move.by == manager_user
    assert move.note == "Three partners interested"
    assert parse_datetime(body["stage_entered_at"]) == move.at


def test_moves_appear_in_the_history_endpoint(manager_api, manager_user):
    idea = IdeaFactory()
    manager_api.post(
        move_url(idea), {"to_stage": "consortium", "expected_stage": "idea"}, format="json"
    )

    rows = manager_api.get(f"{API}/transitions/", {"idea": idea.pk}).json()["results"]

    assert [(r["from_stage"], r["to_stage"]) for r in rows] == [
        ("", "idea"),
        ("idea", "consortium"),
    ]
    assert rows[-1]["by"] == manager_user.pk
    assert rows[-1]["by_name"] == "Maija Manageri"


def test_move_not_in_the_table_is_refused_naming_the_allowed_moves(manager_api):
    idea = IdeaFactory()
    before = state(idea)

    response = manager_api.post(
        move_url(idea), {"to_stage": "implementation", "expected_stage": "idea"}, format="json"
    )

    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "The move was refused."
    assert body["reasons"] == expected_reasons(idea, Stage.IMPLEMENTATION)
    assert body["reasons"] == [
        "An idea cannot move from “Idea” to “Implementation”. "
        "Allowed next stages: Consortium forming, Dropped."
    ]
    assert state(idea) == before


def test_application_without_a_lead_is_refused_with_the_guard_words(manager_api):
    idea = IdeaFactory(in_consortium=True)
    ConsortiumMemberFactory(idea=idea, role="partner", status="committed")
    before = state(idea)

    response = manager_api.post(
        move_url(idea), {"to_stage": "application", "expected_stage": "consortium"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["reasons"] == expected_reasons(idea, Stage.APPLICATION)
    assert response.json()["reasons"] == ["The consortium has no lead organisation."]
    assert state(idea) == before


def test_application_with_an_uncommitted_lead_is_refused(manager_api):
    idea = IdeaFactory(in_consortium=True)
    ConsortiumMemberFactory(idea=idea, role="lead", status="interested")
    before = state(idea)

    response = manager_api.post(
        move_url(idea), {"to_stage": "application", "expected_stage": "consortium"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["reasons"] == expected_reasons(idea, Stage.APPLICATION)
    assert response.json()["reasons"] == [
        "The lead organisation has not committed to the consortium."
    ]
    assert state(idea) == before


def test_implementation_without_an_approved_grant_is_refused(manager_api):
    idea = IdeaFactory(in_application=True)

    response = manager_api.post(
        move_url(idea),
        {"to_stage": "implementation", "expected_stage": "application"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["reasons"] == expected_reasons(idea, Stage.IMPLEMENTATION)
    assert response.json()["reasons"] == [
        "No funding application has been approved with a granted amount."
    ]


def test_stale_expected_stage_is_a_conflict_naming_who_moved_it_where_and_when(manager_api):
    idea = IdeaFactory()
    colleague = UserFactory(
        username="ville", first_name="Ville", last_name="Virtanen", manager=True
    )
    # The colleague moves the idea first; the manager's page still shows it as an idea.
    moved = api_client(colleague).post(
        move_url(idea), {"to_stage": "consortium", "expected_stage": "idea"}, format="json"
    )
    assert moved.status_code == 200
    before = state(idea)
    their_move = StageTransition.objects.get(idea=idea, to_stage=Stage.CONSORTIUM)

    response = manager_api.post(
        move_url(idea),
        {"to_stage": "dropped", "expected_stage": "idea", "note": "No partners"},
        format="json",
    )

    assert response.status_code == 409
    body = response.json()
    assert body["stage"] == "consortium"
    assert body["moved_to"] == "consortium"
    assert body["moved_by"] == "Ville Virtanen"
    assert parse_datetime(body["moved_at"]) == their_move.at
    assert body["detail"].startswith(
        "This idea was moved to “Consortium forming” by Ville Virtanen at "
    )
    assert state(idea) == before


def test_drop_without_a_note_is_refused(manager_api):
    idea = IdeaFactory()
    before = state(idea)

    for note in ({}, {"note": ""}, {"note": "   "}):
        response = manager_api.post(
            move_url(idea), {"to_stage": "dropped", "expected_stage": "idea", **note}, format="json"
        )
        assert response.status_code == 400
        assert response.json()["reasons"] == expected_reasons(idea, Stage.DROPPED)
        assert response.json()["reasons"] == ["Give the reason for dropping the idea."]
    assert state(idea) == before


def test_drop_with_a_note_stores_the_reason(manager_api, manager_user):
    idea = IdeaFactory(in_consortium=True)

    response = manager_api.post(
        move_url(idea),
        {"to_stage": "dropped", "expected_stage": "consortium", "note": "No lead company found"},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["stage"] == "dropped"
    assert response.json()["drop_reason"] == "No lead company found"
    idea.refresh_from_db()
    assert idea.drop_reason == "No lead company found"
    move = StageTransition.objects.get(idea=idea, to_stage=Stage.DROPPED)
    assert move.note == "No lead company found"
    assert move.by == manager_user


def test_reviving_a_dropped_idea_needs_a_note(manager_api):
    idea = IdeaFactory(dropped=True)

    refused = manager_api.post(
        move_url(idea), {"to_stage": "idea", "expected_stage": "dropped"}, format="json"
    )
    revived = manager_api.post(
        move_url(idea),
        {"to_stage": "idea", "expected_stage": "dropped", "note": "A new partner appeared"},
        format="json",
    )

    assert refused.status_code == 400
    assert refused.json()["reasons"] == ["Write a note saying why the idea is revived."]
    assert revived.status_code == 200
    assert revived.json()["stage"] == "idea"
    assert revived.json()["drop_reason"] == ""


@pytest.mark.parametrize(
    "body",
    [
        {"expected_stage": "idea"},
        {"to_stage": "consortium"},
        {"to_stage": "somewhere", "expected_stage": "idea"},
        {"to_stage": "consortium", "expected_stage": "nowhere"},
    ],
)
def test_malformed_move_is_refused_naming_the_field(manager_api, body):
    idea = IdeaFactory()
    before = state(idea)

    response = manager_api.post(move_url(idea), body, format="json")

    assert response.status_code == 400
    payload = response.json()
    assert payload["detail"] == "The move was refused."
    bad = {"to_stage", "expected_stage"} - {k for k, v in body.items() if v in Stage.values}
    assert bad <= set(payload)
    assert all(any(r.startswith(f"{field}: ") for r in payload["reasons"]) for field in bad)
    assert state(idea) == before


def test_move_of_an_unknown_idea_is_404(manager_api):
    response = manager_api.post(
        f"{API}/ideas/987654/transition/",
        {"to_stage": "consortium", "expected_stage": "idea"},
        format="json",
    )
    assert response.status_code == 404


def test_funder_cannot_move(funder_api):
    idea = IdeaFactory()
    before = state(idea)
    response = funder_api.post(
        move_url(idea), {"to_stage": "consortium", "expected_stage": "idea"}, format="json"
    )
    assert response.status_code == 403
    assert state(idea) == before


@pytest.mark.parametrize("method", ["patch", "put"])
def test_editing_an_idea_cannot_change_its_stage(manager_api, method):
    idea = IdeaFactory()
    before = state(idea)

    response = getattr(manager_api, method)(
        f"{API}/ideas/{idea.pk}/",
        {
            "title": "Renamed idea",
            "stage": "completed",
            "stage_entered_at": "2020-01-01T00:00:00Z",
            "drop_reason": "sneaked in",
            "version": 99,
        },
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert response.json()["title"] == "Renamed idea"
    assert response.json()["stage"] == "idea"
    idea.refresh_from_db()
    assert idea.title == "Renamed idea"
    assert state(idea) == before


# Two callers send the same move at the same moment: real connections, committed data.


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_same_move_sent_twice_at_once_exactly_one_wins():
    first = UserFactory(username="maija", first_name="Maija", last_name="Manageri", manager=True)
    second = UserFactory(username="ville", first_name="Ville", last_name="Virtanen", manager=True)
    idea = IdeaFactory(owner=first)
    clients = [api_client(first), api_client(second)]
    barrier = threading.Barrier(len(clients))
    answers: list = [None] * len(clients)

    def send(i: int) -> None:
        try:
            barrier.wait()
            answers[i] = clients[i].post(
                move_url(idea),
                {"to_stage": "consortium", "expected_stage": "idea", "note": f"caller {i}"},
                format="json",
            )
        except Exception as exc:  # noqa: BLE001 - the assertions below report it
            answers[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)

    assert all(not isinstance(a, Exception) for a in answers), answers
    assert sorted(a.status_code for a in answers) == [200, 409], [a.content for a in answers]
    winner = next(i for i, a in enumerate(answers) if a.status_code == 200)
    loser = answers[1 - winner].json()
    moves = StageTransition.objects.filter(idea=idea, from_stage=Stage.IDEA)
    assert moves.count() == 1
    assert moves.get().note == f"caller {winner}"
    assert moves.get().by == (first, second)[winner]
    assert loser["moved_to"] == "consortium"
    assert loser["moved_by"] == ("Maija Manageri", "Ville Virtanen")[winner]
    idea.refresh_from_db()
    assert idea.stage == Stage.CONSORTIUM
    assert idea.version == 2


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite runs one write transaction at a time: a move cannot start while another "
    "is under way, so the conflict is always found on reading the idea",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_conflict_found_while_saving_names_the_stage_the_idea_is_in_now(monkeypatch):
    first = UserFactory(username="maija", first_name="Maija", last_name="Manageri", manager=True)
    late = UserFactory(username="ville", first_name="Ville", last_name="Virtanen", manager=True)
    idea = IdeaFactory(owner=first)
    clients = {"first": api_client(first), "late": api_client(late)}
    late_has_read, first_has_moved = threading.Event(), threading.Event()
    check_guards = services.unmet_guards

    def paused_after_reading(*args, **kwargs):
        # The late move has read the idea; the other move happens before it saves.
        if threading.current_thread().name == "late":
            late_has_read.set()
            first_has_moved.wait(timeout=60)
        return check_guards(*args, **kwargs)

    monkeypatch.setattr(services, "unmet_guards", paused_after_reading)
    answers: dict = {}

    def send(name: str) -> None:
        try:
            if name == "first":
                late_has_read.wait(timeout=60)
            answers[name] = clients[name].post(
                move_url(idea), {"to_stage": "consortium", "expected_stage": "idea"}, format="json"
            )
        except Exception as exc:  # noqa: BLE001 - the assertions below report it
            answers[name] = exc
        finally:
            if name == "first":
                first_has_moved.set()
            connection.close()

    threads = [threading.Thread(target=send, args=(n,), name=n) for n in ("late", "first")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)

    assert answers["first"].status_code == 200, answers["first"].content
    assert answers["late"].status_code == 409, answers["late"].content
    conflict = answers["late"].json()
    assert conflict["moved_to"] == "consortium"
    assert conflict["moved_by"] == "Maija Manageri"
    assert StageTransition.objects.filter(idea=idea, from_stage=Stage.IDEA).count() == 1
    assert conflict["stage"] == "consortium"
