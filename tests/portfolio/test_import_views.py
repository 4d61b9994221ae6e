"""The import pages: managers only; upload, preview, confirm once, discard, bad files."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from portfolio.models import Idea, IdeaImport, Organisation, StageTransition
from tests import hostile
from tests.factories import IdeaFactory, IdeaImportFactory, import_xlsx
from tests.helpers import assert_no_inline_code

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def pages_in_english(settings):
    settings.LANGUAGE_CODE = "en"


def xlsx_upload(data: bytes, name: str = "ideat.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def good_file() -> bytes:
    return import_xlsx(
        [{"title": "Konenäkö hitsaukseen", "lead_organisation": "Uusi Oy"}], [{"name": "Uusi Oy"}]
    )


def upload(client, data: bytes, name: str = "ideat.xlsx"):
    return client.post(reverse("idea-import"), {"file": xlsx_upload(data, name)})


def test_idea_list_links_to_the_import_for_managers_only(manager, funder):
    assert reverse("idea-import") in manager.get(reverse("idea-list")).content.decode()
    assert reverse("idea-import") not in funder.get(reverse("idea-list")).content.decode()


@pytest.mark.parametrize("name", ["idea-import", "idea-import-template"])
def test_funders_and_anonymous_users_cannot_import(funder, anonymous, name):
    assert funder.get(reverse(name)).status_code == 403
    assert funder.post(reverse("idea-import"), {"file": xlsx_upload(good_file())}).status_code == 403
    assert anonymous.get(reverse(name)).status_code == 302
    assert not IdeaImport.objects.exists()


def test_funder_cannot_confirm(funder):
    upload_row = IdeaImportFactory()
    assert funder.post(reverse("idea-import-confirm", args=[upload_row.pk])).status_code == 403
    assert not Idea.objects.exists()


def test_upload_page(manager):
    response = manager.get(reverse("idea-import"))
    body = response.content.decode()
    assert response.status_code == 200
    assert reverse("idea-import-template") in body
    assert 'enctype="multipart/form-data"' in body
    assert_no_inline_code(body)


def test_template_download(manager):
    response = manager.get(reverse("idea-import-template"))
    assert response.status_code == 200
    assert "salkku-import.xlsx" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"PK")


def test_upload_preview_confirm(manager, manager_user):
    data = good_file()
    response = upload(manager, data)
    stored = IdeaImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("idea-import-detail", args=[stored.pk])
    assert (stored.filename, stored.by, stored.status) == ("ideat.xlsx", manager_user, "pending")
    assert bytes(stored.file) == data and stored.size == len(data)

    preview = manager.get(response["Location"])
    body = preview.content.decode()
    assert "Konenäkö hitsaukseen" in body and "Uusi Oy" in body
    assert reverse("idea-import-confirm", args=[stored.pk]) in body
    assert_no_inline_code(body)
    assert not Idea.objects.exists()  # nothing before the confirmation

    confirmed = manager.post(reverse("idea-import-confirm", args=[stored.pk]), follow=True)
    assert "1 idea was imported. 1 organisation was created." in confirmed.content.decode()
    stored.refresh_from_db()
    assert stored.status == "imported" and stored.imported_at is not None
    idea = Idea.objects.get()
    assert list(stored.ideas.all()) == [idea]
    assert list(stored.organisations.all()) == [Organisation.objects.get()]
    assert idea.transitions.get().by == manager_user
    assert_no_inline_code(confirmed.content.decode())


def test_confirming_twice_imports_once(manager):
    upload(manager, good_file())
    stored = IdeaImport.objects.get()
    url = reverse("idea-import-confirm", args=[stored.pk])
    manager.post(url)
    again = manager.post(url, follow=True)
    assert "already imported" in again.content.decode()
    assert Idea.objects.count() == 1 and StageTransition.objects.count() == 1


def test_the_same_file_uploaded_again_is_flagged_and_cannot_be_imported_again(manager):
    data = good_file()  # once: a workbook carries the second it was made in
    upload(manager, data)
    first = IdeaImport.objects.get()
    manager.post(reverse("idea-import-confirm", args=[first.pk]))
    response = upload(manager, data)
    body = manager.get(response["Location"]).content.decode()
    assert "The very same file was already imported" in body
    assert "An idea with this title is already in Salkku." in body
    second = IdeaImport.objects.exclude(pk=first.pk).get()
    assert reverse("idea-import-confirm", args=[second.pk]) not in body
    manager.post(reverse("idea-import-confirm", args=[second.pk]))
    assert Idea.objects.count() == 1


def test_confirm_rechecks_the_file_against_salkku_now(manager):
    upload(manager, good_file())
    stored = IdeaImport.objects.get()
    # Someone adds the same idea between the preview and the confirmation.
    IdeaFactory(title="KONENÄKÖ HITSAUKSEEN")
    response = manager.post(reverse("idea-import-confirm", args=[stored.pk]), follow=True)
    assert "Nothing was imported" in response.content.decode()
    assert Idea.objects.count() == 1 and not Organisation.objects.exists()
    stored.refresh_from_db()
    assert stored.status == "pending"


def test_preview_lists_problems_by_row_and_column(manager):
    response = upload(manager, import_xlsx([{"title": "A", "estimated_budget": "paljon"},
                                           {"title": "B", "regions": "Atlantis"}]))
    body = manager.get(response["Location"]).content.decode()
    assert "The file has 2 problems" in body
    assert "“paljon” cannot be read as an amount" in body
    assert "Unknown region “Atlantis”." in body
    assert "Confirm and import" not in body


@pytest.mark.parametrize(
    ("data", "name", "words"),
    [
        (b"", "tyhja.xlsx", "The submitted file is empty."),
        (b"title;stage\nA;idea\n", "ideat.csv", "A CSV or other text file cannot be imported"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "ideat.xls", "old Excel file (.xls)"),
        (b"PK\x03\x04broken", "rikki.xlsx", "damaged"),
    ],
)
def test_bad_files_are_refused_at_the_field_and_not_kept(manager, data, name, words):
    response = upload(manager, data, name)
    assert response.status_code == 200
    assert words in response.content.decode()
    assert not IdeaImport.objects.exists()


def test_too_large_file_is_refused_before_reading(manager, settings):
    settings.IMPORT_MAX_BYTES = 100
    response = upload(manager, good_file())
    assert "at most 100" in response.content.decode()
    assert not IdeaImport.objects.exists()


def test_a_large_upload_is_not_written_to_disk_past_the_limit(manager, settings, monkeypatch):
    """Past the in-memory size an upload goes to a temporary file, which keeps only the
    limit's worth of bytes while the size the form refuses is the size that was sent."""
    from portfolio.imports.uploads import CappedTemporaryFileUploadHandler

    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1000
    settings.IMPORT_MAX_BYTES = 4000
    written = []
    original = CappedTemporaryFileUploadHandler.file_complete

    def complete(self, file_size):
        self.file.flush()
        written.append(self.file.tell())
        return original(self, file_size)

    monkeypatch.setattr(CappedTemporaryFileUploadHandler, "file_complete", complete)
    response = upload(manager, b"x" * 50_000)
    assert written == [4000]
    assert "The file is 48.8" in response.content.decode()
    assert not IdeaImport.objects.exists()


