"""Backups of the whole database, and restoring one.

Everything Salkku keeps is in its database: the stored files too (uploaded import workbooks
in ``portfolio.IdeaImport.file``, made reports and their PDFs in ``dashboards.ReportRun``
are BinaryFields), so one database backup is a complete backup. ``MEDIA_ROOT`` holds nothing.

PostgreSQL is dumped with ``pg_dump --format=custom`` and restored with ``pg_restore --clean
--if-exists`` in one transaction, into the configured database. SQLite is copied with its
online backup API, page by page under a read lock, never as a plain file copy (which can
catch the file half-written, or miss what is still in the write-ahead log).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import connections

POSTGRESQL = "postgresql"
SQLITE = "sqlite"

# A pg_dump custom-format archive and an SQLite database file begin with these bytes.
_MAGIC = {POSTGRESQL: b"PGDMP", SQLITE: b"SQLite format 3\x00"}
_SUFFIX = {POSTGRESQL: "dump", SQLITE: "sqlite3"}

# Connection options of DATABASES[...]["OPTIONS"] that libpq also reads from the environment.
_PG_OPTION_ENV = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
    "options": "PGOPTIONS",
}


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why."""


def vendor(database: str = "default") -> str:
    vendor = connections[database].vendor
    if vendor not in _MAGIC:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    return vendor


def default_path(database: str = "default", now: datetime | None = None) -> Path:
    """``BACKUP_DIR/salkku-20261203-171500.dump`` (``.sqlite3`` for SQLite)."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    return Path(settings.BACKUP_DIR) / f"salkku-{stamp}.{_SUFFIX[vendor(database)]}"


def backup(path: Path, *, database: str = "default") -> Path:
    """Write a backup of ``database`` to ``path``, readable by its owner only.

    It is written beside ``path`` under another name and renamed when complete, so a
    backup that failed half-way never looks like a good one."""
    kind = vendor(database)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    # The backup holds password hashes and personal data: nobody else may read it.
    partial.touch(mode=0o600, exist_ok=True)
    os.chmod(partial, 0o600)
    try:
        if kind == POSTGRESQL:
            _pg_dump(connections[database].settings_dict, partial)
        else:
            _sqlite_backup(_sqlite_name(database), partial)
        check(partial, database=database)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return path


def check(path: Path, *, database: str = "default") -> None:
    """Refuse a file that is not a backup for this kind of database, or is damaged."""
    kind = vendor(database)
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"No backup file at {path}.")
    with path.open("rb") as file:
        head = file.read(16)
    if not head.startswith(_MAGIC[kind]):
        for other, magic in _MAGIC.items():
            if head.startswith(magic):
                raise BackupError(f"{path} is a {other} backup; the configured database is {kind}.")
        raise BackupError(f"{path} is not a {kind} backup made by this command.")
    if kind == POSTGRESQL:
        _run(["pg_restore", "--list", str(path)], env=os.environ.copy(), what="read the archive")
        return
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        if source.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise BackupError(f"{path} is damaged (SQLite quick_check failed).")
        tables = {row[0] for row in source.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} cannot be read: {error}") from error
    finally:
        source.close()
    if "django_migrations" not in tables:
        raise BackupError(f"{path} is an SQLite database but not one of Salkku's.")


def restore(path: Path, *, database: str = "default") -> None:
    """Replace the data of ``database`` with the backup at ``path``.

    Stop the web and worker processes first: a restore replaces every table the backup holds,
    and open connections would hold locks on them (PostgreSQL) or keep writing (SQLite)."""
    kind = vendor(database)
    path = Path(path)
    check(path, database=database)
    connection = connections[database]
    connection.close()
    if kind == POSTGRESQL:
        _pg_restore(connection.settings_dict, path)
    else:
        _sqlite_restore(path, _sqlite_name(database))


# PostgreSQL --------------------------------------------------------------------------------


def _pg_env(settings_dict: dict) -> dict[str, str]:
    """The connection for pg_dump and pg_restore, as libpq environment variables: the
    password never appears on a command line, where other users could see it."""
    env = os.environ.copy()
    for key, name in (
        ("NAME", "PGDATABASE"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD"),
        ("HOST", "PGHOST"), ("PORT", "PGPORT"),
    ):
        value = settings_dict.get(key)
        if value:
            env[name] = str(value)
    for option, name in _PG_OPTION_ENV.items():
        value = (settings_dict.get("OPTIONS") or {}).get(option)
        if value:
            env[name] = str(value)
    return env


def _pg_dump(settings_dict: dict, path: Path) -> None:
    env = _pg_env(settings_dict)
    _run(
        ["pg_dump", "--format=custom", "--no-password", f"--file={path}"],
        env=env, what="dump the database",
    )


def _pg_restore(settings_dict: dict, path: Path) -> None:
    env = _pg_env(settings_dict)
    _run(
        [
            "pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
            # All or nothing: a restore that fails half-way leaves the database as it was.
            "--single-transaction", "--exit-on-error", "--no-password",
            # Without --dbname pg_restore would only print SQL; the database is the configured
            # one (PGDATABASE, or the service's).
            f"--dbname={env.get('PGDATABASE', '')}", str(path),
        ],
        env=env, what="restore the database",
    )


def _run(command: list[str], *, env: dict[str, str], what: str) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(
            f"{command[0]} was not found: install the PostgreSQL client tools "
            "(of the server's major version or newer)."
        )
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} could not {what}: {result.stderr.strip()}")


# SQLite ------------------------------------------------------------------------------------


def _sqlite_name(database: str) -> str:
    name = str(connections[database].settings_dict["NAME"])
    if name == ":memory:" or name.startswith("file::memory:") or "mode=memory" in name:
        raise BackupError("An in-memory SQLite database cannot be backed up or restored.")
    return name


def _sqlite_backup(name: str, path: Path) -> None:
    if not Path(name).is_file():
        raise BackupError(f"No SQLite database at {name}.")
    source = sqlite3.connect(f"file:{name}?mode=ro", uri=True, timeout=30)
    target = sqlite3.connect(path)
    try:
        # The online backup API: a consistent copy of the committed data, WAL included,
        # while the app goes on reading and writing.
        source.backup(target)
        # The copy is in WAL mode like its source; a backup is one self-contained file.
        target.execute("PRAGMA journal_mode=DELETE")
    finally:
        target.close()
        source.close()


def _sqlite_restore(path: Path, name: str) -> None:
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    target = sqlite3.connect(name, timeout=30)
    try:
        # Replaces the whole target database, under its own lock, through SQLite itself.
        source.backup(target)
    finally:
        target.close()
        source.close()
