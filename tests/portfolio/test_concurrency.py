"""Concurrent moves of one idea, on real connections: SQLite file database or PostgreSQL.

Each thread has its own database connection, so these tests commit for real
(``transaction=True``) and every thread closes its connection when done.
"""

import threading
from collections import Counter

import pytest
from django.db import connection

from portfolio.models import Idea, StageTransition
from portfolio.services import StageConflict, StageRefused, idea_move
from portfolio.stages import Stage
from tests.factories import ConsortiumMemberFactory, IdeaFactory

# serialized_rollback puts back the migrations' reference data (regions, groups) that a flush removes.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

THREADS = 8


def run_in_threads(work, count: int = THREADS) -> list:
    """Run ``work(i)`` in ``count`` threads released together; return each one's outcome."""
    barrier = threading.Barrier(count)
    outcomes: list = [None] * count

    def target(i: int) -> None:
        try:
            barrier.wait()
            outcomes[i] = work(i)
        except Exception as exc:  # noqa: BLE001 - the test inspects every outcome
            outcomes[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


def test_database_is_a_real_file_or_server():
    if connection.vendor == "sqlite":
        assert not connection.is_in_memory_db()


def test_same_move_at_once_exactly_one_wins():
    idea = IdeaFactory()

    def work(i):
        mine = Idea.objects.get(pk=idea.pk)
        target = Stage.CONSORTIUM if i % 2 else Stage.DROPPED
        return idea_move(
            idea=mine, to_stage=target, by=idea.owner, note=f"thread {i}",
            expected_stage=Stage.IDEA,
        )

    outcomes = run_in_threads(work)
    winners = [o for o in outcomes if isinstance(o, Idea)]
    conflicts = [o for o in outcomes if isinstance(o, StageConflict)]
    assert len(winners) == 1, outcomes
    assert len(conflicts) == THREADS - 1, outcomes
    idea.refresh_from_db()
    assert all(c.moved_to == idea.stage for c in conflicts)
    assert all(c.moved_by == idea.owner.get_full_name() for c in conflicts)
    moves = StageTransition.objects.filter(idea=idea, from_stage=Stage.IDEA)
    assert moves.count() == 1
    assert moves.get().to_stage == idea.stage
    assert idea.version == 2


def test_alternating_moves_lose_no_history():
    idea = IdeaFactory(in_consortium=True)
    ConsortiumMemberFactory(idea=idea, role="lead", status="committed")
    attempts = 50

    def work(i):
        counts = Counter()
        for _ in range(attempts):
            mine = Idea.objects.get(pk=idea.pk)
            target = (
                Stage.APPLICATION if mine.stage == Stage.CONSORTIUM else Stage.CONSORTIUM
            )
            try:
                idea_move(idea=mine, to_stage=target, by=idea.owner)
                counts["moved"] += 1
            except StageConflict:
                counts["conflict"] += 1
            except StageRefused as exc:  # pragma: no cover - would be a bug
                counts[f"refused: {exc}"] += 1
        return counts

    outcomes = run_in_threads(work)
    errors = [o for o in outcomes if not isinstance(o, Counter)]
    assert not errors, errors
    total = sum(outcomes, Counter())
    assert set(total) <= {"moved", "conflict"}, total
    assert total["moved"] + total["conflict"] == THREADS * attempts
    assert total["moved"] >= attempts  # progress was made, not just conflicts

    history = list(
        StageTransition.objects.filter(idea=idea).order_by("at", "pk").values_list(
            "from_stage", "to_stage"
        )
    )
    # The two setup moves plus exactly one row per successful move, chained without gaps.
    assert len(history) == 2 + total["moved"]
    for (_, previous_to), (next_from, _) in zip(history, history[1:]):
        assert next_from == previous_to
    idea.refresh_from_db()
    assert history[-1][1] == idea.stage
    assert idea.version == 2 + total["moved"]
