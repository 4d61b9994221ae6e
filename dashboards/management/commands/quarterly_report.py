"""``manage.py quarterly_report``: make the quarterly report for scheduled runs.

The report is stored as a ReportRun as well as written to ``--output``: a scheduled report
is one that was delivered, so it belongs in the list on /reports/ with the same SHA-256,
whoever later asks what was sent. With ``--mail`` it is also mailed to REPORT_RECIPIENTS,
once per period: a scheduler may run the same line again without the board getting the
report twice.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from smtplib import SMTPException

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import override

from core.formatting import short_datetime
from dashboards import report_pdf, services
from dashboards.filters import Period
from dashboards.models import Narrative, ReportMailing, ReportRun
from dashboards.selectors.report import quarter_period

# The option of each part of the narrative, beside the field it fills.
NARRATIVE_OPTIONS = {"highlights": "--highlights", "risks": "--risks", "plans": "--plans"}


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
        "--start/--end period), write it to --output (and its PDF to --pdf), keep it among the "
        "stored reports, and print the files' paths and SHA-256. With --mail, also mail it to "
        "REPORT_RECIPIENTS, once per period."
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
        parser.add_argument(
            "--output",
            help="Where to write the .xlsx file (needed unless --mail is given).",
        )
        parser.add_argument("--pdf", help="Also write the report's PDF board pack here.")
        for name, option in NARRATIVE_OPTIONS.items():
            # The command's help is English, whatever the site's language.
            with override("en"):
                part = str(ReportRun._meta.get_field(name).verbose_name)
            parser.add_argument(
                option,
                metavar="FILE",
                help=f"A UTF-8 text file with the {part} for the Summary and the PDF, "
                "in the report's language.",
            )
        parser.add_argument(
            "--mail",
            action="store_true",
            help="Mail the report (workbook, and PDF when made) to REPORT_RECIPIENTS, unless "
            "the period's report in this language was mailed before.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="With --mail: mail it again even if it was mailed before.",
        )

    def handle(
        self, *args, year, quarter, last_quarter, start, end, lang, output, mail, force,
        pdf=None, **options,
    ) -> None:
        if last_quarter:
            if year or quarter or start or end:
                raise CommandError("--last-quarter names the period itself; give nothing else.")
            year, quarter = last_ended_quarter(timezone.localdate())
        if force and not mail:
            raise CommandError("--force only goes with --mail.")
        if not (output or mail):
            raise CommandError("Give --output (where to write the .xlsx file), or --mail.")
        # Checked before anything is made: a report made but not mailed would be half done.
        recipients = self._recipients() if mail else []
        period = self._period(year, quarter, start, end)
        narrative = self._narrative(options)
        try:
            services.report_spec(period=period, language=lang, narrative=narrative)
        except ValidationError as exc:
            raise CommandError(self._messages(exc)) from None
        path = self._writable("--output", output) if output else None
        pdf_path = self._writable("--pdf", pdf) if pdf else None

        def make() -> ReportRun:
            return self._make(period, lang, narrative, path)

        if not mail:
            run = make()
        else:
            try:
                mailing = services.report_mail(
                    period=period, language=lang, recipients=recipients, make=make, force=force
                )
            except services.ReportAlreadyMailed as exc:
                self.stdout.write(self._already_mailed(exc.mailing))
                return
            except (SMTPException, OSError) as exc:
                raise CommandError(
                    f"Could not mail the report: {exc}. It is not recorded as mailed; the "
                    "next run mails it."
                ) from exc
            run = mailing.run
        if path is not None:
            self.stdout.write(str(path.resolve()))
        self.stdout.write(f"SHA-256 {run.sha256}")
        if mail:
            self.stdout.write(f"Mailed {run.period_label} to {mailing.recipients}")
        if pdf_path is not None:
            self._write_pdf(run, pdf_path, lang)

    def _write_pdf(self, run: ReportRun, path: Path, lang: str) -> None:
        if run.pdf is None:
            with override(lang):
                problem = report_pdf.pdf_problem() or "The PDF could not be made."
            raise CommandError(f"No PDF was written to {path}. {problem}")
        try:
            path.write_bytes(bytes(run.pdf))
        except OSError as exc:
            raise CommandError(f"Cannot write {path}: {exc.strerror}.") from None
        self.stdout.write(str(path.resolve()))
        self.stdout.write(f"PDF SHA-256 {run.pdf_sha256}")

    @staticmethod
    def _make(period: Period, lang: str, narrative: Narrative, path: Path | None) -> ReportRun:
        if path is None:
            return services.report_generate(
                period=period, language=lang, by=None, narrative=narrative
            )
        try:
            # Opened before the report is made, so an unwritable path stores no report.
            with path.open("wb") as handle:
                run = services.report_generate(
                    period=period, language=lang, by=None, narrative=narrative
                )
                handle.write(bytes(run.content))
        except OSError as exc:
            raise CommandError(f"Cannot write {path}: {exc.strerror}.") from None
        return run

    @staticmethod
    def _writable(option: str, value: str) -> Path:
        path = Path(value)
        if path.is_dir():
            raise CommandError(f"{option} {value} is a folder; give a file name.")
        if not path.parent.is_dir():
            raise CommandError(f"Cannot write {value}: {path.parent} is not an existing folder.")
        return path

    @staticmethod
    def _recipients() -> list[str]:
        recipients = [a.strip() for a in settings.REPORT_RECIPIENTS if a and a.strip()]
        if not recipients:
            raise CommandError(
                "No one to mail the report to: set REPORT_RECIPIENTS to the comma-separated "
                "addresses that get the quarterly report. Nothing was made or mailed."
            )
        for address in recipients:
            try:
                validate_email(address)
            except ValidationError:
                raise CommandError(
                    f"REPORT_RECIPIENTS has “{address}”, which is not an e-mail address. "
                    "Nothing was made or mailed."
                ) from None
        return recipients

    @staticmethod
    def _narrative(options: dict) -> Narrative:
        texts = {}
        for name, option in NARRATIVE_OPTIONS.items():
            filename = options.get(name)
            if not filename:
                texts[name] = ""
                continue
            try:
                text = Path(filename).read_text(encoding="utf-8")
            except UnicodeDecodeError:
                raise CommandError(
                    f"Cannot read {option} {filename}: it is not UTF-8 text; save it as UTF-8."
                ) from None
            except OSError as exc:
                raise CommandError(f"Cannot read {option} {filename}: {exc.strerror}.") from None
            # Written with any editor: one kind of line end, no byte order mark, no blank
            # lines around the text.
            texts[name] = text.removeprefix("\ufeff").replace("\r\n", "\n").strip()
        return Narrative(**texts)

    @staticmethod
    def _messages(exc: ValidationError) -> str:
        if not hasattr(exc, "error_dict"):
            return " ".join(exc.messages)
        parts = []
        for field, errors in exc.message_dict.items():
            option = NARRATIVE_OPTIONS.get(field)
            text = " ".join(errors)
            parts.append(f"{option}: {text}" if option else text)
        return " ".join(parts)

    @staticmethod
    def _already_mailed(mailing: ReportMailing | None) -> str:
        if mailing is None or mailing.sent_at is None:
            since = f" since {short_datetime(mailing.created_at)}" if mailing else ""
            return (
                f"The report is being mailed by another run{since}; nothing was made or "
                "mailed. Give --force to mail it again."
            )
        return (
            f"The report {mailing.period_start:%Y-%m-%d}–{mailing.period_end:%Y-%m-%d} "
            f"({mailing.language}) was already mailed on {short_datetime(mailing.sent_at)} to "
            f"{mailing.recipients}; nothing was made or mailed. Give --force to mail it again."
        )

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
