"""Rebuild the dashboards' summary tables from the data, or only check them."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from dashboards import summaries

# Differences listed one per line; beyond this many, only their number.
SHOWN = 50


class Command(BaseCommand):
    help = (
        "Rebuild the dashboards' summary tables from scratch from the ideas and applications "
        "(after a restore or a bulk load), printing every difference found. With --check, "
        "only compare and report; exits with status 1 when they differ."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check", action="store_true", help="Only compare the tables with the data."
        )

    def handle(self, *args, check: bool, verbosity: int, **options) -> None:
        found = summaries.rebuild(check=check)
        ready = summaries.summaries_ready()
        for difference in found[:SHOWN]:
            self.stdout.write(str(difference))
        if len(found) > SHOWN:
            self.stdout.write(f"… and {len(found) - SHOWN:,} more differences.")
        if check:
            if found:
                self.stdout.write(f"{len(found):,} rows differ from the data.")
            elif verbosity >= 1:
                self.stdout.write("The summary tables agree with the data.")
            if not ready:
                self.stdout.write(
                    "The summary tables are marked not ready: the dashboards read the data "
                    "directly until they are rebuilt."
                )
            if found or not ready:
                raise SystemExit(1)
            return
        if verbosity >= 1:
            self.stdout.write(
                f"Summary tables rebuilt ({len(found):,} rows differed before); the dashboards "
                "read them."
            )
