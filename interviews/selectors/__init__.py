"""Reads for the interviews app: tuned queries, and independent feedback enforced in one place."""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from hiring import groups
from hiring.blind import mask_tree
from hiring.models import Job, Resume
from hiring.rules import sees_identity
from interviews.models import (
    ApplicationSummary,
    FlaggedPhrase,
    Interview,
    InterviewPlan,
    Scorecard,
    StepCompetency,
)
from interviews.phrases import find_phrases
from interviews.rules import can_open_kit, can_read_private_notes, can_schedule, can_see_all_feedback
from interviews.summaries.build import fingerprint_of
from roles.models import Competency

from .decisions import decision_for as decision_for  # the summary headline: "decision, if any"


def application_interviews(*, application_id: int) -> list[Interview]:
    """The interviews of an application with their step, job, interviewers and scorecard counts (two queries).

    Each interview carries ``submitted_count`` and ``scorecard_count``; the panel shows them
    only to people who may see all feedback.
    """
    return list(
        Interview.objects.filter(application_id=application_id)
        .select_related("step", "application__job")
        .annotate(
            scorecard_count=Count("scorecards", distinct=True),
            submitted_count=Count("scorecards", filter=Q(scorecards__status=Scorecard.Status.SUBMITTED), distinct=True),
        )
        .prefetch_related("interviewers")
        .order_by("starts_at")
    )


def application_feedback(*, user, application, interviews=None, visible: dict | None = None) -> dict:
    """Interviews of an application and the scorecards this user may read (independent feedback).

    ``interviews`` / ``visible``: what the caller loaded already (``application_interviews``,
    ``scorecards_visible_for``), so a page that shows them twice asks once.
    """
    return {
        "interviews": application_interviews(application_id=application.pk) if interviews is None else interviews,
        "can_schedule": can_schedule(user=user, application=application),
        **(scorecards_visible_for(user=user, application_id=application.pk) if visible is None else visible),
    }


def summary_fingerprint_now(*, application) -> str:
    """The fingerprint the summary of ``application`` would have if it were built now (2 queries)."""
    template_id, template_version = Job.objects.filter(pk=application.job_id).values_list(
        "template_id", "template__version"
    )[0]
    scorecards = (
        Scorecard.objects.submitted().filter(interview__application_id=application.pk).values_list("id", "version")
    )
    return fingerprint_of(template_id=template_id, template_version=template_version, scorecards=list(scorecards))


def _headline_decision(*, user, application) -> dict[str, Any] | None:
    """The latest hiring decision for the summary's headline, for those who may read it."""
    if not can_read_private_notes(user=user):
        return None
    latest = decision_for(application)
    if latest is None:
        return None
    return {
        "label": latest.get_outcome_display(),
        "by": latest.decided_by.display_name if latest.decided_by else "",
        "at": latest.decided_at,
        "url": f"#decision-{application.pk}",
    }


def application_summary(*, user, application, sees_all: bool | None = None, scorecards=None) -> dict:
    """The summary of an application as the panel shows it, or hidden when this user may not read it yet.

    ``pending``: a rebuild is on its way (requested, or the stored fingerprint no longer matches
    the inputs); ``outdated``: what is stored describes other inputs than the current ones;
    ``delayed``: requested, but no message could be queued (the broker was down): the sweeper
    sends it once the broker is back.
    """
    if sees_all is None:
        sees_all = can_see_all_feedback(user=user, application_id=application.pk)
    if not sees_all:
        return {"summary": None, "summary_hidden": True, "pending": False, "outdated": False, "content": None}
    summary = ApplicationSummary.objects.filter(application_id=application.pk).first()
    submitted = (
        None
        if scorecards is None
        else [(card.pk, card.version) for card in scorecards if card.status == Scorecard.Status.SUBMITTED]
    )
    if summary is None:
        has_feedback = (
            Scorecard.objects.submitted().filter(interview__application_id=application.pk).exists()
            if submitted is None
            else bool(submitted)
        )
        return {"summary": None, "summary_hidden": False, "pending": has_feedback, "outdated": False, "content": None}
    if submitted is not None and Job.template.is_cached(application.job):
        # ``scorecards``: every submitted scorecard of the application, loaded by the caller.
        job = application.job
        current = fingerprint_of(
            template_id=job.template_id, template_version=job.template.version, scorecards=submitted
        )
    else:
        current = summary_fingerprint_now(application=application)
    outdated = bool(summary.fingerprint) and summary.fingerprint != current
    failed = summary.status == ApplicationSummary.Status.FAILED
    pending = not failed and (summary.status == ApplicationSummary.Status.PENDING or summary.fingerprint != current)
    return {
        "summary": summary,
        "summary_hidden": False,
        "pending": pending,
        "outdated": outdated,
        "failed": failed,
        "delayed": summary.status == ApplicationSummary.Status.PENDING and summary.queued_at is None,
        "content": _blind_content(user=user, application=application, content=summary.content or None),
        "decision": _headline_decision(user=user, application=application) if summary.content else None,
    }


