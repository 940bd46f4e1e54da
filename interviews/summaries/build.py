"""What an application's feedback summary says, computed from its submitted scorecards.

Two halves:

* loading (``load_head`` then ``load_inputs``): plain dicts read with a fixed number of
  queries, whatever the number of scorecards, competencies or interviewers;
* ``build_content``: a pure function from those dicts to the JSON the summary stores.
  Every statement in it carries ``citations`` (scorecard id, interviewer, interview step,
  and a short quote of the evidence where there is one), so a reader can go back to the
  scorecards behind it. Narratives mark citations as ``[S<scorecard id>]``.

The fingerprint of a summary covers its inputs: the submitted scorecards' ids and
versions and the job's role-template version (plus ``SUMMARY_FORMAT``, raised when the
content's shape changes). Equal fingerprint, nothing to rebuild.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal

from interviews.phrases import find_phrases
from roles import scale

SUMMARY_FORMAT = 2  # raised with the content's shape, with a migration that marks older summaries pending
QUOTE_LIMIT = 160
HIGHLIGHT_QUOTE_LIMIT = 80  # quotes shown before "show all"
HIGHLIGHTS = 3  # at most this many quotes per disagreement before "show all"
CALIBRATION_MIN_SCORECARDS = 5
RATING_LABELS = scale.LABELS


# --------------------------------------------------------------------------- loading


@dataclass
class Head:
    """The application and its submitted scorecards: all the fingerprint needs."""

    application_id: int
    job_id: int
    job_title: str
    template_id: int
    template_version: int
    candidate_names: list[str]
    scorecards: list[dict]

    @property
    def fingerprint(self) -> str:
        return fingerprint_of(
            template_id=self.template_id,
            template_version=self.template_version,
            scorecards=[(s["id"], s["version"]) for s in self.scorecards],
        )


@dataclass
class Inputs:
    head: Head
    ratings: list[dict] = field(default_factory=list)
    competencies: list[dict] = field(default_factory=list)  # the role's, each with "planned_steps"
    phrases: list[dict] = field(default_factory=list)
    calibration: dict[int, dict] = field(default_factory=dict)  # interviewer id -> {"offset", "scorecards"}


def fingerprint_of(*, template_id: int, template_version: int, scorecards: list[tuple[int, int]]) -> str:
    payload = {"format": SUMMARY_FORMAT, "template": [template_id, template_version], "scorecards": sorted(scorecards)}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def _person(first: str, last: str, email: str) -> str:
    return f"{first} {last}".strip() or email


def load_head(application) -> Head:
    """One query: the submitted scorecards of ``application`` (loaded with job, template, candidate)."""
    from interviews.models import Scorecard

    rows = (
        Scorecard.objects.filter(interview__application_id=application.pk, status=Scorecard.Status.SUBMITTED)
        .order_by("submitted_at", "id")
        .values(
            "id",
            "version",
            "interviewer_id",
            "interviewer__first_name",
            "interviewer__last_name",
            "interviewer__email",
            "interview_id",
            "interview__step__name",
            "overall_recommendation",
            "key_takeaways",
            "submitted_at",
        )
    )
    scorecards = [
        {
            "id": row["id"],
            "version": row["version"],
            "interviewer_id": row["interviewer_id"],
            "interviewer": _person(
                row["interviewer__first_name"], row["interviewer__last_name"], row["interviewer__email"]
            ),
            "interviewer_email": row["interviewer__email"],
            "interview_id": row["interview_id"],
            "step": row["interview__step__name"],
            "recommendation": row["overall_recommendation"],
            "key_takeaways": row["key_takeaways"],
            "submitted_at": row["submitted_at"],
        }
        for row in rows
    ]
    job = application.job
    candidate = application.candidate
    return Head(
        application_id=application.pk,
        job_id=job.pk,
        job_title=job.title,
        template_id=job.template_id,
        template_version=job.template.version,
        candidate_names=[n for n in (candidate.first_name, candidate.last_name) if n],
        scorecards=scorecards,
    )


def load_inputs(head: Head) -> Inputs:
    """Five queries more: ratings, the role's competencies, the steps planned to cover them,
    flagged phrases, and every interviewer's calibration in one aggregate query."""
    from interviews.models import CompetencyRating, FlaggedPhrase, StepCompetency
    from roles.models import Competency

    scorecard_ids = [s["id"] for s in head.scorecards]
    ratings = (
        list(
            CompetencyRating.objects.filter(scorecard_id__in=scorecard_ids)
            .order_by("order", "id")
            .values("scorecard_id", "competency_id", "name", "category", "weight", "order", "rating", "evidence")
        )
        if scorecard_ids
        else []
    )

    competencies = {
        row["id"]: {**row, "planned_steps": []}
        for row in Competency.objects.filter(template_id=head.template_id)
        .order_by("order", "id")
        .values("id", "name", "category", "weight", "order")
    }
    planned = (
        StepCompetency.objects.filter(step__plan__job_id=head.job_id, competency_id__in=list(competencies))
        .order_by("step__order", "step_id")
        .values_list("competency_id", "step__name")
    )
    for competency_id, step_name in planned:
        steps = competencies[competency_id]["planned_steps"]
        if step_name not in steps:
            steps.append(step_name)

    phrases = list(FlaggedPhrase.objects.filter(active=True).values("phrase", "reason"))

    interviewer_ids = sorted({s["interviewer_id"] for s in head.scorecards})
    submitted = [s["submitted_at"] for s in head.scorecards if s["submitted_at"]]
    calibration = (
        load_calibration(
            interviewer_ids=interviewer_ids,
            exclude_application_id=head.application_id,
            # "Earlier" history only, so the same inputs always give the same summary.
            before=max(submitted) if submitted else None,
        )
        if interviewer_ids
        else {}
    )

    return Inputs(
        head=head,
        ratings=ratings,
        competencies=sorted(competencies.values(), key=lambda c: (c["order"], c["id"])),
        phrases=phrases,
        calibration=calibration,
    )


