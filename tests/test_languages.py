"""Finnish is the default language; Swedish and English are the alternatives. The Finnish
and Swedish catalogues are complete."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

LOCALE = Path(settings.BASE_DIR) / "locale"


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
def test_swedish_on_request(anonymous):
    body = anonymous.get(reverse("login"), headers={"accept-language": "sv"}).content.decode()
    assert '<html lang="sv">' in body
    assert "Logga in" in body


@pytest.mark.django_db
def test_language_switch_offers_finnish_swedish_english_in_that_order(anonymous):
    body = anonymous.get(reverse("login")).content.decode()
    buttons = re.findall(r'<button type="submit" name="language" value="(\w+)"', body)
    assert buttons == ["fi", "sv", "en"]


@pytest.mark.django_db
def test_language_switcher_remembers_the_choice(anonymous):
    response = anonymous.post(reverse("set_language"), {"language": "en", "next": "/login/"})
    assert response.status_code == 302
    assert '<html lang="en">' in anonymous.get(reverse("login")).content.decode()


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_catalogue_is_complete_and_compiled(language):
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    text = po.read_text(encoding="utf-8")
    entries = text.split("\n\n")[1:]
    untranslated = [
        entry for entry in entries
        if re.search(r'^msgstr(\[\d\])? ""\n(?!")', entry + "\n", re.M) and "#~" not in entry
    ]
    assert not untranslated, untranslated[:3]
    assert "#, fuzzy" not in text
    assert po.with_suffix(".mo").exists()


def _project_sources():
    root = Path(settings.BASE_DIR)
    skip = {".venv", "tests", "migrations", "staticfiles", "benchmarks", "node_modules"}
    for path in root.rglob("*.py"):
        if not skip & set(path.relative_to(root).parts):
            yield path, path.read_text(encoding="utf-8")


def test_every_translated_text_can_be_found_by_makemessages():
    """makemessages finds gettext's own names and ``_``; a text marked under another name, or
    inside an f-string, never reaches the catalogues and shows in English."""
    renamed = re.compile(r"from django\.utils\.translation import .*\bas (?!_\b)\w+")
    in_fstring = re.compile(r"""\bf(["']).*\{_\(""")
    found = [
        f"{path.name}:{number}"
        for path, text in _project_sources()
        for number, line in enumerate(text.splitlines(), 1)
        if renamed.search(line) or in_fstring.search(line)
    ]
    assert not found, found
