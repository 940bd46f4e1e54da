"""The public careers pages: the list and its filters, a posting with JSON-LD and Open Graph, the sitemap."""

import json

import pytest
from django.urls import reverse
from lxml import etree, html

from hiring.models import Posting
from hiring.services.careers import posting_update
from tests.hiring.factories import PostingFactory, published_posting

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]

REQUIRED_JOBPOSTING = {"title", "description", "datePosted", "validThrough", "hiringOrganization", "employmentType"}


def json_ld_of(response) -> dict:
    tree = html.fromstring(response.content)
    scripts = tree.xpath('//script[@type="application/ld+json"]')
    assert len(scripts) == 1
    return json.loads(scripts[0].text)


def test_careers_pages_need_no_login(client):
    posting = published_posting()
    for url in (
        reverse("careers:index"),
        reverse("careers:posting", args=[posting.slug]),
        reverse("careers:apply", args=[posting.slug]),
        reverse("careers:privacy"),
        "/sitemap.xml",
    ):
        assert client.get(url).status_code == 200, url


def test_index_lists_only_published_open_postings_and_filters_them(client):
    berlin = PostingFactory(title="Data Engineer", team="Data", location="Berlin")
    remote = PostingFactory(title="ML Engineer", team="ML", location="Lisbon", workplace="remote")
    PostingFactory(title="Draft role", status=Posting.Status.DRAFT, published_at=None)
    PostingFactory(title="Unpublished role", status=Posting.Status.UNPUBLISHED)
    PostingFactory(title="Expired role", valid_through="2020-01-01")

    def titles(**params):
        tree = html.fromstring(client.get(reverse("careers:index"), params).content)
        return sorted(a.text_content().strip() for a in tree.xpath('//li[contains(@class, "careers-card")]//h3/a'))

    assert titles() == [berlin.title, remote.title]
    assert titles(team="Data") == [berlin.title]
    assert titles(location="Lisbon") == [remote.title]
    assert titles(workplace="remote") == [remote.title]
    assert titles(team="Nonexistent") == [berlin.title, remote.title]  # an unknown value is ignored, never a 500


def test_posting_page_shows_the_template_content_and_pay_only_when_chosen(client):
    posting = published_posting()
    url = reverse("careers:posting", args=[posting.slug])
    page = client.get(url)
    text = html.fromstring(page.content).text_content()
    assert "Design the ML platform" in text  # a responsibility of the template
    assert "Python and PyTorch in production" in text  # a requirement
    assert "Pay range" not in text
    assert "baseSalary" not in json_ld_of(page)

    posting_update(posting=posting, show_pay=True)
    page = client.get(url)
    assert "EUR 110,000 to 150,000" in html.fromstring(page.content).text_content()
    salary = json_ld_of(page)["baseSalary"]
    assert salary["currency"] == "EUR"
    assert (salary["value"]["minValue"], salary["value"]["maxValue"]) == (110_000, 150_000)


def test_every_posting_has_json_ld_with_the_required_jobposting_fields(client):
    onsite = published_posting(title="ML Infrastructure Lead", location="Amsterdam")
    posting_update(posting=onsite, country="NL")
    remote = published_posting(title="Senior ML Engineer", location="Remote (EU)")
    posting_update(posting=remote, remote_regions="European Union")
    for posting in Posting.objects.filter(status="published"):
        data = json_ld_of(client.get(reverse("careers:posting", args=[posting.slug])))
        assert data["@context"] == "https://schema.org/"
        assert data["@type"] == "JobPosting"
        assert set(data) >= REQUIRED_JOBPOSTING, posting.slug
        assert data["title"] == posting.title
        assert data["hiringOrganization"]["@type"] == "Organization"
        assert data["hiringOrganization"]["name"]
        assert data["datePosted"] == posting.published_at.date().isoformat()
        assert data["validThrough"] > data["datePosted"]
        assert data["employmentType"] == "FULL_TIME"
        if posting.workplace == "remote":
            assert data["jobLocationType"] == "TELECOMMUTE"
            assert data["applicantLocationRequirements"]["name"] == "European Union"
            assert "jobLocation" not in data
        else:
            assert data["jobLocation"]["address"]["addressLocality"] == "Amsterdam"
            assert data["jobLocation"]["address"]["addressCountry"] == "NL"


def test_json_ld_cannot_break_out_of_its_script_element(client):
    posting = published_posting()
    posting_update(posting=posting, summary="</script><script>alert(1)</script> & more")
    page = client.get(reverse("careers:posting", args=[posting.slug]))
    assert b"</script><script>alert(1)" not in page.content
    assert "</script><script>alert(1)</script> & more" in json_ld_of(page)["description"].replace("&lt;", "<").replace(
        "&gt;", ">"
    ).replace("&amp;", "&")


