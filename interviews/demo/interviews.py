"""Demo data for the interviews app: plans, past and upcoming interviews, draft and submitted scorecards.

Works on whatever jobs and applications exist (does nothing without them). Idempotent:
the same first applications of each job are picked every time, and an application that
already has an interview is left alone.
"""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from hiring import groups
from hiring.models import Application, Job
from interviews.models import CompetencyRating, Interview, InterviewInvitation, Scorecard, StepCompetency
from interviews.services import plan_create_default

MAX_APPLICATIONS = 300
PER_JOB = 40

# Evidence an interviewer might write, by rating; {c} is the competency. Written for this demo.
EVIDENCE = {
    1: [
        "Asked about {c}, they stayed general and could not give a single example they had handled themselves.",
        "On {c} the answer leaned on buzzwords; when I asked for specifics the example fell apart.",
    ],
    2: [
        "Gave one example of {c}, but the hard parts were handled by someone else on their team.",
        "Understood the basics of {c}; missed the failure cases until I pointed at them.",
        "Some relevant {c} experience, though the project was small and the results were not measured.",
    ],
    3: [
        "Walked me through a real {c} problem, named the trade-offs and what they would change next time.",
        "Solid on {c}: clear reasoning, checked their assumptions, and recovered well from my follow-up.",
        "Described how they used {c} on a production system and quoted the numbers that mattered.",
    ],
    4: [
        "Exceptional on {c}: reframed the problem, compared three approaches and picked one with evidence.",
        "Has led {c} work at a larger scale than ours; explained it simply and taught me something.",
    ],
}
TAKEAWAYS = [
    "Strong technically; would want a second look at how they handle disagreement.",
    "Clear communicator with real depth in one area and gaps in another.",
    "Good instincts, not much evidence of ownership end to end.",
    "Would raise the bar on the team; the examples were concrete and measured.",
    "Not ready for this level yet; the answers stayed on the surface.",
]


def _interviewer_pool(users: dict) -> list:
    User = get_user_model()
    pool = [u for email, u in sorted(users.items()) if email.startswith(("interviewer", "manager"))]
    extra = User.objects.filter(groups__name=groups.INTERVIEWER).exclude(pk__in=[u.pk for u in pool]).order_by("pk")
    return pool + list(extra[:6])


def _focus_by_step(job: Job) -> dict[int, list[StepCompetency]]:
    focus: dict[int, list[StepCompetency]] = {}
    rows = (
        StepCompetency.objects.filter(step__plan__job=job)
        .select_related("competency")
        .prefetch_related("competency__anchors")
        .order_by("step__order", "order", "id")
    )
    for row in rows:
        focus.setdefault(row.step_id, []).append(row)
    return focus


def _full_loop(steps: list, focus: dict) -> tuple | None:
    """Two steps of the plan and the competencies both cover (the first step's), for a full loop."""
    if len(steps) < 2:
        return None
    first = min(steps, key=lambda s: (len(focus[s.pk]), s.order))
    covered = {item.competency_id for item in focus[first.pk]}
    others = [s for s in steps if s.pk != first.pk]
    second = max(others, key=lambda s: (len(covered & {i.competency_id for i in focus[s.pk]}), -s.order))
    shared = covered & {item.competency_id for item in focus[second.pk]}
    return (first, second, shared) if shared else None


def _clamp(value: float) -> int:
    return max(1, min(4, round(value)))


