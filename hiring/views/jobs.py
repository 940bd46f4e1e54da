from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from hiring import roles, selectors


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """A plain answer for load balancers (and the benchmark's hello-world line)."""
    return HttpResponse("ok", content_type="text/plain")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send each role to the page it starts its day on."""
    role = roles.role_of(request.user)
    if role in (roles.RECRUITER, roles.HIRING_MANAGER):
        return redirect("hiring:job-list")
    if role == roles.INTERVIEWER:
        return redirect("interviews:my-interviews")
    if role == roles.ADMIN:
        return render(request, "hiring/home_admin.html", {"jobs": selectors.job_list(user=request.user)[:10]})
    return render(request, "hiring/home_no_role.html")


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("hiring.access_recruiting"):
        from django.http import Http404

        raise Http404("No such page.")
    return render(request, "hiring/job_list.html", {"jobs": selectors.job_list(user=request.user)})
