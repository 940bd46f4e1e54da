"""Site-wide guarantees, checked on every URL the resolver knows (filled in with demo objects).

* Login by default: every URL except the explicitly public ones sends an anonymous visitor
  to the sign-in page, with ``next`` pointing back (``LoginRequiredMiddleware``).
* Content-Security-Policy: every answer carries the policy; every page's scripts carry the
  request's nonce, and no page has inline styles, inline scripts or event-handler attributes
  (the browser would refuse them; the browser journeys check that side).
"""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.test import Client
from django.urls import resolve
from django.utils.csp import build_policy
from lxml import html as lxml_html

from hiring.models import User
from tests.site_walk import OPTIONAL_PUBLIC_URL_NAMES, PUBLIC_URL_NAMES, ROLE_EMAILS, demo_for, is_html, routes, url_of
from tests.test_deploy import REALISTIC_ENV, manage

pytestmark = pytest.mark.django_db

EXPECTED_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'nonce-*'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}


def reachable_routes(demo):
    """(route, url) for every pattern that a request can reach (not shadowed by an earlier one)."""
    found = []
    for route in routes():
        url = url_of(route, demo)
        if resolve(url.split("?")[0]).func is route.callback:
            found.append((route, url))
    return found


def parse_policy(header: str) -> dict[str, list[str]]:
    policy = {}
    for directive in filter(None, (part.strip() for part in header.split(";"))):
        name, *values = directive.split()
        policy[name] = values
    return policy


def is_page(response) -> bool:
    """A whole HTML page (not an htmx fragment, a file or a redirect)."""
    return is_html(response) and response.status_code == 200 and b"<html" in response.content


def check_policy(url: str, response) -> None:
    """The response carries the policy; a page's scripts carry the nonce the policy names."""
    header = response.get("Content-Security-Policy")
    assert header, f"{url}: no Content-Security-Policy header"
    assert "unsafe-inline" not in header, f"{url}: {header}"
    assert "unsafe-eval" not in header, f"{url}: {header}"
    policy = parse_policy(header)
    nonces = [value for value in policy.get("script-src", []) if value.startswith("'nonce-")]
    if is_page(response):
        assert len(nonces) == 1, f"{url}: the policy has no nonce: {header}"
        nonce = nonces[0][len("'nonce-") : -1]
        scripts = lxml_html.fromstring(response.content).xpath("//script[@nonce]")
        assert scripts, f"{url}: no script carries the nonce"
        assert {script.get("nonce") for script in scripts} == {nonce}, f"{url}: scripts carry another nonce"
    else:
        # Fragments, files and redirects run no script: the nonce is only named when a page used it.
        policy["script-src"] = [value for value in policy["script-src"] if value not in nonces] + ["'nonce-*'"]
    shape = {name: ["'nonce-*'" if v.startswith("'nonce-") else v for v in values] for name, values in policy.items()}
    assert shape == EXPECTED_POLICY, f"{url}: {header}"


def inline_code(body: bytes) -> list[str]:
    """What the policy would block in this page: inline styles, inline scripts, handler attributes."""
    document = lxml_html.fromstring(body)
    found = [f"<style> {lxml_html.tostring(e)[:80]!r}" for e in document.xpath("//style")]
    found += [f"style= on <{e.tag}>" for e in document.xpath("//*[@style]")]
    found += [
        f"inline <script> {lxml_html.tostring(e)[:80]!r}"
        for e in document.xpath("//script[not(@src)]")
        # JSON data is fine; so is a posting's JSON-LD (data, never run), which carries the nonce too.
        if e.get("type") != "application/json" and not (e.get("type") == "application/ld+json" and e.get("nonce"))
    ]
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            if name.startswith(("on", "hx-on")) or value.strip().lower().startswith("javascript:"):
                found.append(f"{name}= on <{element.tag}>")
    return found


def test_public_pages_are_exactly_the_listed_ones():
    public = {route.name for route in routes() if route.is_public}

    assert public >= PUBLIC_URL_NAMES
    assert public - PUBLIC_URL_NAMES <= OPTIONAL_PUBLIC_URL_NAMES, "a new public page: list it in tests/site_walk.py"


