"""Load test: simulated project managers and funders against gunicorn and PostgreSQL.

    make load                                   # or: .venv/bin/python benchmarks/load/run.py

What it does, in order:

1. Migrates the database ``LOAD_DATABASE_URL`` (default
   ``postgres://postgres@127.0.0.1:5432/salkku_load``; it must exist) as the release step
   would, and seeds it with ``seed_demo --ideas LOAD_IDEAS`` (default 100 000) unless it
   already holds that many ideas. Seeding 100 000 ideas takes about ten minutes; later runs
   reuse the data. The test moves ideas between stages, so the data drifts a little from run
   to run: use a database of its own, never one that matters.
2. Collects the static files (DEBUG is off, so pages name the hashed files).
3. Starts gunicorn with the Procfile's own ``web:`` command, ``LOAD_WORKERS`` workers
   (default 2), bound to 127.0.0.1:``LOAD_PORT`` (default 8765), with production settings
   except what plain HTTP on 127.0.0.1 needs: ``SECURE_SSL_REDIRECT=false`` and the
   ``SESSION_COOKIE_SECURE``/``CSRF_COOKIE_SECURE`` switches off. The cache is the default
   one (the database table), so the API throttles cost what they cost in production.
4. Signs in one session per simulated person through the real login page (not timed with
   the rest: see the locustfile).
5. Runs locust headless for ``LOAD_SECONDS`` (default 60) with ``LOAD_USERS`` people (default
   20: three managers to one funder, started ``LOAD_SPAWN_RATE`` a second, default 10),
   each waiting 0.5–2 s between actions (``LOAD_WAIT_MIN``, ``LOAD_WAIT_MAX``).
6. Stops gunicorn, always, and prints requests per second, the median and 99th percentile
   per page, and every error, with the server's own count of tracebacks and worker timeouts.

Needs the ``bench`` extra (locust: ``pip install -e ".[bench]"``; ``make load`` installs it)
and a PostgreSQL server. Everything runs on 127.0.0.1. It is not part of ``make test`` nor
``make bench``. Locust itself runs on the same machine and takes CPU from the server: on a
2-core machine the figures are a floor, and noisy when others use the CPU.
"""

from __future__ import annotations

import csv
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
HERE = Path(__file__).resolve().parent

DATABASE_URL = os.environ.get(
    "LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/salkku_load"
)
IDEAS = int(os.environ.get("LOAD_IDEAS", "100000"))
SECONDS = int(os.environ.get("LOAD_SECONDS", "60"))
USERS = int(os.environ.get("LOAD_USERS", "20"))
SPAWN_RATE = float(os.environ.get("LOAD_SPAWN_RATE", "10"))
WORKERS = int(os.environ.get("LOAD_WORKERS", "2"))
PORT = int(os.environ.get("LOAD_PORT", "8765"))
HOST = "127.0.0.1"
BASE_URL = f"http://{HOST}:{PORT}"
PASSWORD = os.environ.get("DEMO_PASSWORD", "salkku-demo")
MANAGERS = ("hanna", "kaisa", "juha")
FUNDERS = ("funder",)

# The server's environment: production settings, and only what plain HTTP needs loosened.
SERVER_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": HOST,
    "DATABASE_URL": DATABASE_URL,
    "SECURE_SSL_REDIRECT": "false",
    "SESSION_COOKIE_SECURE": "false",
    "CSRF_COOKIE_SECURE": "false",
    # No proxy in front: the client is the connection's own address.
    "TRUSTED_PROXY_COUNT": "0",
    "WEB_CONCURRENCY": str(WORKERS),
    "PORT": str(PORT),
}


def last_line(text: str) -> str:
    # `manage.py shell` says first how many objects it imported for itself.
    lines = text.strip().splitlines()
    return lines[-1] if lines else ""


def manage(*args: str, env: dict[str, str]) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def prepare_database(env: dict[str, str]) -> list[int]:
    """Migrated, seeded, and a sample of idea ids to visit."""
    manage("migrate", "--noinput", env=env)
    count = int(last_line(manage("shell", "-c", COUNT_IDEAS, env=env)) or 0)
    if count != IDEAS:
        print(f"Seeding {IDEAS:,} ideas (the database has {count:,}); this takes minutes…")
        started = time.monotonic()
        extra = ["--reset"] if count else []
        manage("seed_demo", "--ideas", str(IDEAS), "--force", *extra, env=env)
        print(f"  seeded in {time.monotonic() - started:.0f} s")
    return json.loads(last_line(manage("shell", "-c", SAMPLE_IDEAS, env=env)))


COUNT_IDEAS = "from portfolio.models import Idea; print(Idea.objects.count())"
SAMPLE_IDEAS = (
    "import json; from portfolio.models import Idea; "
    "print(json.dumps(list(Idea.objects.order_by('?').values_list('pk', flat=True)[:2000])))"
)


def web_command() -> str:
    """The Procfile's ``web:`` command, bound to the loopback address only."""
    for line in (ROOT / "Procfile").read_text().splitlines():
        if line.startswith("web:"):
            command = line.removeprefix("web:").strip()
            return command.replace("0.0.0.0", HOST)
    sys.exit("The Procfile has no web: process.")


