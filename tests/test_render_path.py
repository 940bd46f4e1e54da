"""One render path: every URL htmx pushes into the browser history answers a history restore
with the whole page, and a plain htmx request with the fragment only; always ``Vary: HX-Request``.

The pushed URLs are found, not listed: every page of the site (the resolver's URLs, filled
with demo objects, as each role) is parsed for ``hx-push-url`` elements, and every template
that pushes a URL must have been seen doing it, so a new pushed URL is covered as it appears.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from lxml import html as lxml_html

from hiring.models import User
from tests.site_walk import ROLE_EMAILS, demo_for, is_html, page_template, pushed_urls, routes, url_of

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"
STATIC = Path(settings.BASE_DIR) / "static"
HTMX = {"HX-Request": "true"}
HISTORY_RESTORE = {"HX-Request": "true", "HX-History-Restore-Request": "true"}


def templates_that_push() -> set[str]:
    return {
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if "hx-push-url" in path.read_text(encoding="utf-8")
    }


def discover_pushes():
    """(role's client, push) for every URL any page pushes, as every role that sees that page."""
    found = []
    for email in ROLE_EMAILS:
        user = User.objects.get(email=email)
        client = Client()
        client.force_login(user)
        demo = demo_for(user)
        for route in routes():
            if route.is_admin or route.is_public:
                continue
            url = url_of(route, demo)
            response = client.get(url)
            if response.status_code == 200 and is_html(response):
                pushes = pushed_urls(url, response.content.decode(), page_template(response))
                found += [(client, push) for push in pushes]
    return found


def vary(response) -> set[str]:
    return {value.strip().lower() for value in response.get("Vary", "").split(",")}


def test_every_pushed_url_restores_the_whole_page_and_swaps_the_fragment(demo_site):
    pushes = discover_pushes()

    # Every template that pushes a URL was seen pushing (a new one is found by the walk, or fails here).
    assert templates_that_push() - {push.template for _, push in pushes} == set()
    # Scripts push nothing behind the templates' back (htmx.ajax and history calls would need a case here).
    for script in (STATIC / "js").glob("*.js"):
        text = script.read_text(encoding="utf-8")
        assert "pushState" not in text, script.name
        assert "push-url" not in text, script.name
        assert "pushUrl" not in text, script.name
    assert len({push.url for _, push in pushes}) >= 6  # job list, board, candidate list and its pages

    checked = set()
    for client, push in pushes:
        if (id(client), push.url) in checked:
            continue
        checked.add((id(client), push.url))

        restored = client.get(push.url, headers=HISTORY_RESTORE)
        assert restored.status_code == 200, push
        page = restored.content.decode()
        assert "<html" in page, f"history restore of {push.url} got a fragment"
        assert lxml_html.fromstring(page).xpath('//nav[@aria-label="Main navigation"]'), push
        assert "hx-request" in vary(restored), push

        fragment = client.get(push.url, headers=HTMX)
        assert fragment.status_code == 200, push
        body = fragment.content.decode()
        assert "<html" not in body, f"htmx request of {push.url} got the whole page"
        assert "Main navigation" not in body, push
        assert body.strip(), push
        assert "hx-request" in vary(fragment), push

        plain = client.get(push.url)
        assert "<html" in plain.content.decode(), push
        assert "hx-request" in vary(plain), push


def test_a_history_restore_of_the_board_is_the_page_a_swap_is_the_board(demo_site, client):
    """The concrete case behind the walk: the board's filter form pushes its URL."""
    user = User.objects.get(email=ROLE_EMAILS[1])
    client.force_login(user)
    url = f"/hiring/jobs/{demo_for(user).job.pk}/board/?source=LinkedIn"

    restored = client.get(url, headers=HISTORY_RESTORE).content.decode()
    swapped = client.get(url, headers=HTMX).content.decode()

    assert restored.lstrip().lower().startswith("<!doctype html>")
    assert 'id="board"' in restored
    assert swapped.lstrip().startswith('<section id="board"')