def _blind_content(*, user, application, content: dict | None) -> dict | None:
    """Blind review: the summary's quotes with names, contacts, links and schools masked for a viewer
    who may not know who the candidate is (the narrative never names the candidate: see the backends)."""
    if content is None or sees_identity(user, application):
        return content
    candidate = application.candidate
    return mask_tree(content, names=[candidate.first_name, candidate.last_name])


# --- Plans, scheduling, the kit, scorecards, My interviews ------------------------------------------------

FLAGGED_PHRASES_CACHE_KEY = "interviews:flagged-phrases:v1"


def plan_detail(*, job) -> dict:
    """A job's plan with its steps, their focus competencies and what no step covers."""
    competencies = list(Competency.objects.filter(template_id=job.template_id).order_by("order", "id"))
    plan = (
        InterviewPlan.objects.filter(job=job)
        .prefetch_related(
            Prefetch(
                "steps__focus",
                queryset=StepCompetency.objects.select_related("competency").order_by("order", "id"),
            ),
            "steps__stage",
        )
        .first()
    )
    steps = list(plan.steps.all()) if plan else []
    covered = {focus.competency_id for step in steps for focus in step.focus.all()}
    for step in steps:
        chosen = {focus.competency_id: focus for focus in step.focus.all()}
        step.competency_rows = [(c, chosen.get(c.pk)) for c in competencies]
        step.error_key = f"step-{step.pk}"
    return {
        "plan": plan,
        "steps": steps,
        "competencies": competencies,
        "uncovered": [c for c in competencies if c.pk not in covered],
        "stages": list(job.stages.order_by("order", "id")),
    }


def interviewer_choices(*, job):
    """People who may interview for a job: its hiring team and everyone in the Interviewer group."""
    return (
        get_user_model()
        .objects.filter(Q(job_memberships__job=job) | Q(groups__name=groups.INTERVIEWER), is_active=True)
        .distinct()
        .order_by("first_name", "last_name", "email")
    )


def interviewer_overlaps(*, interviewer_ids: list[int], starts_at, ends_at) -> list:
    """Interviews of these people that overlap ``[starts_at, ends_at)``: one row per person and
    interview (``.user``, ``.interview`` with its step, candidate and job), earliest first (one query)."""
    through = Interview.interviewers.through
    return list(
        through.objects.filter(
            user_id__in=interviewer_ids, interview__starts_at__lt=ends_at, interview__ends_at__gt=starts_at
        )
        .select_related("user", "interview__step", "interview__application__candidate", "interview__application__job")
        .order_by("interview__starts_at", "user__first_name", "pk")
    )


