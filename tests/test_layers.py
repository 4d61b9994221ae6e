"""The apps form layers (pyproject's import-linter contract): core < accounts < portfolio <
funding < network, vuosikello < dashboards < demo. An import upward, or a cycle between apps,
fails here, imports inside functions included."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def test_apps_import_only_the_layers_below_them():
    result = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
