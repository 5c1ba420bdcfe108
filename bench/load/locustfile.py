"""Locust users for the load benchmark: pages with a session, API lists with a token.

Reads what generate.py printed (the sign-in, the API token and the ids to visit) from the JSON file named by
LOAD_BENCH_INFO. Half of the users browse pages (signed in through /login/ like a browser, with the CSRF
token), half call the API with `Authorization: Bearer <token>` and no cookies. Each request is named after
its endpoint (ids replaced by [id]) so the statistics come out per endpoint. Think time between requests
comes from LOAD_BENCH_WAIT ("min,max" seconds, default "1,2"; "0,0" drives the server flat out).

    LOAD_BENCH_INFO=info.json locust -f bench/load/locustfile.py --headless -u 20 -t 600s --host http://127.0.0.1:8000
"""

from __future__ import annotations

import json
import os
import random
import re

from locust import HttpUser, between, task

with open(os.environ["LOAD_BENCH_INFO"]) as _f:
    INFO = json.load(_f)
_low, _high = (float(x) for x in os.environ.get("LOAD_BENCH_WAIT", "1,2").split(","))

PAGE_DASHBOARD = "page /dashboard/"
PAGE_PROJECTS = "page /projects/"
PAGE_PLAN = "page /projects/[id]/plan/"
PAGE_CAPACITY = "page /capacity/"
API_PROJECTS = "api /api/v1/projects"
API_PEOPLE = "api /api/v1/people"
API_RISKS = "api /api/v1/risks?project_id"
API_PROGRAMS = "api /api/v1/programs"


def _ok(response, expect_json: bool = False) -> None:  # type: ignore[no-untyped-def]
    """Any status but 200 (or a page that is really the sign-in form) counts as an error."""
    if response.status_code == 0:
        response.failure(f"no response: {type(response.error).__name__}")
    elif response.status_code != 200:
        response.failure(f"HTTP {response.status_code}")
    elif expect_json and not response.headers.get("Content-Type", "").startswith("application/json"):
        response.failure("not JSON")
    elif not expect_json and 'name="password"' in response.text:
        response.failure("signed out: got the sign-in form")
    else:
        response.success()


class PageUser(HttpUser):
    """A signed-in PMO director browsing the main pages."""

    wait_time = between(_low, _high)

    def on_start(self) -> None:
        page = self.client.get("/login/", name="sign-in")
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        token = match.group(1) if match else self.client.cookies.get("csrftoken", "")
        self.client.post(
            "/login/",
            data={"username": INFO["username"], "password": INFO["password"], "csrfmiddlewaretoken": token},
            headers={"Referer": f"{self.host}/login/"},
            name="sign-in",
        )

    @task(3)
    def dashboard(self) -> None:
        with self.client.get("/dashboard/", name=PAGE_DASHBOARD, catch_response=True) as r:
            _ok(r)

    @task(3)
    def project_list(self) -> None:
        page = random.randint(1, 5)
        with self.client.get(f"/projects/?page={page}", name=PAGE_PROJECTS, catch_response=True) as r:
            _ok(r)

    @task(3)
    def plan(self) -> None:
        pk = random.choice(INFO["project_ids"])
        with self.client.get(f"/projects/{pk}/plan/", name=PAGE_PLAN, catch_response=True) as r:
            _ok(r)

    @task(1)
    def capacity(self) -> None:
        with self.client.get("/capacity/", name=PAGE_CAPACITY, catch_response=True) as r:
            _ok(r)


class ApiUser(HttpUser):
    """A script reading the main API lists with a token."""

    wait_time = between(_low, _high)

    def on_start(self) -> None:
        self.headers = {"Authorization": f"Bearer {INFO['token']}"}

    def _get(self, url: str, name: str) -> None:
        with self.client.get(url, name=name, headers=self.headers, catch_response=True) as r:
            _ok(r, expect_json=True)

    @task(3)
    def projects(self) -> None:
        page = random.randint(1, 20)
        extra = random.choice(("", "&state=executing", "&ordering=-budget", "&q=Project 00"))
        self._get(f"/api/v1/projects?page={page}&page_size=50{extra}", API_PROJECTS)

    @task(2)
    def people(self) -> None:
        self._get(f"/api/v1/people?page={random.randint(1, 40)}&page_size=50", API_PEOPLE)

    @task(2)
    def risks(self) -> None:
        self._get(f"/api/v1/risks?project_id={random.choice(INFO['project_ids'])}", API_RISKS)

    @task(1)
    def programs(self) -> None:
        self._get("/api/v1/programs?page_size=50", API_PROGRAMS)
