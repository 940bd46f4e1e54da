from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from interviews import selectors


@login_required
def my_interviews(request: HttpRequest) -> HttpResponse:
    return render(request, "interviews/my_interviews.html", {"interviews": selectors.my_interviews(user=request.user)})
