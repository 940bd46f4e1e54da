"""The pipeline board's cards, rendered in Python: the board's columns and a column's "Load more" page.

A board shows about a hundred cards, and the template engine spent some 35 node renders on
each (the bulk of a cold board and of every card move's re-rendered board). ``CardRenderer``
writes the same markup (byte for byte what the template partial wrote) with one ``str.format``
per card. Every value is escaped first: texts with ``escape``, as autoescaping does, numbers
through ``int()``; what all the cards of a response share (the links' shape, the CSRF field,
the "Move to" options, the board's address) is escaped once per response.

Blind review is ``hiring.rules.sees_identity_on_job`` (the rule of ``sees_identity``, which
``{% candidate_name %}`` asks): the candidate's name, or the neutral label (``candidate_label``)
for a viewer who may not see who it is. It is asked once per card, and the answer serves the
link, the checkbox's and the menu's labels.
"""

from collections.abc import Callable, Iterable

from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString, mark_safe

from hiring.blind import candidate_label
from hiring.models import Job
from hiring.rules import sees_identity_on_job
from hiring.selectors import Card

# A card's markup (once the card partial of templates/hiring/board.html); its optional parts below.
_CARD = """
<li class="card board-card mb-2 shadow-sm" id="application-{pk}" data-application-id="{pk}"
    data-version="{version}" data-stage-id="{stage_id}" data-move-url="{move_url}"
    {draggable}>
  <div class="card-body p-2">
    <div class="d-flex align-items-start gap-2">
      {checkbox}
      <a class="fw-semibold me-auto text-decoration-none card-name" href="{detail_url}">{name}</a>

    </div>
    <div class="small text-body-secondary">
      {overdue}
      {days} day{days_plural} in stage ·
      {scorecards}
      {source}
      {must_have_missed}
      {duplicate}
    </div>
    {move_form}
  </div>
</li>
"""
_CHECKBOX = (
    '<input class="form-check-input mt-1" type="checkbox" name="application_ids" value="{pk}" form="bulk-form"'
    ' aria-label="Select {name}">'
)
_MOVE_FORM = """
    <form method="post" action="{move_url}" class="d-flex gap-1 mt-1"
          hx-post="{move_url}" hx-target="#board" hx-swap="outerHTML">
      {csrf_field}
      <input type="hidden" name="version" value="{version}">
      <input type="hidden" name="next" value="{board_url}">
      <label class="visually-hidden" for="move-{pk}">Move {name} to</label>
      <select id="move-{pk}" name="to_stage" class="form-select form-select-sm">
        <option value="" selected disabled>Move to…</option>{stage_options}
      </select>
      <button type="submit" class="btn btn-sm btn-outline-primary">Move</button>
    </form>
    """
_OVERDUE = (
    '<span class="badge text-bg-danger" title="A scorecard is still a draft past its due time after the interview">'
    "Overdue</span>"
)
_MISSED = '<span class="badge text-bg-warning">Missed a must-have</span>'
_DUPLICATE = '<span class="badge text-bg-info">Possible duplicate</span>'


def per_card_url(name: str) -> Callable[[int], str]:
    """``pk -> URL`` for a URL taking one id, escaped: reversed once per request, not once per card."""
    marker = "2147483647"  # reversed in place of the id, then replaced by each card's
    before, after = (escape(part) for part in reverse(name, args=[int(marker)]).split(marker, 1))
    return lambda pk: f"{before}{int(pk)}{after}"


class CardRenderer:
    """The cards of one response, for its viewer: ``render(cards)`` is their HTML, safe to insert.

    Every value is escaped before it goes into the markup: texts with ``escape`` (what the
    template's autoescaping does), numbers through ``int()``, and the shared parts once per
    response (``stage_options`` is rendered HTML already).
    """

    def __init__(self, request, *, job: Job, can_move: bool, stage_options: SafeString, board_url: str) -> None:
        self.user = request.user
        self.job = job
        self.can_move = can_move
        self.move_url = per_card_url("hiring:application-move")
        self.detail_url = per_card_url("hiring:application-detail")
        # What every card's "Move to" form shares, escaped once.
        self.shared = {
            "csrf_field": _csrf_field(request) if can_move else "",
            "board_url": escape(board_url),
            "stage_options": conditional_escape(stage_options),
        }

    def render(self, cards: Iterable[Card]) -> SafeString:
        return mark_safe("".join(self.card(card) for card in cards))  # every value escaped by card()

    def card(self, card: Card) -> str:
        pk, version, days = int(card.pk), int(card.version), int(card.days_in_stage)
        shown = sees_identity_on_job(self.user, job=self.job, revealed=card.identity_revealed_at is not None)
        name = escape(card.candidate.full_name if shown else candidate_label(pk))
        move_url = self.move_url(pk)
        submission = card.submission
        if submission is not None:
            source = f'· <span class="card-source">{escape(submission.source)}</span>'
        elif card.candidate.source:
            source = f"· {escape(card.candidate.source)}"
        else:
            source = ""
        total = int(card.scorecards_total)
        can_move = self.can_move
        move_form = ""
        if can_move:
            move_form = _MOVE_FORM.format(move_url=move_url, version=version, pk=pk, name=name, **self.shared)
        return _CARD.format(
            pk=pk,
            version=version,
            stage_id=int(card.stage_id),
            move_url=move_url,
            draggable='draggable="true"' if can_move else "",
            checkbox=_CHECKBOX.format(pk=pk, name=name) if can_move else "",
            detail_url=self.detail_url(pk),
            name=name,
            overdue=_OVERDUE if card.has_overdue else "",
            days=days,
            days_plural="" if days == 1 else "s",
            scorecards=f"{int(card.scorecards_submitted)}/{total} submitted" if total else "no scorecards",
            source=source,
            must_have_missed=_MISSED if submission is not None and submission.must_have_missed else "",
            duplicate=_DUPLICATE if submission is not None and submission.duplicate_match else "",
            move_form=move_form,
        )


def _csrf_field(request) -> str:
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request))
