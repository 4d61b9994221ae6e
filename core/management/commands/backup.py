"""``manage.py backup [--output FILE]``: a complete backup of the database (``make backup``).

PostgreSQL through pg_dump (custom format), SQLite through its online backup API. The stored
files (import workbooks, reports) are in the database, so this one file is everything.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from core import backups


class Command(BaseCommand):
    help = (
        "Back up the whole database to one file (PostgreSQL: pg_dump custom format; SQLite: "
        "the online backup API). Default file: BACKUP_DIR/salkku-<date>-<time>.dump or .sqlite3."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--output", "-o", type=Path, help="the file to write")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="database alias")

    def handle(self, *args, output: Path | None, database: str, verbosity: int, **options) -> None:
        try:
            path = backups.backup(output or backups.default_path(database), database=database)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        if verbosity >= 1:
            self.stdout.write(f"Backed up the database to {path} ({path.stat().st_size} bytes).")
