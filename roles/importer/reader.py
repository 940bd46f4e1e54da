"""Reading a role-profile document (plain text or Markdown): text, lines, headings, groups of bullets.

Pure and database-free. ``decode`` turns the uploaded bytes into text (refusing binary or
non-UTF-8 input), ``to_lines`` classifies each line as heading, bullet or prose, and
``outline`` builds the tree of sections that ``roles.importer.mapping`` turns into a template.

What it reads without configuration (see docs/role-format.md):

* section headings as bare lines or Markdown headings (``#``..``######``), any letter case;
* bullets written ``-``, ``*``, ``+``, ``•`` or numbered (``1.`` / ``1)``);
* groups given as a heading-like bullet followed by its item bullets (flat), with the items
  indented under it, or as a deeper Markdown heading;
* CRLF, CR or LF line endings, tabs, non-breaking spaces, ``**bold**`` markers;
* a sentence glued to the end of a bullet ("... field of AI The Staff ... role in:").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

# Top-level sections a role profile may have (normalised name -> canonical key).
KNOWN_SECTIONS = {
    "overview": "overview",
    "summary": "overview",
    "role overview": "overview",
    "core responsibilities": "responsibilities",
    "responsibilities": "responsibilities",
    "requirements": "requirements",
    "career development": "career",
    "market demand": "market",
    "salary ranges": "salary",
    "salary range": "salary",
    "salaries": "salary",
    "compensation": "salary",
    "industry trends": "trends",
    "essential soft skills": "soft_skills",
    "best practices": "practices",
    "common challenges": "challenges",
}
SMALL_WORDS = {"and", "or", "of", "in", "for", "the", "to", "with", "on", "a", "an", "at", "by", "&", "vs", "vs."}
# Words that start a sentence glued onto the end of a bullet in copied documents.
GLUE_STARTERS = r"(?:The|This|These|Those|That|By|Combining|Required|Here's|Here|Overall|Together|Based|In short)"
BULLET = re.compile(r"^(?P<indent>\s*)(?:[-*+•‣◦▪\u2013]|\d{1,3}[.)]|[a-zA-Z][.)](?=\s))\s+(?P<text>\S.*)$")
MD_HEADING = re.compile(r"^\s{0,3}(?P<hashes>#{1,6})\s+(?P<text>.*?)\s*#*\s*$")


class RoleDocumentError(ValidationError):
    """The input is not a role-profile document we can read; nothing was created."""


# --------------------------------------------------------------------------- lines


@dataclass
class Line:
    number: int
    kind: str  # "heading" | "bullet" | "text"
    text: str
    indent: int = 0
    md_level: int | None = None


@dataclass
class Section:
    name: str
    line: int
    depth: int
    key: str | None = None
    body: list[Line] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)
    path: str = ""

    def all_lines(self) -> list[Line]:
        lines = list(self.body)
        for child in self.children:
            lines.append(Line(child.line, "heading", child.name))
            lines.extend(child.all_lines())
        return sorted(lines, key=lambda line: line.number)

    def child(self, pattern: str) -> list[Section]:
        return [c for c in self.children if re.search(pattern, normalise(c.name))]


@dataclass
class Group:
    name: str
    line: int
    items: list[tuple[str, int]]
    path: str


def decode(data: bytes | str) -> str:
    """Bytes or text to text; binary or non-UTF-8 input is refused with a reason."""
    if isinstance(data, bytes):
        if b"\x00" in data[:8192]:
            raise RoleDocumentError("This is a binary file, not a text or Markdown document.", code="binary")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise RoleDocumentError(
                "The file is not UTF-8 text. Save the role profile as plain text (.txt) or Markdown (.md).",
                code="encoding",
            ) from None
    else:
        text = data.removeprefix("\ufeff")
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\r\n\t\f")
    if "\x00" in text or controls > max(8, len(text[:8192]) // 50):
        raise RoleDocumentError("This is a binary file, not a text or Markdown document.", code="binary")
    return text


def clean_inline(text: str) -> str:
    text = text.replace("\u00a0", " ").replace("\u200b", "")
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"\1", text)
    text = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


def normalise(name: str) -> str:
    name = clean_inline(name).lower().rstrip(":").strip()
    name = re.sub(r"\s*\(.*?\)\s*", " ", name)
    return re.sub(r"\s+", " ", name).strip()


def known_key(name: str) -> str | None:
    key = normalise(name)
    if key in KNOWN_SECTIONS:
        return KNOWN_SECTIONS[key]
    return None


def is_title_case(text: str, max_words: int = 7) -> bool:
    words = text.split()
    if not words or len(words) > max_words:
        return False
    for i, word in enumerate(words):
        core = word.strip("()[],;\"'")
        if not core:
            continue
        if core.lower() in SMALL_WORDS and i > 0:
            continue
        first = core[0]
        if first.isalpha() and not first.isupper():
            return False
    return words[0][0].isupper() or words[0][0].isdigit()


def looks_like_bare_heading(text: str) -> bool:
    """A short line of its own without closing punctuation, in any letter case: 'Technical skills', 'EDUCATION'."""
    text = clean_inline(text)
    if not text or len(text) > 80 or text[-1] in ".,;:!?" or ": " in text:
        return False
    words = re.sub(r"\(.*?\)", "", text).split()
    return 0 < len(words) <= 8 and (text[0].isupper() or text[0].isdigit())


def looks_like_group_heading(text: str) -> bool:
    text = text.strip()
    if text.endswith(":") and ": " not in text[:-1]:
        return len(text.split()) <= 10
    if not text or text[-1] in ".!?;," or ": " in text:
        return False
    return is_title_case(re.sub(r"\(.*?\)", "", text).strip() or text)


def split_glued(text: str) -> tuple[str, str]:
    """Split 'bullet text The Staff ... role in:' into ('bullet text', 'The Staff ... role in:')."""
    pattern = re.compile(r"(?:(?<=[A-Za-z0-9)%])|(?<=[A-Za-z0-9)%]\.))\s+(?=" + GLUE_STARTERS + r"\b)")
    for match in pattern.finditer(text):
        head, tail = text[: match.start()].rstrip(), text[match.end() :].strip()
        if len(tail.split()) >= 5 and tail[-1] in ".:!" and len(head.split()) >= 2:
            return head, tail
    return text, ""


def to_lines(text: str) -> list[Line]:
    text = text.replace("\r\n", "\n").replace("\r", "\n").expandtabs(4)
    lines: list[Line] = []
    for number, raw in enumerate(text.split("\n"), start=1):
        raw = raw.replace("\u00a0", " ").rstrip()
        if not raw.strip() or re.fullmatch(r"\s*([-*_=])(\s*\1){2,}\s*", raw):
            continue
        heading = MD_HEADING.match(raw)
        if heading:
            lines.append(Line(number, "heading", clean_inline(heading["text"]), md_level=len(heading["hashes"])))
            continue
        bullet = BULLET.match(raw)
        if bullet:
            head, tail = split_glued(clean_inline(bullet["text"]))
            lines.append(Line(number, "bullet", head, indent=len(bullet["indent"])))
            if tail:
                lines.append(Line(number, "text", tail))
            continue
        stripped = clean_inline(raw)
        if known_key(stripped) or (looks_like_bare_heading(stripped) and len(raw) - len(raw.lstrip()) == 0):
            lines.append(Line(number, "heading", stripped.rstrip(":")))
        else:
            lines.append(Line(number, "text", stripped, indent=len(raw) - len(raw.lstrip())))
    return lines


# --------------------------------------------------------------------------- sections


@dataclass
class Outline:
    title: str = ""
    title_line: int | None = None
    preamble: list[Line] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)


def outline(lines: list[Line]) -> Outline:
    """Headings into a tree: known names open top-level sections; deeper headings nest."""
    result = Outline()
    top_md = min(
        (ln.md_level for ln in lines if ln.kind == "heading" and ln.md_level and known_key(ln.text)), default=None
    )
    stack: list[Section] = []
    for line in lines:
        if line.kind != "heading":
            if stack:
                stack[-1].body.append(line)
            else:
                result.preamble.append(line)
            continue
        key = known_key(line.text)
        if line.md_level is not None:
            if not result.sections and not result.title and key is None and (top_md is None or line.md_level < top_md):
                result.title, result.title_line = line.text, line.number
                continue
            if key is not None and (top_md is None or line.md_level <= top_md):
                depth = 0
            elif top_md is not None and line.md_level <= top_md:
                depth = 0  # an unknown section at the level of the known ones
            else:
                depth = max(1, line.md_level - (top_md or 1))
        else:
            if key is not None:
                depth = 0
            elif not result.sections and not result.title and not result.preamble:
                result.title, result.title_line = line.text, line.number
                continue
            else:
                depth = 1
        if depth == 0 or not stack:
            section = Section(line.text, line.number, 0, key=key)
            section.path = line.text
            result.sections.append(section)
            stack = [section]
            continue
        while stack and stack[-1].depth >= depth:
            stack.pop()
        parent = stack[-1] if stack else result.sections[-1]
        section = Section(line.text, line.number, parent.depth + 1, path=f"{parent.path} > {line.text}")
        parent.children.append(section)
        stack.append(section)
    return result


def bullet_groups(lines: list[Line], path: str) -> tuple[list[Group], list[tuple[str, int]], list[Line]]:
    """Groups of bullets (indented or flat), loose bullets, and prose lines of a section body."""
    bullets = [ln for ln in lines if ln.kind == "bullet"]
    prose = [ln for ln in lines if ln.kind == "text"]
    if not bullets:
        return [], [], prose
    base = min(b.indent for b in bullets)
    # Nest by indentation: [ [top line, [child lines]] | None (a break) ]
    nodes: list[list | None] = []
    for line in lines:
        if line.kind == "text":
            if line.indent > base and nodes and nodes[-1] is not None:
                continue  # a wrapped continuation under a bullet: ignore for structure
            nodes.append(None)
        elif line.kind == "bullet":
            if line.indent > base and nodes and nodes[-1] is not None:
                nodes[-1][1].append(line)
            else:
                nodes.append([line, []])
    groups: list[Group] = []
    loose: list[tuple[str, int]] = []
    current: Group | None = None
    for i, node in enumerate(nodes):
        if node is None:
            current = None
            continue
        top, children = node
        if children:
            current = None
            name = top.text.rstrip(":").strip()
            groups.append(Group(name, top.number, [(c.text, c.number) for c in children], f"{path} > {name}"))
            continue
        heading_like = looks_like_group_heading(top.text)
        following = nodes[i + 1] if i + 1 < len(nodes) else None
        if (
            heading_like
            and following is not None
            and not following[1]
            and not looks_like_group_heading(following[0].text)
        ):
            name = top.text.rstrip(":").strip()
            current = Group(name, top.number, [], f"{path} > {name}")
            groups.append(current)
        elif current is not None and not heading_like:
            current.items.append((top.text, top.number))
        else:
            current = None
            loose.append((top.text, top.number))
    return groups, loose, prose


def section_groups(section: Section) -> tuple[list[Group], list[tuple[str, int]], list[Line]]:
    """Groups from deeper headings and from bullets; the loose bullets and prose left over."""
    groups, loose, prose = bullet_groups(section.body, section.path)
    for child in section.children:
        child_lines = [ln for ln in child.all_lines() if ln.kind != "heading"]
        items = [(ln.text, ln.number) for ln in child_lines if ln.kind == "bullet"]
        groups.append(Group(child.name, child.line, items, child.path))
        prose.extend(ln for ln in child_lines if ln.kind == "text")
    return groups, loose, prose


def where(path: str, line: int) -> str:
    return f"{path}, line {line}"
