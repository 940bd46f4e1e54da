"""Blind review: the neutral label that stands for a candidate, and the résumé masker.

Who sees the label instead of the name is decided in ``hiring/rules.py`` (``sees_identity``);
this module only computes. The label is derived from the application id with an HMAC keyed
by ``SECRET_KEY``: stable for one application on every page, and not guessable from the id
(nobody can walk from "Candidate 7KQ2" back to the application or the person).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings

# Crockford's base-32 alphabet: no I, L, O or U, so a label read aloud is not mistaken.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LABEL_LENGTH = 4


@dataclass(frozen=True)
class Identity:
    """Who a page may say the candidate is: ``hidden`` means a label, no contacts, links or résumé file."""

    hidden: bool
    name: str


def candidate_label(application_id: int) -> str:
    """ "Candidate 4F2K": the same for one application everywhere, different across applications."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"hiring.blind-label:{application_id}".encode(), hashlib.sha256
    ).digest()
    number = int.from_bytes(digest[:8], "big")
    code = "".join(_ALPHABET[(number >> (5 * i)) & 31] for i in range(LABEL_LENGTH))
    return f"Candidate {code}"


# --- The masker ----------------------------------------------------------------------------------------------

NAME_MASK = "[name]"
EMAIL_MASK = "[email]"
PHONE_MASK = "[phone]"
LINK_MASK = "[link]"
SCHOOL_MASK = "[school]"

_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_URL = re.compile(
    r"(?:https?://|www\.)\S+"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|io|dev|me|co|edu|ai|app|info|page|site|xyz|uk|de|fr)\b(?:/\S*)?",
    re.IGNORECASE,
)
# A run of digits, spaces, dots, dashes and brackets, optionally after "+"; checked below.
_PHONE = re.compile(r"(?<![\w+])\+?\(?\d[\d\s().\-/]{5,}\d(?!\w)")
_YEAR_RANGE = re.compile(r"^\s*(?:19|20)\d\d\s*[-/\u2013]\s*(?:19|20)\d\d\s*$")
_WORD = r"[A-ZÀ-Ý][\w'&-]*"
_SCHOOL_WORDS = (
    r"(?:University|Universität|Université|Universidad|Università|College|Institute|Polytechnic|Academy|School)"
)
_SCHOOL = re.compile(
    # "Stanford University", "Imperial College London", "University of Cambridge", "Technical University of Munich"
    rf"(?:{_WORD}\s+)*{_SCHOOL_WORDS}\b(?:\s+(?:of|de|für|for|and|in)\s+(?:the\s+)?{_WORD}|\s+{_WORD})*",
    re.UNICODE,
)
# Schools usually written by their short name.
_SCHOOL_SHORT = re.compile(r"\b(?:MIT|ETH(?:\s+Zürich|\s+Zurich)?|EPFL|UCLA|NYU|KTH|Caltech|CMU|UCL|LSE|TU\s+\w+)\b")


def _phone(match: re.Match[str]) -> str:
    text = match.group(0)
    digits = sum(ch.isdigit() for ch in text)
    if digits < 7 or digits > 15 or _YEAR_RANGE.match(text):
        return text
    return PHONE_MASK


def mask_text(text: str, *, names: Iterable[str] = ()) -> str:
    """The text with emails, links, phone numbers, school names and the given names masked.

    ``names`` are the candidate's own names (first, last); each word of them is masked on its
    own, whole words only and in any case ("Ada", "LOVELACE", "Lovelace's").
    """
    if not text:
        return text
    text = _EMAIL.sub(EMAIL_MASK, text)
    text = _URL.sub(LINK_MASK, text)
    text = _PHONE.sub(_phone, text)
    text = _SCHOOL.sub(SCHOOL_MASK, text)
    text = _SCHOOL_SHORT.sub(SCHOOL_MASK, text)
    words = sorted({word for name in names for word in re.split(r"[\s,]+", name or "") if len(word) >= 2}, key=len)
    for word in reversed(words):
        text = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", NAME_MASK, text, flags=re.IGNORECASE)
    return text


def mask_tree(value, *, names: Iterable[str] = ()):
    """``mask_text`` on every string of a JSON-like value (a stored summary's content), a new value."""
    if isinstance(value, str):
        return mask_text(value, names=names)
    if isinstance(value, list):
        return [mask_tree(item, names=names) for item in value]
    if isinstance(value, dict):
        return {key: mask_tree(item, names=names) for key, item in value.items()}
    return value
