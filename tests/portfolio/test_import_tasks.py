"""Checking and confirming an uploaded workbook run as background tasks: queued, running
with its step, the check's result and the confirm button, failures with "Try again"; an
upload is never imported twice."""

from __future__ import annotations

import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from portfolio.imports import services
from portfolio.models import Idea, IdeaImport, IdeaImportRun, Organisation, StageTransition
from portfolio.tasks import _render_check
from tests.factories import IdeaImportFactory, IdeaImportRunFactory, import_xlsx
from tests.helpers import assert_no_inline_code


@pytest.fixture(autouse=True)
def pages_in_english(settings):
    settings.LANGUAGE_CODE = "en"


def good_file() -> bytes:
    return import_xlsx(
        [{"title": "Konenäkö hitsaukseen", "lead_organisation": "Uusi Oy"}], [{"name": "Uusi Oy"}]
    )


def upload(client: Client, data: bytes):
    file = SimpleUploadedFile("ideat.xlsx", data, content_type="application/octet-stream")
    return client.post(reverse("idea-import"), {"file": file})


def detail(client: Client, stored: IdeaImport) -> str:
    return client.get(reverse("idea-import-detail", args=[stored.pk])).content.decode()


def run_worker() -> None:
    """The worker process's loop, once over what is queued (``db_worker --batch``)."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_check_and_an_import_are_done_by_the_worker_and_confirmed_once(
    database_tasks, manager, manager_user
):
    upload(manager, good_file())
    stored = IdeaImport.objects.get()
    check = IdeaImportRun.objects.get()
    assert (check.action, check.status, check.language) == ("check", "queued", "en")
    assert str(DBTaskResult.objects.get().id) == check.task_id
    waiting = detail(manager, stored)
    assert "Queued" in waiting and 'http-equiv="refresh"' in waiting
    assert reverse("idea-import-confirm", args=[stored.pk]) not in waiting
    assert_no_inline_code(waiting)

    # The web process restarts: the worker, another process, does the check all the same.
    run_worker()
    check.refresh_from_db()
    assert (check.status, check.problems, check.ideas, check.organisations) == (
        "succeeded", 0, 1, 1
    )
    fresh = Client()
    fresh.force_login(manager_user)
    checked = detail(fresh, stored)
    assert "Konenäkö hitsaukseen" in checked and "Uusi Oy" in checked
    assert "1 idea will be created." in checked
    assert reverse("idea-import-confirm", args=[stored.pk]) in checked
    assert 'http-equiv="refresh"' not in checked
    assert not Idea.objects.exists()

    # A double click on "Confirm and import" queues one task.
    confirm = reverse("idea-import-confirm", args=[stored.pk])
    manager.post(confirm)
    again = manager.post(confirm, follow=True).content.decode()
    assert "being checked or imported already" in again
    assert IdeaImportRun.objects.filter(action="confirm").count() == 1
    assert DBTaskResult.objects.count() == 2
    assert reverse("idea-import-confirm", args=[stored.pk]) not in again  # while it runs

    run_worker()
    stored.refresh_from_db()
    assert stored.status == "imported"
    assert Idea.objects.count() == 1 and StageTransition.objects.count() == 1
    assert list(stored.ideas.all()) == list(Idea.objects.all())
    assert list(stored.organisations.all()) == [Organisation.objects.get()]
    done = detail(fresh, stored)
    assert "1 idea was imported. 1 organisation was created." in done
    # Once imported, neither a check nor an import can be queued for it.
    assert "already imported" in manager.post(confirm, follow=True).content.decode()
    assert IdeaImportRun.objects.count() == 2


@pytest.mark.django_db
def test_the_check_reports_its_steps(manager, monkeypatch):
    seen = []
    real = services._Writer.write

    def watching(self):
        seen.append(IdeaImportRun.objects.values_list("status", "step", "step_label").get())
        return real(self)

    monkeypatch.setattr(services._Writer, "write", watching)
    upload(manager, good_file())
    assert seen == [("running", 1, "Checking 2 rows against Salkku")]


@pytest.mark.django_db
def test_the_page_shows_a_running_check(manager):
    run = IdeaImportRunFactory(status="running", step=1, steps=2,
                               step_label="Checking 40 rows against Salkku")
    body = detail(manager, run.upload)
    assert "step 2 of 2: Checking 40 rows against Salkku" in body
    assert 'http-equiv="refresh"' in body
    assert reverse("idea-import-confirm", args=[run.upload.pk]) not in body


@pytest.mark.django_db
def test_a_file_with_problems_shows_them_and_offers_no_import(manager):
    upload(manager, import_xlsx([{"title": "", "summary": "No title given"}]))
    stored = IdeaImport.objects.get()
    body = detail(manager, stored)
    assert "Problems" in body and "Every idea needs a title." in body
    assert reverse("idea-import-confirm", args=[stored.pk]) not in body
    assert IdeaImportRun.objects.get().problems > 0


@pytest.mark.django_db
def test_a_failed_check_says_why_and_try_again_checks_once_more(manager, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("worker lost its memory")

    monkeypatch.setattr(services, "parse", broken)
    with caplog.at_level(logging.ERROR, logger="core.background"):
        upload(manager, good_file())
    stored = IdeaImport.objects.get()
    run = IdeaImportRun.objects.get()
    assert run.status == "failed"
    assert "worker lost its memory" in caplog.text and "Traceback" in caplog.text
    body = detail(manager, stored)
    assert "It failed." in body and "error on the server" in body
    assert "worker lost its memory" not in body and "Traceback" not in body
    retry = reverse("idea-import-retry", args=[run.pk])
    assert retry in body

    monkeypatch.undo()
    manager.post(retry)
    run.refresh_from_db()
    assert run.status == "succeeded" and run.attempts == 2 and run.can_confirm
    manager.post(retry)  # a second click: it has not failed, nothing is queued
    assert IdeaImportRun.objects.count() == 1 and run.attempts == 2


@pytest.mark.django_db
def test_a_confirmation_picked_twice_imports_once(manager_user):
    stored = IdeaImportFactory(file=good_file())
    stored.size = len(stored.file)
    run = IdeaImportRun.objects.create(
        upload=stored, action="confirm", by=manager_user, language="en", steps=2
    )
    assert services.idea_import_run_queued(run.pk, render=_render_check) == "succeeded"
    # The same task again, as if a second worker had picked it: it finds nothing to do.
    assert services.idea_import_run_queued(run.pk, render=_render_check) == "skipped"
    # Even work queued anew for an imported file imports nothing.
    IdeaImportRun.objects.filter(pk=run.pk).update(status="queued")
    services.idea_import_run_queued(run.pk, render=_render_check)
    run.refresh_from_db()
    assert run.status == "failed" and "already imported" in run.error
    assert Idea.objects.count() == 1 and StageTransition.objects.count() == 1


@pytest.mark.django_db
def test_the_database_allows_one_active_run_per_upload():
    run = IdeaImportRunFactory(status="queued")
    with pytest.raises(IntegrityError), transaction.atomic():
        IdeaImportRun.objects.create(upload=run.upload, action="confirm", language="en")
    with pytest.raises(IntegrityError), transaction.atomic():
        IdeaImportRun.objects.filter(pk=run.pk).update(action="delete")


@pytest.mark.django_db
def test_funders_cannot_check_or_retry(funder):
    run = IdeaImportRunFactory()
    assert funder.post(reverse("idea-import-check", args=[run.upload.pk])).status_code == 403
    assert funder.post(reverse("idea-import-retry", args=[run.pk])).status_code == 403
    assert IdeaImportRun.objects.count() == 1
