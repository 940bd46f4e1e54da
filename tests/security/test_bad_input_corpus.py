"""The bad-input corpus in every field of every form the app's pages show.

The forms are found, not listed: every page of the authorization matrix is fetched (by
an admin, and the interviewer for their scorecard), its ``<form method=post>`` elements and
htmx controls (``hx-post``) are parsed, and each field in turn gets each corpus value while
the others keep what the page filled in. Asserted for every request: no 5xx; and when the
answer is an error (4xx), no row was added or changed anywhere in the three apps.
GET forms (search and filters) get the corpus in their query string.
Every request runs in a savepoint that is rolled back, so the pages stay the same.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import urlencode, urljoin, urlsplit

import lxml.html
import pytest
from django.apps import apps
from django.db import connection, transaction
from django.urls import resolve, reverse

from tests.security.corpus import CORPUS
from tests.security.test_authorization_matrix import SPEC
from tests.security.world import ROLES, build_world

pytestmark = pytest.mark.django_db

SKIP_ACTIONS = ("/accounts/logout/", "/admin/")


@dataclass
class FoundForm:
    page: str
    role: str
    method: str
    action: str
    values: list[tuple[str, str]]  # what the page would send
    fields: list[str]  # what to fill with the corpus
    multipart: bool
    files: list[str]


def _page_urls(world) -> list[tuple[str, str]]:
    side = world.sides["A"]
    pages = []
    for name, spec in SPEC.items():
        if spec.public:
            continue
        role = "interviewer_on" if name.startswith("interviews:scorecard") else "admin"
        pages.append((role, reverse(name, kwargs=spec.kwargs(side))))
    return pages


def _forms_of(page: str, role: str, html: str) -> list[FoundForm]:
    doc = lxml.html.fromstring(html)
    found = []
    for form in doc.forms:
        method = (form.method or "GET").upper()
        action = urljoin(page, form.get("action") or form.get("hx-post") or page)
        if action.startswith(SKIP_ACTIONS):
            continue
        names = [name for name in form.inputs.keys() if name and name != "csrfmiddlewaretoken"]  # noqa: SIM118
        names += [button.get("name") for button in form.xpath(".//button[@name]") if button.get("name") not in names]
        values = [(name, value) for name, value in form.form_values() if name != "csrfmiddlewaretoken"]
        files = [element.get("name") for element in form.xpath(".//input[@type='file'][@name]")]
        multipart = (form.get("enctype") or form.get("hx-encoding") or "").startswith("multipart")
        found.append(FoundForm(page, role, method, action, values, names, multipart, files))
        # htmx controls inside the form that post elsewhere (autosave): the form's values + hx-vals.
        for control in form.xpath(".//*[@hx-post][@name]"):
            extra = json.loads(control.get("hx-vals") or "{}")
            values_here = [(n, v) for n, v in values if n not in extra] + [(k, str(v)) for k, v in extra.items()]
            target = urljoin(page, control.get("hx-post"))
            found.append(FoundForm(page, role, "POST", target, values_here, [control.get("name"), *extra], False, []))
    return found


def _encode(values: list[tuple[str, str | bytes]]) -> bytes:
    return urlencode(
        [(name, value if isinstance(value, bytes) else value.encode("utf-8")) for name, value in values]
    ).encode()


def _fingerprint() -> tuple:
    """Row counts of every table of the three apps, and the sum of every ``version`` column: one query."""
    parts = []
    for model in apps.get_models():
        if model._meta.app_label not in ("roles", "hiring", "interviews") or model._meta.proxy:
            continue
        table = connection.ops.quote_name(model._meta.db_table)
        parts.append(f"(SELECT COUNT(*) FROM {table})")  # noqa: S608 - table names come from the models
        if any(field.name == "version" for field in model._meta.concrete_fields):
            parts.append(f"(SELECT COALESCE(SUM(version), 0) FROM {table})")  # noqa: S608
        if any(field.name == "updated_at" for field in model._meta.concrete_fields):
            parts.append(f"(SELECT MAX(updated_at) FROM {table})")  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        return tuple(cursor.fetchone())


def _send(client, form: FoundForm, field: str, value: str | bytes):
    values = [(name, v) for name, v in form.values if name != field] + [(field, value)]
    if form.method == "GET":
        query = _encode(values).decode("ascii")
        return client.get(urlsplit(form.action).path + "?" + query)
    if form.multipart:
        if isinstance(value, bytes):
            return None  # a multipart body carries text parts; invalid UTF-8 goes through urlencoded forms
        from django.core.files.uploadedfile import SimpleUploadedFile

        data: dict = {}
        for name, v in values:
            data.setdefault(name, []).append(v)
        for name in form.files:
            filename = (value[:200] or "x") + ".txt" if field == name else "cv.txt"
            data[name] = SimpleUploadedFile(filename, b"Python engineer with ten years of Django.")
        return client.post(form.action, data)
    return client.post(form.action, _encode(values), content_type="application/x-www-form-urlencoded")


@pytest.fixture(scope="module")
def corpus_world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        world = build_world()
        for role in ROLES:
            world.client(role).raise_request_exception = False  # a 500 is counted, not raised
        forms: dict[tuple, FoundForm] = {}
        for role, page in _page_urls(world):
            response = world.client(role).get(page)
            if response.status_code != 200 or "html" not in response.headers.get("Content-Type", ""):
                continue
            for form in _forms_of(page, role, response.content.decode()):
                # One form per URL name and fields: the same form for another stage adds nothing.
                url_name = resolve(urlsplit(form.action).path).view_name
                forms.setdefault((form.method, url_name, tuple(sorted(form.fields))), form)
        yield world, list(forms.values())
        transaction.set_rollback(True)


def test_the_crawl_finds_the_forms_people_use(corpus_world):
    _world, forms = corpus_world
    actions = {urlsplit(form.action).path for form in forms}
    expected = [
        reverse("hiring:candidate-create"),
        reverse("hiring:bulk-action"),
        reverse("hiring:candidate-list"),
        "/autosave/",
        "/notes/",
        "/resumes/upload/",
        "/stages/",
        "/schedule/",
        "/plan/steps/",
    ]
    missing = [part for part in expected if not any(part in action for action in actions)]
    assert missing == []
    assert sum(len(form.fields) for form in forms) >= 60


def test_no_corpus_value_in_any_field_gives_a_5xx_or_a_half_written_record(corpus_world, django_db_blocker):
    world, forms = corpus_world
    problems, sent = [], 0
    for form in forms:
        client = world.client(form.role)
        for field in form.fields:
            for label, value in CORPUS.items():
                with django_db_blocker.unblock(), transaction.atomic():
                    before = _fingerprint()
                    response = _send(client, form, field, value)
                    if response is None:
                        transaction.set_rollback(True)
                        continue
                    sent += 1
                    status = response.status_code
                    if status >= 500:
                        problems.append(f"{form.method} {form.action} {field}={label}: {status}")
                    elif status >= 400 and status != 409 and _fingerprint() != before:
                        problems.append(f"{form.method} {form.action} {field}={label}: {status} but data changed")
                    transaction.set_rollback(True)
    print(f"bad-input corpus: {sent} requests over {len(forms)} forms, {len(problems)} problems")
    assert sent > 1500
    assert problems == []
