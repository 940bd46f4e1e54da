"""Hygiene of what people type and upload, shared by the forms of every app.

It lives in ``roles`` because that is the lowest layer: ``hiring`` and ``interviews`` may
import it, and so may the role-template admin forms. Nothing here touches the database.

* ``clean_text``: drops the C0 control characters a database or a screen cannot use (NUL
  makes PostgreSQL refuse the row) except tab, newline and carriage return, drops DEL,
  and turns lone UTF-16 surrogates (which cannot be encoded) into U+FFFD.
* ``clean_filename``: an uploaded file's name as it may be shown: NFC, without control
  or format characters (a right-to-left override would make ``cv‮fdp.exe`` read as
  ``cvexe.pdf``), without path parts, never empty.
* ``CleanInputMixin``: put first in a form's bases; a bound form validates cleaned copies
  of its data and file names, so every text field of every form gets the same treatment.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from django.utils.datastructures import MultiValueDict

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SURROGATE = re.compile("[\ud800-\udfff]")
MAX_FILENAME = 255


def _fix_surrogates(value: str) -> str:
    # A well-formed pair becomes its character; a lone half becomes U+FFFD.
    return value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def clean_text(value: str) -> str:
    """``value`` without unusable control characters and with no lone surrogate."""
    if _SURROGATE.search(value):
        value = _fix_surrogates(value)
    return _CONTROL.sub("", value)


def clean_value(value: Any) -> Any:
    """``clean_text`` for a string, each item of a list or tuple; anything else unchanged."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list | tuple):
        return type(value)(clean_value(item) for item in value)
    return value


def clean_filename(name: str, default: str = "file") -> str:
    """An uploaded file's name fit for display: NFC, no control/format characters, no folders."""
    name = unicodedata.normalize("NFC", _fix_surrogates(name or ""))
    name = "".join(char for char in name if unicodedata.category(char) not in ("Cc", "Cf", "Cs", "Co", "Cn"))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = " ".join(name.split()).strip(" .")
    if not name:
        return default
    if len(name) > MAX_FILENAME:
        stem, dot, suffix = name.rpartition(".")
        name = f"{stem[: MAX_FILENAME - len(suffix) - 1]}.{suffix}" if dot and len(suffix) < 16 else name[:MAX_FILENAME]
    return name


def clean_data(data: Mapping | None) -> Mapping | None:
    """A cleaned copy of a form's ``data`` (a QueryDict, a MultiValueDict or a plain dict)."""
    if data is None:
        return None
    if isinstance(data, MultiValueDict):
        cleaned = data.copy()
        for key, values in data.lists():
            cleaned.setlist(key, [clean_value(value) for value in values])
        return cleaned
    return {key: clean_value(value) for key, value in data.items()}


def clean_files(files: Mapping | None) -> Mapping | None:
    """The uploads, renamed with ``clean_filename`` (in place: the same file objects)."""
    if not files:
        return files
    uploads = files.lists() if isinstance(files, MultiValueDict) else ((key, [value]) for key, value in files.items())
    for _key, values in uploads:
        for upload in values:
            if getattr(upload, "name", None) is not None:
                upload.name = clean_filename(upload.name)
    return files


class CleanInputMixin:
    """A form that validates cleaned text: put it before ``forms.Form``/``ModelForm`` in the bases."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.is_bound:  # type: ignore[attr-defined]
            self.data = clean_data(self.data)
            self.files = clean_files(self.files)