CALIBRATION_SQL = """
WITH history AS (
    SELECT sc.interviewer_id, sc.id AS scorecard_id, iv.application_id, cr.name, cr.rating
    FROM {rating} cr
    JOIN {scorecard} sc ON sc.id = cr.scorecard_id
    JOIN {interview} iv ON iv.id = sc.interview_id
    WHERE sc.interviewer_id IN ({interviewers}) AND sc.status = %s AND cr.rating IS NOT NULL
      AND iv.application_id <> %s {before}
),
totals AS (
    SELECT iv.application_id, cr.name, SUM(cr.rating) AS total, COUNT(*) AS n
    FROM {rating} cr
    JOIN {scorecard} sc ON sc.id = cr.scorecard_id
    JOIN {interview} iv ON iv.id = sc.interview_id
    WHERE sc.status = %s AND cr.rating IS NOT NULL
      AND iv.application_id IN (SELECT DISTINCT application_id FROM history)
    GROUP BY iv.application_id, cr.name
)
SELECT h.interviewer_id,
       COUNT(DISTINCT h.scorecard_id),
       AVG(CASE WHEN t.n > 1 THEN h.rating - (t.total - h.rating) * 1.0 / (t.n - 1) END),
       COUNT(CASE WHEN t.n > 1 THEN 1 END)
FROM history h
JOIN totals t ON t.application_id = h.application_id AND t.name = h.name
GROUP BY h.interviewer_id
"""


