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
  of its data and file names, so every text field of every form gets the same treatment
  (password fields excepted: they are hashed, and must match what is typed at sign-in).
  A number or id that no database integer can hold (``99999…``), posted to an integer or
  model choice field, is an invalid value, not a database error (``pk__in`` lookups and
  integer columns do not guard their range).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from django import forms
from django.db import models
from django.utils.datastructures import MultiValueDict

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SURROGATE = re.compile("[\ud800-\udfff]")
MAX_FILENAME = 255
MAX_ID = 2**63 - 1
INVALID_ID = "invalid"


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


def clean_data(data: Mapping | None, keep: frozenset[str] = frozenset()) -> Mapping | None:
    """A cleaned copy of a form's ``data`` (a QueryDict, a MultiValueDict or a plain dict).

    Keys in ``keep`` are copied as they are (passwords: they are hashed, never stored as text,
    and must match what the person types at sign-in).
    """
    if data is None:
        return None
    if isinstance(data, MultiValueDict):
        cleaned = data.copy()
        for key, values in data.lists():
            if key not in keep:
                cleaned.setlist(key, [clean_value(value) for value in values])
        return cleaned
    return {key: value if key in keep else clean_value(value) for key, value in data.items()}


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


def out_of_range_id(value: Any) -> bool:
    """True for an integer-looking value that no 64-bit database column can hold."""
    digits = str(value).strip().lstrip("+-").lstrip("0")
    if not digits.isdecimal():  # what int() reads: decimal digits of any script ("²" is a digit, not decimal)
        return False
    # Compare lengths first: int() refuses strings of more than a few thousand digits.
    return len(digits) > len(str(MAX_ID)) or int(digits) > MAX_ID


class CleanInputMixin:
    """A form that validates cleaned text: put it before ``forms.Form``/``ModelForm`` in the bases."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.is_bound:  # type: ignore[attr-defined]
            passwords = frozenset(
                self.add_prefix(name)  # type: ignore[attr-defined]
                for name, field in self.fields.items()  # type: ignore[attr-defined]
                if isinstance(field.widget, forms.PasswordInput)
            )
            self.data = clean_data(self.data, keep=passwords)
            self.files = clean_files(self.files)

    def full_clean(self) -> None:
        # Here rather than in __init__: subclasses set their querysets after calling super().__init__().
        if self.is_bound:  # type: ignore[attr-defined]
            self._refuse_out_of_range_ids()
        super().full_clean()  # type: ignore[misc]

    def _takes_integers(self, field: forms.Field) -> bool:
        if isinstance(field, forms.IntegerField):
            return True
        if not isinstance(field, forms.ModelChoiceField) or field.queryset is None:
            return False
        key = field.to_field_name or field.queryset.model._meta.pk.name
        return isinstance(field.queryset.model._meta.get_field(key), models.IntegerField | models.AutoField)

    def _refuse_out_of_range_ids(self) -> None:
        data = self.data  # type: ignore[has-type]
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            if not self._takes_integers(field):
                continue
            html_name = self.add_prefix(name)  # type: ignore[attr-defined]
            if isinstance(data, MultiValueDict):
                values = data.getlist(html_name)
                if any(out_of_range_id(value) for value in values):
                    data.setlist(html_name, [INVALID_ID if out_of_range_id(v) else v for v in values])
            elif isinstance(data, dict) and out_of_range_id(data.get(html_name, "")):
                data[html_name] = INVALID_ID