def test_discard(manager):
    upload(manager, good_file())
    stored = IdeaImport.objects.get()
    response = manager.post(reverse("idea-import-discard", args=[stored.pk]))
    assert response["Location"] == reverse("idea-import")
    assert not IdeaImport.objects.exists()


def test_an_imported_file_is_kept_and_cannot_be_discarded(manager):
    upload(manager, good_file())
    stored = IdeaImport.objects.get()
    manager.post(reverse("idea-import-confirm", args=[stored.pk]))
    manager.post(reverse("idea-import-discard", args=[stored.pk]))
    assert IdeaImport.objects.filter(pk=stored.pk, status="imported").exists()
    assert "ideat.xlsx" in manager.get(reverse("idea-import")).content.decode()  # recent imports
    page = manager.get(reverse("idea-import-detail", args=[stored.pk])).content.decode()
    assert "Ideas created" in page and "Konenäkö hitsaukseen" in page


def test_old_unconfirmed_uploads_are_deleted_on_the_next_upload(manager, settings):
    settings.IMPORT_KEEP_UNCONFIRMED_HOURS = 24
    old = IdeaImportFactory(created_at=timezone.now() - timedelta(hours=25))
    recent = IdeaImportFactory(created_at=timezone.now() - timedelta(hours=23))
    imported_long_ago = IdeaImportFactory(
        created_at=timezone.now() - timedelta(days=300), status="imported",
        imported_at=timezone.now() - timedelta(days=300),
    )
    upload(manager, good_file())
    remaining = set(IdeaImport.objects.values_list("pk", flat=True))
    assert old.pk not in remaining
    assert {recent.pk, imported_long_ago.pk} <= remaining


def test_unknown_import_is_404(manager):
    assert manager.get(reverse("idea-import-detail", args=[999999])).status_code == 404
    assert manager.post(reverse("idea-import-confirm", args=[999999])).status_code == 404


def test_a_formula_cell_is_reported_once_in_the_preview(manager):
    response = upload(manager, import_xlsx([{"title": "=A1&B1"}]))
    body = manager.get(response["Location"]).content.decode()
    assert "The file has 1 problem" in body
    assert body.count("The cell holds a formula (=A1&amp;B1)") == 1
    assert "needs a title" not in body and "cannot be blank" not in body


def test_the_shared_strings_bomb_is_refused_on_the_page(manager):
    """The workbook that took down a web worker: the page answers with the limit, and
    nothing is kept."""
    response = upload(manager, hostile.shared_strings_bomb())
    assert response.status_code == 200
    body = response.content.decode().replace("\xa0", " ")
    assert "A part of the workbook (xl/sharedStrings.xml) would unpack to 89.2 MB; each part " \
        "may unpack to at most 15.6 MB in an import of at most 2000 rows." in body
    assert not IdeaImport.objects.exists()


def test_shared_strings_past_the_count_are_refused_on_the_page(manager, settings):
    settings.IMPORT_MAX_ROWS = 100
    response = upload(manager, hostile.with_shared_strings(10_000))
    assert response.status_code == 200
    assert "The workbook holds more than 5,000 texts (shared strings)" in response.content.decode()
    assert not IdeaImport.objects.exists()