def load_calibration(*, interviewer_ids: list[int], exclude_application_id: int, before=None) -> dict[int, dict]:
    """Every interviewer's leniency in one aggregate query: over their earlier submitted ratings on
    other applications, the mean of (their rating - the mean of the other ratings of the same
    competency on the same application), with the number of scorecards behind it.

    One pass with grouped totals (the others' mean is (total - own) / (n - 1)), so the cost
    follows the interviewers' history linearly, without a correlated subquery per rating.
    """
    from django.db import connection

    from interviews.models import CompetencyRating, Interview, Scorecard

    sql = CALIBRATION_SQL.format(
        rating=CompetencyRating._meta.db_table,
        scorecard=Scorecard._meta.db_table,
        interview=Interview._meta.db_table,
        interviewers=", ".join(["%s"] * len(interviewer_ids)),
        before="AND sc.submitted_at < %s" if before else "",
    )
    params = [*interviewer_ids, Scorecard.Status.SUBMITTED, exclude_application_id]
    if before:
        params.append(before)
    params.append(Scorecard.Status.SUBMITTED)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return {
        interviewer_id: {"scorecards": scorecards, "offset": None if offset is None else float(offset), "compared": n}
        for interviewer_id, scorecards, offset, n in rows
    }


# --------------------------------------------------------------------------- pure helpers


