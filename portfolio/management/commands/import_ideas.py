"""``manage.py import_ideas FILE --by USERNAME [--dry-run]``: the Excel import without the
browser, with the same checks and messages as the import page."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.defaultfilters import filesizeformat
from django.utils import translation

from accounts.permissions import is_manager
from portfolio.imports import services
from portfolio.imports.reading import ImportRefused


class Command(BaseCommand):
    help = (
        "Import ideas and organisations from an .xlsx workbook made from the import "
        "template. Every problem is printed by sheet, row and column, and then nothing is "
        "imported (exit status 1); otherwise every row is imported, or with --dry-run only "
        "checked."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The .xlsx workbook.")
        parser.add_argument(
            "--by",
            required=True,
            help="User name of the project manager who imports (the history names them).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report only; save nothing."
        )
        parser.add_argument(
            "--lang",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="Language of the messages and of the sheet names expected (default: %(default)s).",
        )

    def handle(self, *args, file: str, by: str, dry_run: bool, lang: str, **options) -> None:
        with translation.override(lang):
            self._import(Path(file), by, dry_run)

    def _import(self, path: Path, username: str, dry_run: bool) -> None:
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None or not is_manager(user):
            raise CommandError(f"{username}: no active project manager has this user name.")
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror}") from None
        # The size is checked before the file is read into memory at all.
        if size > settings.IMPORT_MAX_BYTES:
            raise CommandError(
                f"{path}: the file is {filesizeformat(size)}; at most "
                f"{filesizeformat(settings.IMPORT_MAX_BYTES)} can be imported at a time."
            )
        try:
            outcome = services.import_workbook(
                data=path.read_bytes(), by=user, commit=not dry_run
            )
        except ImportRefused as refused:
            raise CommandError(f"{path}: {refused.message}") from None
        for problem in outcome.problems:
            where = ", ".join(
                str(part)
                for part in (problem.sheet, problem.row and f"row {problem.row}", problem.column)
                if part
            )
            self.stderr.write(f"{where}: {problem.message}" if where else problem.message)
        if outcome.problems:
            raise CommandError(
                f"{path}: {len(outcome.problems)} problem(s); nothing was imported."
            )
        verb = "would be" if dry_run else "were"
        self.stdout.write(
            f"{len(outcome.ideas)} idea(s) and {len(outcome.organisations)} new "
            f"organisation(s) {verb} imported from {path}."
        )
