"""A small hiring world for the generated security tests: two jobs, each with a hiring team,
an application, an interview with a draft scorecard, a résumé, a note and an import, and one
signed-in client per role.

Side ``A`` is "own" for the hiring manager on its team and the interviewer on its interview;
side ``B`` is foreign to both. Admins and recruiters see both sides.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.test import Client
from django.utils import timezone

from hiring.models import CandidateImport
from interviews import services as interview_services
from tests.hiring.factories import (
    AdminFactory,
    ApplicationFactory,
    HiringManagerFactory,
    HiringTeamMemberFactory,
    InterviewerFactory,
    JobFactory,
    NoteFactory,
    RecruiterFactory,
    ResumeFactory,
    StageFactory,
)
from tests.interviews.factories import InterviewPlanFactory, InterviewStepFactory, competency_with_anchors

ROLES = ["anonymous", "admin", "recruiter", "manager_on_team", "manager_off_team", "interviewer_on", "interviewer_off"]


@dataclass
class Side:
    job: object
    stage: object
    member: object
    step: object
    competency: object
    application: object
    candidate: object
    resume: object
    note: object
    interview: object
    scorecard: object
    candidate_import: object


@dataclass
class World:
    users: dict
    sides: dict
    clients: dict = field(default_factory=dict)

    def client(self, role: str) -> Client:
        if role not in self.clients:
            client = Client()
            if role != "anonymous":
                client.force_login(self.users[role])
            self.clients[role] = client
        return self.clients[role]


def _side(name: str, *, manager, interviewer, recruiter) -> Side:
    job = JobFactory(title=f"Job {name}")
    stage = StageFactory(job=job, name="Applied", order=0)
    StageFactory(job=job, name="Screen", order=1)
    member = HiringTeamMemberFactory(job=job, user=manager, role="hiring_manager")
    competency = competency_with_anchors(template=job.template, name=f"Design {name}", order=0)
    step = InterviewStepFactory(plan=InterviewPlanFactory(job=job), name=f"Panel {name}", competencies=[competency])
    application = ApplicationFactory(job=job, stage=stage)
    interview = interview_services.interview_schedule(
        application=application,
        step=step,
        starts_at=timezone.now() - timedelta(hours=3),
        ends_at=timezone.now() - timedelta(hours=2),
        interviewers=[interviewer],
        location="Room 1",
        created_by=recruiter,
    )
    candidate_import = CandidateImport.objects.create(
        original_name=f"import-{name}.csv", status=CandidateImport.Status.DONE, created_by=recruiter, job=job
    )
    return Side(
        job=job,
        stage=stage,
        member=member,
        step=step,
        competency=competency,
        application=application,
        candidate=application.candidate,
        resume=ResumeFactory(candidate=application.candidate),
        note=NoteFactory(candidate=application.candidate, application=application, author=recruiter),
        interview=interview,
        scorecard=interview.scorecards.get(interviewer=interviewer),
        candidate_import=candidate_import,
    )


def build_world() -> World:
    users = {
        "admin": AdminFactory(),
        "recruiter": RecruiterFactory(),
        "manager_on_team": HiringManagerFactory(),
        "manager_off_team": HiringManagerFactory(),
        "interviewer_on": InterviewerFactory(),
        "interviewer_off": InterviewerFactory(),
    }
    # Side B's people are neither of the "off" users: off means on nothing at all.
    other_manager, other_interviewer = HiringManagerFactory(), InterviewerFactory()
    sides = {
        "A": _side(
            "A", manager=users["manager_on_team"], interviewer=users["interviewer_on"], recruiter=users["recruiter"]
        ),
        "B": _side("B", manager=other_manager, interviewer=other_interviewer, recruiter=users["recruiter"]),
    }
    return World(users=users, sides=sides)
