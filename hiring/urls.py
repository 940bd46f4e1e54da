from django.urls import path

from .views import candidates, imports, jobs

app_name = "hiring"

urlpatterns = [
    path("jobs/", jobs.job_list, name="job-list"),
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
]
