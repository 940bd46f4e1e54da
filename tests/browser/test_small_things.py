"""Small things people noticed, in the browser: the icon loads, résumé text wraps instead of scrolling."""

from playwright.sync_api import expect

from tests.hiring.factories import ApplicationFactory, RecruiterFactory, ResumeFactory, job_with_stages

LONG_RESUME = (
    "Jordan Example\n"
    "Machine learning engineer with a very long line that keeps going about feature stores, streaming "
    "pipelines, evaluation harnesses and on-call rotations well past the width of any column on the page.\n"
    "Portfolio: https://example.test/" + "averylongpathsegment" * 15 + "\n"
    "Skills: " + "PyTorch/Kubernetes/Airflow/" * 10 + "\n"
)


def test_the_icon_loads_and_a_long_resume_wraps(page, live_server, login, screenshot):
    job = job_with_stages(title="Staff Machine Learning Architect")
    application = ApplicationFactory(job=job, stage=job.stages.get(name="Applied"))
    ResumeFactory(candidate=application.candidate, text=LONG_RESUME)
    failed = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    login(RecruiterFactory())
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto(f"{live_server.url}/hiring/applications/{application.pk}/")

    icon = page.locator('link[rel="icon"]')
    expect(icon).to_have_attribute("href", "/static/favicon.svg")
    answer = page.request.get(f"{live_server.url}/static/favicon.svg")
    assert answer.status == 200
    assert answer.headers["content-type"].startswith("image/svg")
    for url in (f"/hiring/applications/{application.pk}/", f"/hiring/candidates/{application.candidate_id}/"):
        page.goto(f"{live_server.url}{url}")
        resume = page.locator(".resume-text").first
        expect(resume).to_contain_text("averylongpathsegment")
        widths = resume.evaluate("element => [element.scrollWidth, element.clientWidth]")
        assert widths[0] <= widths[1] + 1, (url, widths)  # wrapped: nothing hidden to the right
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        screenshot("small-things-resume-wraps" + ("-candidate" if "candidates" in url else ""))
    assert not [url for url in failed if url.endswith("favicon.ico")]
