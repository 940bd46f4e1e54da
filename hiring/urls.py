from django.urls import path

from .views import board, jobs

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
    path("jobs/<int:pk>/board/", board.board, name="board"),
    path("jobs/<int:pk>/board/stages/<int:stage_pk>/", board.board_column, name="board-column"),
    path("applications/<int:pk>/move/", board.application_move, name="application-move"),
    path("applications/bulk/", board.bulk_action, name="bulk-action"),
]
