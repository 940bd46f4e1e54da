"""An offer letter as a PDF, written with pydyf (pure Python, no system libraries).

The letter is Markdown; the PDF keeps its structure (headings, paragraphs, bullet and numbered
lists) in the standard Helvetica fonts on A4 pages, wrapping lines by the fonts' glyph widths.
Text is encoded as WinAnsi (Latin-1 plus typographic quotes and dashes); a character outside it
is printed as "?" rather than dropped silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pydyf

PAGE_WIDTH, PAGE_HEIGHT = 595.0, 842.0  # A4 in points
MARGIN = 64.0
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN

# Helvetica advance widths (per 1000 units of the font size) for ASCII 32..126, from its AFM file.
_HELVETICA = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
]  # fmt: skip
_BOLD_EXTRA = 1.06  # Helvetica-Bold is a little wider; enough for wrapping


def text_width(text: str, size: float, bold: bool = False) -> float:
    units = sum(_HELVETICA[ord(c) - 32] if 32 <= ord(c) <= 126 else 556 for c in text)
    return units * size / 1000 * (_BOLD_EXTRA if bold else 1)


def wrap(text: str, size: float, width: float, bold: bool = False) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if line and text_width(candidate, size, bold) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    if line:
        lines.append(line)
    return lines or [""]


@dataclass(frozen=True)
class Block:
    kind: str  # "h1", "h2", "h3", "p", "li"
    text: str
    marker: str = ""


_INLINE = re.compile(r"(\*\*|__|\*|`)")
_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_BULLET = re.compile(r"^\s*[-*+]\s+(.*)$")
_NUMBERED = re.compile(r"^\s*(\d+)[.)]\s+(.*)$")


def blocks(markdown_text: str) -> list[Block]:
    """The letter's Markdown as blocks; inline emphasis markers are dropped, links keep their text."""
    result: list[Block] = []
    paragraph: list[str] = []

    def clean(text: str) -> str:
        text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
        return _INLINE.sub("", text).strip()

    def flush() -> None:
        if paragraph:
            result.append(Block("p", clean(" ".join(paragraph))))
            paragraph.clear()

    for raw in markdown_text.splitlines():
        line = raw.rstrip()
        if not line.strip():
            flush()
            continue
        if heading := _HEADING.match(line):
            flush()
            result.append(Block(f"h{min(len(heading.group(1)), 3)}", clean(heading.group(2))))
        elif bullet := _BULLET.match(line):
            flush()
            result.append(Block("li", clean(bullet.group(1)), "•"))
        elif numbered := _NUMBERED.match(line):
            flush()
            result.append(Block("li", clean(numbered.group(2)), f"{numbered.group(1)}."))
        else:
            paragraph.append(line.strip())
    flush()
    return result


_STYLE = {  # kind -> (font, size, space before, bold)
    "h1": ("F2", 18.0, 6.0, True),
    "h2": ("F2", 14.0, 10.0, True),
    "h3": ("F2", 12.0, 8.0, True),
    "p": ("F1", 11.0, 8.0, False),
    "li": ("F1", 11.0, 3.0, False),
}


def _encoded(text: str) -> bytes:
    data = text.encode("cp1252", errors="replace")
    return b"(" + re.sub(rb"([\\()])", rb"\\\1", data) + b")"


def letter_pdf(*, title: str, markdown_text: str) -> bytes:
    """The letter as PDF bytes (A4, as many pages as it takes)."""
    document = pydyf.PDF()
    document.info["Title"] = pydyf.String(title.encode("ascii", errors="replace").decode("ascii"))
    fonts = pydyf.Dictionary()
    for key, base in (("F1", "Helvetica"), ("F2", "Helvetica-Bold")):
        font = pydyf.Dictionary(
            {
                "Type": "/Font",
                "Subtype": "/Type1",
                "BaseFont": f"/{base}",
                "Encoding": "/WinAnsiEncoding",
            }
        )
        document.add_object(font)
        fonts[key] = font.reference
    resources = pydyf.Dictionary({"Font": fonts})

    pages: list[pydyf.Stream] = []
    stream = pydyf.Stream()
    pages.append(stream)
    y = PAGE_HEIGHT - MARGIN

    def line(text: str, font: str, size: float, x: float) -> None:
        nonlocal stream, y
        if y - size < MARGIN:
            stream = pydyf.Stream()
            pages.append(stream)
            y = PAGE_HEIGHT - MARGIN
        y -= size * 1.35
        stream.begin_text()
        stream.set_font_size(font, size)
        stream.set_text_matrix(1, 0, 0, 1, x, y)
        stream.stream.append(_encoded(text) + b" Tj")
        stream.end_text()

    for block in blocks(markdown_text):
        font, size, before, bold = _STYLE[block.kind]
        y -= before
        if block.kind == "li":
            indent = 18.0
            for number, text in enumerate(wrap(block.text, size, TEXT_WIDTH - indent, bold)):
                if number == 0:
                    line(block.marker, font, size, MARGIN + 4)
                    y += size * 1.35  # the item's text goes on the marker's line
                line(text, font, size, MARGIN + indent)
        else:
            for text in wrap(block.text, size, TEXT_WIDTH, bold):
                line(text, font, size, MARGIN)

    for content in pages:
        document.add_object(content)
        page = pydyf.Dictionary(
            {
                "Type": "/Page",
                "Parent": document.pages.reference,
                "MediaBox": pydyf.Array([0, 0, PAGE_WIDTH, PAGE_HEIGHT]),
                "Contents": content.reference,
                "Resources": resources,
            }
        )
        document.add_page(page)
    import io

    output = io.BytesIO()
    document.write(output)
    return output.getvalue()
