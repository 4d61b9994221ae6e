"""Deploy-time settings pass Django's own deployment checklist."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

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
