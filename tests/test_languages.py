"""Finnish is the default language and complete; English is the alternative."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

PO = Path(settings.BASE_DIR) / "locale" / "fi" / "LC_MESSAGES" / "django.po"


@pytest.mark.django_db
def test_finnish_is_the_default(anonymous):
    body = anonymous.get(reverse("login")).content.decode()
    assert '<html lang="fi">' in body
    assert "Kirjaudu sisään" in body


@pytest.mark.django_db
def test_english_on_request(anonymous):
    body = anonymous.get(reverse("login"), headers={"accept-language": "en"}).content.decode()
    assert '<html lang="en">' in body
    assert "Log in" in body


@pytest.mark.django_db
def test_language_switcher_remembers_the_choice(anonymous):
    response = anonymous.post(reverse("set_language"), {"language": "en", "next": "/login/"})
    assert response.status_code == 302
    assert '<html lang="en">' in anonymous.get(reverse("login")).content.decode()


def test_finnish_catalogue_is_complete_and_compiled():
    text = PO.read_text(encoding="utf-8")
    entries = text.split("\n\n")[1:]
    untranslated = [
        entry for entry in entries
        if re.search(r'^msgstr(\[\d\])? ""\n(?!")', entry + "\n", re.M) and "#~" not in entry
    ]
    assert not untranslated, untranslated[:3]
    assert "#, fuzzy" not in text
    assert PO.with_suffix(".mo").exists()
