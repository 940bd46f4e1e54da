"""The pipeline board of a job, moving cards, and the one bulk-action endpoint."""

from urllib.parse import urlencode, urlsplit

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html_join
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect, reswap, retarget

from hiring import selectors, services
from hiring.forms import BoardFilterForm, BulkActionForm, MoveForm
from hiring.http import HtmxHttpRequest, fragment_response, render_page, safe_next_url, wants_fragment
from hiring.models import Job, Stage
from hiring.rules import applications_visible_to
from hiring.selectors.emails import email_preview
from hiring.views.board_cards import CardRenderer
from roles import fragments
from roles.admin_kit import add_service_error


def _require(request: HtmxHttpRequest, perm: str, obj=None) -> None:
    if not request.user.has_perm(perm, obj):
        raise Http404("No such page.")


def _filters(query: QueryDict) -> selectors.BoardFilters:
    """The board's filters from a query string; an invalid value is ignored, never an error page."""
    form = BoardFilterForm(query)
    form.is_valid()
    data = form.cleaned_data
    return selectors.BoardFilters(
        source=data.get("source") or "", tag=data.get("tag"), overdue=bool(data.get("overdue"))
    )


def _filter_query(filters: selectors.BoardFilters) -> str:
    params = {}
    if filters.source:
        params["source"] = filters.source
    if filters.tag is not None:
        params["tag"] = filters.tag.pk
    if filters.overdue:
        params["overdue"] = "on"
    return urlencode(params)


def _board_url(job: Job, filters: selectors.BoardFilters) -> str:
    query = _filter_query(filters)
    return reverse("hiring:board", args=[job.pk]) + (f"?{query}" if query else "")


def _stage_options(stages) -> str:
    """The "Move to" menu's options, rendered once per request instead of once per card."""
    return format_html_join("", '<option value="{}">{}</option>', ((stage.pk, stage.name) for stage in stages))


def _board_context(request: HtmxHttpRequest, job: Job, filters: selectors.BoardFilters, **extra) -> dict:
    board = selectors.board_get(job=job, filters=filters)
    can_move = request.user.has_perm("hiring.manage_pipeline_obj", job)
    reasons, email_templates = selectors.reject_options() if can_move else ([], [])
    board_url = _board_url(job, filters)
    cards = CardRenderer(
        request, job=job, can_move=can_move, stage_options=_stage_options(board.stages), board_url=board_url
    )
    return {
        "job": job,
        "board": board,
        # Each column with its cards' HTML (board_cards.py).
        "columns": [(column, cards.render(column.cards)) for column in board.columns],
        "stages": board.stages,
        "filters": filters,
        "filter_query": _filter_query(filters),
        "board_url": board_url,
        "sources": selectors.board_sources(job=job),
        "tags": selectors.board_tags(),
        "can_move": can_move,
        "reasons": reasons,
        "email_templates": email_templates,
        **extra,
    }


