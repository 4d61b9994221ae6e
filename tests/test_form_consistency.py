"""Forms look and behave alike across the apps."""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
CANCEL = re.compile(r"<(a|button)\b([^>]*)>\s*\{% translate \"Cancel\" %\}")


def test_every_cancel_is_a_secondary_button():
    # Some forms had Cancel as a plain link and others as a button: one style, the button.
    found = []
    for path in TEMPLATES.rglob("*.html"):
        for _tag, attributes in CANCEL.findall(path.read_text()):
            found.append(path.name)
            assert 'class="button"' in attributes, f"{path.relative_to(TEMPLATES)}: {attributes}"
    # The forms and confirmations that offer a way out (idea, event, organisation, contact,
    # member, platform, need, target, value, application, decision, implementation, calendar).
    assert len(found) >= 20
