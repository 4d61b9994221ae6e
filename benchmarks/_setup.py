"""What the benchmarks share: a scratch database with ``seed_demo --ideas N`` and a timer.

Importing this module configures Django for a benchmark: ``BENCH_IDEAS`` (default 100 000)
ideas in a scratch SQLite file ``bench-N.sqlite3`` in the project folder, the database
``BENCH_DATABASE_URL`` names, or with ``BENCH_DB=postgres`` the PostgreSQL database
``salkku_bench_N`` on 127.0.0.1:5432 (user postgres; created when missing). The data is made
once and reused while it holds N ideas.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
IDEAS = int(os.environ.get("BENCH_IDEAS", "100000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "15"))


def _postgres_url(ideas: int) -> str:
    """``BENCH_DB=postgres``: a database of its own per size on the local server, made if missing."""
    import psycopg

    name = f"salkku_bench_{ideas}"
    server = "postgres://postgres@127.0.0.1:5432"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')  # name is built from an int above
    return f"{server}/{name}"


if "BENCH_DATABASE_URL" in os.environ:
    os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
elif os.environ.get("BENCH_DB", "sqlite").lower() in ("postgres", "postgresql", "pg"):
    os.environ["DATABASE_URL"] = _postgres_url(IDEAS)
else:
    os.environ["DATABASE_URL"] = f"sqlite:///{ROOT / f'bench-{IDEAS}.sqlite3'}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["SECURE_SSL_REDIRECT"] = "false"
os.environ.setdefault("SECRET_KEY", "benchmark-only")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from dashboards.summaries import summaries_ready  # noqa: E402
from portfolio.models import Idea  # noqa: E402


def median_ms(work: Callable[[], object], repeat: int = REPEAT) -> float:
    work()  # warm caches and connections
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def peak_mb(work: Callable[[int | None], None], limit: int | None) -> float:
    """The peak of Python's traced memory, in MB, while ``work(limit)`` runs."""
    tracemalloc.start()
    try:
        work(limit)
        return tracemalloc.get_traced_memory()[1] / 1024 / 1024
    finally:
        tracemalloc.stop()


def timed(work: Callable[[], None]) -> tuple[float, float]:
    """Wall-clock and CPU milliseconds of one run."""
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def manager_client() -> Client:
    """A test client signed in as the demo project manager, over the loaded data."""
    setup_test_environment()
    # No collectstatic here: plain static storage, as in the tests.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", verbosity=0)
    written = True
    if Idea.objects.count() != IDEAS:
        print(f"Seeding {IDEAS:,} ideas (once; the database is kept for later runs)…", flush=True)
        call_command("seed_demo", ideas=IDEAS, reset=True, force=True, verbosity=0)
    elif not summaries_ready():
        # Data kept from before a release that adds a summary table: as an operator would.
        print("Rebuilding the summary tables (once)…", flush=True)
        call_command("rebuild_summaries", verbosity=0)
    else:
        written = False
    if written and connection.vendor == "postgresql":
        # Statistics and the visibility map at once, as autovacuum would give them in time:
        # without them PostgreSQL plans the fresh tables blind.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    client = Client()
    client.force_login(get_user_model().objects.get(username="manager"))
    return client
