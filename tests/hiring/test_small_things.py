"""Small things people noticed: ages in days on every page, an icon on every page."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone

from hiring.models import Application
from hiring.templatetags.ages import age_in_words
from tests.hiring.factories import (
    ApplicationFactory,
    InterviewerFactory,
    RecruiterFactory,
    job_with_stages,
    scorecard_for,
)
from tests.html import parse, texts

NOW = timezone.now()


@pytest.mark.parametrize(
    ("delta", "words"),
    [
        (timedelta(minutes=30), "less than an hour"),
        (timedelta(hours=1), "1 hour"),
        (timedelta(hours=5, minutes=59), "5 hours"),
        (timedelta(hours=25), "1 day"),
        (timedelta(hours=423), "17 days"),
        (timedelta(days=400), "400 days"),
        (-timedelta(days=3, minutes=1), "in 3 days"),
    ],
)
def test_ages_read_in_days_once_a_day_has_passed(delta, words):
    assert age_in_words(NOW - delta, NOW) == words


def test_ages_of_dates_and_nothing():
    today = timezone.localdate(NOW)
    assert age_in_words(today, NOW) == "today"
    assert age_in_words(today - timedelta(days=2), NOW) == "2 days"
    assert age_in_words(date(today.year + 1, 1, 1), NOW).startswith("in ")
    assert age_in_words(None) == ""


def test_no_template_counts_time_its_own_way():
    templates = Path(settings.BASE_DIR, "templates")
    for path in templates.rglob("*.html"):
        text = path.read_text()
        assert "|timesince" not in text, path
        assert " h ago" not in text, path


@pytest.mark.django_db
def test_overdue_scorecards_and_stage_ages_show_days_on_every_page(client):
    job = job_with_stages(title="Data Scientist")
    application = ApplicationFactory(job=job, stage=job.stages.get(name="Applied"))
    Application.objects.filter(pk=application.pk).update(stage_entered_at=timezone.now() - timedelta(hours=423))
    interviewer = InterviewerFactory(first_name="Lou", last_name="Late")
    scorecard_for(application=application, interviewer=interviewer, ended_hours_ago=423)

    client.force_login(RecruiterFactory())
    digest = parse(client.get(reverse("interviews:job-digest", args=[job.pk])))
    detail = parse(client.get(reverse("hiring:application-detail", args=[application.pk])))
    client.force_login(interviewer)
    mine = client.get(reverse("interviews:my-interviews")).content.decode()

    [outstanding] = texts(digest, '//*[@aria-labelledby="digest-outstanding"]//li')
    assert outstanding.endswith("(17 days ago)")
    assert "In this stage since" in texts(detail, "//dt")
    assert texts(detail, '//dt[text()="In this stage since"]/following-sibling::dd[1]')[0].endswith("(17 days)")
    assert "ended 17 days ago" in mine


@pytest.mark.parametrize("name", ["base.html", "careers/base.html", "500.html", "503.html"])
def test_every_page_layout_declares_the_icon(name):
    text = Path(settings.BASE_DIR, "templates", name).read_text()
    assert 'rel="icon"' in text
    assert "favicon.svg" in text
    assert finders.find("favicon.svg")


@pytest.mark.django_db
def test_the_app_pages_link_the_icon(client):
    client.force_login(RecruiterFactory())
    tree = parse(client.get(reverse("hiring:job-list")))
    assert tree.xpath('//link[@rel="icon"]/@href') == ["/static/favicon.svg"]


def test_resume_text_wraps_whatever_holds_it():
    css = Path(settings.BASE_DIR, "static", "css", "app.css").read_text()
    [rule] = [line for line in css.splitlines() if line.startswith(".resume-text {")]
    assert "white-space: pre-wrap" in rule
    assert "overflow-wrap: anywhere" in rule
