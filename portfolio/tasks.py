"""The portfolio's background tasks (``django.tasks``), run by the task worker."""

from __future__ import annotations

from django.tasks import task
from django.template.loader import render_to_string

from portfolio.imports import services


def _render_check(outcome: services.Outcome) -> str:
    return render_to_string("portfolio/_import_check.html", {"outcome": outcome})


@task
def run_idea_import(run_id: int) -> str:
    """Check or confirm an uploaded workbook (``IdeaImportRun`` ``run_id``)."""
    return services.idea_import_run_queued(run_id, render=_render_check)
