"""``manage.py quarterly_report``: make the quarterly report for scheduled runs.

The report is stored as a ReportRun as well as written to ``--output``: a scheduled report
is one that was delivered, so it belongs in the list on /reports/ with the same SHA-256,
whoever later asks what was sent.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import override

from dashboards import report_pdf, services
from dashboards.filters import Period
from dashboards.selectors.report import quarter_period


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"“{value}” is not a day; write it as YYYY-MM-DD, e.g. 2023-06-30"
        ) from None


def last_ended_quarter(today: date) -> tuple[int, int]:
    """The year and quarter of the latest quarter that ended before ``today``."""
    current = (today.month - 1) // 3 + 1
    return (today.year - 1, 4) if current == 1 else (today.year, current - 1)


def _quarter(value: str) -> int:
    if value not in ("1", "2", "3", "4"):
        raise argparse.ArgumentTypeError(f"a quarter is 1, 2, 3 or 4, not “{value}”")
    return int(value)


class Command(BaseCommand):
    help = (
        "Make the quarterly report workbook for a year and quarter (or --last-quarter, or a "
        "--start/--end period), write it to --output (and its PDF to --pdf), keep it among the stored "
        "reports, and print the files' paths and SHA-256."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, help="The year of the quarter, e.g. 2023.")
        parser.add_argument("--quarter", type=_quarter, help="The quarter: 1, 2, 3 or 4.")
        parser.add_argument(
            "--last-quarter",
            action="store_true",
            help="The latest quarter that has ended (today in Helsinki): for a scheduler that "
            "runs the same line every quarter.",
        )
        parser.add_argument("--start", type=_day, help="First day of a from–to period.")
        parser.add_argument("--end", type=_day, help="Last day of a from–to period.")
        parser.add_argument(
            "--lang",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help=f"The report's language (default {settings.LANGUAGE_CODE}).",
        )
        parser.add_argument("--output", required=True, help="Where to write the .xlsx file.")
        parser.add_argument("--pdf", help="Also write the report's PDF board pack here.")

    def handle(
        self, *args, year, quarter, last_quarter, start, end, lang, output, pdf=None, **options
    ) -> None:
        if last_quarter:
            if year or quarter or start or end:
                raise CommandError("--last-quarter names the period itself; give nothing else.")
            year, quarter = last_ended_quarter(timezone.localdate())
        period = self._period(year, quarter, start, end)
        try:
            services.report_spec(period=period, language=lang)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        path = self._writable("--output", output)
        pdf_path = self._writable("--pdf", pdf) if pdf else None
        try:
            # Opened before the report is made, so an unwritable path stores no report.
            with path.open("wb") as handle:
                run = services.report_generate(period=period, language=lang, by=None)
                handle.write(bytes(run.content))
        except OSError as exc:
            raise CommandError(f"Cannot write {output}: {exc.strerror}.") from None
        self.stdout.write(str(path.resolve()))
        self.stdout.write(f"SHA-256 {run.sha256}")
        if pdf_path is None:
            return
        if run.pdf is None:
            with override(lang):
                problem = report_pdf.pdf_problem() or "The PDF could not be made."
            raise CommandError(f"No PDF was written to {pdf}. {problem}")
        try:
            pdf_path.write_bytes(bytes(run.pdf))
        except OSError as exc:
            raise CommandError(f"Cannot write {pdf}: {exc.strerror}.") from None
        self.stdout.write(str(pdf_path.resolve()))
        self.stdout.write(f"PDF SHA-256 {run.pdf_sha256}")

    @staticmethod
    def _writable(option: str, value: str) -> Path:
        path = Path(value)
        if path.is_dir():
            raise CommandError(f"{option} {value} is a folder; give a file name.")
        if not path.parent.is_dir():
            raise CommandError(f"Cannot write {value}: {path.parent} is not an existing folder.")
        return path

    @staticmethod
    def _period(year, quarter, start, end) -> Period:
        if (year or quarter) and (start or end):
            raise CommandError("Give either --year and --quarter or --start and --end, not both.")
        if year or quarter:
            if not (year and quarter):
                raise CommandError("Give both --year and --quarter.")
            if not 1900 <= year <= 2100:
                raise CommandError(f"--year {year} is not a year between 1900 and 2100.")
            return quarter_period(year, quarter)
        if not (start and end):
            raise CommandError("Give --year and --quarter, or --start and --end.")
        if end < start:
            raise CommandError("--end cannot be before --start.")
        return Period(start, end)
