"""The 1-4 rating scale, defined once: anchors, scorecards, forms and summaries all import it.

Per competency an interviewer picks 1 Strong no, 2 No, 3 Yes or 4 Strong yes (or "Not
assessed", which is no level); the overall recommendation uses the same four levels, with
no neutral option.
"""

from django.db import models


class Rating(models.IntegerChoices):
    STRONG_NO = 1, "Strong no"
    NO = 2, "No"
    YES = 3, "Yes"
    STRONG_YES = 4, "Strong yes"


LOWEST = Rating.STRONG_NO.value
HIGHEST = Rating.STRONG_YES.value
# The levels in order, and each level's label.
LEVELS: tuple[int, ...] = tuple(Rating.values)
LABELS: dict[int, str] = {int(value): str(label) for value, label in Rating.choices}
# How the scale is written in messages and documents: "1 (Strong no) to 4 (Strong yes)".
DESCRIPTION = f"{LOWEST} ({LABELS[LOWEST]}) to {HIGHEST} ({LABELS[HIGHEST]})"


def label(level: int) -> str:
    """The label of a level, e.g. ``label(4) == "Strong yes"``."""
    return LABELS[level]
