from django.urls import path

from .views import decisions, interviews, plans, reports, scorecards, summaries

app_name = "interviews"

urlpatterns = [
    path("mine/", scorecards.my_interviews, name="my-interviews"),
    path("jobs/<int:job_id>/plan/", plans.plan, name="plan"),
    path("jobs/<int:job_id>/plan/create/", plans.plan_create, name="plan-create"),
    path("jobs/<int:job_id>/plan/steps/", plans.step_add, name="plan-step-add"),
    path("jobs/<int:job_id>/plan/steps/<int:step_id>/", plans.step_update, name="plan-step-update"),
    path("jobs/<int:job_id>/plan/steps/<int:step_id>/move/", plans.step_move, name="plan-step-move"),
    path("jobs/<int:job_id>/plan/steps/<int:step_id>/remove/", plans.step_remove, name="plan-step-remove"),
    path(
        "jobs/<int:job_id>/plan/steps/<int:step_id>/competencies/<int:competency_id>/toggle/",
        plans.competency_toggle,
        name="plan-competency-toggle",
    ),
    path(
        "jobs/<int:job_id>/plan/steps/<int:step_id>/competencies/<int:competency_id>/prompts/",
        plans.prompts_update,
        name="plan-prompts",
    ),
    path("applications/<int:application_id>/schedule/", interviews.schedule, name="schedule"),
    path(
        "applications/<int:application_id>/schedule/overlaps/",
        interviews.schedule_overlaps,
        name="schedule-overlaps",
    ),
    path("applications/<int:application_id>/feedback/", interviews.feedback, name="feedback"),
    path("applications/<int:application_id>/feedback.csv", interviews.feedback_export, name="feedback-export"),
    path("<int:interview_id>/kit/", interviews.kit, name="kit"),
    path("scorecards/<int:scorecard_id>/", scorecards.scorecard_edit, name="scorecard-edit"),
    path("scorecards/<int:scorecard_id>/autosave/", scorecards.scorecard_autosave, name="scorecard-autosave"),
    path("scorecards/<int:scorecard_id>/amend/", scorecards.scorecard_amend, name="scorecard-amend"),
    path("scorecards/<int:scorecard_id>/withdraw/", scorecards.scorecard_withdraw, name="scorecard-withdraw"),
    path("applications/<int:application_id>/summary/", summaries.application_summary, name="application-summary"),
    path("applications/<int:application_id>/debrief/", summaries.debrief, name="debrief"),
    path("applications/<int:application_id>/decision/", decisions.decision, name="decision"),
    path("jobs/<int:job_id>/digest/", summaries.job_digest, name="job-digest"),
]

urlpatterns += [
    path("reports/", reports.report_index, name="report-index"),
    path("reports/dashboard/", reports.dashboard, name="dashboard"),
    path("reports/<slug:name>/", reports.report_page, name="report"),
    path("reports/<slug:name>.csv", reports.report_csv, name="report-csv"),
]
