"""The dashboards' background tasks (``django.tasks``), run by the task worker."""

from __future__ import annotations

from django.tasks import task

from dashboards import services


@task
def make_report(request_id: int) -> str:
    """Make the report asked for on the page (``ReportRequest`` ``request_id``)."""
    return services.report_make_queued(request_id)
