"""The public API's list endpoints with a personal token, as a script would call them."""

from urllib.parse import parse_qs, urlsplit

from django.db import connection
from rest_framework.test import APIClient

from bench.main import Case, Context


def count_queries(run) -> int:
    """Queries of one run (an execute wrapper: the request signal empties Django's own query log)."""
    calls = []

    def wrapper(execute, sql, params, many, context):
        calls.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        run()
    return len(calls)


def cases(ctx: Context) -> list[Case]:
    from hiring.models import Job, User
    from hiring.services import api_token_create

    runs = {}
    for email, role in (("recruiter@demo.test", "recruiter"), ("interviewer@demo.test", "interviewer")):
        client = APIClient()
        secret = api_token_create(user=User.objects.get(email=email), name="bench", scope="read").secret
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")

        def get(url: str, params: dict | None = None, client=client):
            def run():
                response = client.get(url, params or {})
                assert response.status_code == 200, (url, response.status_code)
                return response

            return run

        runs[f"api_applications_list_{role}"] = get("/api/v1/applications/", {"page_size": 50})
        runs[f"api_scorecards_list_{role}"] = get("/api/v1/scorecards/", {"page_size": 50})
        if role == "recruiter":
            job_id = Job.objects.order_by("id").values_list("id", flat=True).first()
            runs["api_candidates_list_recruiter"] = get("/api/v1/candidates/", {"page_size": 50})
            runs["api_applications_filtered_recruiter"] = get(
                "/api/v1/applications/", {"job": job_id, "status": "active", "ordering": "-applied_at"}
            )
            runs["api_jobs_list_recruiter"] = get("/api/v1/jobs/")
            # The second page: the cursor keeps it as cheap as the first.
            first = get("/api/v1/applications/", {"page_size": 50})().json()
            cursor = parse_qs(urlsplit(first["next"]).query)["cursor"][0] if first["next"] else ""
            runs["api_applications_page2_recruiter"] = get("/api/v1/applications/", {"page_size": 50, "cursor": cursor})
    return [Case(name, run, extra={"queries": count_queries(run)}) for name, run in runs.items()]
