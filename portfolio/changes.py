"""Announcing writes that touch ideas, so that an app higher up which keeps figures derived
from them (the dashboards' summary tables) can bring those up to date in the same
transaction.

The services of portfolio, funding and network sit below the dashboards in the import
layers, so they cannot call the dashboards' code; instead every write that changes what an
idea contributes to a figure runs inside ``ideas_changing(ids)``, and a higher app
registers a tracker (in its ``AppConfig.ready``). A tracker is a context manager factory
given the set of idea ids: it reads what those ideas contribute before the write and again
after it, and applies the difference. Ids learnt during the write (a new idea's) are added
to the set the block is given.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager

Tracker = Callable[[set[int]], AbstractContextManager]

_trackers: list[Tracker] = []


def register_tracker(tracker: Tracker) -> None:
    """Have ``tracker`` follow every write that touches ideas (once, however often called)."""
    if tracker not in _trackers:
        _trackers.append(tracker)


@contextmanager
def ideas_changing(idea_ids: Iterable[int | None] = ()) -> Iterator[set[int]]:
    """Run a write that changes the ideas ``idea_ids`` (and any ids the block adds to the set
    it is given). Call it inside the write's transaction: the trackers' own writes must
    commit or roll back with it."""
    ids = {pk for pk in idea_ids if pk is not None}
    with ExitStack() as stack:
        for tracker in _trackers:
            stack.enter_context(tracker(ids))
        yield ids
