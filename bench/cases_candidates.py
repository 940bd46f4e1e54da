"""Candidate screens: the list, searches as a recruiter types them, and a profile page."""

from django.test import Client

from bench.main import Case, Context


def cases(ctx: Context) -> list[Case]:
    from hiring.models import Candidate, Resume, User

    recruiter = User.objects.get(email="recruiter@demo.test")
    client = Client()
    client.force_login(recruiter)
    with_resume = Resume.objects.order_by("id").values_list("candidate_id", flat=True).first()
    profile_id = with_resume or Candidate.objects.order_by("id").values_list("id", flat=True).first()
    # What a recruiter types: the start of a common first name, so the search has pages of results.
    name = Candidate.objects.order_by("id").values_list("first_name", flat=True).first() or "a"

    def get(url: str, params: dict | None = None, htmx: bool = False):
        headers = {"HX-Request": "true"} if htmx else {}

        def run():
            response = client.get(url, params or {}, headers=headers)
            assert response.status_code == 200, response.status_code
            return response

        return run

    runs = {
        "candidate_list": get("/hiring/candidates/"),
        "candidate_list_filtered_page2": get("/hiring/candidates/", {"sort": "name", "page": 2, "status": "active"}),
        "candidate_search_name": get("/hiring/candidates/", {"q": name[:4]}),
        "candidate_search_resume_htmx": get("/hiring/candidates/", {"q": "kubernetes"}, htmx=True),
        "candidate_profile": get(f"/hiring/candidates/{profile_id}/"),
    }
    # bench.main.measure counts each case's queries (and its "_cold" line those of a render).
    return [Case(name, run) for name, run in runs.items()]