def start_server(env: dict[str, str], log: Path) -> subprocess.Popen:
    command = web_command()
    print(f"Starting: {command}  (WEB_CONCURRENCY={WORKERS}, PORT={PORT})")
    # exec: the shell becomes gunicorn, so the signal below reaches its master process.
    server = subprocess.Popen(
        ["sh", "-c", f"exec {command}"],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn stopped at start:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{BASE_URL}/healthz", timeout=5) as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.5)
    stop_server(server)
    sys.exit(f"gunicorn did not answer /healthz within 60 s:\n{log.read_text()[-3000:]}")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    server.send_signal(signal.SIGTERM)  # gunicorn's graceful stop
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def sign_in(username: str) -> dict[str, str]:
    """A fresh session for ``username`` through the login page, as a browser gets one."""
    import requests

    session = requests.Session()
    page = session.get(f"{BASE_URL}/login/", timeout=60)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    if page.status_code != 200 or not token:
        sys.exit(f"The login page answered {page.status_code} without a form.")
    answer = session.post(
        f"{BASE_URL}/login/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)},
        headers={"Referer": f"{BASE_URL}/login/"},
        allow_redirects=False,
        timeout=60,
    )
    if answer.status_code != 302 or "sessionid" not in session.cookies:
        sys.exit(f"Signing in as {username} failed ({answer.status_code}): is the data seeded?")
    return session.cookies.get_dict()


def sessions() -> dict[str, list[dict[str, str]]]:
    managers = max(1, round(USERS * 3 / 4))
    funders = max(1, USERS - managers)
    started = time.monotonic()
    signed_in = {
        "manager": [sign_in(MANAGERS[n % len(MANAGERS)]) for n in range(managers)],
        "funder": [sign_in(FUNDERS[n % len(FUNDERS)]) for n in range(funders)],
    }
    took = time.monotonic() - started
    print(f"Signed in {managers + funders} sessions in {took:.1f} s "
          f"({took / (managers + funders) * 1000:.0f} ms each, one at a time)")
    return signed_in


def run_locust(folder: Path) -> None:
    command = [
        sys.executable, "-m", "locust",
        "-f", str(HERE / "locustfile.py"),
        "--headless", "--host", BASE_URL,
        "--users", str(USERS), "--spawn-rate", str(SPAWN_RATE),
        "--run-time", f"{SECONDS}s", "--stop-timeout", "10",
        "--csv", str(folder / "load"), "--only-summary", "--loglevel", "WARNING",
    ]
    print(f"Running {USERS} people for {SECONDS} s against {BASE_URL} …")
    log = folder / "locust.log"
    with log.open("w") as output:
        done = subprocess.run(
            command, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT, timeout=SECONDS + 120
        )
    # Locust answers 1 when a request failed (reported below); anything else is its own fault.
    if done.returncode not in (0, 1) or not (folder / "load_stats.csv").exists():
        sys.exit(f"locust failed ({done.returncode}):\n{log.read_text()[-3000:]}")


def report(folder: Path, server_log: Path) -> int:
    stats = list(csv.DictReader((folder / "load_stats.csv").open()))
    failures = list(csv.DictReader((folder / "load_failures.csv").open()))
    print(f"\n{'page':<22}{'requests':>9}{'req/s':>8}{'p50 ms':>8}{'p99 ms':>8}{'errors':>8}")
    total = None
    for row in stats:
        if row["Name"] == "Aggregated":
            total = row
            continue
        print(
            f"{row['Name']:<22}{row['Request Count']:>9}{float(row['Requests/s']):>8.1f}"
            f"{row['50%']:>8}{row['99%']:>8}{row['Failure Count']:>8}"
        )
    if total:
        print(
            f"{'all':<22}{total['Request Count']:>9}{float(total['Requests/s']):>8.1f}"
            f"{total['50%']:>8}{total['99%']:>8}{total['Failure Count']:>8}"
        )
    errors = 0
    if failures:
        print("\nErrors:")
        for row in failures:
            errors += int(row["Occurrences"])
            print(f"  {row['Occurrences']:>5} × {row['Method']} {row['Name']}: {row['Error']}")
    text = server_log.read_text(errors="replace")
    tracebacks = text.count("Traceback (most recent call last)")
    timeouts = text.count("WORKER TIMEOUT")
    print(f"\nServer log: {tracebacks} tracebacks, {timeouts} worker timeouts ({server_log})")
    print(
        "Percentiles are locust's (rounded: to 10 ms above 100 ms, to 100 ms above 1 s). "
        "Locust shares the machine's CPU with gunicorn and PostgreSQL."
    )
    return 1 if errors or tracebacks or timeouts else 0


def main() -> int:
    base_env = {
        key: value
        for key, value in os.environ.items()
        # A developer's own settings must not leak into the measured server.
        if key not in ("DJANGO_SETTINGS_MODULE", "CACHE_URL", "STORAGE_BACKEND")
    }
    env = {**base_env, **SERVER_ENV}
    # The Procfile's command names gunicorn as an installed script: this interpreter's.
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    ids = prepare_database(env)
    manage("collectstatic", "--noinput", "--verbosity", "0", env=env)
    folder = Path(tempfile.mkdtemp(prefix="salkku-load-"))
    (folder / "ideas.json").write_text(json.dumps(ids))
    server_log = folder / "gunicorn.log"
    server = start_server(env, server_log)
    try:
        (folder / "sessions.json").write_text(json.dumps(sessions()))
        os.environ["LOAD_SESSIONS"] = str(folder / "sessions.json")
        os.environ["LOAD_IDEA_IDS"] = str(folder / "ideas.json")
        run_locust(folder)
    finally:
        stop_server(server)
    return report(folder, server_log)


if __name__ == "__main__":
    sys.exit(main())
