from django.urls import path

from .views import board, candidates, careers, imports, jobs, profile

app_name = "hiring"

urlpatterns = [
    path("jobs/", jobs.job_list, name="job-list"),
    path("jobs/new/", jobs.job_create, name="job-create"),
    path("jobs/<int:pk>/", jobs.job_detail, name="job-detail"),
    path("jobs/<int:pk>/edit/", jobs.job_edit, name="job-edit"),
    path("jobs/<int:pk>/team/", jobs.team_add, name="team-add"),
    path("jobs/<int:pk>/team/<int:member_pk>/remove/", jobs.team_remove, name="team-remove"),
    path("jobs/<int:pk>/stages/", jobs.stage_add, name="stage-add"),
    path("jobs/<int:pk>/stages/<int:stage_pk>/rename/", jobs.stage_rename, name="stage-rename"),
    path("jobs/<int:pk>/stages/<int:stage_pk>/move/", jobs.stage_move, name="stage-move"),
    path("jobs/<int:pk>/stages/<int:stage_pk>/delete/", jobs.stage_delete, name="stage-delete"),
    path("jobs/<int:pk>/posting/", careers.posting_manage, name="posting-manage"),
    path("jobs/<int:pk>/posting/create/", careers.posting_create, name="posting-create"),
    path("jobs/<int:pk>/posting/publish/", careers.posting_publish, name="posting-publish"),
    path("jobs/<int:pk>/posting/preview/", careers.posting_preview, name="posting-preview"),
    path("jobs/<int:pk>/board/", board.board, name="board"),
    path("jobs/<int:pk>/board/stages/<int:stage_pk>/", board.board_column, name="board-column"),
    path("applications/<int:pk>/move/", board.application_move, name="application-move"),
    path("applications/bulk/", board.bulk_action, name="bulk-action"),
    # Candidates
    path("candidates/", candidates.candidate_list, name="candidate-list"),
    path("candidates/new/", candidates.candidate_create, name="candidate-create"),
    path("candidates/import/", imports.candidate_import, name="candidate-import"),
    path("candidates/import/<int:pk>/", imports.candidate_import_detail, name="candidate-import-detail"),
    path("candidates/<int:pk>/", candidates.candidate_detail, name="candidate-detail"),
    path("candidates/<int:pk>/notes/", candidates.candidate_note_add, name="candidate-note-add"),
    path("candidates/<int:pk>/resumes/", candidates.candidate_resumes, name="candidate-resumes"),
    path("candidates/<int:pk>/resumes/upload/", candidates.candidate_resume_upload, name="candidate-resume-upload"),
    path("candidates/<int:pk>/apply/", candidates.candidate_apply, name="candidate-apply"),
    path("resumes/<int:pk>/download/", candidates.resume_download, name="resume-download"),
    path("applications/<int:pk>/", candidates.application_detail, name="application-detail"),
    # Your profile and personal API tokens
    path("profile/", profile.profile, name="profile"),
]
