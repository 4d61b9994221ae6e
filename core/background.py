"""Long work done by the task worker (``django.tasks``), its status kept on a
``core.models.BackgroundWork`` row that the page reads.

Every change of status is one conditional UPDATE (``WHERE status = <what it must be>``), so
the database decides who goes on: a task picked twice, or a stale copy of it, finds the
work no longer queued and does nothing; a double-clicked "try again" queues it once.
Progress is written outside any transaction of the work itself, so the page sees it while
the work goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.models import STALLED_AFTER, BackgroundWork, WorkStatus

logger = logging.getLogger(__name__)

W = TypeVar("W", bound=BackgroundWork)
# The work's step so far: (step number, what it is doing now in words).
Progress = Callable[[int, str], None]


class WorkRefused(Exception):
    """The work cannot be done for a reason the user can act on: ``message`` says it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _work_rows(model: type[W], pk: int) -> models.QuerySet[W]:
    return model.objects.filter(pk=pk)


def work_claim(model: type[W], pk: int) -> W | None:
    """Take queued work for running; None when it is not queued (already taken, done, or
    gone), and then the caller does nothing."""
    now = timezone.now()
    taken = _work_rows(model, pk).filter(status=WorkStatus.QUEUED).update(
        status=WorkStatus.RUNNING, started_at=now, finished_at=None, step=0, step_label="",
        error="", attempts=F("attempts") + 1, updated_at=now,
    )
    return model.objects.get(pk=pk) if taken else None


def work_progress(work: BackgroundWork, step: int, label: str) -> None:
    step = min(step, work.steps)
    _work_rows(type(work), work.pk).filter(status=WorkStatus.RUNNING).update(
        step=step, step_label=label[:200], updated_at=timezone.now()
    )
    work.step, work.step_label = step, label[:200]


def work_succeed(work: W, **fields: Any) -> None:
    now = timezone.now()
    _work_rows(type(work), work.pk).filter(status=WorkStatus.RUNNING).update(
        status=WorkStatus.SUCCEEDED, step=work.steps, step_label="", finished_at=now,
        updated_at=now, **fields,
    )


def work_fail(work: BackgroundWork, message: str) -> None:
    now = timezone.now()
    _work_rows(type(work), work.pk).filter(status=WorkStatus.RUNNING).update(
        status=WorkStatus.FAILED, error=message, finished_at=now, updated_at=now
    )


def work_requeue(model: type[W], pk: int) -> bool:
    """Queue failed work once more ("Try again"), or work whose worker stopped mid-way
    (``BackgroundWork.is_stalled``); False when it had neither (a second click, or another
    user's click, already queued it)."""
    stalled = Q(status=WorkStatus.RUNNING, updated_at__lt=timezone.now() - STALLED_AFTER)
    return bool(
        _work_rows(model, pk).filter(Q(status=WorkStatus.FAILED) | stalled).update(
            status=WorkStatus.QUEUED, step=0, step_label="", error="", started_at=None,
            finished_at=None, updated_at=timezone.now(),
        )
    )


def work_set_task(work: BackgroundWork, task_id: str) -> None:
    """Keep the id of the task enqueued for ``work`` (only the id: an immediate backend has
    already run the task and moved the status on)."""
    _work_rows(type(work), work.pk).update(task_id=str(task_id)[:64])
    work.task_id = str(task_id)[:64]


def run_work(model: type[W], pk: int, do: Callable[[W, Progress], dict[str, Any]]) -> str:
    """Run the work ``pk`` once: claim it, call ``do(work, progress)`` and record its
    result (``do`` returns the fields to set on success), or why it failed.

    A refusal the user can act on (``WorkRefused``, ``ValidationError``) is recorded in its
    own words and the task ends normally. Anything else is logged with its traceback,
    recorded as a plain "could not be done", and raised again so the task result shows it
    failed (the admin's task results, for the operator). Returns the final status."""
    work = work_claim(model, pk)
    if work is None:
        logger.info("%s %s is not queued; nothing to do.", model.__name__, pk)
        return "skipped"

    def progress(step: int, label: str) -> None:
        work_progress(work, step, str(label))

    with translation.override(work.language or None):
        try:
            fields = do(work, progress)
        except WorkRefused as refused:
            work_fail(work, refused.message)
            return WorkStatus.FAILED
        except ValidationError as exc:
            work_fail(work, " ".join(exc.messages))
            return WorkStatus.FAILED
        except Exception:
            logger.exception("%s %s failed", model.__name__, pk)
            work_fail(work, _("It could not be done because of an error on the server; the "
                              "error was logged for the administrator. Try again later."))
            raise
    work_succeed(work, **fields)
    return WorkStatus.SUCCEEDED
