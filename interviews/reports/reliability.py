"""Rater reliability: Krippendorff's alpha for ordinal data, per competency.

The units are applications, the raters the interviewers, the values the 1-4 ratings of
one competency (matched by the name the scorecards copied). The database sums the
coincidence matrix (how often value c and value k were given to the same application by
two different scorecards, each pair weighted 1 / (m - 1) for a unit with m ratings), so
Python only handles a 4 x 4 matrix per competency. The formula follows Krippendorff,
"Computing Krippendorff's Alpha-Reliability" (2011).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from hiring.models import Job
from interviews.models import CompetencyRating, Scorecard
from roles.scale import LEVELS

from .base import MIN_GROUP, ReportFilters, applications_in_scope

COLUMNS = ["competency", "ratings", "applications", "alpha", "reading"]

Matrix = Mapping[tuple[int, int], float]


def ordinal_alpha(coincidences: Matrix, values: tuple[int, ...] = LEVELS) -> float | None:
    """Krippendorff's alpha with the ordinal difference function, from a coincidence matrix.

    ``coincidences[(c, k)]`` is o_ck. Returns None when there is no pairable value or no
    variation at all (alpha is undefined then).
    """
    totals = {c: sum(coincidences.get((c, k), 0.0) for k in values) for c in values}
    n = sum(totals.values())
    if n <= 1:
        return None

    def delta(c: int, k: int) -> float:
        low, high = min(c, k), max(c, k)
        between = sum(totals[g] for g in values if low <= g <= high)
        return (between - (totals[c] + totals[k]) / 2) ** 2

    observed = sum(coincidences.get((c, k), 0.0) * delta(c, k) for c in values for k in values)
    expected = sum(totals[c] * totals[k] * delta(c, k) for c in values for k in values)
    if expected == 0:
        return None
    return 1 - (n - 1) * observed / expected


def coincidences_from_units(units: list[list[int | None]]) -> dict[tuple[int, int], float]:
    """The coincidence matrix of a small reliability table (one list of values per unit); for tests and docs."""
    matrix: dict[tuple[int, int], float] = {}
    for unit in units:
        present = [value for value in unit if value is not None]
        m = len(present)
        if m < 2:
            continue
        for i, c in enumerate(present):
            for j, k in enumerate(present):
                if i != j:
                    matrix[(c, k)] = matrix.get((c, k), 0.0) + 1 / (m - 1)
    return matrix


def _reading(alpha: float | None) -> str:
    if alpha is None:
        return "not enough data"
    if alpha >= 0.8:
        return "reliable"
    if alpha >= 0.667:
        return "tentative"
    return "unreliable: rewrite the anchors"


def reliability_rows(*, jobs: QuerySet[Job], filters: ReportFilters) -> list[dict[str, Any]]:
    """One query: the coincidence matrices of all competencies, summed by the database."""
    applications = applications_in_scope(jobs=jobs, filters=filters).values("pk")
    app_sql, app_params = applications.query.sql_with_params()
    ratings = CompetencyRating._meta.db_table
    cards = Scorecard._meta.db_table
    interviews = Scorecard._meta.get_field("interview").related_model._meta.db_table
    sql = f"""
        WITH rated AS (
            SELECT r.id AS id, r.name AS competency, i.application_id AS unit, r.rating AS value
            FROM {ratings} r
            JOIN {cards} s ON s.id = r.scorecard_id
            JOIN {interviews} i ON i.id = s.interview_id
            WHERE s.status = %s AND r.rating IS NOT NULL AND i.application_id IN ({app_sql})
        ),
        units AS (
            SELECT competency, unit, COUNT(*) AS m FROM rated GROUP BY competency, unit HAVING COUNT(*) >= 2
        )
        SELECT a.competency, a.value, b.value, SUM(1.0 / (u.m - 1)),
            (SELECT COUNT(*) FROM units v WHERE v.competency = a.competency)
        FROM rated a
        JOIN rated b ON b.competency = a.competency AND b.unit = a.unit AND b.id <> a.id
        JOIN units u ON u.competency = a.competency AND u.unit = a.unit
        GROUP BY a.competency, a.value, b.value
    """  # noqa: S608 -- table names from the models, values as parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [Scorecard.Status.SUBMITTED, *app_params])
        fetched = cursor.fetchall()
    matrices: dict[str, dict[tuple[int, int], float]] = {}
    units_of: dict[str, int] = {}
    for competency, c, k, weight, units in fetched:
        units_of[competency] = int(units)
        matrices.setdefault(competency, {})[(int(c), int(k))] = float(weight)
    rows = []
    for competency in sorted(matrices):
        matrix = matrices[competency]
        pairable = round(sum(matrix.values()))
        alpha = ordinal_alpha(matrix)
        units = units_of[competency]
        if units < MIN_GROUP:
            alpha = None
        rows.append(
            {
                "competency": competency,
                "ratings": pairable,
                "applications": units,
                "alpha": None if alpha is None else round(alpha, 3),
                "reading": _reading(alpha) if units >= MIN_GROUP else f"fewer than {MIN_GROUP} applications",
            }
        )
    return rows