def interview_for_kit(*, user, interview_id: int):
    """The interview with what its kit shows, or None when this user may not open it (a 404)."""
    interview = (
        Interview.objects.select_related("step", "application__candidate", "application__job")
        .prefetch_related(
            "interviewers",
            Prefetch(
                "step__focus",
                queryset=StepCompetency.objects.select_related("competency")
                .prefetch_related("competency__anchors")
                .order_by("order", "id"),
            ),
        )
        .filter(pk=interview_id)
        .first()
    )
    if interview is None or not can_open_kit(user=user, interview=interview):
        return None
    interview.resume = (
        Resume.objects.filter(candidate_id=interview.application.candidate_id).order_by("-created_at", "-id").first()
    )
    interview.my_scorecard = next(
        (card for card in interview.scorecards.filter(interviewer=user)),
        None,
    )
    interview.focus_items = [
        {
            "competency": focus.competency,
            "anchors": list(focus.competency.anchors.all()),
            "prompts": [line for line in focus.prompts.splitlines() if line.strip()],
        }
        for focus in interview.step.focus.all()
    ]
    return interview


def scorecard_for_edit(*, user, scorecard_id: int):
    """The user's own scorecard with its ratings, or None (another interviewer's id is a 404)."""
    card = (
        Scorecard.objects.select_related(
            "interview__step", "interview__application__candidate", "interview__application__job"
        )
        .prefetch_related("ratings", "revisions")
        .filter(pk=scorecard_id, interviewer=user)
        .first()
    )
    return card


def flagged_phrases() -> list[tuple[str, str]]:
    """Active flagged phrases and their reasons, cached for five minutes (cleared when the admin edits them)."""

    def load():
        return list(FlaggedPhrase.objects.filter(active=True).values_list("phrase", "reason"))

    return list(cache.get_or_set(FLAGGED_PHRASES_CACHE_KEY, load, 300) or [])


def language_flags(text: str, phrases: list[tuple[str, str]] | None = None) -> list[dict]:
    """Phrases of ``text`` that are not job-related evidence: [{"phrase", "reason", "found"}], once each
    (whole words, the last word's regular endings too; see ``interviews.phrases``)."""
    if not text:
        return []
    phrases = flagged_phrases() if phrases is None else phrases
    return [
        {"phrase": f["phrase"], "reason": f["reason"], "found": f["found"]}
        for f in find_phrases(" ".join(text.split()), phrases)
    ]


def scorecards_visible_for(*, user, application_id: int, sees_all: bool | None = None) -> dict:
    """Scorecards of an application this user may read: always their own; others' only when allowed.

    Others' drafts are never shown; private notes only to recruiters, admins and hiring managers.
    """
    if sees_all is None:
        sees_all = can_see_all_feedback(user=user, application_id=application_id)
    visible = Q(interviewer=user)
    if sees_all:
        visible |= Q(status=Scorecard.Status.SUBMITTED)
    cards = list(
        Scorecard.objects.filter(visible, interview__application_id=application_id)
        .select_related("interviewer", "interview__step")
        .prefetch_related("ratings")
        .order_by("interview__starts_at", "interviewer__first_name", "id")
    )
    show_notes = can_read_private_notes(user=user)
    return {"scorecards": cards, "sees_all_feedback": sees_all, "show_private_notes": show_notes}


def my_interviews_overview(*, user, now=None) -> dict:
    """The interviewer's home: upcoming interviews, scorecards due, overdue, submitted (three queries)."""
    now = now or timezone.now()
    related = ("interview__step", "interview__application__candidate", "interview__application__job")
    open_cards = list(
        Scorecard.objects.drafts()
        .filter(interviewer=user)
        .select_related(*related)
        .order_by("interview__starts_at", "id")
    )
    submitted = list(
        Scorecard.objects.submitted()
        .filter(interviewer=user)
        .select_related(*related)
        .order_by("-submitted_at", "-id")[:25]
    )
    upcoming, due, overdue = [], [], []
    for card in open_cards:
        if card.interview.ends_at > now:
            upcoming.append(card)
        elif card.is_overdue(now):
            overdue.append(card)
        else:
            due.append(card)
    return {"upcoming": upcoming, "due": due, "overdue": overdue, "submitted": submitted, "now": now}