def test_every_url_but_the_public_ones_sends_an_anonymous_visitor_to_sign_in(demo_site):
    demo = demo_for(User.objects.get(email=ROLE_EMAILS[0]))
    client = Client()
    checked = 0
    for route, url in reachable_routes(demo):
        if route.is_api:
            response = client.get(url)
            assert response.status_code == 401, f"API {url} answered {response.status_code} without a token"
            continue
        if route.is_public:
            response = client.get(url)
            assert "/login/" not in response.get("Location", ""), f"public {url} sends to sign in"
            assert response.status_code in (200, 405, 503), f"public {url} answered {response.status_code}"
            continue
        # The admin's own pages send to the admin's sign-in page (Django sets their login_url).
        expected = redirect_to_login(url, getattr(route.callback, "login_url", None) or settings.LOGIN_URL).url
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302, f"{method.__name__.upper()} {url}: {response.status_code}"
            assert response["Location"] == expected, f"{url} -> {response['Location']}"
        checked += 1

    assert checked > 150  # the app's own URLs and every admin page
    assert client.get("/accounts/login/").status_code == 200


def test_signing_out_works_after_the_session_expired(client):
    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"


def test_every_page_carries_the_content_security_policy_and_no_inline_code(demo_site):
    ok: dict[str, set[str]] = {}  # route -> the roles that got it (200)
    answered: set[str] = set()  # routes that answer GET (not POST-only)
    for email in ROLE_EMAILS:
        user = User.objects.get(email=email)
        client = Client()
        client.force_login(user)
        for route, url in reachable_routes(demo_for(user)):
            if route.is_admin and not user.is_staff:
                continue
            if route.is_api:
                continue  # JSON for scripts; who gets what: tests/api/test_api_matrix.py
            response = client.get(url)
            assert response.status_code < 500, f"{email} {url}: {response.status_code}"
            if response.status_code == 405:
                continue  # POST only
            answered.add(route.route)
            check_policy(url, response)
            if is_html(response) and response.status_code == 200:
                assert inline_code(response.content) == [], url
            if response.status_code == 200:
                ok.setdefault(route.route, set()).add(email)

    # Every screen was really rendered (not only its 404) by at least one role: the app's own
    # screens, the admin's index and every model's list in the admin.
    app_routes = {route for route in answered if not route.startswith("admin/")}
    assert app_routes - set(ok) == set()
    admin_lists = {route for route in answered if re.fullmatch(r"admin/(\w+/\w+/)?", route)}
    assert len(admin_lists) > 20
    assert admin_lists - set(ok) == set()
    assert len(ok) > 80


def test_sign_in_and_password_reset_pages_carry_the_policy(client):
    for url in ("/accounts/login/", "/accounts/password_reset/", "/accounts/password_reset/done/", "/admin/login/"):
        response = client.get(url)
        assert response.status_code == 200, url
        check_policy(url, response)
        assert inline_code(response.content) == [], url


@pytest.mark.parametrize("module", ["local", "test", "production"])
def test_every_settings_module_enforces_the_policy_and_login(module):
    code = (
        "import json; from django.conf import settings; "
        "print(json.dumps({'csp': settings.SECURE_CSP, 'middleware': settings.MIDDLEWARE, "
        "'processors': settings.TEMPLATES[0]['OPTIONS']['context_processors']}))"
    )
    env = {**REALISTIC_ENV, "DJANGO_SETTINGS_MODULE": f"config.settings.{module}"}

    result = manage("shell", "-c", code, env=env)

    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    assert parse_policy(build_policy(loaded["csp"], nonce="n")) == {
        **EXPECTED_POLICY,
        "script-src": ["'self'", "'nonce-n'"],
    }
    assert "django.middleware.csp.ContentSecurityPolicyMiddleware" in loaded["middleware"]
    assert "django.contrib.auth.middleware.LoginRequiredMiddleware" in loaded["middleware"]
    assert "django.template.context_processors.csp" in loaded["processors"]


def test_no_template_holds_inline_code():
    """Also the templates no walk reaches (error pages, emails): the policy would refuse inline code."""
    root = Path(settings.BASE_DIR) / "templates"
    inline = re.compile(
        r"<style|\sstyle=|\son[a-z]+=|hx-on[:-]|javascript:"
        r"|<script(?![^>]*\ssrc=)(?![^>]*application/(?:ld\+)?json)"  # a script without src (JSON data is fine)
    )
    offenders = [
        f"{path.relative_to(root)}: {match.group(0)!r}"
        for path in root.rglob("*.html")
        for match in inline.finditer(path.read_text(encoding="utf-8"))
    ]

    assert offenders == []
