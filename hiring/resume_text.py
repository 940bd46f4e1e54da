"""Recognise résumé files by their content and pull their text out.

The file name and the browser's content type are never trusted: a PDF starts with
``%PDF-``, a DOCX is a zip archive holding ``word/document.xml``, and a text file
decodes as UTF-8 without NUL bytes. Anything else is refused.
"""

import io
import zipfile
from typing import IO

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TXT = "text/plain"
EXTENSIONS = {PDF: "pdf", DOCX: "docx", TXT: "txt"}
MAX_TEXT_CHARS = 200_000


class UnreadableResume(Exception):
    """The file is of a known type but its text cannot be read (damaged, encrypted...)."""


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


def _clean(text: str) -> str:
    text = text.replace("\x00", "")
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return "\n".join(line for line in lines if line)[:MAX_TEXT_CHARS]


def extract_text(fileobj: IO[bytes], content_type: str) -> str:
    """Plain text of a résumé; raises ``UnreadableResume`` when the file cannot be read."""
    data = fileobj.read()
    try:
        if content_type == PDF:
            from pypdf import PdfReader

            reader = PdfReader(io.BytesIO(data))
            return _clean("\n".join(page.extract_text() or "" for page in reader.pages))
        if content_type == DOCX:
            import docx

            document = docx.Document(io.BytesIO(data))
            parts = [paragraph.text for paragraph in document.paragraphs]
            for table in document.tables:
                for row in table.rows:
                    parts.append(" ".join(cell.text for cell in row.cells))
            return _clean("\n".join(parts))
        if content_type == TXT:
            return _clean(data.decode("utf-8-sig"))
    except Exception as error:  # pypdf and python-docx raise many kinds of errors on damaged files
        raise UnreadableResume(str(error)[:200]) from error
    raise UnreadableResume(f"Unknown résumé type {content_type!r}.")
