"""The OpenAPI schema is valid and complete, the same for every caller, and Swagger UI is
served from the application itself."""

from __future__ import annotations

import re

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.core.management import call_command
from drf_spectacular.drainage import reset_generator_stats

pytestmark = pytest.mark.django_db


def test_schema_is_valid_and_generates_without_warnings(tmp_path) -> None:
    reset_generator_stats()  # warnings of schemas generated earlier in this process
    out = tmp_path / "schema.yaml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))

    schema = yaml.safe_load(out.read_text())
    assert "/api/v1/ideas/{id}/transition/" in schema["paths"]
    # Fields hidden from funders are still documented, and optional in the answers.
    member = schema["components"]["schemas"]["Member"]
    assert member["properties"]["contact"]["nullable"] is True
    assert "contact" not in member["required"]


def test_schema_is_served_and_the_same_for_every_role(manager, funder) -> None:
    answers = {
        name: client.get("/api/schema/", {"format": "json"}, HTTP_ACCEPT_LANGUAGE="en")
        for name, client in [("manager", manager), ("funder", funder)]
    }

    assert {name: answer.status_code for name, answer in answers.items()} == {
        "manager": 200,
        "funder": 200,
    }
    assert yaml.safe_load(answers["manager"].content) == yaml.safe_load(answers["funder"].content)


def test_swagger_ui_is_served_from_local_static_files(manager) -> None:
    page = manager.get("/api/docs/")

    assert page.status_code == 200
    html = page.content.decode()
    addresses = re.findall(r'(?:src|href)="([^"]*)"', html)
    assert any("swagger-ui-bundle.js" in address for address in addresses)
    for address in addresses:
        assert address.startswith("/") and not address.startswith("//"), address
        if address.startswith("/static/"):
            assert finders.find(address.removeprefix("/static/")), address
    assert "http://" not in html and "https://" not in html

    script = manager.get("/api/docs/", {"script": ""})
    assert script.status_code == 200
    assert "/api/schema/" in script.content.decode()
    assert "http://" not in script.content.decode() and "https://" not in script.content.decode()