def short_quote(text: str, limit: int = QUOTE_LIMIT) -> str:
    """The text on one line, cut at a word boundary so it fits in ``limit`` characters."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:.-") + "…"


def quote_around(text: str, start: int, limit: int = QUOTE_LIMIT) -> str:
    """A short quote of ``text`` (already on one line) that contains the character at ``start``."""
    begin = max(0, start - limit // 3)
    if begin:
        space = text.find(" ", begin)
        begin = space + 1 if 0 <= space < start else begin
        return "…" + short_quote(text[begin:], limit - 1)
    return short_quote(text, limit)


def marker(scorecard_id: int) -> str:
    return f"[S{scorecard_id}]"


def markers(citations: list[dict]) -> str:
    return "".join(marker(c["scorecard_id"]) for c in citations)


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(float(value), digits)


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else (plural or word + 's')}"


def _join(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


# --------------------------------------------------------------------------- the content


def build_content(inputs: Inputs) -> dict:
    """The structured summary: pure, deterministic, every statement with its citations."""
    head = inputs.head
    cards = {s["id"]: s for s in head.scorecards}

    # An interviewer with scorecards in two steps is named with the step wherever they appear.
    steps_of: dict[int, set] = {}
    for s in head.scorecards:
        steps_of.setdefault(s["interviewer_id"], set()).add(s["step"])

    def who(scorecard_id: int) -> str:
        card = cards[scorecard_id]
        if len(steps_of[card["interviewer_id"]]) > 1:
            return f"{card['interviewer']} in {card['step']}"
        return card["interviewer"]

    def cite(scorecard_id: int, quote: str = "") -> dict:
        card = cards[scorecard_id]
        citation = {
            "scorecard_id": scorecard_id,
            "interviewer": card["interviewer"],
            "step": card["step"],
            "who": who(scorecard_id),
        }
        if quote:
            citation["quote"] = quote
        return citation

    def cite_rating(entry: dict) -> dict:
        return {**cite(entry["scorecard_id"], entry["evidence"]), "rating": entry["rating"], "label": entry["label"]}

    offsets = {
        interviewer_id: data["offset"]
        for interviewer_id, data in inputs.calibration.items()
        if data["scorecards"] >= CALIBRATION_MIN_SCORECARDS and data["offset"] is not None
    }

    # Per competency: the role's competencies first (in order), then any other rated ones.
    role_by_id = {c["id"]: c for c in inputs.competencies}
    role_by_name = {c["name"].casefold(): c for c in inputs.competencies}
    groups: dict[str, dict] = {}
    for c in inputs.competencies:
        groups[f"c{c['id']}"] = {
            "name": c["name"],
            "category": c["category"],
            "weight": Decimal(c["weight"]),
            "order": (0, c["order"], c["id"]),
            "in_role": True,
            "planned_steps": c["planned_steps"],
            "ratings": [],
            "not_assessed": [],
        }
    for r in inputs.ratings:
        role = role_by_id.get(r["competency_id"]) or role_by_name.get(r["name"].casefold())
        key = f"c{role['id']}" if role else f"n:{r['name'].casefold()}"
        group = groups.setdefault(
            key,
            {
                "name": r["name"],
                "category": r["category"],
                "weight": Decimal(r["weight"]),
                "order": (1, r["order"], len(groups)),
                "in_role": False,
                "planned_steps": [],
                "ratings": [],
                "not_assessed": [],
            },
        )
        (group["ratings"] if r["rating"] else group["not_assessed"]).append(r)

    competencies, agreements, disagreements, coverage_gaps = [], [], [], []
    weighted_sum = Decimal(0)
    weight_total = Decimal(0)
    adjusted_weighted_sum = 0.0
    for group in sorted(groups.values(), key=lambda g: g["order"]):
        ratings = group["ratings"]
        values = [r["rating"] for r in ratings]
        entries = []
        for r in ratings:
            card = cards[r["scorecard_id"]]
            entries.append(
                {
                    "scorecard_id": r["scorecard_id"],
                    "interviewer": card["interviewer"],
                    "step": card["step"],
                    "who": who(r["scorecard_id"]),
                    "rating": r["rating"],
                    "label": RATING_LABELS[r["rating"]],
                    "evidence": short_quote(r["evidence"]),
                }
            )
        item = {
            "name": group["name"],
            "category": group["category"],
            "weight": float(group["weight"]),
            "in_role": group["in_role"],
            "assessed": bool(values),
            "ratings": entries,
            "count": len(values),
            "mean": _round(sum(values) / len(values)) if values else None,
            "spread": (max(values) - min(values)) if values else None,
            "adjusted_mean": None,
            "citations": [cite(r["scorecard_id"], short_quote(r["evidence"])) for r in ratings],
        }
        if values:
            # Each rating less its interviewer's usual offset; only the mean is kept on the scale
            # (capping each rating would bias the mean when offsets point both ways).
            adjusted = [r["rating"] - offsets.get(cards[r["scorecard_id"]]["interviewer_id"], 0.0) for r in ratings]
            item["adjusted_mean"] = _round(min(4.0, max(1.0, sum(adjusted) / len(adjusted))))
            weighted_sum += group["weight"] * Decimal(sum(values)) / len(values)
            adjusted_weighted_sum += float(group["weight"]) * item["adjusted_mean"]
            weight_total += group["weight"]
        competencies.append(item)

        if len(values) >= 2:
            ordered = sorted(entries, key=lambda e: (e["rating"], e["scorecard_id"]))
            listing = ", ".join(f"{e['who']} {e['rating']} ({e['label']})" for e in ordered)
            statement = {
                "competency": group["name"],
                "ratings": [e["rating"] for e in ordered],
                "mean": item["mean"],
                "spread": item["spread"],
                "citations": [cite_rating(e) for e in ordered],
                "highlights": [],
            }
            if item["spread"] <= 1:
                statement["text"] = (
                    f"{group['name']}: the {len(values)} interviewers agree (within one point; mean "
                    f"{item['mean']:.1f}): {listing}."
                )
                statement["short"] = f"all {len(values)} within one point, mean {item['mean']:.1f}"
                agreements.append(statement)
            elif item["spread"] >= 2:
                low, high = ordered[0], ordered[-1]
                statement["text"] = (
                    f"{group['name']}: ratings differ by {item['spread']} points, from {low['rating']} "
                    f"({low['label']}, {low['who']}) to {high['rating']} ({high['label']}, {high['who']})"
                    + (f"; all ratings: {listing}." if len(values) > 2 else ".")
                )
                statement["short"] = f"{item['spread']} points apart"
                statement["highlights"] = _highlights(ordered, cite)
                disagreements.append(statement)

        if group["in_role"] and not values:
            steps = group["planned_steps"]
            where = (
                f"the plan meant {_join([repr(s) for s in steps])} to cover it"
                if steps
                else "no step of the interview plan covers it"
            )
            skipped = group["not_assessed"]
            also = f" ({_plural(len(skipped), 'scorecard')} marked it not assessed)" if skipped else ""
            coverage_gaps.append(
                {
                    "competency": group["name"],
                    "category": group["category"],
                    "planned_steps": steps,
                    "text": f"Nobody has assessed {group['name']} yet{also}; {where}.",
                    "citations": [cite(r["scorecard_id"]) for r in skipped],
                }
            )

    role_total = len(inputs.competencies)
    role_covered = role_total - len(coverage_gaps)
    coverage = _coverage(coverage_gaps, role_total=role_total, covered=role_covered)
    all_citations = [cite(s["id"]) for s in head.scorecards]

    overall_value = _round(weighted_sum / weight_total) if weight_total else None
    overall_adjusted = _round(adjusted_weighted_sum / float(weight_total)) if weight_total else None
    overall = {
        "value": overall_value,
        "adjusted": overall_adjusted if offsets else None,
        "scale": scale.DESCRIPTION,
        "weighted_by": "competency weight",
        "text": (
            f"Overall score {overall_value:.2f} of 4, the mean of each rated competency weighted by its weight."
            if overall_value is not None
            else "No competency has been rated yet, so there is no overall score."
        ),
        "citations": [c for c in all_citations if any(r["scorecard_id"] == c["scorecard_id"] for r in inputs.ratings)],
    }

    # Recommendation tally and the overall signal with its confidence.
    tally = dict.fromkeys(RATING_LABELS.values(), 0)
    recommended = [s for s in head.scorecards if s["recommendation"]]
    for s in recommended:
        tally[RATING_LABELS[s["recommendation"]]] += 1
    yes = tally["Yes"] + tally["Strong yes"]
    no = tally["No"] + tally["Strong no"]
    recommendations = {
        "tally": tally,
        "text": (
            ", ".join(f"{count} {label}" for label, count in tally.items() if count)
            if recommended
            else "No overall recommendation submitted yet."
        ),
        "citations": [cite(s["id"], f"Overall: {RATING_LABELS[s['recommendation']]}") for s in recommended],
    }
    signal = _signal(
        yes=yes,
        no=no,
        scorecards=len(head.scorecards),
        covered=role_covered,
        role_total=role_total,
        agreements=len(agreements),
        disagreements=len(disagreements),
    )
    signal["citations"] = recommendations["citations"]

    calibration = []
    for s in head.scorecards:
        data = inputs.calibration.get(s["interviewer_id"])
        if s["interviewer_id"] in {c["interviewer_id"] for c in calibration} or not data:
            continue
        if data["scorecards"] < CALIBRATION_MIN_SCORECARDS or data["offset"] is None:
            continue
        offset = round(data["offset"], 2)
        tendency = "higher than" if offset > 0.05 else "lower than" if offset < -0.05 else "in line with"
        calibration.append(
            {
                "interviewer_id": s["interviewer_id"],
                "interviewer": s["interviewer"],
                "history_scorecards": data["scorecards"],
                "offset": offset,
                "text": (
                    f"{s['interviewer']} usually rates {tendency} the other interviewers of the same candidates "
                    f"({offset:+.2f} points on average over {_plural(data['scorecards'], 'earlier scorecard')}); "
                    "the adjusted means take that into account."
                ),
                "citations": [cite(c["id"]) for c in head.scorecards if c["interviewer_id"] == s["interviewer_id"]],
            }
        )

    language_flags = _language_flags(inputs, cite)
    headline = _headline(
        signal=signal,
        scorecards=head.scorecards,
        coverage=coverage,
        recommendations=recommendations,
        overall=overall,
        agreements=len(agreements),
        disagreements=len(disagreements),
    )

    content = {
        "format": SUMMARY_FORMAT,
        "fingerprint": head.fingerprint,
        "application_id": head.application_id,
        "job": {"id": head.job_id, "title": head.job_title, "template_version": head.template_version},
        "scorecards": [
            {
                "id": s["id"],
                "version": s["version"],
                "interviewer": s["interviewer"],
                "step": s["step"],
                "recommendation": RATING_LABELS.get(s["recommendation"]),
                "submitted_at": s["submitted_at"].isoformat() if s["submitted_at"] else None,
            }
            for s in head.scorecards
        ],
        "headline": headline,
        "competencies": competencies,
        "overall_score": overall,
        "agreements": agreements,
        "disagreements": disagreements,
        "coverage_gaps": coverage_gaps,
        "coverage": coverage,
        "recommendations": recommendations,
        "signal": signal,
        "calibration": calibration,
        "language_flags": language_flags,
    }
    content["narrative"] = builtin_narrative(content)
    return content


def _highlights(ordered: list[dict], cite) -> list[dict]:
    """The most telling quotes of a disagreement: those of the extreme ratings (lowest first, then
    highest), at most ``HIGHLIGHTS``, preferring ratings that came with evidence; cut shorter."""
    low, high = ordered[0]["rating"], ordered[-1]["rating"]
    lows = [e for e in ordered if e["rating"] == low]
    highs = [e for e in reversed(ordered) if e["rating"] == high]
    lows.sort(key=lambda e: not e["evidence"])  # stable: keeps the order among equals
    highs.sort(key=lambda e: not e["evidence"])
    picked = [lows.pop(0), highs.pop(0)]
    rest = [e for pair in zip(lows, highs, strict=False) for e in pair] + lows[len(highs) :] + highs[len(lows) :]
    for entry in rest:  # the same words twice tell nothing new
        if len(picked) < HIGHLIGHTS and entry["evidence"] not in {e["evidence"] for e in picked}:
            picked.append(entry)
    picked.sort(key=lambda e: (e["rating"], e["scorecard_id"]))
    return [
        {
            **cite(e["scorecard_id"], short_quote(e["evidence"], HIGHLIGHT_QUOTE_LIMIT)),
            "rating": e["rating"],
            "label": e["label"],
        }
        for e in picked
    ]


def _coverage(gaps: list[dict], *, role_total: int, covered: int) -> dict:
    """Coverage in one line: which role competencies nobody assessed, and where the plan meant to."""
    by_step: dict[str, list[str]] = {}
    unplanned = []
    for gap in gaps:
        if gap["planned_steps"]:
            for step in gap["planned_steps"]:
                by_step.setdefault(step, []).append(gap["competency"])
        else:
            unplanned.append(gap["competency"])
    names = [g["competency"] for g in gaps]
    if not gaps:
        text = (
            f"All {_plural(role_total, 'competency', 'competencies')} of the role assessed."
            if role_total
            else "The role has no competencies."
        )
    else:
        parts = [f"{_plural(len(gaps), 'competency', 'competencies')} not assessed: {', '.join(names)}"]
        if by_step:
            parts.append("planned in: " + "; ".join(f"{step} ({len(c)})" for step, c in by_step.items()))
        if unplanned:
            parts.append(f"{len(unplanned)} in no step of the plan")
        text = ", ".join(parts) + "."
    return {
        "role_competencies": role_total,
        "covered": covered,
        "not_assessed": names,
        "planned": [{"step": step, "competencies": c} for step, c in by_step.items()],
        "unplanned": unplanned,
        "text": text,
    }


def _headline(
    *,
    signal: dict,
    scorecards: list[dict],
    coverage: dict,
    recommendations: dict,
    overall: dict,
    agreements: int,
    disagreements: int,
) -> dict:
    """What the reader sees first: the signal and its confidence, and the counts behind them."""
    interviewers = len({s["interviewer_id"] for s in scorecards})
    counts = [
        f"{_plural(len(scorecards), 'scorecard')} from {_plural(interviewers, 'interviewer')}",
        f"{coverage['covered']} of {_plural(coverage['role_competencies'], 'competency', 'competencies')} assessed",
    ]
    return {
        "signal": signal["label"],
        "confidence": signal["confidence"],
        "scorecards": len(scorecards),
        "interviewers": interviewers,
        "assessed": coverage["covered"],
        "role_competencies": coverage["role_competencies"],
        "agreements": agreements,
        "disagreements": disagreements,
        "recommendations": recommendations["text"],
        "overall": overall["value"],
        "counts": counts,
        "text": f"{signal['label'].capitalize()}, {signal['confidence']} confidence: {'; '.join(counts)}.",
    }


def _signal(
    *, yes: int, no: int, scorecards: int, covered: int, role_total: int, agreements: int, disagreements: int
) -> dict:
    votes = yes + no
    if not votes:
        return {
            "label": "no signal yet",
            "confidence": "none",
            "text": "No scorecard has been submitted yet, so there is no signal.",
        }
    share = yes / votes
    label = "leaning hire" if share >= 0.75 else "leaning no hire" if share <= 0.25 else "mixed"

    points = 0
    points += 2 if scorecards >= 3 else 1 if scorecards == 2 else 0
    coverage = covered / role_total if role_total else 1.0
    points += 2 if coverage >= 0.8 else 1 if coverage >= 0.5 else 0
    compared = agreements + disagreements
    agreement = agreements / compared if compared else 0.0
    points += 2 if compared and agreement >= 0.75 else 1 if compared and agreement >= 0.5 else 0
    confidence = "high" if points >= 5 else "medium" if points >= 3 else "low"

    why = [
        f"{_plural(scorecards, 'scorecard')}",
        f"{covered} of {role_total} role competencies assessed ({coverage:.0%})"
        if role_total
        else "no role competencies",
        (
            f"interviewers agree on {agreements} of {_plural(compared, 'competency', 'competencies')} "
            "rated by more than one person"
            if compared
            else "no competency was rated by more than one interviewer, so agreement is unknown"
        ),
    ]
    return {
        "label": label,
        "confidence": confidence,
        "yes": yes,
        "no": no,
        "coverage": round(coverage, 2),
        "agreement": round(agreement, 2) if compared else None,
        "text": f"{label.capitalize()} ({yes} for, {no} against), {confidence} confidence: {'; '.join(why)}.",
    }


def _language_flags(inputs: Inputs, cite) -> list[dict]:
    if not inputs.phrases:
        return []
    phrases = [(p["phrase"], p["reason"]) for p in inputs.phrases if p["phrase"].strip()]
    texts = [(r["scorecard_id"], r["name"], r["evidence"]) for r in inputs.ratings if r["evidence"]]
    texts += [(s["id"], "Key takeaways", s["key_takeaways"]) for s in inputs.head.scorecards if s["key_takeaways"]]
    flags = []
    for scorecard_id, where, text in texts:
        flat = " ".join(text.split())
        for found in find_phrases(flat, phrases):
            flags.append(
                {
                    "phrase": found["phrase"],
                    "reason": found["reason"],
                    "where": where,
                    "text": f"{where}: \u201c{found['found']}\u201d may not be job-related ({found['reason']}).",
                    "citations": [cite(scorecard_id, quote_around(flat, found["start"]))],
                }
            )
    return flags


def builtin_narrative(content: dict) -> str:
    """A few plain sentences over the structured summary, each ending in its citation markers."""
    if not content["scorecards"]:
        return "No scorecard has been submitted yet."
    signal = content["signal"]
    parts = [f"{signal['text']} {markers(signal['citations'])}".strip()]
    overall = content["overall_score"]
    parts.append(f"{overall['text']} {markers(overall['citations'])}".strip())
    if content["agreements"]:
        parts.append(
            "Interviewers agree on "
            + _join([f"{a['competency']} {markers(a['citations'])}" for a in content["agreements"]])
            + "."
        )
    if content["disagreements"]:
        parts.append(
            "They disagree on "
            + _join(
                [
                    f"{d['competency']} (from {min(d['ratings'])} to {max(d['ratings'])}) {markers(d['citations'])}"
                    for d in content["disagreements"]
                ]
            )
            + "."
        )
    if content["coverage_gaps"]:
        parts.append("Not assessed yet: " + _join([g["competency"] for g in content["coverage_gaps"]]) + ".")
    if content["language_flags"]:
        parts.append(
            f"{_plural(len(content['language_flags']), 'phrase')} in the evidence may not be job-related "
            + "".join(markers(f["citations"]) for f in content["language_flags"])
            + "."
        )
    return " ".join(parts)


def summary_build(*, application) -> dict:
    """The content the summary job would store for ``application`` (reads only; 6 queries)."""
    return build_content(load_inputs(load_head(application)))
