"""The shared render path: the whole page or its fragment, decided in one place."""

import pytest
from django.test import RequestFactory
from django_htmx.middleware import HtmxMiddleware

from hiring.http import render_page, wants_fragment


def request_with(headers: dict[str, str]):
    request = RequestFactory().get("/somewhere/", headers=headers)
    HtmxMiddleware(lambda r: None)(request)
    return request


@pytest.mark.parametrize(
    ("headers", "fragment"),
    [
        ({}, False),
        ({"HX-Request": "true"}, True),
        ({"HX-Request": "true", "HX-History-Restore-Request": "true"}, False),
        ({"HX-Request": "true", "HX-Boosted": "true"}, False),
    ],
    ids=["navigation", "htmx swap", "history restore", "boosted link"],
)
def test_wants_fragment_only_for_an_htmx_swap(headers, fragment):
    assert wants_fragment(request_with(headers)) is fragment


def test_render_page_answers_the_fragment_to_a_swap_and_the_page_otherwise(db, settings, tmp_path):
    (tmp_path / "screen.html").write_text(
        '<!doctype html><html><body><nav>menu</nav>{% partialdef part inline %}<p id="part">{{ word }}</p>'
        "{% endpartialdef %}</body></html>"
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]

    page = render_page(request_with({}), "screen.html", {"word": "hello"}, fragment="part")
    restore = render_page(
        request_with({"HX-Request": "true", "HX-History-Restore-Request": "true"}), "screen.html", {}, fragment="part"
    )
    swap = render_page(request_with({"HX-Request": "true"}), "screen.html", {"word": "hi"}, fragment="part", status=422)

    assert "<nav>menu</nav>" in page.content.decode()
    assert "<nav>menu</nav>" in restore.content.decode()
    assert swap.content.decode().strip() == '<p id="part">hi</p>'
    assert swap.status_code == 422
    for response in (page, restore, swap):
        assert "HX-Request" in response["Vary"]
