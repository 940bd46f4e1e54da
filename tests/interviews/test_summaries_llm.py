"""The optional language-model backend, against a small HTTP server on 127.0.0.1 (no internet)."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from interviews.models import ApplicationSummary
from interviews.summaries.services import summary_rebuild
from tests.hiring.factories import CandidateFactory, InterviewerFactory

from .summary_builders import (
    application_for,
    role_job,
    scorecard,
)

pytestmark = pytest.mark.django_db


class FakeModel:
    """An OpenAI-compatible /chat/completions endpoint whose behaviour each test picks."""

    def __init__(self):
        self.mode = "ok"
        self.bodies: list[dict] = []
        self.paths: list[str] = []
        self.headers: list[dict] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                raw = self.rfile.read(int(self.headers["Content-Length"]))
                fake.paths.append(self.path)
                fake.headers.append(dict(self.headers))
                fake.bodies.append(json.loads(raw))
                payload = json.loads(fake.bodies[-1]["messages"][1]["content"])
                first = payload["scorecards"][0]["id"]
                if fake.mode == "slow":
                    time.sleep(1.5)
                if fake.mode == "error":
                    self.send_response(500)
                    self.end_headers()
                    self.wfile.write(b"upstream exploded")
                    return
                if fake.mode == "malformed":
                    answer = b"{not json"
                elif fake.mode == "no_citations":
                    answer = json.dumps({"choices": [{"message": {"content": "A strong candidate."}}]}).encode()
                else:
                    text = f"Interviewer A found the design work convincing [S{first}]."
                    answer = json.dumps({"choices": [{"message": {"role": "assistant", "content": text}}]}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake_model(settings):
    fake = FakeModel()
    settings.SUMMARY_BACKEND = "llm"
    settings.SUMMARY_LLM_URL = fake.url
    settings.SUMMARY_LLM_MODEL = "tiny-test-model"
    settings.SUMMARY_LLM_API_KEY = "test-key"
    settings.SUMMARY_LLM_TIMEOUT = 0.5
    settings.SUMMARY_LLM_RETRIES = 1
    yield fake
    fake.close()


@pytest.fixture
def app():
    job, comps, steps = role_job(competencies=2)
    candidate = CandidateFactory(
        first_name="Philippa", last_name="Quackenbush", email="philippa@example.test", phone="+1 555 010 2030"
    )
    application = application_for(job, candidate=candidate)
    scorecard(
        application=application,
        step=steps["Interview 1"],
        competencies=comps,
        interviewer=InterviewerFactory(first_name="Bartholomew", last_name="Zyskowski", email="bart@corp.test"),
        ratings={
            "Architectural design": (
                4,
                "Philippa explained the design well; call her on +1 (555) 010-2030 or philippa@example.test. "
                "Bartholomew agreed with Quackenbush.",
            )
        },
        key_takeaways="Ask Bartholomew Zyskowski (bart@corp.test, 555-867-5309) for details.",
    )
    return application


def test_narrative_from_the_model_is_stored_with_its_citations(fake_model, app):
    summary = summary_rebuild(application_id=app.pk)

    assert summary.backend == "llm"
    assert summary.narrative.startswith("Interviewer A found the design work convincing [S")
    assert fake_model.paths == ["/v1/chat/completions"]
    assert fake_model.bodies[0]["model"] == "tiny-test-model"
    assert fake_model.headers[0]["Authorization"] == "Bearer test-key"
    # The structured content (the reader's source of truth) is unchanged by the backend.
    assert summary.content["scorecards"][0]["interviewer"] == "Bartholomew Zyskowski"


def test_no_name_email_or_phone_number_reaches_the_model(fake_model, app):
    summary_rebuild(application_id=app.pk)

    body = json.dumps(fake_model.bodies[0]).lower()
    for secret in (
        "philippa",
        "quackenbush",
        "bartholomew",
        "zyskowski",
        "@example.test",
        "bart@corp.test",
        "555 010",
        "(555)",
        "010-2030",
        "867-5309",
    ):
        assert secret not in body, secret
    payload = json.loads(fake_model.bodies[0]["messages"][1]["content"])
    assert payload["scorecards"][0]["interviewer"] == "Interviewer A"
    assert "[S" in fake_model.bodies[0]["messages"][0]["content"]  # the model is told to keep the markers


@pytest.mark.parametrize(
    ("mode", "attempts", "reason"),
    [("slow", 2, "gave up after 2 attempts"), ("error", 2, "HTTP 500"), ("malformed", 1, "malformed answer")],
)
def test_any_model_error_falls_back_to_the_builtin_narrative(fake_model, app, mode, attempts, reason):
    fake_model.mode = mode

    summary = summary_rebuild(application_id=app.pk)

    assert summary.backend == "builtin (llm failed)"
    assert summary.narrative == summary.content["narrative"]
    assert "[S" in summary.narrative
    assert reason in summary.content["narrative_error"]
    assert len(fake_model.bodies) == attempts  # transient errors are retried, a broken answer is not
    assert ApplicationSummary.objects.get(application=app).build_count == 1


def test_a_narrative_that_lost_its_citations_is_refused(fake_model, app):
    fake_model.mode = "no_citations"

    summary = summary_rebuild(application_id=app.pk)

    assert summary.backend == "builtin (llm failed)"
    assert "citation" in summary.content["narrative_error"]


def test_builtin_is_the_default_and_sends_nothing(settings, app):
    assert settings.SUMMARY_BACKEND == "builtin"
    summary = summary_rebuild(application_id=app.pk)
    assert summary.backend == "builtin"


def test_redaction_keeps_ordinary_words_that_look_like_names():
    from interviews.summaries.backends import redact

    content = {"scorecards": [{"interviewer": "Will Bright"}], "text": "Will Bright said it will scale; Will agreed."}
    people = [("Will Bright", "Interviewer A"), ("Bright", "Interviewer A"), ("Will", "Interviewer A")]

    redacted = redact(content, people=people)

    assert redacted["text"] == "Interviewer A said it will scale; Interviewer A agreed."


def test_an_unexpected_error_also_falls_back(fake_model, app, monkeypatch):
    from interviews.summaries import backends as summary_backends

    def explode(payload):
        raise RuntimeError("surprise")

    monkeypatch.setattr(summary_backends, "llm_narrative", explode)

    summary = summary_rebuild(application_id=app.pk)

    assert summary.backend == "builtin (llm failed)"
    assert "RuntimeError" in summary.content["narrative_error"]
