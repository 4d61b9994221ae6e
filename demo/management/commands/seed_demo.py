"""``manage.py seed_demo``: load the demo SIXNET network into an empty database.

``make run`` calls this on every start, so on a database that already has data it changes
nothing, says so, prints the demo logins and exits successfully.
"""

from __future__ import annotations

import argparse
import time
from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from demo import builder as demo

ALREADY_HAS_DATA = (
    "The database already has data; nothing was changed. "
    "Use --reset to replace it with demo data."
)


def _count(value: str) -> int:
    number = int(value)
    if number < 0:
        raise argparse.ArgumentTypeError("the number of ideas cannot be negative")
    return number


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError("give the day as YYYY-MM-DD") from error


class Command(BaseCommand):
    help = (
        "Fill the database with a realistic demo network: themes, organisations, roadshow "
        "events and ideas in every stage, with consortia, funding applications and "
        "implementations, plus demo users. The story reaches --today (default: the current "
        "date). The same --seed and --today give the same data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--seed", type=int, default=2022, help="Random seed (default 2022)."
        )
        parser.add_argument(
            "--ideas", type=_count, default=150, help="Number of ideas (default 150)."
        )
        parser.add_argument(
            "--today",
            type=_day,
            default=None,
            help="The day the demo history reaches, YYYY-MM-DD (default: the current date).",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the existing portfolio and funding data first (regions, funders, "
            "instruments, groups and users stay).",
        )
        parser.add_argument(
            "--force", action="store_true", help="Run even when DEBUG is off."
        )

    def handle(
        self,
        *args,
        seed: int,
        ideas: int,
        today: date | None,
        reset: bool,
        force: bool,
        verbosity: int,
        **options,
    ) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off, so this looks like a real deployment: seed_demo creates users "
                "with a published password and --reset deletes data. Use --force to run it "
                "anyway."
            )
        if demo.has_data() and not reset:
            self.stdout.write(ALREADY_HAS_DATA)
            self._print_logins()
            return

        if today and today > timezone.localdate():
            raise CommandError(
                f"--today {today.isoformat()} is after today ({timezone.localdate().isoformat()}): "
                "submissions and decisions cannot be dated in the future."
            )
        today = today or timezone.localdate()
        started = time.monotonic()
        reported = 0

        def progress(done: int, total: int) -> None:
            nonlocal reported
            # About ten lines however many ideas there are.
            if verbosity >= 1 and (done - reported >= total / 10 or done == total):
                elapsed = time.monotonic() - started
                self.stdout.write(f"  {done:,} / {total:,} ideas ({elapsed:.0f} s)")
                reported = done

        if verbosity >= 1 and ideas > demo.SERVICE_IDEAS:
            self.stdout.write(f"Writing {ideas:,} ideas…")
        try:
            with transaction.atomic():
                if reset:
                    demo.reset_demo_data()
                result = demo.seed_demo_data(
                    seed=seed,
                    ideas=ideas,
                    password=settings.DEMO_PASSWORD,
                    progress=progress,
                    today=today,
                )
        except demo.DemoDataError as error:
            raise CommandError(str(error)) from error

        if verbosity >= 1:
            stages = ", ".join(f"{stage} {n:,}" for stage, n in result.ideas_by_stage.items())
            self.stdout.write(
                f"Demo data from seed {seed} up to {today.isoformat()} in {time.monotonic() - started:.1f} s: "
                f"{result.themes} themes, {result.organisations} organisations "
                f"({result.contacts} contact persons), {result.events} roadshow events, "
                f"{sum(result.ideas_by_stage.values()):,} ideas ({stages}), "
                f"{result.applications:,} funding applications, "
                f"{result.implementations:,} implementations."
            )
        self._print_logins()

    def _print_logins(self) -> None:
        logins = demo.demo_logins()
        if not logins:
            return
        self.stdout.write("Demo logins:")
        width = max(len(username) for username, _role in logins)
        for username, role in logins:
            self.stdout.write(
                f"  {username:<{width}}  password {settings.DEMO_PASSWORD}  ({role})"
            )
