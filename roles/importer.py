"""Read a role-profile document (plain text or Markdown) into a structured, unsaved result.

Pure parsing: no database. ``parse_role_document(text)`` returns a :class:`ParsedRole`
whose every item remembers where it came from ("Requirements > Technical Skills >
Programming, line 54"); ``roles.services.role_template_import`` persists it.

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
from django.utils.text import slugify

LEVELS = (1, 2, 3, 4)
TECHNICAL, LEADERSHIP, SOFT_SKILL, DOMAIN = "technical", "leadership", "soft_skill", "domain"
EDUCATION, EXPERIENCE, SKILL, CERTIFICATION, OTHER = "education", "experience", "skill", "certification", "other"

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
LEADERSHIP_WORDS = re.compile(
    r"\b(lead|leads|leading|leadership|mentor\w*|oversight|management|managing|people)\b", re.I
)
NOT_INTERVIEWABLE = re.compile(r"\b(trends?|news)\b", re.I)
PREFERRED_WORDS = re.compile(
    r"\b(preferred|advantageous|a plus|nice to have|desirable|bonus|ideally|optional)\b|\badditional\b", re.I
)
NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "twelve": 12,
    "fifteen": 15,
}
CURRENCIES = {"$": "USD", "€": "EUR", "£": "GBP"}
MONEY = re.compile(r"(?P<cur>[$€£]|USD|EUR|GBP)\s?(?P<num>\d[\d,]*(?:\.\d+)?)\s*(?P<k>[kK]\b)?")
BULLET = re.compile(r"^(?P<indent>\s*)(?:[-*+•‣◦▪\u2013]|\d{1,3}[.)]|[a-zA-Z][.)](?=\s))\s+(?P<text>\S.*)$")
MD_HEADING = re.compile(r"^\s{0,3}(?P<hashes>#{1,6})\s+(?P<text>.*?)\s*#*\s*$")
NAME_DESCRIPTION = re.compile(r"^(?P<name>[^:]{2,80}?):\s+(?P<desc>\S.*)$")


class RoleDocumentError(ValidationError):
    """The input is not a role-profile document we can read; nothing was created."""


@dataclass
class ParsedCompetency:
    name: str
    category: str
    description: str
    source: str
    anchors: dict[int, str] = field(default_factory=dict)
    weight: float = 1.0


@dataclass
class ParsedResponsibility:
    area: str
    items: list[str]
    source: str


@dataclass
class ParsedRequirement:
    kind: str
    text: str
    required: bool
    min_years: int | None
    source: str


@dataclass
class ParsedBand:
    currency: str = "USD"
    p10: int | None = None
    min: int | None = None
    median: int | None = None
    max: int | None = None
    p90: int | None = None
    notes: str = ""
    source: str = ""


@dataclass
class ParsedRole:
    title: str
    slug: str
    level: str = ""
    family: str = ""
    summary: str = ""
    notes: str = ""
    competencies: list[ParsedCompetency] = field(default_factory=list)
    responsibilities: list[ParsedResponsibility] = field(default_factory=list)
    requirements: list[ParsedRequirement] = field(default_factory=list)
    compensation: ParsedBand | None = None


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


# --------------------------------------------------------------------------- reading the parts


def first_sentence_title(text: str) -> str:
    match = re.match(r"^(?:An?|The)\s+(?P<title>.+?)\s+(?:is|are|will be|serves as)\b", text.strip())
    if match and len(match["title"].split()) <= 8:
        return match["title"].strip()
    return ""


def level_and_family(title: str) -> tuple[str, str]:
    words = title.split()
    levels = {"junior", "mid", "senior", "staff", "principal", "lead", "distinguished", "head", "chief"}
    level = words[0] if words and words[0].lower() in levels else ""
    rest = words[1:] if level else words
    family = " ".join(rest[:-1]) if len(rest) > 1 else ""
    return level, family


def min_years(text: str) -> int | None:
    match = re.search(r"(\d+)\s*(?:-|\u2013|to)\s*\d+\s*\+?\s*years?", text, re.I) or re.search(
        r"(\d+)\s*\+?\s*years?", text, re.I
    )
    if match:
        return int(match.group(1))
    words = "|".join(NUMBER_WORDS)
    match = re.search(rf"\b({words})\s*(?:\(\d+\)\s*)?\+?\s*(?:or more\s+)?years?", text, re.I)
    return NUMBER_WORDS[match.group(1).lower()] if match else None


def as_sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else f"{text}."


def default_anchors(name: str, description: str) -> dict[int, str]:
    """Four rating levels written from the competency's name and description, to be reviewed by an admin.

    The description is quoted as "the bar" rather than woven into a sentence, so the anchors read
    correctly whatever grammatical form the document used.
    """
    focus = re.split(r"(?<=[.;!?])\s", description.strip(), maxsplit=1)[0].strip().rstrip(";")
    if focus and not focus.endswith((".", "!", "?")):
        focus += "."
    bar = f"“{focus[:200]}”" if focus else f"what {name} means for this role."
    return {
        1: f"Little or no evidence of {name}; answers stay vague or second-hand, even with prompting.",
        2: f"Some evidence of {name}, but thin, dated or reliant on others. Falls short of the bar: {bar}",
        3: f"Clear, first-hand evidence of {name}, with specific examples and their results. Meets the bar: {bar}",
        4: (
            f"Exceptional strength in {name}: goes beyond the bar, repeatedly and at a larger scope; others rely "
            f"on their judgement. The bar: {bar}"
        ),
    }


def band_from(section: Section, title: str) -> ParsedBand | None:
    groups, loose, _prose = section_groups(section)
    if loose:
        groups.append(Group(section.name, section.line, loose, section.path))
    title_words = set(re.findall(r"[a-z]+", title.lower())) or {"role"}
    candidates = []
    for group in groups:
        figures = read_band_figures(group.items)
        if not any(
            value is not None for key, value in figures.items() if key in ("p10", "min", "median", "max", "p90")
        ):
            continue
        heading_words = set(re.findall(r"[a-z]+", group.name.lower()))
        score = len(title_words & heading_words) / len(title_words)
        if heading_words & {"comparison", "compare", "versus"}:
            score -= 1
        if heading_words & {"estimated", "estimate", "our", "this", "target"}:
            score += 0.25
        candidates.append((score, -group.line, group, figures))
    if not candidates:
        return None
    candidates.sort(key=lambda c: (c[0], c[1]), reverse=True)
    _score, _line, chosen, figures = candidates[0]
    others = [
        f"{group.name}: " + "; ".join(text for text, _ in group.items)
        for group in groups
        if group is not chosen and group.items and any(MONEY.search(text) for text, _ in group.items)
    ]
    notes = list(figures.pop("_notes"))
    if others:
        notes.append("Other figures in the source document: " + " | ".join(others))
    band = ParsedBand(notes="\n".join(notes), source=where(chosen.path, chosen.line), **figures)
    # Keep the band consistent (p10 <= min <= median <= max <= p90): drop a figure that breaks the order.
    for low, high in (("p10", "min"), ("min", "median"), ("median", "max"), ("max", "p90"), ("min", "max")):
        lo, hi = getattr(band, low), getattr(band, high)
        if lo is not None and hi is not None and lo > hi:
            band.notes += f"\nDropped {high}={hi} (below {low}={lo})."
            setattr(band, high, None)
    return band


def read_band_figures(items: list[tuple[str, int]]) -> dict:
    figures: dict = {"currency": "USD", "p10": None, "min": None, "median": None, "max": None, "p90": None}
    notes: list[str] = []
    currency_seen = False
    for text, _line in items:
        label, _, rest = text.partition(":")
        if not rest:
            label, rest = text, text
        values = []
        for m in MONEY.finditer(rest):
            value = float(m["num"].replace(",", ""))
            values.append(round(value * (1000 if m["k"] else 1)))
            if not currency_seen:
                figures["currency"] = CURRENCIES.get(m["cur"], m["cur"].upper())
                currency_seen = True
        if not values:
            continue
        label = label.lower()
        if re.search(r"\bmedian\b", label):
            figures["median"] = values[0]
            if len(values) > 1:
                notes.append(f"Median given as a range ({text}); the lower figure is used.")
        elif re.search(r"bottom\s*10|10th|\bp10\b|lowest", label):
            figures["p10"] = values[0]
        elif re.search(r"top\s*10|90th|\bp90\b|top earners|highest", label):
            figures["p90"] = values[0]
            if len(values) > 1:
                notes.append(f"Top of the market given as a range ({text}); the lower figure is used as p90.")
        elif re.search(r"\brange\b|\bbetween\b", label) and len(values) >= 2:
            figures["min"], figures["max"] = values[0], values[1]
        elif re.search(r"\bmin(imum)?\b|\bfrom\b|\bstart", label):
            figures["min"] = values[0]
        elif re.search(r"\bmax(imum)?\b|\bup to\b", label):
            figures["max"] = values[0]
        else:
            notes.append(f"Not used for the band: {text}")
    figures["_notes"] = notes
    return figures


# --------------------------------------------------------------------------- the whole document


class _Reader:
    def __init__(self, text: str, title: str | None):
        self.lines = to_lines(text)
        self.outline = outline(self.lines)
        self.title_override = (title or "").strip()
        self.notes: list[str] = []

    def keep(self, heading: str, lines: list[Line] | list[tuple[str, int]]) -> None:
        texts = []
        for line in lines:
            if isinstance(line, Line):
                prefix = "- " if line.kind == "bullet" else ("### " if line.kind == "heading" else "")
                texts.append(f"{prefix}{line.text}")
            else:
                texts.append(f"- {line[0]}")
        if texts:
            self.notes.append(f"## {heading}\n" + "\n".join(texts))

    def sections(self, key: str) -> list[Section]:
        return [s for s in self.outline.sections if s.key == key]

    def read(self) -> ParsedRole:
        if not self.lines:
            raise RoleDocumentError("The document is empty.", code="empty")
        found = {s.key for s in self.outline.sections if s.key}
        if not found & {"overview", "responsibilities", "requirements", "soft_skills", "salary"}:
            raise RoleDocumentError(
                "This does not look like a role profile: none of the expected sections was found "
                "(Overview, Core Responsibilities, Requirements, Essential Soft Skills, Salary Ranges).",
                code="not_a_role",
            )
        summary, title_from_overview = self.overview()
        title = self.title_override or self.outline.title or title_from_overview
        if title.isupper():
            title = " ".join(
                word
                if len(word) <= 3 and word.isalpha() and word in {"AI", "ML", "QA", "UX", "IT"}
                else word.capitalize()
                for word in title.split()
            )
        if not title:
            raise RoleDocumentError(
                "No title found: start the document with a heading (# Title) or an overview sentence like "
                "'A Staff Data Engineer is ...', or give a title.",
                code="no_title",
            )
        if self.outline.preamble:
            self.keep("Before the first section", self.outline.preamble)
        competencies: list[ParsedCompetency] = []
        responsibilities: list[ParsedResponsibility] = []
        requirements: list[ParsedRequirement] = []
        technical: list[ParsedCompetency] = []
        from_responsibilities: list[ParsedCompetency] = []
        soft: list[ParsedCompetency] = []
        band = None
        for section in self.outline.sections:
            if section.key == "responsibilities":
                areas, comps = self.responsibilities(section)
                responsibilities += areas
                from_responsibilities += comps
            elif section.key == "requirements":
                reqs, comps, areas = self.requirements(section)
                requirements += reqs
                technical += comps
                responsibilities += areas
            elif section.key == "soft_skills":
                soft += self.soft_skills(section)
            elif section.key == "salary" and band is None:
                band = band_from(section, title)
                self.keep(section.name, section.all_lines())
            elif section.key == "overview":
                continue
            else:
                self.keep(section.name, section.all_lines())
        competencies = unique_by_name(technical + from_responsibilities + soft)
        responsibilities = unique_areas(responsibilities)
        if not (competencies or responsibilities or requirements):
            raise RoleDocumentError(
                "No competencies, responsibilities or requirements could be read from this document.",
                code="nothing_found",
            )
        for competency in competencies:
            competency.anchors = default_anchors(competency.name, competency.description)
        level, family = level_and_family(title)
        return ParsedRole(
            title=title[:200],
            slug=slugify(title)[:180] or "role",
            level=level,
            family=family,
            summary=summary,
            notes="\n\n".join(self.notes),
            competencies=competencies,
            responsibilities=responsibilities,
            requirements=requirements,
            compensation=band,
        )

    def overview(self) -> tuple[str, str]:
        sections = self.sections("overview")
        if not sections:
            prose = [ln.text for ln in self.outline.preamble if ln.kind == "text"]
            return " ".join(prose[:1]), first_sentence_title(prose[0]) if prose else ""
        section = sections[0]
        paragraph: list[str] = []
        rest: list[Line] = []
        for line in section.body:
            if line.kind == "text" and not rest:
                paragraph.append(line.text)
            else:
                rest.append(line)
        text = " ".join(paragraph)
        title = first_sentence_title(text)
        sentences = re.split(r"(?<=[.!?])\s+", text)
        if sentences and sentences[-1].endswith(":"):
            rest.insert(0, Line(section.line, "text", sentences.pop()))
        self.keep(section.name, rest + [ln for c in section.children for ln in c.all_lines()])
        return " ".join(sentences).strip(), title

    def responsibilities(self, section: Section) -> tuple[list[ParsedResponsibility], list[ParsedCompetency]]:
        groups, loose, prose = section_groups(section)
        areas, comps = [], []
        for group in groups:
            items = [as_sentence(text) for text, _ in group.items]
            source = where(group.path, group.line)
            areas.append(ParsedResponsibility(group.name, items, source))
            if NOT_INTERVIEWABLE.search(group.name) or not items:
                continue
            category = LEADERSHIP if LEADERSHIP_WORDS.search(group.name) else DOMAIN
            comps.append(ParsedCompetency(group.name, category, " ".join(items), source))
        if loose:
            areas.append(
                ParsedResponsibility("General", [as_sentence(t) for t, _ in loose], where(section.path, loose[0][1]))
            )
        self.keep(f"{section.name} (other text)", prose)
        return areas, comps

    def requirements(self, section: Section):
        requirements: list[ParsedRequirement] = []
        competencies: list[ParsedCompetency] = []
        areas: list[ParsedResponsibility] = []
        body_groups, body_loose, body_prose = bullet_groups(section.body, section.path)
        self.keep(f"{section.name} (other text)", body_prose)
        for group in body_groups:
            self.keep(f"{section.name} > {group.name}", [(t, n) for t, n in group.items])
        for text, line in body_loose:
            requirements.append(requirement_from(text, section.name, where(section.path, line)))
        for child in section.children:
            name = normalise(child.name)
            if re.search(r"technical|hard skills|tools", name):
                groups, loose, prose = section_groups(child)
                for group in groups:
                    items = [as_sentence(t) for t, _ in group.items]
                    if items:
                        competencies.append(
                            ParsedCompetency(group.name, TECHNICAL, " ".join(items), where(group.path, group.line))
                        )
                for text, line in loose:
                    requirements.append(ParsedRequirement(SKILL, text, True, min_years(text), where(child.path, line)))
                self.keep(f"{child.path} (other text)", prose)
            elif re.search(r"responsib|duties", name):
                lines = [ln for ln in child.all_lines() if ln.kind == "bullet"]
                prose = [ln for ln in child.all_lines() if ln.kind == "text"]
                if lines:
                    areas.append(
                        ParsedResponsibility(
                            child.name, [as_sentence(ln.text) for ln in lines], where(child.path, child.line)
                        )
                    )
                self.keep(f"{child.path} (other text)", prose)
            else:
                lines = child.all_lines()
                bullets = [ln for ln in lines if ln.kind == "bullet"]
                if not re.search(r"educat|degree|experien|skill|qualif|certif|licen|language", name):
                    self.keep(child.path, lines)
                    continue
                for line in bullets:
                    requirements.append(requirement_from(line.text, child.name, where(child.path, line.number)))
                self.keep(f"{child.path} (other text)", [ln for ln in lines if ln.kind == "text"])
        return requirements, competencies, areas

    def soft_skills(self, section: Section) -> list[ParsedCompetency]:
        competencies = []
        leftovers: list[Line] = []
        for line in section.all_lines():
            match = NAME_DESCRIPTION.match(line.text) if line.kind == "bullet" else None
            if match and len(match["name"].split()) <= 7 and match["name"][0].isupper():
                competencies.append(
                    ParsedCompetency(
                        match["name"].strip(),
                        SOFT_SKILL,
                        as_sentence(match["desc"]),
                        where(section.path, line.number),
                    )
                )
            elif line.kind == "bullet" and looks_like_group_heading(line.text):
                competencies.append(ParsedCompetency(line.text, SOFT_SKILL, "", where(section.path, line.number)))
            else:
                leftovers.append(line)
        self.keep(f"{section.name} (other text)", leftovers)
        return competencies


def requirement_from(text: str, group: str, source: str) -> ParsedRequirement:
    group_l = group.lower()
    text_l = text.lower()
    if "educat" in group_l or "degree" in group_l:
        kind = EDUCATION
    elif "experien" in group_l:
        kind = EXPERIENCE
    elif "certif" in text_l or "licen" in text_l:
        kind = CERTIFICATION
    elif "skill" in group_l or "language" in group_l:
        kind = SKILL
    else:
        kind = OTHER
    preferred = bool(PREFERRED_WORDS.search(text)) or bool(re.search(r"additional|preferred|nice", group_l))
    return ParsedRequirement(kind, text.rstrip("."), not preferred, min_years(text), source)


def unique_by_name(competencies: list[ParsedCompetency]) -> list[ParsedCompetency]:
    seen: dict[str, ParsedCompetency] = {}
    for competency in competencies:
        key = competency.name.lower()
        if key in seen:
            seen[key].description = f"{seen[key].description} {competency.description}".strip()
            continue
        seen[key] = competency
    return list(seen.values())


def unique_areas(areas: list[ParsedResponsibility]) -> list[ParsedResponsibility]:
    seen: dict[str, ParsedResponsibility] = {}
    for area in areas:
        key = area.area.lower()
        if key in seen:
            seen[key].items.extend(area.items)
            continue
        seen[key] = area
    return list(seen.values())


def parse_role_document(data: bytes | str, *, title: str | None = None) -> ParsedRole:
    """Read a role-profile document; raise :class:`RoleDocumentError` if it is not one."""
    text = decode(data)
    if not text.strip():
        raise RoleDocumentError("The document is empty.", code="empty")
    return _Reader(text, title).read()
