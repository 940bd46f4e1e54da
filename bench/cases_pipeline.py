"""Jobs and the pipeline: the big job's board (N/10 active applications), the jobs list, a move."""

from django.test import Client
from django.urls import reverse

from bench.main import Case, Context


def cases(ctx: Context) -> list[Case]:
    from hiring.demo import BIG_JOB
    from hiring.models import Application, Job, User

    recruiter = User.objects.get(email="recruiter@demo.test")
    client = Client()
    client.force_login(recruiter)
    job = Job.objects.get(title=BIG_JOB, created_by=recruiter)
    active = job.applications.filter(status=Application.Status.ACTIVE).count()
    stages = list(job.stages.order_by("order", "id"))
    board = reverse("hiring:board", args=[job.pk])
    column = reverse("hiring:board-column", args=[job.pk, stages[0].pk])
    application = job.applications.filter(status=Application.Status.ACTIVE).order_by("pk").first()
    move_url = reverse("hiring:application-move", args=[application.pk])
    turn = {"n": 0}

    def move() -> None:
        # A drag and drop: an HTMX POST that answers with the re-rendered board.
        turn["n"] += 1
        response = client.post(
            move_url,
            {"to_stage": stages[turn["n"] % 2].pk},
            headers={"HX-Request": "true", "HX-Current-URL": f"http://testserver{board}"},
        )
        assert response.status_code == 200, response.status_code

    def get(url: str, **headers):
        def run() -> None:
            response = client.get(url, headers=headers)
            assert response.status_code == 200, (url, response.status_code)

        return run

    extra = {"active_applications": active}
    return [
        Case("pipeline_board", get(board), extra=extra),
        Case("pipeline_board_filtered", get(board + "?source=Referral&overdue=on"), extra=extra),
        Case("pipeline_board_load_more", get(column + "?offset=100", **{"HX-Request": "true"}), extra=extra),
        Case("jobs_list", get(reverse("hiring:job-list"))),
        Case("pipeline_move", move, extra=extra),
    ]
