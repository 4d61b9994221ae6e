"""A report made from the page runs as a background task: queued, running with its step,
done with its downloads, or failed with why and "Try again"; never made twice."""

from __future__ import annotations

import logging

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from dashboards import services
from dashboards.models import ReportRequest, ReportRun
from tests.factories import IdeaFactory, ReportRequestFactory
from tests.helpers import assert_no_inline_code

REPORTS = reverse("report-list")
Q2 = {"year": "2023", "quarter": "2", "language": "en"}


def run_worker() -> None:
    """The worker process's loop, once over what is queued (``db_worker --batch``)."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def page(client: Client, work: ReportRequest) -> str:
    return client.get(reverse("report-request", args=[work.pk])).content.decode()


@pytest.fixture(autouse=True)
def pages_in_english(manager):
    manager.cookies["django_language"] = "en"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_queued_report_is_made_by_the_worker_after_the_web_process_is_gone(
    database_tasks, manager, manager_user
):
    IdeaFactory()
    response = manager.post(REPORTS, Q2)
    work = ReportRequest.objects.get()
    assert response["Location"] == reverse("report-request", args=[work.pk])
    # Stored, not run: the task waits in the database for the worker.
    task = DBTaskResult.objects.get()
    assert str(task.id) == work.task_id and task.status == "READY"
    assert work.status == "queued" and not ReportRun.objects.exists()
    queued = page(manager, work)
    assert "Queued" in queued and 'http-equiv="refresh"' in queued
    assert_no_inline_code(queued)

    # A double click queues nothing more and leads to the same report.
    again = manager.post(REPORTS, Q2, follow=True)
    assert "already being made" in again.content.decode()
    assert again.redirect_chain[-1][0] == reverse("report-request", args=[work.pk])
    assert ReportRequest.objects.count() == 1 and DBTaskResult.objects.count() == 1

    # The web process may restart now: a new one (a new client) finds the work where it was.
    run_worker()
    work.refresh_from_db()
    run = ReportRun.objects.get()
    assert work.status == "succeeded" and work.run == run and work.step == work.steps
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    restarted = Client()
    restarted.force_login(manager_user)
    restarted.cookies["django_language"] = "en"
    done = page(restarted, work)
    assert "The report Q2/2023 was made." in done
    assert reverse("report-download", args=[run.pk]) in done
    assert 'http-equiv="refresh"' not in done
    assert bytes(restarted.get(reverse("report-download", args=[run.pk])).content) == bytes(
        run.content
    )


@pytest.mark.django_db
def test_the_page_shows_the_step_the_work_is_at(manager):
    work = ReportRequestFactory(
        status="running", step=1, steps=4, step_label="Writing the workbook", language="en"
    )
    body = page(manager, work)
    assert "Running" in body and "step 2 of 4: Writing the workbook" in body
    assert '<progress max="4" value="1">' in body
    assert 'http-equiv="refresh"' in body


@pytest.mark.django_db
def test_the_work_reports_its_steps_while_it_runs(manager, monkeypatch):
    seen = []
    real = services.report_data

    def watching(spec):
        seen.append(ReportRequest.objects.values_list("status", "step", "step_label").get())
        return real(spec)

    monkeypatch.setattr(services, "report_data", watching)
    manager.post(REPORTS, Q2)
    assert seen == [("running", 0, "Counting the figures")]
    assert ReportRequest.objects.get().status == "succeeded"


@pytest.mark.django_db
def test_a_failure_says_why_without_a_traceback_and_try_again_makes_it(
    manager, monkeypatch, caplog
):
    def broken(spec):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(services, "report_data", broken)
    with caplog.at_level(logging.ERROR, logger="core.background"):
        manager.post(REPORTS, Q2)
    work = ReportRequest.objects.get()
    assert work.status == "failed" and work.attempts == 1
    # The traceback is in the log for the operator, not on the page.
    assert "disk on fire" in caplog.text and "Traceback" in caplog.text
    body = page(manager, work)
    assert "It failed." in body and "error on the server" in body
    assert "disk on fire" not in body and "Traceback" not in body
    assert reverse("report-request-retry", args=[work.pk]) in body
    assert 'http-equiv="refresh"' not in body
    # The list shows it among the user's reports being made.
    assert reverse("report-request", args=[work.pk]) in manager.get(REPORTS).content.decode()

    monkeypatch.undo()
    first_task = work.task_id
    retried = manager.post(reverse("report-request-retry", args=[work.pk]), follow=True)
    assert "queued to be made again" in retried.content.decode()
    work.refresh_from_db()
    assert work.status == "succeeded" and work.attempts == 2 and work.error == ""
    assert work.task_id != first_task and ReportRun.objects.count() == 1
    # A second click on the old "Try again" does nothing: the work has not failed.
    manager.post(reverse("report-request-retry", args=[work.pk]))
    assert ReportRun.objects.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_try_again_queues_once_for_the_worker(database_tasks, manager):
    work = ReportRequestFactory(status="failed", error="The worker stopped.", language="en")
    url = reverse("report-request-retry", args=[work.pk])
    manager.post(url)
    manager.post(url)  # a double click
    assert DBTaskResult.objects.count() == 1
    work.refresh_from_db()
    assert work.status == "queued" and work.task_id == str(DBTaskResult.objects.get().id)
    run_worker()
    work.refresh_from_db()
    assert work.status == "succeeded" and ReportRun.objects.count() == 1


@pytest.mark.django_db
def test_a_task_picked_twice_makes_one_report():
    work = ReportRequestFactory(language="en")
    assert services.report_make_queued(work.pk) == "succeeded"
    assert services.report_make_queued(work.pk) == "skipped"
    assert ReportRun.objects.count() == 1


@pytest.mark.django_db
def test_the_database_allows_one_active_request_of_the_same_report():
    from django.db import IntegrityError, transaction

    first = ReportRequestFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportRequestFactory(created_by=first.created_by)
    # Once it is done, or failed, the same report may be asked for again.
    ReportRequest.objects.filter(pk=first.pk).update(status="failed")
    ReportRequestFactory(created_by=first.created_by)


@pytest.mark.django_db
def test_the_database_refuses_an_unknown_status():
    from django.db import IntegrityError, transaction

    work = ReportRequestFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportRequest.objects.filter(pk=work.pk).update(status="lost")


@pytest.mark.django_db
def test_a_funder_sees_no_work_in_progress(funder):
    work = ReportRequestFactory()
    assert funder.get(reverse("report-request", args=[work.pk])).status_code == 403
    assert funder.post(reverse("report-request-retry", args=[work.pk])).status_code == 403
