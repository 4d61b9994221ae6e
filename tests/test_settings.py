"""Deploy-time settings pass Django's own deployment checklist."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# Variables that loosen production settings for the test run; a deployment does not set them.
TEST_OVERRIDES = (
    "DEBUG",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # set for the browser tests; a deployment never has it
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_PRELOAD",
    "EMAIL_BACKEND",
    "DJANGO_SETTINGS_MODULE",
)


def test_deploy_check_passes_with_production_environment():
    # Settings are read at import, so the check runs in a fresh interpreter.
    env = {k: v for k, v in os.environ.items() if k not in TEST_OVERRIDES}
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="salkku.example.fi",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def production_env(**overrides: str) -> dict[str, str]:
    """The environment of a production host: the test run's loosened values left out."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in TEST_OVERRIDES
        and k not in ("CACHE_URL", "STORAGE_BACKEND", "STORAGE_OPTIONS")
        and not k.endswith("COOKIE_SECURE")
    }
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="salkku.example.fi",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    env.update(overrides)
    return env


def in_fresh_process(code: str, **overrides: str) -> subprocess.CompletedProcess:
    """Runs ``code`` after django.setup() in a new interpreter: settings are read at import."""
    return subprocess.run(
        [sys.executable, "-c", f"import django\ndjango.setup()\n{code}"],
        cwd=PROJECT_ROOT,
        env=production_env(**overrides),
        capture_output=True,
        text=True,
        timeout=120,
    )


def deploy_check(**overrides: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT_ROOT,
        env=production_env(**overrides),
        capture_output=True,
        text=True,
        timeout=120,
    )


def fresh_values(expression: str, **overrides: str):
    """The value of ``expression`` (JSON-able; ``settings`` and ``storages`` at hand) in a new
    interpreter with the given environment."""
    result = in_fresh_process(
        "import json\n"
        "from django.conf import settings\n"
        "from django.core.files.storage import storages\n"
        f"print(json.dumps({expression}))",
        **overrides,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_every_host_shares_the_cache_sessions_and_login_limits_by_default():
    values = fresh_values(
        """{
            "cache": settings.CACHES["default"],
            "sessions": settings.SESSION_ENGINE,
            "axes": settings.AXES_HANDLER,
            "storage": settings.STORAGES["default"],
            "cookies": [settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE],
        }"""
    )

    assert values["cache"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    # The table core.CacheEntry's migration makes.
    assert values["cache"]["LOCATION"] == "salkku_cache"
    assert values["sessions"] == "django.contrib.sessions.backends.db"
    assert values["axes"] == "axes.handlers.database.AxesDatabaseHandler"
    assert values["storage"] == {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {},
    }
    assert values["cookies"] == [True, True]


def test_a_redis_cache_url_selects_a_redis_backend_and_passes_the_deploy_check():
    values = fresh_values(
        "settings.CACHES['default']",
        CACHE_URL="redis://127.0.0.1:6379/1",
    )
    assert values["BACKEND"].endswith(".RedisCache")
    # No connection is made to check the settings.
    result = deploy_check(CACHE_URL="redis://127.0.0.1:6379/1")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_deploy_check_warns_of_a_cache_kept_in_each_process():
    result = deploy_check(CACHE_URL="locmemcache://")

    assert result.returncode != 0
    assert "core.W001" in result.stderr
    assert "LocMemCache" in result.stderr


def test_the_cache_warning_is_for_deployments_only():
    # With DEBUG on (one development server) a process-local cache is what it should be.
    result = deploy_check(CACHE_URL="locmemcache://", DEBUG="true")
    assert "core.W001" not in result.stdout + result.stderr


def test_plain_http_cookies_are_a_switch_the_deploy_check_warns_of():
    result = deploy_check(SESSION_COOKIE_SECURE="false", CSRF_COOKIE_SECURE="false")

    assert result.returncode != 0
    assert "security.W012" in result.stderr  # SESSION_COOKIE_SECURE
    assert "security.W016" in result.stderr  # CSRF_COOKIE_SECURE


def test_the_file_storage_comes_from_the_environment():
    values = fresh_values(
        "[type(storages['default']).__name__, storages['default'].base_url]",
        STORAGE_BACKEND="django.core.files.storage.InMemoryStorage",
        STORAGE_OPTIONS='{"base_url": "/stored/"}',
    )
    assert values == ["InMemoryStorage", "/stored/"]


def test_s3_storage_is_configured_from_the_environment():
    pytest.importorskip("storages.backends.s3", reason='the optional extra: pip install ".[s3]"')
    values = fresh_values(
        """[
            type(storages["default"]).__module__ + "." + type(storages["default"]).__name__,
            storages["default"].bucket_name,
            storages["default"].endpoint_url,
            storages["default"].region_name,
        ]""",
        STORAGE_BACKEND="storages.backends.s3.S3Storage",
        STORAGE_OPTIONS='{"bucket_name": "salkku", "endpoint_url": "https://s3.example.fi",'
        ' "region_name": "eu-north-1"}',
        # No credentials are read until a file is, and none is here.
        AWS_ACCESS_KEY_ID="test",
        AWS_SECRET_ACCESS_KEY="test",
    )
    assert values == [
        "storages.backends.s3.S3Storage",
        "salkku",
        "https://s3.example.fi",
        "eu-north-1",
    ]


def test_storage_options_that_are_no_json_object_stop_the_start_saying_so():
    result = in_fresh_process("pass", STORAGE_OPTIONS="{bucket_name: salkku}")
    assert result.returncode != 0
    assert "STORAGE_OPTIONS is not valid JSON" in result.stderr

    result = in_fresh_process("pass", STORAGE_OPTIONS='["salkku"]')
    assert result.returncode != 0
    assert "STORAGE_OPTIONS must be a JSON object" in result.stderr


def test_a_storage_backend_that_cannot_be_loaded_fails_every_check():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=PROJECT_ROOT,
        env=production_env(STORAGE_BACKEND="storages.backends.nowhere.Storage"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "core.E001" in result.stderr
    assert "storages.backends.nowhere.Storage" in result.stderr


def test_migrations_run_in_the_release_step_never_at_web_start():
    processes = dict(
        line.split(":", 1) for line in (PROJECT_ROOT / "Procfile").read_text().splitlines()
        if ":" in line and not line.startswith("#")
    )
    assert "migrate" in processes["release"]
    assert "migrate" not in processes["web"]
    # Nothing the web process imports migrates either: the WSGI module only loads Django.
    wsgi = (PROJECT_ROOT / "config" / "wsgi.py").read_text()
    assert "migrate" not in wsgi and "call_command" not in wsgi
