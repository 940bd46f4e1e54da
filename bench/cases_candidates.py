"""Candidate screens: the list, a search as a recruiter types it, and a profile page."""

from django.test import Client

from bench.main import Case, Context


def cases(ctx: Context) -> list[Case]:
    from hiring.models import Candidate, Resume, User

    recruiter = User.objects.get(email="recruiter@demo.test")
    client = Client()
    client.force_login(recruiter)
    with_resume = Resume.objects.order_by("id").values_list("candidate_id", flat=True).first()
    profile_id = with_resume or Candidate.objects.order_by("id").values_list("id", flat=True).first()
    # A word most recruiters would type: a common first name, so the search has results to page through.
    name = Candidate.objects.order_by("id").values_list("first_name", flat=True).first() or "a"

    def get(url: str, **params):
        def run():
            response = client.get(url, params)
            assert response.status_code == 200, response.status_code
            return response

        return run

    return [
        Case("candidate_list", get("/hiring/candidates/")),
        Case("candidate_list_filtered_page2", get("/hiring/candidates/", sort="name", page=2, status="active")),
        Case("candidate_search_name", get("/hiring/candidates/", q=name[:4])),
        Case(
            "candidate_search_resume_htmx",
            lambda: client.get("/hiring/candidates/", {"q": "kubernetes"}, headers={"HX-Request": "true"}),
        ),
        Case("candidate_profile", get(f"/hiring/candidates/{profile_id}/")),
    ]
