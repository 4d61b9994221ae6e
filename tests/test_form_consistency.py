"""Forms look and behave alike across the apps."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.helpers import assert_no_inline_code

pytestmark = pytest.mark.django_db

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


def test_long_fields_carry_their_limit_and_every_page_loads_the_counter(manager):
    from django.urls import reverse

    body = manager.get(reverse("idea-create")).content.decode()
    # forms.js reads maxlength: the idea title's 200 is in the page, the script a file.
    assert re.search(r'<input[^>]*name="title"[^>]*maxlength="200"', body)
    assert re.search(r'<script src="/static/js/forms\.[0-9a-f.]*js"|js/forms\.js', body)
    assert_no_inline_code(body)


def test_report_narratives_carry_their_limit(manager):
    from django.urls import reverse

    body = manager.get(reverse("report-list")).content.decode()
    assert len(re.findall(r'<textarea[^>]*maxlength="4000"', body)) == 3


@pytest.mark.parametrize("language", ["fi", "en"])
def test_short_dates_read_alike_and_both_spellings_are_accepted(language):
    from datetime import date, datetime

    from django import forms
    from django.utils import translation
    from django.utils.formats import date_format

    with translation.override(language):
        assert date_format(date(2026, 12, 2), "SHORT_DATE_FORMAT") == "2.12.2026"
        # Times stay each language's own: 9.05 in Finnish, 09:05 in English.
        assert date_format(datetime(2026, 12, 2, 9, 5), "SHORT_DATETIME_FORMAT") == (
            "2.12.2026 9.05" if language == "fi" else "2.12.2026 09:05"
        )
        field = forms.DateField()
        for typed in ("02.12.2026", "2.12.2026", "2026-12-02"):
            assert field.clean(typed) == date(2026, 12, 2)
