"""The profile page: who you are, and your personal API tokens (create: shown once; revoke)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from hiring.forms import ApiTokenForm, ApiTokenRevokeForm
from hiring.http import HtmxHttpRequest, render_page
from hiring.selectors.tokens import api_tokens_of
from hiring.services import api_token_create, api_token_revoke


@require_http_methods(["GET", "POST"])
def profile(request: HtmxHttpRequest):
    """Every signed-in user manages their own tokens; nobody sees anyone else's."""
    form = ApiTokenForm()
    new_secret = None
    if request.method == "POST" and request.POST.get("action") == "revoke":
        revoke = ApiTokenRevokeForm(request.POST)
        if revoke.is_valid() and api_token_revoke(user=request.user, token_id=revoke.cleaned_data["token"]):
            messages.success(request, "Token revoked: it no longer works.")
        else:
            messages.warning(request, "That token was already revoked or is not yours.")
        return redirect("hiring:profile")
    if request.method == "POST":
        form = ApiTokenForm(request.POST)
        if form.is_valid():
            try:
                created = api_token_create(
                    user=request.user,
                    name=form.cleaned_data["name"],
                    scope=form.cleaned_data["scope"],
                    days=form.cleaned_data["days"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                # Shown in this answer only: the token is stored as a digest and never shown again.
                new_secret = created.secret
                form = ApiTokenForm()
    context = {"form": form, "tokens": list(api_tokens_of(user=request.user)), "new_secret": new_secret}
    return render_page(request, "hiring/profile.html", context, status=400 if form.errors else 200)
