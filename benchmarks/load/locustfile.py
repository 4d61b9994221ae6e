"""What the load test's simulated people do (locust; ``benchmarks/load/run.py`` runs it).

Project managers read the board, idea pages and the idea list, move ideas through the idea
page's own move form (its CSRF token and hidden fields, as a browser posts it), glance at the
dashboard and read the API's idea list. Funders mostly read the dashboard, ideas and the API.
Each simulated person has a session of its own, signed in by the runner before the clock
starts (``LOAD_SESSIONS``): a real user signs in once and then works for hours, and a
password hash per simulated user would swamp a 60-second window.

Environment (set by run.py): ``LOAD_SESSIONS`` (a JSON file: {"manager": [cookies…],
"funder": [cookies…]}), ``LOAD_IDEA_IDS`` (a JSON file of idea ids to visit).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
from html import unescape

from locust import HttpUser, between, task

SESSIONS = json.loads(open(os.environ["LOAD_SESSIONS"], encoding="utf-8").read())
IDEA_IDS = json.loads(open(os.environ["LOAD_IDEA_IDS"], encoding="utf-8").read())
# The API's list is read a page at a time; people and scripts mostly read its first pages.
API_PAGES = int(os.environ.get("LOAD_API_PAGES", "20"))

# A move form on the idea page: its action, and its hidden fields. Forms with a note field
# (drop, revive) need words a person writes, and are left alone.
FORM = re.compile(r'<form method="post" action="(?P<action>/ideas/\d+/move/)"[^>]*>(?P<body>.*?)</form>', re.S)
FIELD = re.compile(r'<input type="hidden" name="(?P<name>[^"]+)" value="(?P<value>[^"]*)"')


class _Person(HttpUser):
    abstract = True
    wait_time = between(
        float(os.environ.get("LOAD_WAIT_MIN", "0.5")), float(os.environ.get("LOAD_WAIT_MAX", "2"))
    )
    role = ""
    _next: itertools.count

    def on_start(self) -> None:
        # Each simulated person takes the next signed-in session of its role, round robin.
        cookies = SESSIONS[self.role][next(self._next) % len(SESSIONS[self.role])]
        for name, value in cookies.items():
            self.client.cookies.set(name, value, domain="127.0.0.1")

    def get(self, path: str, name: str, **kwargs):
        # A page that sends the person to the login page has lost its session: an error.
        with self.client.get(path, name=name, allow_redirects=False, catch_response=True,
                             **kwargs) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
            return response

    def idea_id(self) -> int:
        return random.choice(IDEA_IDS)

    @task(3)
    def board(self) -> None:
        self.get("/board/", "board")

    @task(4)
    def idea_page(self) -> None:
        self.get(f"/ideas/{self.idea_id()}/", "idea page")

    @task(2)
    def idea_list(self) -> None:
        self.get("/ideas/", "idea list")

    @task(2)
    def api_idea_list(self) -> None:
        page = random.randint(1, API_PAGES)
        self.get(f"/api/v1/ideas/?page={page}", "api idea list", headers={"Accept": "application/json"})


class ProjectManager(_Person):
    weight = 3
    role = "manager"
    _next = itertools.count()

    @task(1)
    def dashboard(self) -> None:
        self.get("/dashboards/", "dashboard")

    @task(2)
    def move_idea(self) -> None:
        """Open an idea's page and press one of its move buttons, as a manager does."""
        page = self.get(f"/ideas/{self.idea_id()}/", "idea page")
        if page.status_code != 200:
            return
        forms = [
            match for match in FORM.finditer(page.text) if "<textarea" not in match["body"]
        ]
        if not forms:
            return  # every move of this idea needs a note or is blocked: nothing to press
        form = random.choice(forms)
        data = {field["name"]: unescape(field["value"]) for field in FIELD.finditer(form["body"])}
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form["body"])
        data["csrfmiddlewaretoken"] = csrf.group(1) if csrf else ""
        # A form post answers with a redirect back to the idea page (with the outcome as a
        # message, a refusal or someone else's earlier move included); anything else is an error.
        with self.client.post(form["action"], data=data, name="idea move (POST)",
                              headers={"Referer": page.url}, allow_redirects=False,
                              catch_response=True) as response:
            if response.status_code != 302 or "/login/" in response.headers.get("Location", ""):
                response.failure(f"HTTP {response.status_code} {response.headers.get('Location', '')}")


class Funder(_Person):
    weight = 1
    role = "funder"
    _next = itertools.count()

    @task(4)
    def dashboard(self) -> None:
        self.get("/dashboards/", "dashboard")
