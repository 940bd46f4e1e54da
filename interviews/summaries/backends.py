"""Who writes a summary's narrative: the built-in summariser (default) or a language model.

``SUMMARY_BACKEND = "llm"`` posts the structured summary to an OpenAI-compatible
``/chat/completions`` endpoint (``SUMMARY_LLM_URL``, ``SUMMARY_LLM_MODEL``,
``SUMMARY_LLM_API_KEY``, ``SUMMARY_LLM_TIMEOUT``, ``SUMMARY_LLM_RETRIES``). What it sends
carries no names, email addresses or phone numbers: interviewers become "Interviewer A",
"Interviewer B"..., the candidate "the candidate". The narrative must keep the ``[S<id>]``
citation markers. On any error (network, timeout, HTTP status, malformed answer, lost
citations) the built-in narrative is stored instead, with ``backend`` saying so.
"""

from __future__ import annotations

import json
import logging
import re
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings

logger = logging.getLogger(__name__)

BUILTIN = "builtin"
LLM = "llm"
FALLBACK = "builtin (llm failed)"

EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE_RE = re.compile(r"(?<![\w+])\+?\d(?:[\s().-]*\d){6,}(?!\w)")
MARKER_RE = re.compile(r"\[S(\d+)\]")
# Keys the model does not need: internal ids, the job, timestamps, the fingerprint.
PRIVATE_KEYS = {"interviewer_id", "application_id", "job", "submitted_at", "fingerprint", "format"}

SYSTEM_PROMPT = (
    "You write the debrief narrative of a structured interview-feedback summary for a hiring team. "
    "The user message is the summary as JSON. Use only facts found in it, stay neutral and job-related, "
    "and never guess personal details. Keep the citation markers such as [S12] after every statement "
    "they support, exactly as written. Plain text, at most 200 words."
)


class LLMError(Exception):
    """The language model gave no usable narrative."""


@dataclass
class Narrative:
    text: str
    backend: str
    error: str = ""


def narrative_for(content: dict, *, people: list[tuple[str, str]]) -> Narrative:
    """The narrative to store with ``content``; ``people`` are (name, replacement) pairs to redact."""
    if settings.SUMMARY_BACKEND != LLM or not content.get("scorecards"):
        return Narrative(content["narrative"], BUILTIN)
    try:
        return Narrative(llm_narrative(redact(content, people=people)), LLM)
    except LLMError as exc:
        logger.warning("Summary narrative by the language model failed, using the built-in one: %s", exc)
        return Narrative(content["narrative"], FALLBACK, str(exc)[:500])
    except Exception as exc:  # any other surprise from the network or the answer: never lose the summary
        logger.exception("Summary narrative by the language model failed unexpectedly, using the built-in one")
        return Narrative(content["narrative"], FALLBACK, f"{type(exc).__name__}: {exc}"[:500])


# --------------------------------------------------------------------------- redaction


def alias(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return f"Interviewer {letters}"


def people_to_redact(head) -> list[tuple[str, str]]:
    """(text, replacement) pairs: interviewers' names and emails, the candidate's names.

    Full names and emails match in any case; a single first or last name matches as written
    (capitalised), so an interviewer called "Will" does not erase the word "will".
    """
    pairs: list[tuple[str, str]] = []
    aliases: dict[int, str] = {}
    for card in head.scorecards:
        name = aliases.setdefault(card["interviewer_id"], alias(len(aliases)))
        pairs.append((card["interviewer"], name))
        pairs.append((card["interviewer_email"], name))
        pairs.extend((part, name) for part in card["interviewer"].split() if len(part) > 1)
    full = " ".join(head.candidate_names)
    if full:
        pairs.append((full, "the candidate"))
    pairs.extend((part, "the candidate") for part in head.candidate_names if len(part) > 1)
    # Longest first, so "Ada Lovelace" is replaced before "Ada".
    return sorted({p for p in pairs if p[0]}, key=lambda p: -len(p[0]))


def redact(content: dict, *, people: list[tuple[str, str]]) -> dict:
    """A copy of ``content`` for the model: no names, emails, phone numbers or internal ids."""
    patterns = [
        (re.compile(r"(?<!\w)" + re.escape(text) + r"(?!\w)", 0 if " " not in text and "@" not in text else re.I), repl)
        for text, repl in people
    ]

    def clean(value):
        if isinstance(value, str):
            value = EMAIL_RE.sub("[email]", value)
            value = PHONE_RE.sub("[phone]", value)
            for pattern, repl in patterns:
                value = pattern.sub(repl, value)
            return value
        if isinstance(value, list):
            return [clean(v) for v in value]
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items() if k not in PRIVATE_KEYS}
        return value

    redacted = clean({k: v for k, v in content.items() if k != "narrative"})
    redacted["citation_markers"] = "Cite scorecard N as [SN]."
    return redacted


# --------------------------------------------------------------------------- the request


def llm_narrative(payload: dict) -> str:
    """Ask the chat-completions endpoint, with a timeout and retries on transient errors."""
    if not settings.SUMMARY_LLM_URL:
        raise LLMError("SUMMARY_LLM_URL is not set")
    url = settings.SUMMARY_LLM_URL.rstrip("/") + "/chat/completions"
    body = json.dumps(
        {
            "model": settings.SUMMARY_LLM_MODEL,
            "temperature": 0,
            "messages": [
                {"role": "system", "content": SYSTEM_PROMPT},
                {"role": "user", "content": json.dumps(payload, ensure_ascii=False)},
            ],
        }
    ).encode()
    headers = {"Content-Type": "application/json"}
    if settings.SUMMARY_LLM_API_KEY:
        headers["Authorization"] = f"Bearer {settings.SUMMARY_LLM_API_KEY}"
    if not url.startswith(("http://", "https://")):
        raise LLMError("SUMMARY_LLM_URL must be an http(s) URL")

    attempts = 1 + max(0, settings.SUMMARY_LLM_RETRIES)
    last_error = "no attempt"
    for attempt in range(attempts):
        if attempt:
            time.sleep(min(4.0, 0.25 * 2**attempt))
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 - checked above
        try:
            with urllib.request.urlopen(request, timeout=settings.SUMMARY_LLM_TIMEOUT) as response:  # noqa: S310
                raw = response.read()
        except urllib.error.HTTPError as exc:
            last_error = f"HTTP {exc.code}"
            if exc.code in (408, 429) or exc.code >= 500:
                continue
            raise LLMError(last_error) from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            last_error = f"{type(exc).__name__}: {getattr(exc, 'reason', exc)}"
            continue
        return _narrative_from(raw, payload)
    raise LLMError(f"gave up after {attempts} attempts ({last_error})")


def _narrative_from(raw: bytes, payload: dict) -> str:
    try:
        text = json.loads(raw)["choices"][0]["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        raise LLMError("malformed answer from the language model") from exc
    if not isinstance(text, str) or not text.strip():
        raise LLMError("empty narrative")
    known = {str(card["id"]) for card in payload.get("scorecards", [])}
    cited = set(MARKER_RE.findall(text))
    if not cited:
        raise LLMError("the narrative lost the citation markers")
    if not cited <= known:
        raise LLMError(f"the narrative cites unknown scorecards {sorted(cited - known)}")
    return text.strip()
