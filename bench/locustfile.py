"""The load test's simulated people (locust): recruiters on boards, searches and profiles;
interviewers autosaving and submitting scorecards. Started by ``bench/load``, which passes the
targets file in ``LOAD_TARGETS``.

The server runs the production settings behind what would be a TLS-terminating proxy, so every
request says ``X-Forwarded-Proto: https`` and the session and CSRF cookies (marked Secure) are
sent back over the plain connection to 127.0.0.1.
"""

import json
import os
import random
import re
from collections import defaultdict
from http.cookiejar import DefaultCookiePolicy

from locust import HttpUser, between, task

TARGETS = json.loads(open(os.environ["LOAD_TARGETS"]).read())  # noqa: SIM115
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# Each draft scorecard goes to one simulated interviewer: autosaves on their own card, and a
# stack of others to submit, so the users never conflict with one another.
CARDS_BY_EMAIL: dict[str, list[dict]] = defaultdict(list)
for card in TARGETS["scorecards"]:
    CARDS_BY_EMAIL[card["email"]].append(card)
EMAILS = sorted(CARDS_BY_EMAIL)


class BehindTlsProxy(DefaultCookiePolicy):
    """Send Secure cookies on the plain connection: the proxy would have terminated TLS."""

    def return_ok_secure(self, cookie, request):
        return True


class Person(HttpUser):
    abstract = True
    wait_time = between(0.5, 1.5)
    email = ""

    def on_start(self) -> None:
        self.client.cookies.set_policy(BehindTlsProxy())
        self.origin = self.host.replace("http://", "https://")
        self.client.headers.update({"X-Forwarded-Proto": "https", "Origin": self.origin, "Referer": self.origin + "/"})
        self.log_in()

    def log_in(self) -> None:
        page = self.client.get("/accounts/login/", name="login")
        token = CSRF_INPUT.search(page.text).group(1)
        with self.client.post(
            "/accounts/login/",
            {"username": self.email, "password": TARGETS["password"], "csrfmiddlewaretoken": token},
            allow_redirects=False,
            name="login",
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login as {self.email} answered {response.status_code}")

    def csrf(self) -> str:
        return self.client.cookies.get("csrftoken", "")


class Recruiter(Person):
    weight = 3
    email = TARGETS["recruiter"]

    @task(3)
    def board(self) -> None:
        self.client.get(f"/hiring/jobs/{random.choice(TARGETS['boards'])}/board/", name="board")

    @task(3)
    def search(self) -> None:
        self.client.get("/hiring/candidates/", params={"q": random.choice(TARGETS["searches"])}, name="search")

    @task(3)
    def profile(self) -> None:
        self.client.get(f"/hiring/candidates/{random.choice(TARGETS['candidates'])}/", name="profile")


class Interviewer(Person):
    weight = 2
    turn = 0

    def on_start(self) -> None:
        Interviewer.turn += 1
        self.email = EMAILS[Interviewer.turn % len(EMAILS)]
        self.card = CARDS_BY_EMAIL[self.email].pop()  # the card this person autosaves
        self.edits = 0
        super().on_start()

    @task(6)
    def autosave(self) -> None:
        self.edits += 1
        card = self.card
        field = f"evidence-{card['ratings'][self.edits % len(card['ratings'])]}"
        with self.client.post(
            f"/interviews/scorecards/{card['id']}/autosave/",
            {
                "field": field,
                field: f"Walked through the design trade-offs (edit {self.edits}).",
                "version": card["version"],
            },
            headers={"HX-Request": "true", "X-CSRFToken": self.csrf()},
            name="autosave",
            catch_response=True,
        ) as response:
            if response.status_code == 200:
                card["version"] = int(response.headers["X-Scorecard-Version"])
            else:
                response.failure(f"autosave answered {response.status_code}")

    @task(1)
    def submit(self) -> None:
        if not CARDS_BY_EMAIL[self.email]:
            return  # every card of this interviewer is submitted
        card = CARDS_BY_EMAIL[self.email].pop()
        data = {"version": card["version"], "overall_recommendation": "3", "action": "submit"}
        data["key_takeaways"] = "Strong systems thinking; clear about trade-offs."
        for rating in card["ratings"]:
            data[f"rating-{rating}"] = "3"
            data[f"evidence-{rating}"] = "Designed a feature store end to end and explained its failure modes."
        with self.client.post(
            f"/interviews/scorecards/{card['id']}/",
            {**data, "csrfmiddlewaretoken": self.csrf()},
            allow_redirects=False,
            name="submit",
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"submit answered {response.status_code}")
