"""``manage.py restore FILE [--yes]``: replace the database's data with a backup
(``make restore FILE=…``).

Stop the web and worker processes first. The backup must be of the same kind as the
configured database (a pg_dump archive for PostgreSQL, an SQLite file for SQLite); after
restoring a backup made by an older version, run ``manage.py migrate``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from core import backups


class Command(BaseCommand):
    help = (
        "Replace ALL data in the configured database with the backup FILE (made by the backup "
        "command). Asks for confirmation unless --yes is given."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="the backup file")
        parser.add_argument(
            "--yes", action="store_true", help="replace the data without asking (for scripts)"
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="database alias")

    def handle(self, *args, file: Path, yes: bool, database: str, verbosity: int, **options) -> None:
        settings_dict = connections[database].settings_dict
        target = f"{settings_dict.get('NAME')}" + (
            f" on {settings_dict['HOST']}" if settings_dict.get("HOST") else ""
        )
        try:
            # A wrong or damaged file is refused before anyone is asked anything.
            backups.check(file, database=database)
            if not yes:
                self._confirm(file, target)
            backups.restore(file, database=database)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        if verbosity >= 1:
            self.stdout.write(
                f"Restored {file} into {target}. If the backup is from an older version of "
                "Salkku, run `manage.py migrate` next."
            )

    def _confirm(self, file: Path, target: str) -> None:
        # A restore replaces every row: never by accident, nor from a script that forgot --yes.
        if not sys.stdin.isatty():
            raise CommandError("A restore replaces all data: give --yes to confirm.")
        answer = input(
            f"This replaces ALL data in the database {target} with {file}.\n"
            "Type 'yes' to continue: "
        )
        if answer.strip().lower() != "yes":
            raise CommandError("Nothing was restored.")
