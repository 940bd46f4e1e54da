"""How report rows are shown: table cells, chart data, CSV and JSON (the same numbers in each)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from . import Report

# Columns holding a share (0..1): shown as a percentage in the table and the chart, kept as a fraction in CSV/JSON.
PERCENT_COLUMNS = frozenset(
    {
        "share_of_applied",
        "pass_through",
        "interview_rate",
        "offer_rate",
        "hire_rate",
        "on_time_share",
        "match_rate",
        "selection_rate",
    }
)
HEADERS = {
    "p90_days": "90th percentile (days)",
    "median_days": "Median (days)",
    "n": "Count",
    "fisher_p": "Fisher's exact p",
    "below_four_fifths": "Below four-fifths",
    "share_of_applied": "Share of applied",
}


def header(column: str) -> str:
    return HEADERS.get(column, column.replace("_", " ").capitalize())


def cell(column: str, value: Any) -> str:
    """A table cell: percentages with one decimal, booleans as Yes/No, missing figures as a dash."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if column in PERCENT_COLUMNS and isinstance(value, int | float):
        return f"{value * 100:.1f}%"
    return str(value)


def chart_value(column: str, value: Any) -> float | None:
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    return round(value * 100, 1) if column in PERCENT_COLUMNS else value


def chart_label(report: Report, row: dict[str, Any]) -> str:
    parts = [str(row[column]) for column in (*report.label_prefix, report.label) if row.get(column)]
    return " · ".join(parts) or "—"


def table(report: Report, rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    return {
        "headers": [header(column) for column in report.columns],
        "rows": [[cell(column, row.get(column)) for column in report.columns] for row in rows],
    }


def chart(report: Report, rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """What ``static/js/reports.js`` draws: one bar per row, one dataset per value column."""
    return {
        "type": "bar",
        "horizontal": report.horizontal,
        "percent": any(column in PERCENT_COLUMNS for column in report.values),
        "labels": [chart_label(report, row) for row in rows],
        "datasets": [
            {
                "label": header(column),
                "column": report.columns.index(column),
                "data": [chart_value(column, row.get(column)) for row in rows],
            }
            for column in report.values
        ],
    }


def csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def json_value(value: Any) -> Any:
    """A figure as JSON holds it: numbers, text, booleans and null as they are, anything else as its CSV text."""
    return value if value is None or isinstance(value, bool | int | float | str) else str(csv_value(value))


def json_rows(report: Report, rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows as the ``report`` command's JSON and the API give them: exactly the CSV's columns."""
    return [{column: json_value(row.get(column)) for column in report.columns} for row in rows]


def to_csv(report: Report, rows: Sequence[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(report.columns)
    for row in rows:
        writer.writerow([csv_value(row.get(column)) for column in report.columns])
    return out.getvalue()
