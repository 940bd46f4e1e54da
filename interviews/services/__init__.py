"""Every write of the interviews app, one module per area; import from here."""

from interviews.summaries.services import summary_rebuild, summary_request, summary_sweep_stale

from .decisions import decision_record
from .interviews import interview_invitations_send, interview_reschedule, interview_schedule, scorecards_create_for
from .phrases import flagged_phrase_delete, flagged_phrase_save
from .plans import (
    plan_create_default,
    plan_step_add,
    plan_step_competency_add,
    plan_step_competency_remove,
    plan_step_competency_toggle,
    plan_step_move,
    plan_step_prompts_update,
    plan_step_remove,
    plan_step_update,
)
from .scorecards import (
    FieldConflict,
    FieldSaved,
    ScorecardConflict,
    ScorecardLocked,
    scorecard_amend,
    scorecard_field_save,
    scorecard_reminders_send,
    scorecard_save,
    scorecard_submit,
    scorecard_withdraw,
)

__all__ = [
    "FieldConflict",
    "FieldSaved",
    "ScorecardConflict",
    "ScorecardLocked",
    "decision_record",
    "flagged_phrase_delete",
    "flagged_phrase_save",
    "interview_invitations_send",
    "interview_reschedule",
    "interview_schedule",
    "plan_create_default",
    "plan_step_add",
    "plan_step_competency_add",
    "plan_step_competency_remove",
    "plan_step_competency_toggle",
    "plan_step_move",
    "plan_step_prompts_update",
    "plan_step_remove",
    "plan_step_update",
    "scorecard_amend",
    "scorecard_field_save",
    "scorecard_reminders_send",
    "scorecard_save",
    "scorecard_submit",
    "scorecard_withdraw",
    "scorecards_create_for",
    "summary_rebuild",
    "summary_request",
    "summary_sweep_stale",
]
