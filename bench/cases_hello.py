"""A sanity case: the login page, which every user sees first."""

from django.test import Client

from bench.main import Case, Context


def cases(ctx: Context) -> list[Case]:
    client = Client()
    return [Case("login_page", lambda: client.get("/accounts/login/"))]
