"""The load test's simulated people (locust): recruiters on boards, searches and profiles;
interviewers autosaving and submitting scorecards. Started by ``bench/load``, which passes the
targets file in ``LOAD_TARGETS``.

The server runs the production settings behind what would be a TLS-terminating proxy, so every
request says ``X-Forwarded-Proto: https`` and carries its cookies in its own ``Cookie`` header:
the session and CSRF cookies are marked Secure, and a cookie jar would not send them over the
plain connection to 127.0.0.1. A page that answers with the login form counts as a failure.
"""

import json
import os
import random
from collections import defaultdict

from locust import HttpUser, between, task

TARGETS = json.loads(open(os.environ["LOAD_TARGETS"]).read())  # noqa: SIM115
# Each draft scorecard goes to one simulated interviewer: autosaves on their own card, and a
# stack of others to submit, so the users never conflict with one another.
CARDS_BY_EMAIL: dict[str, list[dict]] = defaultdict(list)
for card in TARGETS["scorecards"]:
    CARDS_BY_EMAIL[card["email"]].append(card)
EMAILS = sorted(CARDS_BY_EMAIL)


class Person(HttpUser):
    abstract = True
    wait_time = between(0.5, 1.5)
    email = ""

    def on_start(self) -> None:
        self.origin = self.host.replace("http://", "https://")
        self.client.headers.update({"X-Forwarded-Proto": "https", "Origin": self.origin, "Referer": self.origin + "/"})
        self.log_in()

    def cookies(self, **headers: str) -> dict[str, str]:
        """Request headers with this person's cookies (Secure ones included, see above)."""
        jar = "; ".join(f"{cookie.name}={cookie.value}" for cookie in self.client.cookies)
        return {**headers, "Cookie": jar} if jar else headers

    def log_in(self) -> None:
        """Use the session made for this person, and fetch a CSRF token with the login page."""
        self.client.cookies.set(TARGETS["session_cookie"], TARGETS["sessions"][self.email])
        with self.client.get(
            "/accounts/login/", headers=self.cookies(), name="login_page", catch_response=True
        ) as response:
            if response.status_code != 200 or "csrftoken" not in self.client.cookies:
                response.failure(f"login page answered {response.status_code} without a CSRF cookie")

    def csrf(self) -> str:
        return self.client.cookies.get("csrftoken", "")

    def page(self, path: str, name: str, **params) -> None:
        with self.client.get(
            path, params=params, headers=self.cookies(), name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"{name} answered {response.status_code}")


class Recruiter(Person):
    weight = 3
    email = TARGETS["recruiter"]

    @task(3)
    def board(self) -> None:
        self.page(f"/hiring/jobs/{random.choice(TARGETS['boards'])}/board/", "board")

    @task(3)
    def search(self) -> None:
        self.page("/hiring/candidates/", "search", q=random.choice(TARGETS["searches"]))

    @task(3)
    def profile(self) -> None:
        self.page(f"/hiring/candidates/{random.choice(TARGETS['candidates'])}/", "profile")


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
            headers=self.cookies(**{"HX-Request": "true", "X-CSRFToken": self.csrf()}),
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
            headers=self.cookies(),
            allow_redirects=False,
            name="submit",
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"submit answered {response.status_code}")
