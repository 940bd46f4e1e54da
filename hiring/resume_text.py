"""Recognise résumé files by their content and pull their text out, within fixed bounds.

The file name and the browser's content type are never trusted: a PDF starts with
``%PDF-``, a DOCX is a zip archive holding ``word/document.xml``, and a text file
decodes as UTF-8 without NUL bytes. Anything else is refused.

Extraction is bounded before any parsing starts, so a small hostile file cannot take the
worker's memory or time:

* the bytes read are capped (``RESUME_MAX_BYTES``);
* a DOCX's zip directory is checked first: number of entries (``RESUME_MAX_ZIP_ENTRIES``),
  declared uncompressed size in total (``RESUME_MAX_UNCOMPRESSED_BYTES``) and per XML part,
  compression ratio, and no archives nested inside (a zip bomb is refused unread; Python's
  zipfile never inflates a member past its declared size);
* a PDF's page count is checked before any page is read (``RESUME_MAX_PDF_PAGES``);
* text stops at ``RESUME_MAX_TEXT_CHARS`` characters, and extraction gives up after
  ``RESUME_EXTRACT_SECONDS`` (the Celery task's soft and hard time limits and the worker's
  ``--max-memory-per-child`` are the backstop).

Every refusal is an ``UnreadableResume`` whose message says why, in words a recruiter
understands; the résumé is then shown as "could not read" with that reason.
"""

import io
import time
import zipfile
from typing import IO

from django.conf import settings
from django.template.defaultfilters import filesizeformat

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TXT = "text/plain"
EXTENSIONS = {PDF: "pdf", DOCX: "docx", TXT: "txt"}
MAX_TEXT_CHARS = 200_000  # the default of settings.RESUME_MAX_TEXT_CHARS (search keeps this much)
MAX_XML_PART_BYTES = 10 * 1024 * 1024  # one XML part of a DOCX, unpacked (real ones are < 1 MB)
MAX_COMPRESSION_RATIO = 200  # real DOCX parts compress 5-20 times; bombs a thousand times
NESTED_ARCHIVES = (".zip", ".docx", ".docm", ".xlsx", ".pptx", ".jar", ".gz", ".bz2", ".xz", ".7z", ".rar", ".tar")


class UnreadableResume(Exception):
    """The file is of a known type but its text cannot be read (damaged, encrypted, too big...)."""


def detect_type(data: bytes) -> str | None:
    """The résumé's content type from its bytes, or None when it is none of PDF, DOCX, TXT."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                return DOCX if "word/document.xml" in archive.namelist() else None
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
    if b"\x00" in data:
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return TXT


class _Budget:
    """The text gathered so far, with the character cap and the deadline of one extraction."""

    def __init__(self):
        self.max_chars = settings.RESUME_MAX_TEXT_CHARS
        self.seconds = settings.RESUME_EXTRACT_SECONDS
        self.deadline = time.monotonic() + self.seconds
        self.parts: list[str] = []
        self.chars = 0

    def add(self, text: str) -> bool:
        """Keep ``text``; False once the cap is reached (stop reading). Raises past the deadline."""
        if time.monotonic() > self.deadline:
            raise UnreadableResume(f"Reading the text took longer than {self.seconds:g} seconds.")
        if text:
            self.parts.append(text)
            self.chars += len(text)
        return self.chars < self.max_chars

    def text(self) -> str:
        return _clean("\n".join(self.parts), self.max_chars)


def _clean(text: str, max_chars: int) -> str:
    text = text[: max_chars * 2].replace("\x00", "")  # whitespace is squeezed below: keep some slack
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return "\n".join(line for line in lines if line)[:max_chars]


def _read_capped(fileobj: IO[bytes]) -> bytes:
    limit = settings.RESUME_MAX_BYTES
    data = fileobj.read(limit + 1)
    if len(data) > limit:
        raise UnreadableResume(f"The file is larger than {filesizeformat(limit)}.")
    return data


def check_docx_archive(archive: zipfile.ZipFile) -> None:
    """Refuse a DOCX whose zip directory promises more than a résumé needs, before unpacking it."""
    entries = archive.infolist()
    if len(entries) > settings.RESUME_MAX_ZIP_ENTRIES:
        raise UnreadableResume(
            f"The document holds {len(entries):,} files; a résumé needs far fewer "
            f"(at most {settings.RESUME_MAX_ZIP_ENTRIES:,})."
        )
    total = 0
    for entry in entries:
        name = entry.filename.lower()
        if name.endswith(NESTED_ARCHIVES):
            raise UnreadableResume("The document contains another archive inside it.")
        if entry.file_size > MAX_XML_PART_BYTES and name.endswith((".xml", ".rels")):
            raise UnreadableResume(
                f"The document's text unpacks to {filesizeformat(entry.file_size)}; "
                f"at most {filesizeformat(MAX_XML_PART_BYTES)} can be read."
            )
        if entry.file_size > 1024 * 1024 and entry.file_size > MAX_COMPRESSION_RATIO * max(1, entry.compress_size):
            raise UnreadableResume(
                f"The document is packed {entry.file_size // max(1, entry.compress_size):,} times smaller "
                "than it unpacks, as a zip bomb is."
            )
        total += entry.file_size
    if total > settings.RESUME_MAX_UNCOMPRESSED_BYTES:
        raise UnreadableResume(
            f"The document unpacks to {filesizeformat(total)}; "
            f"at most {filesizeformat(settings.RESUME_MAX_UNCOMPRESSED_BYTES)} can be read."
        )


def _pdf_text(data: bytes, budget: _Budget) -> None:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        raise UnreadableResume("The PDF is encrypted.")
    try:  # the page tree's own count, before pypdf walks the tree
        declared = int(reader.trailer["/Root"]["/Pages"]["/Count"])
    except (KeyError, TypeError, ValueError):
        declared = 0
    pages = max(declared, 0) if declared > settings.RESUME_MAX_PDF_PAGES else len(reader.pages)
    if pages > settings.RESUME_MAX_PDF_PAGES:
        raise UnreadableResume(
            f"The PDF has {pages:,} pages; at most {settings.RESUME_MAX_PDF_PAGES:,} are read from a résumé."
        )
    for page in reader.pages:
        if not budget.add(page.extract_text() or ""):
            break


def _docx_text(data: bytes, budget: _Budget) -> None:
    import docx

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        check_docx_archive(archive)
    document = docx.Document(io.BytesIO(data))
    for paragraph in document.paragraphs:
        if not budget.add(paragraph.text):
            return
    for table in document.tables:
        for row in table.rows:
            if not budget.add(" ".join(cell.text for cell in row.cells)):
                return


def extract_text(fileobj: IO[bytes], content_type: str) -> str:
    """Plain text of a résumé; raises ``UnreadableResume`` (with the reason) when it cannot be read."""
    data = _read_capped(fileobj)
    budget = _Budget()
    try:
        if content_type == PDF:
            _pdf_text(data, budget)
        elif content_type == DOCX:
            _docx_text(data, budget)
        elif content_type == TXT:
            budget.add(data.decode("utf-8-sig")[: budget.max_chars * 2])
        else:
            raise UnreadableResume(f"Unknown résumé type {content_type!r}.")
    except UnreadableResume:
        raise
    except MemoryError:
        raise UnreadableResume("The file needs too much memory to read.") from None
    except Exception as error:  # pypdf and python-docx raise many kinds of errors on damaged files
        raise UnreadableResume(f"The file is damaged ({str(error)[:150]}).") from error
    return budget.text()