def test_posting_page_has_open_graph_tags(client):
    posting = published_posting()
    tree = html.fromstring(client.get(reverse("careers:posting", args=[posting.slug])).content)

    def og(name):
        return tree.xpath(f'//meta[@property="og:{name}"]/@content')[0]

    assert og("title").startswith(posting.title)
    assert og("url").endswith(reverse("careers:posting", args=[posting.slug]))
    assert og("type") == "website"
    assert og("description")


def test_drafts_and_unpublished_postings_answer_404(client):
    draft = PostingFactory(status=Posting.Status.DRAFT, published_at=None)
    gone = PostingFactory(status=Posting.Status.UNPUBLISHED)
    for posting in (draft, gone):
        assert client.get(reverse("careers:posting", args=[posting.slug])).status_code == 404


def test_sitemap_lists_the_published_postings(client):
    shown = PostingFactory()
    hidden = PostingFactory(status=Posting.Status.DRAFT, published_at=None)
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = [loc.text for loc in etree.fromstring(response.content).findall("s:url/s:loc", ns)]
    assert any(loc.endswith(reverse("careers:posting", args=[shown.slug])) for loc in locations)
    assert not any(loc.endswith(reverse("careers:posting", args=[hidden.slug])) for loc in locations)
    assert any(loc.endswith(reverse("careers:index")) for loc in locations)


@pytest.mark.parametrize("count", [20, 200])
def test_index_and_posting_pages_stay_within_five_queries(client, count, django_assert_max_num_queries):
    postings = PostingFactory.create_batch(count)
    with django_assert_max_num_queries(5):
        assert client.get(reverse("careers:index")).status_code == 200
    with django_assert_max_num_queries(5):
        assert client.get(reverse("careers:index"), {"team": "Machine Learning", "page": 2}).status_code == 200
    with django_assert_max_num_queries(5):
        assert client.get(reverse("careers:posting", args=[postings[-1].slug])).status_code == 200


def test_careers_pages_are_csp_clean(client):
    """No inline styles, event handlers or scripts (JSON-LD data aside): a strict CSP needs nothing."""
    from django.test import Client

    from hiring.models import Application
    from hiring.selectors.careers import application_status_token
    from tests.hiring.careers_helpers import apply_data
    from tests.hiring.factories import RecruiterFactory

    posting = published_posting()
    apply_url = reverse("careers:apply", args=[posting.slug])
    pages = {
        "index": client.get(reverse("careers:index")),
        "posting": client.get(reverse("careers:posting", args=[posting.slug])),
        "apply": client.get(apply_url),
        "apply with errors": client.post(apply_url, {"first_name": "<b>x</b>"}),
        "privacy": client.get(reverse("careers:privacy")),
    }
    client.post(apply_url, apply_data(posting))
    application = Application.objects.get()
    pages["applied"] = client.get(reverse("careers:applied", args=[posting.slug]))
    pages["status"] = client.get(reverse("careers:status", args=[application_status_token(application.pk)]))
    recruiter = Client()
    recruiter.force_login(RecruiterFactory())
    pages["manage"] = recruiter.get(reverse("hiring:posting-manage", args=[posting.job_id]))
    pages["preview"] = recruiter.get(reverse("hiring:posting-preview", args=[posting.job_id]))
    pages["job page"] = recruiter.get(reverse("hiring:job-detail", args=[posting.job_id]))
    pages["application page"] = recruiter.get(reverse("hiring:application-detail", args=[application.pk]))
    for name, response in pages.items():
        assert response.status_code in (200, 400), name
        tree = html.fromstring(response.content)
        assert tree.xpath("//*[@style]") == [], name
        assert tree.xpath("//style") == [], name
        handlers = [attr for element in tree.iter() for attr in element.attrib if attr.startswith(("on", "hx-on"))]
        assert handlers == [], name
        inline = [s for s in tree.xpath("//script[not(@src)]") if s.get("type") != "application/ld+json"]
        assert inline == [], name


def test_the_list_answers_htmx_with_its_results_fragment_and_history_restores_with_the_page(client):
    PostingFactory(title="Data Engineer", team="Data")
    fragment = client.get(reverse("careers:index"), {"team": "Data"}, headers={"HX-Request": "true"})
    assert fragment["Vary"].count("HX-Request") == 1
    assert not fragment.content.lstrip().startswith(b"<!doctype")
    assert html.fromstring(fragment.content).get("id") == "results"
    restore = client.get(
        reverse("careers:index"), {"team": "Data"}, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert restore.content.lstrip().startswith(b"<!doctype html>")