@transaction.atomic
def seed(*, rng, candidates: int, users: dict, stdout) -> None:
    jobs = list(Job.objects.select_related("template").order_by("pk"))
    if not jobs:
        stdout.write("  interviews: no jobs yet, nothing to add")
        return
    pool = _interviewer_pool(users)
    if len(pool) < 2:
        stdout.write("  interviews: fewer than two interviewers, nothing to add")
        return
    now = timezone.now()
    # Each interviewer's leniency, so the summaries have something to calibrate.
    leniency = {person.pk: rng.choice([-0.6, -0.3, 0.0, 0.0, 0.3, 0.5]) for person in pool}
    created_interviews = created_cards = 0
    budget = MAX_APPLICATIONS
    for job in jobs:
        if budget <= 0:
            break
        plan_create_default(job=job)
        steps = list(job.interview_plan.steps.order_by("order", "id"))
        focus = _focus_by_step(job)
        steps = [s for s in steps if focus.get(s.pk)]
        if not steps:
            continue
        picked = list(Application.objects.filter(job=job).order_by("pk").values_list("pk", flat=True)[:PER_JOB])
        picked = picked[:budget]
        budget -= len(picked)
        done = set(Interview.objects.filter(application_id__in=picked).values_list("application_id", flat=True))
        todo = [pk for pk in picked if pk not in done]
        if not todo:
            continue

        plans = []  # (interview, interviewers, past, competencies to rate: None for all, forced submission)
        loop = _full_loop(steps, focus)
        for index, application_id in enumerate(todo):
            if index == 0 and loop and len(pool) >= 4:
                # The first application of a job had its whole loop: five submitted scorecards over the
                # same competencies, in two steps, one interviewer in both (the summary's densest case).
                first, second, shared = loop
                people = rng.sample(pool, k=4)
                for step, panel, days in ((first, people[:3], 9), (second, [people[0], people[3]], 6)):
                    starts = (now - timedelta(days=days)).replace(minute=0, second=0, microsecond=0)
                    interview = Interview(
                        application_id=application_id,
                        step=step,
                        starts_at=starts,
                        ends_at=starts + timedelta(minutes=step.duration_minutes),
                        location="" if step.kind == "video" else "Meeting room 3",
                        video_url="https://meet.example.test/demo" if step.kind in ("video", "phone") else "",
                    )
                    plans.append((interview, panel, True, shared, True))
                continue
            rounds = 1 if index % 3 else 2
            for round_number in range(rounds):
                step = steps[min(round_number + (index % 2), len(steps) - 1)]
                past = round_number == 0 and index % 5 != 4
                offset = -rng.randint(6, 24 * 20) if past else rng.randint(2, 24 * 10)
                starts = (now + timedelta(hours=offset)).replace(minute=0, second=0, microsecond=0)
                people = rng.sample(pool, k=min(len(pool), rng.choice([2, 2, 3])))
                interview = Interview(
                    application_id=application_id,
                    step=step,
                    starts_at=starts,
                    ends_at=starts + timedelta(minutes=step.duration_minutes),
                    location="" if step.kind == "video" else "Meeting room 3",
                    video_url="https://meet.example.test/demo" if step.kind in ("video", "phone") else "",
                )
                plans.append((interview, people, past, None, False))
        Interview.objects.bulk_create([p[0] for p in plans])
        Through = Interview.interviewers.through
        Through.objects.bulk_create(
            Through(interview_id=interview.pk, user_id=person.pk)
            for interview, people, *_ in plans
            for person in people
        )
        InterviewInvitation.objects.bulk_create(
            InterviewInvitation(interview=interview, interviewer=person, sent_at=now)
            for interview, people, *_ in plans
            for person in people
        )

        cards, rating_specs = [], []
        for interview, people, past, rate_only, complete in plans:
            level = rng.uniform(1.4, 3.8)  # how good this candidate really is
            for person in people:
                submitted = complete or (past and rng.random() < 0.75)
                card = Scorecard(
                    interview=interview,
                    interviewer=person,
                    status=Scorecard.Status.SUBMITTED if submitted else Scorecard.Status.DRAFT,
                    submitted_at=interview.ends_at + timedelta(hours=rng.randint(1, 20)) if submitted else None,
                )
                ratings = []
                for order, item in enumerate(focus[interview.step_id]):
                    competency = item.competency
                    rating = None
                    evidence = ""
                    not_assessed = False
                    if rate_only is not None and competency.pk not in rate_only:
                        not_assessed = True  # the second step of a full loop went over the first one's ground
                    elif submitted or (past and rng.random() < 0.4 and order == 0):
                        if submitted and not complete and rng.random() < 0.08:
                            not_assessed = True
                        else:
                            rating = _clamp(level + leniency[person.pk] + rng.gauss(0, 0.7))
                            evidence = rng.choice(EVIDENCE[rating]).format(c=competency.name.lower())
                    ratings.append(
                        {
                            "competency": competency,
                            "name": competency.name,
                            "category": competency.category,
                            "description": competency.description,
                            "weight": competency.weight or Decimal(1),
                            "anchors": {str(a.level): a.description for a in competency.anchors.all()},
                            "prompts": item.prompts,
                            "order": order,
                            "rating": rating,
                            "not_assessed": not_assessed,
                            "evidence": evidence,
                        }
                    )
                if submitted:
                    rated = [r["rating"] for r in ratings if r["rating"]]
                    mean = sum(rated) / len(rated) if rated else level
                    card.overall_recommendation = _clamp(mean + rng.choice([-0.5, 0, 0, 0.5]))
                    card.key_takeaways = rng.choice(TAKEAWAYS)
                cards.append(card)
                rating_specs.append(ratings)
        Scorecard.objects.bulk_create(cards)
        CompetencyRating.objects.bulk_create(
            CompetencyRating(scorecard=card, **spec)
            for card, specs in zip(cards, rating_specs, strict=True)
            for spec in specs
        )
        created_interviews += len(plans)
        created_cards += len(cards)
    stdout.write(f"  interviews: {created_interviews} interviews, {created_cards} scorecards added")
