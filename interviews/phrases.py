"""Finding flagged phrases (the language nudges) in evidence: one matcher for the scorecard form and the summary.

How a phrase matches (the choices, and why):

* whole words only, in any case: "age" never matches inside "storage" or "page";
* the words of a phrase may be separated by any run of spaces or hyphens, so "good-looking"
  also finds "good looking" and "over-qualified" finds "over qualified";
* the last word also matches its common English endings: -s, -es, -er, -est, -ed, -ing and a
  possessive 's ("young" finds "younger", "youngest"; "native speaker" finds "native speakers";
  "family" finds "families"; "accent" finds "accented"). Irregular forms are phrases of their
  own ("pregnancy" beside "pregnant", "children" beside "kid");
* a word with innocent inflected uses is only flagged inside a longer phrase: the default list
  has no bare "old" ("the oldest commit", "an older version of Spark"), "age" ("it took ages",
  "ageing servers") or "fit" ("fit the model"); it has "too old", "old for", "years old",
  "their age", "culture fit" instead;
* when two phrases match overlapping words ("kid" and "kids"), the longer match is reported once.

A nudge is never a block, so a rare false positive ("a pregnant pause", "accent colour") is
accepted where leaving the phrase out would miss the biased use.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

VOWELS = set("aeiou")
SEPARATOR = r"[\s\-\u2010-\u2014]+"  # spaces, hyphens and dashes between the words of a phrase


def word_forms(word: str) -> list[str]:
    """``word`` and its regular inflections (-s, -es, -er, -est, -ed, -ing), longest first."""
    w = word.lower()
    if not w.isalpha():
        return [w]
    if w.endswith("e"):
        forms = [w, w + "s", w + "r", w + "st", w + "d", w[:-1] + "ing"]
    elif w.endswith("y") and len(w) > 1 and w[-2] not in VOWELS:
        stem = w[:-1]
        forms = [w, stem + "ies", stem + "ier", stem + "iest", stem + "ied", w + "ing"]
    elif w.endswith(("s", "x", "z", "ch", "sh")):
        forms = [w, w + "es", w + "er", w + "est", w + "ed", w + "ing"]
    else:
        forms = [w, w + "s", w + "es", w + "er", w + "est", w + "ed", w + "ing"]
    return sorted(set(forms), key=lambda f: (-len(f), f))


@lru_cache(maxsize=512)
def phrase_pattern(phrase: str) -> re.Pattern[str] | None:
    """The compiled pattern of a flagged phrase (None for an empty one)."""
    words = [w for w in re.split(SEPARATOR, phrase.strip()) if w]
    if not words:
        return None
    *head, last = words
    parts = [re.escape(w) for w in head]
    parts.append("(?:" + "|".join(re.escape(f) for f in word_forms(last)) + ")(?:['\u2019]s)?")
    return re.compile(r"(?<!\w)" + SEPARATOR.join(parts) + r"(?!\w)", re.IGNORECASE)


def find_phrases(text: str, phrases: Iterable[tuple[str, str]]) -> list[dict]:
    """The flagged phrases found in ``text``: [{"phrase", "reason", "found", "start"}], in the order
    of ``phrases``, each phrase once (its first match), overlapping matches reported once (the longest)."""
    if not text:
        return []
    matches = []
    for index, (phrase, reason) in enumerate(phrases):
        pattern = phrase_pattern(phrase)
        match = pattern.search(text) if pattern else None
        if match:
            matches.append((index, phrase, reason, match))
    taken: list[tuple[int, int]] = []
    kept = []
    for index, phrase, reason, match in sorted(matches, key=lambda m: (-(m[3].end() - m[3].start()), m[0])):
        if any(match.start() < end and start < match.end() for start, end in taken):
            continue
        taken.append((match.start(), match.end()))
        kept.append((index, {"phrase": phrase, "reason": reason, "found": match.group(0), "start": match.start()}))
    return [flag for _, flag in sorted(kept, key=lambda k: k[0])]
