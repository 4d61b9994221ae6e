"""Backups you can restore: ``manage.py backup`` then ``manage.py restore`` into a fresh
database gives the same rows in every table and the same stored files, on the database the
suite runs on (SQLite, or PostgreSQL with DATABASE_URL)."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from dashboards.models import ReportRun
from portfolio.models import Idea, IdeaImport
from tests.factories import (
    CalendarEntryFactory,
    IdeaFactory,
    IdeaImportFactory,
    ReportRunFactory,
    UserFactory,
)
from vuosikello.services import feed_token_for

# The tests commit for real (pg_dump and a second process read the database); serialised so
# the tables are as before for the next test that commits.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _count_rows(cursor, quote, tables) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
        counts[table] = cursor.fetchone()[0]
    return counts


def _stored_files(cursor) -> dict[tuple[str, int], str]:
    """SHA-256 of every stored file: the reports, their PDFs and the import workbooks."""
    digests = {}
    for table, column in (
        (ReportRun._meta.db_table, "content"),
        (ReportRun._meta.db_table, "pdf"),
        (IdeaImport._meta.db_table, "file"),
    ):
        cursor.execute(f'SELECT id, "{column}" FROM "{table}" WHERE "{column}" IS NOT NULL')
        for pk, data in cursor.fetchall():
            digests[(f"{table}.{column}", pk)] = hashlib.sha256(bytes(data)).hexdigest()
    return digests


def source_snapshot() -> tuple[dict[str, int], dict]:
    tables = connection.introspection.table_names()
    with connection.cursor() as cursor:
        return _count_rows(cursor, connection.ops.quote_name, tables), _stored_files(cursor)


@pytest.fixture
def content():
    """Some of everything, and stored files of real size."""
    owner = UserFactory(manager=True)
    for _ in range(3):
        IdeaFactory(owner=owner)
    CalendarEntryFactory()
    feed_token_for(owner)
    big = os.urandom(300_000)
    ReportRunFactory(content=big, sha256=hashlib.sha256(big).hexdigest(), size=len(big), with_pdf=True)
    ReportRunFactory()
    IdeaImportFactory()
    counts, files = source_snapshot()
    assert counts["dashboards_reportrun"] == 2 and len(files) == 4
    return counts, files


# A fresh database to restore into, and a way to read it -------------------------------------


class FreshSQLite:
    def __init__(self, tmp_path: Path) -> None:
        self.path = tmp_path / "fresh.sqlite3"
        self.url = f"sqlite:///{self.path}"

    def snapshot(self):
        with sqlite3.connect(self.path) as db:
            cursor = db.cursor()
            tables = [
                row[0] for row in cursor.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                )
            ]
            return _count_rows(cursor, lambda n: f'"{n}"', tables), _stored_files(cursor)

    def drop(self) -> None:
        pass


class FreshPostgres:
    """A scratch database beside the test database, on the same server."""

    def __init__(self) -> None:
        import psycopg

        self.psycopg = psycopg
        source = connection.settings_dict
        self.name = f"{source['NAME']}_restore"[:63]
        self.params = {
            "host": source.get("HOST") or "127.0.0.1",
            "port": source.get("PORT") or 5432,
            "user": source.get("USER") or "postgres",
            "password": source.get("PASSWORD") or None,
        }
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}"', f'CREATE DATABASE "{self.name}"')
        password = f":{self.params['password']}" if self.params["password"] else ""
        self.url = (
            f"postgres://{self.params['user']}{password}@{self.params['host']}:"
            f"{self.params['port']}/{self.name}"
        )

    def _admin(self, *statements: str) -> None:
        with self.psycopg.connect(dbname="postgres", autocommit=True, **self.params) as db:
            for statement in statements:
                db.execute(statement)

    def snapshot(self):
        with self.psycopg.connect(dbname=self.name, **self.params) as db, db.cursor() as cursor:
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            tables = [row[0] for row in cursor.fetchall()]
            return _count_rows(cursor, lambda n: f'"{n}"', tables), _stored_files(cursor)

    def drop(self) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@pytest.fixture
def fresh_database(tmp_path):
    database = FreshPostgres() if connection.vendor == "postgresql" else FreshSQLite(tmp_path)
    yield database
    database.drop()


def manage(*args: str, database_url: str) -> subprocess.CompletedProcess:
    """``manage.py`` in its own process, configured for another database, as an operator runs it."""
    env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "false", "SECRET_KEY": "backup-test"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=300, check=False,
    )


# The round trip ------------------------------------------------------------------------------


def test_backup_then_restore_into_a_fresh_database_gives_the_same_rows_and_files(
    content, fresh_database, tmp_path
):
    counts, files = content
    backup_file = tmp_path / "backups" / "salkku.backup"
    call_command("backup", output=backup_file, verbosity=0)
    magic = b"PGDMP" if connection.vendor == "postgresql" else b"SQLite format 3\x00"
    assert backup_file.read_bytes().startswith(magic)
    assert backup_file.stat().st_mode & 0o077 == 0  # readable by its owner only
    assert list(backup_file.parent.iterdir()) == [backup_file]  # one self-contained file

    result = manage("restore", str(backup_file), "--yes", database_url=fresh_database.url)
    assert result.returncode == 0, result.stderr

    restored_counts, restored_files = fresh_database.snapshot()
    assert restored_counts == counts  # every table, with the same number of rows
    assert len(counts) > 40
    assert restored_files == files
    run = ReportRun.objects.filter(size=300_000).get()
    assert restored_files[("dashboards_reportrun.content", run.pk)] == run.sha256


def test_restore_replaces_the_data_of_the_configured_database(content, tmp_path):
    counts, files = content
    backup_file = tmp_path / "salkku.backup"
    call_command("backup", output=backup_file, verbosity=0)
    IdeaFactory(title="Made after the backup")
    ReportRun.objects.all().delete()

    call_command("restore", backup_file, yes=True, verbosity=0)

    assert source_snapshot() == (counts, files)
    assert not Idea.objects.filter(title="Made after the backup").exists()


def test_restore_asks_first_and_refuses_a_file_that_is_no_backup(content, tmp_path):
    counts, _files = content
    backup_file = tmp_path / "salkku.backup"
    call_command("backup", output=backup_file, verbosity=0)
    # No --yes and no terminal to ask on (a script, cron): nothing is replaced.
    IdeaFactory()
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", backup_file, verbosity=0)
    assert source_snapshot()[0]["portfolio_idea"] == counts["portfolio_idea"] + 1

    other_kind = tmp_path / "other.backup"
    other_kind.write_bytes(
        (b"SQLite format 3\x00" if connection.vendor == "postgresql" else b"PGDMP\x01") + b"\0" * 100
    )
    with pytest.raises(CommandError, match="backup; the configured database is"):
        call_command("restore", other_kind, yes=True, verbosity=0)
    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("hello")
    with pytest.raises(CommandError, match="is not a"):
        call_command("restore", not_a_backup, yes=True, verbosity=0)
    with pytest.raises(CommandError, match="No backup file"):
        call_command("restore", tmp_path / "missing.dump", yes=True, verbosity=0)


def test_backup_goes_to_backup_dir_by_default(settings, tmp_path, db):
    settings.BACKUP_DIR = tmp_path / "nightly"
    call_command("backup", verbosity=0)
    (made,) = (tmp_path / "nightly").iterdir()
    suffix = ".dump" if connection.vendor == "postgresql" else ".sqlite3"
    assert made.name.startswith("salkku-") and made.suffix == suffix


def test_at_a_terminal_restore_asks_and_only_yes_goes_ahead(content, tmp_path, monkeypatch):
    backup_file = tmp_path / "salkku.backup"
    call_command("backup", output=backup_file, verbosity=0)
    idea = IdeaFactory(title="Made after the backup")
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    questions = []

    def answer(reply):
        return lambda question: questions.append(question) or reply

    monkeypatch.setattr("builtins.input", answer("no"))
    with pytest.raises(CommandError, match="Nothing was restored"):
        call_command("restore", backup_file, verbosity=0)
    assert Idea.objects.filter(pk=idea.pk).exists()
    assert "replaces ALL data" in questions[0]

    monkeypatch.setattr("builtins.input", answer("yes"))
    call_command("restore", backup_file, verbosity=0)
    assert not Idea.objects.filter(pk=idea.pk).exists()
