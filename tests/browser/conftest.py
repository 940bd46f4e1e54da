"""Every browser journey runs under a guard: a Content-Security-Policy violation or an uncaught
JavaScript error on any page of the test fails it.

The guard is attached to every browser context a test creates (pytest-playwright's ``page`` and
``context``, and contexts a test opens itself with ``browser.new_context``), so every page is
watched, popups and second tabs included. It listens on three channels: the console message
Chromium prints when it refuses something ("... violates the following Content Security Policy
directive ..."), the DOM's ``securitypolicyviolation`` event (reported back through an exposed
function, as is htmx refusing to ``eval``), and uncaught page errors.
"""

import pytest

REPORT = "__reportCspViolation"
LISTENER = f"""
document.addEventListener("securitypolicyviolation", (event) => {{
  window.{REPORT}(`${{event.violatedDirective}} blocked ${{event.blockedURI || "inline code"}}`
    + ` at ${{event.sourceFile}}:${{event.lineNumber}} on ${{document.location.pathname}}`);
}});
// htmx refusing to evaluate an expression (hx-on, trigger filters, js: values) under allowEval=false.
document.addEventListener("htmx:evalDisallowedError", () => {{
  window.{REPORT}(`htmx wanted eval on ${{document.location.pathname}}`);
}});
"""


def is_csp_message(text: str) -> bool:
    return "Content Security Policy" in text or "Content-Security-Policy" in text


def guard(context, violations: list[str]) -> None:
    """Report every violation and page error of this context's pages into ``violations``."""
    context.expose_function(REPORT, lambda text: violations.append(f"securitypolicyviolation: {text}"))
    context.add_init_script(LISTENER)

    def watch(page) -> None:
        def on_console(message) -> None:
            if is_csp_message(message.text):
                violations.append(f"console on {page.url}: {message.text}")

        page.on("console", on_console)
        page.on("pageerror", lambda error: violations.append(f"page error on {page.url}: {error}"))

    for page in context.pages:
        watch(page)
    context.on("page", watch)


@pytest.fixture
def csp_violations():
    """What the guard caught in this test (a test that provokes a violation on purpose reads and clears it)."""
    return []


@pytest.fixture(autouse=True)
def csp_guard(request, csp_violations, monkeypatch):
    """Attach the guard to each context the test creates; fail the test if anything was caught."""
    if "browser" not in request.fixturenames:
        yield
        return
    browser = request.getfixturevalue("browser")
    new_context = browser.new_context

    def guarded_new_context(*args, **kwargs):
        context = new_context(*args, **kwargs)
        guard(context, csp_violations)
        return context

    monkeypatch.setattr(browser, "new_context", guarded_new_context)
    yield
    # Anything reported after the test body finished (while its pages closed) fails here.
    if csp_violations:
        pytest.fail(failure_text(csp_violations))


def failure_text(violations: list[str]) -> str:
    return "Content-Security-Policy violations or page errors:\n" + "\n".join(violations)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """Fail the test itself (not only its teardown) when the guard caught something while it ran."""
    result = yield
    violations = item.funcargs.get("csp_violations")
    page = item.funcargs.get("page")
    if page is not None and not page.is_closed():
        page.wait_for_timeout(50)  # let the last console messages and reports arrive
    if violations:
        caught = list(violations)
        violations.clear()
        pytest.fail(failure_text(caught))
    return result