@require_GET
def board(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """A column per stage with its count and first page of cards; filters live in the query string."""
    _require(request, "hiring.access_recruiting")
    job = selectors.job_get(user=request.user, pk=pk)
    filters = _filters(request.GET)
    # Rendered once per viewer and data generation (roles/fragments.py): the columns and cards
    # for an htmx swap, the whole page's content (heading, filters, columns) otherwise.
    parts = (job.pk, _filter_query(filters))
    if wants_fragment(request):
        board_html = fragments.cached(
            request,
            "board",
            parts,
            lambda: render_to_string("hiring/board.html#board", _board_context(request, job, filters), request=request),
        )
        return fragment_response(board_html)

    page_html = fragments.cached(
        request,
        "board-page",
        parts,
        lambda: render_to_string("hiring/board.html#content", _board_context(request, job, filters), request=request),
    )
    return render_page(request, "hiring/board.html", {"job": job, "page_html": page_html})


@require_GET
def board_column(request: HtmxHttpRequest, pk: int, stage_pk: int) -> HttpResponse:
    """The next page of one column ("Load more"): the cards and, when more follow, the next button."""
    _require(request, "hiring.access_recruiting")
    job = selectors.job_get(user=request.user, pk=pk)
    stage = get_object_or_404(Stage, pk=stage_pk, job=job)
    filters = _filters(request.GET)
    try:
        offset = max(0, min(int(request.GET.get("offset", 0)), 10_000_000))
    except ValueError:
        offset = 0
    cards, has_more = selectors.board_column_page(job=job, stage=stage, filters=filters, offset=offset)
    board_url = _board_url(job, filters)
    renderer = CardRenderer(
        request,
        job=job,
        can_move=request.user.has_perm("hiring.manage_pipeline_obj", job),
        stage_options=_stage_options(job.stages.order_by("order", "id")),
        board_url=board_url,
    )
    context = {
        "job": job,
        "stage": stage,
        "cards": cards,
        "cards_html": renderer.render(cards),
        "has_more": has_more,
        "next_offset": offset + len(cards),
        "offset": offset,
        "filter_query": _filter_query(filters),
        "board_url": board_url,
    }
    return render_page(request, "hiring/board_column.html", context, fragment="column-page")


def _filters_of_url(url: str | None) -> selectors.BoardFilters:
    return _filters(QueryDict(urlsplit(url or "").query))


@require_POST
def application_move(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Move one card (drag and drop or the "Move to" menu); POST ``to_stage``, ``version``, ``next``.

    HTMX gets the re-rendered board (with a message when the move lost a race); without
    JavaScript a success redirects back to the board and a conflict renders it with a 409.
    """
    application = get_object_or_404(
        applications_visible_to(user=request.user).select_related("job", "candidate"), pk=pk
    )
    job = application.job
    _require(request, "hiring.manage_pipeline_obj", job)
    form = MoveForm(request.POST)
    next_url = safe_next_url(request, request.POST.get("next"))
    current_url = request.htmx.current_url if request.htmx else next_url
    filters = _filters_of_url(current_url)
    status, notice, level = 200, "", "success"
    if not form.is_valid():
        status, notice, level = 400, "Choose a stage to move to.", "danger"
    else:
        to_stage = get_object_or_404(Stage, pk=form.cleaned_data["to_stage"], job=job)
        try:
            moved = services.application_move(
                application=application,
                to_stage=to_stage,
                actor=request.user,
                expected_version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
            )
        except services.MoveConflict as conflict:
            status, notice, level = 409, conflict.message, "warning"
        except ValidationError as error:
            status, notice, level = 400, " ".join(error.messages), "danger"
        else:
            notice = f"{moved.candidate.full_name} moved to {to_stage.name}."
    if status == 200 and not request.htmx:
        messages.success(request, notice)
        return HttpResponseRedirect(next_url or _board_url(job, filters))
    # HTMX gets the board back either way (200), so the user sees the current state in place.
    context = _board_context(request, job, filters, notice=notice, notice_level=level)
    return render_page(request, "hiring/board.html", context, fragment="board", status=200 if request.htmx else status)


def _bulk_response(request: HtmxHttpRequest, context: dict, status: int) -> HttpResponse:
    """The confirmation step or the form's errors: a page; for HTMX, the confirmation in <main> and
    the errors in place, beside the bulk bar (``#bulk-feedback``), so the selection stays as it was."""
    status = 200 if request.htmx else status
    if not context.get("confirm"):
        response = render_page(request, "hiring/bulk.html", context, fragment="bulk-errors", status=status)
        return reswap(retarget(response, "#bulk-feedback"), "innerHTML") if request.htmx else response
    response = render_page(request, "hiring/bulk.html", context, fragment="bulk-step", status=status)
    return reswap(retarget(response, "#main"), "innerHTML") if request.htmx else response


@require_POST
def bulk_action(request: HtmxHttpRequest) -> HttpResponse:
    """Move, reject or tag many applications at once: all of them or none.

    POST contract (used by the board and by the candidate list):

    * ``application_ids``: repeated, one per selected application (checkboxes of that name).
    * ``action``: ``move`` | ``reject`` | ``tag``.
    * ``to_stage``: a stage id of the applications' job (``move``; all selected must be of that job).
    * ``reason``: a ``RejectionReason`` id (``reject``); ``email_template``: an optional
      ``EmailTemplate`` id (``reject``), sent once per application by a Celery task after commit.
    * ``tag``: the tag's name, created if new (``tag``; the tag goes on the candidate).
    * ``next``: where to go afterwards (a same-site path; default the job's board or the job list).
    * ``confirmed``: ``1`` once the user confirmed; more than 25 selected without it answers
      the confirmation step (showing the count) instead of acting.

    Any selected id the user may not see or act on, or a stage outside the selection's job,
    answers 404 and changes nothing. A form error answers 400 with the form and its messages.
    Success redirects to ``next`` with a message (for HTMX: ``HX-Redirect``); for HTMX the
    confirmation step and errors come back as ``hiring/bulk.html#bulk-step`` swapped into ``<main>``.
    """
    _require(request, "hiring.access_recruiting")
    form = BulkActionForm(request.POST)
    next_url = safe_next_url(request, request.POST.get("next"))
    context = {"form": form, "next": next_url or "", "confirm_over": services.BULK_CONFIRM_OVER}
    if not form.is_valid():
        return _bulk_response(request, context, status=400)
    data = form.cleaned_data
    ids = data["application_ids"]
    applications = list(
        applications_visible_to(user=request.user)
        .filter(pk__in=ids)
        .select_related("job", "candidate", "stage")
        .order_by("pk")
    )
    if len(applications) != len(ids):
        raise Http404("Some of the selected applications do not exist.")
    jobs = {application.job_id: application.job for application in applications}
    for job in jobs.values():
        _require(request, "hiring.manage_pipeline_obj", job)
    to_stage = None
    if data["action"] == "move":
        to_stage = get_object_or_404(Stage, pk=data["to_stage"], job_id__in=jobs)
    default_next = reverse("hiring:board", args=[next(iter(jobs))]) if len(jobs) == 1 else reverse("hiring:job-list")
    context.update({"count": len(applications), "applications": applications[:10], "to_stage": to_stage})
    # A rejection email is shown once, as the first candidate will read it, before anything is sent.
    email_template = data["email_template"] if data["action"] == "reject" else None
    if (len(applications) > services.BULK_CONFIRM_OVER or email_template is not None) and not data["confirmed"]:
        context["next"] = next_url or default_next
        if email_template is not None:
            context["email_preview"] = email_preview(
                application=applications[0],
                sender=request.user,
                subject=email_template.subject,
                body=email_template.body,
            )
        return _bulk_response(request, {**context, "confirm": True}, status=200)
    try:
        if data["action"] == "move":
            done = services.applications_bulk_move(applications=applications, to_stage=to_stage, actor=request.user)
            text = f"Moved {done} application{'s' if done != 1 else ''} to {to_stage.name}."
        elif data["action"] == "reject":
            done = services.applications_bulk_reject(
                applications=applications,
                reason=data["reason"],
                actor=request.user,
                email_template=data["email_template"],
            )
            text = f"Rejected {done} application{'s' if done != 1 else ''} ({data['reason'].name})."
            if data["email_template"] is not None and done:
                text += " The emails leave in a few seconds (undo each from its application page)."
        else:
            tag = services.applications_bulk_tag(applications=applications, tag=data["tag"], actor=request.user)
            text = f"Tagged {len({a.candidate_id for a in applications})} candidates with “{tag.name}”."
    except ValidationError as error:
        add_service_error(form, error)
        return _bulk_response(request, context, status=400)
    messages.success(request, text)
    destination = next_url or default_next
    if request.htmx:
        return HttpResponseClientRedirect(destination)
    return HttpResponseRedirect(destination)
