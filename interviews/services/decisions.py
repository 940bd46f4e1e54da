"""Recording the hiring decision of an application."""

from django.core.exceptions import ValidationError
from django.db import transaction

from hiring.models import Application
from interviews.models import ApplicationSummary, HiringDecision, Scorecard
from interviews.selectors.decisions import citable_points, progress_of

MAX_CITATIONS = 50


@transaction.atomic
def decision_record(
    *,
    application: Application,
    outcome: str,
    rationale: str,
    citations: list[str],
    actor,
    override_reason: str = "",
) -> HiringDecision:
    """Record Hire / No hire / Hold with its rationale and the points it cites.

    The application row is locked, so two decisions recorded at once are ordered and each
    sees the scorecards as they are. Before every required scorecard is in (or with none
    at all) the decision needs ``override_reason``. A citation must name a point of the
    current summary or a submitted scorecard of this application; anything else is refused.
    """
    Application.objects.select_for_update().filter(pk=application.pk).values_list("pk", flat=True).first()
    errors: dict[str, str] = {}
    rationale = (rationale or "").strip()
    override_reason = (override_reason or "").strip()
    if outcome not in HiringDecision.Outcome.values:
        errors["outcome"] = "Choose Hire, No hire or Hold."
    if not rationale:
        errors["rationale"] = "Write the rationale of the decision."
    scorecards = list(
        Scorecard.objects.filter(interview__application_id=application.pk).select_related(
            "interviewer", "interview__step"
        )
    )
    progress = progress_of(scorecards)
    if not progress.all_in and not override_reason:
        owed = progress.required - progress.submitted
        errors["override_reason"] = (
            "No scorecard has been submitted yet: say why you decide now."
            if not progress.required
            else f"{owed} required scorecard{'s are' if owed != 1 else ' is'} not in yet: say why you decide now."
        )
    summary = ApplicationSummary.objects.filter(application_id=application.pk).values_list("content", flat=True).first()
    offered = {
        point.key: point
        for point in citable_points(application_id=application.pk, content=summary, scorecards=scorecards)
    }
    keys = list(dict.fromkeys(citations or []))
    unknown = [key for key in keys if key not in offered]
    if unknown or len(keys) > MAX_CITATIONS:
        errors["citations"] = "Cite only points of this application's summary and its submitted scorecards."
    if errors:
        raise ValidationError(errors)
    decision = HiringDecision(
        application=application,
        outcome=outcome,
        rationale=rationale,
        citations=[{"key": key, "label": offered[key].label, "anchor": offered[key].anchor} for key in keys],
        override_reason="" if progress.all_in else override_reason[:500],
        scorecards_submitted=progress.submitted,
        scorecards_required=progress.required,
        decided_by=actor,
    )
    decision.full_clean(exclude=["application", "decided_by"])
    decision.save()
    application.__dict__.pop("_latest_decision", None)  # selectors.decision_for memoizes it
    return decision
