"""Adverse impact: selection rates per self-identified group, the four-fifths rule and Fisher's exact test.

Admins only, and only as totals. For every self-identification question and every stage,
the people of each group who reached the stage are "considered" and those who reached the
next stage are "selected"; overall, everyone who applied is considered and the hires are
selected. A group's impact ratio is its selection rate divided by the highest rate among
the groups compared; below 0.8 is flagged (the four-fifths rule of the US Uniform
Guidelines on Employee Selection Procedures). Fisher's exact test (two-sided) compares the
group's selected / not selected counts with those of the highest group. Groups with fewer
than 5 people considered are shown as "fewer than 5" and left out of every ratio, and
people who declined to answer are counted but never compared.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet, TextField, Value
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce, NullIf
from scipy.stats import fisher_exact

from hiring.models import Application, Job, SelfIdentification

from .base import (
    FEWER_THAN,
    MIN_GROUP,
    ReportFilters,
    applications_in_scope,
    jobs_in_scope,
    reach_order,
    reached_per_stage,
    stage_names_in_order,
    stages_of,
)

COLUMNS = [
    "question",
    "stage",
    "group",
    "considered",
    "selected",
    "selection_rate",
    "impact_ratio",
    "below_four_fifths",
    "fisher_p",
]
FOUR_FIFTHS = 0.8
OVERALL = "Overall (applied to hired)"


def adverse_impact_rows(*, jobs: QuerySet[Job], filters: ReportFilters) -> list[dict[str, Any]]:
    """Two queries: the stages, and the counts of every self-identification question (a UNION ALL)."""
    stages = stages_of(jobs_in_scope(jobs=jobs, filters=filters))
    names = stage_names_in_order(stages)
    applications = applications_in_scope(jobs=jobs, filters=filters).values("pk")
    questions = settings.CAREERS_SELF_ID_QUESTIONS
    parts = [
        SelfIdentification.objects.filter(application__in=applications)
        .annotate(
            question=Value(question["key"], output_field=TextField()),
            group=Coalesce(
                NullIf(KT(f"answers__{question['key']}"), Value("")),
                Value(settings.SELF_ID_DECLINED),
                output_field=TextField(),
            ),
            reach=reach_order("application__"),
            report_job=F("application__job_id"),
        )
        .values("question", "group", "report_job", "reach")
        .annotate(n=Count("pk"), hired=Count("pk", filter=Q(application__status=Application.Status.HIRED)))
        .order_by()
        for question in questions
    ]
    every = list(parts[0].union(*parts[1:], all=True)) if parts else []
    rows: list[dict[str, Any]] = []
    for question in questions:
        labels = dict(question["choices"])
        counts = [row for row in every if row["question"] == question["key"]]
        groups = sorted({row["group"] for row in counts})
        per_group: dict[str, dict[str, int]] = {}
        for group in groups:
            mine = [row for row in counts if row["group"] == group]
            reached = reached_per_stage(stages, mine, job="report_job")
            reached["__applied__"] = sum(row["n"] for row in mine)
            reached["__hired__"] = sum(row["hired"] for row in mine)
            per_group[group] = reached
        steps = [(name, name, names[index + 1]) for index, name in enumerate(names[:-1])]
        steps.append((OVERALL, "__applied__", "__hired__"))
        for label, considered_key, selected_key in steps:
            considered = {group: per_group[group].get(considered_key, 0) for group in groups}
            selected = {group: per_group[group].get(selected_key, 0) for group in groups}
            rows.extend(
                _compare(
                    question=question["label"],
                    stage=label,
                    labels=labels,
                    considered=considered,
                    selected=selected,
                )
            )
    return rows


def _compare(
    *, question: str, stage: str, labels: dict[str, str], considered: dict[str, int], selected: dict[str, int]
) -> list[dict[str, Any]]:
    declined = settings.SELF_ID_DECLINED
    compared = [g for g in considered if g != declined and considered[g] >= MIN_GROUP]
    rates = {g: selected[g] / considered[g] for g in compared}
    top = max(compared, key=lambda g: (rates[g], considered[g]), default=None)
    ordered = [g for g in labels if g in considered] + sorted(g for g in considered if g not in labels)
    rows = []
    for group in ordered:
        label = labels.get(group, "Did not answer / declined" if group == declined else group)
        row: dict[str, Any] = {
            "question": question,
            "stage": stage,
            "group": label,
            "considered": considered[group],
            "selected": selected[group],
            "selection_rate": round(selected[group] / considered[group], 3) if considered[group] else None,
            "impact_ratio": None,
            "below_four_fifths": None,
            "fisher_p": None,
        }
        if considered[group] < MIN_GROUP:
            row.update(considered=FEWER_THAN, selected=None, selection_rate=None)
        elif group in rates and top is not None and rates[top] > 0:
            ratio = rates[group] / rates[top]
            row["impact_ratio"] = round(ratio, 3)
            row["below_four_fifths"] = ratio < FOUR_FIFTHS
            if group != top:
                table = [
                    [selected[group], considered[group] - selected[group]],
                    [selected[top], considered[top] - selected[top]],
                ]
                row["fisher_p"] = round(float(fisher_exact(table).pvalue), 4)
        rows.append(row)
    return rows
