"""Mapping the outline of a role-profile document to an unsaved template (``ParsedRole``).

``parse_role_document(data)`` reads the document (``roles.importer.reader``) and maps its
sections to competencies, responsibilities, requirements and a pay band; every item remembers
where it came from ("Requirements > Technical Skills > Programming, line 54").
``roles.services.role_template_import`` persists the result.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.text import slugify

from .reader import (
    Group,
    Line,
    RoleDocumentError,
    Section,
    bullet_groups,
    decode,
    looks_like_group_heading,
    normalise,
    outline,
    section_groups,
    to_lines,
    where,
)

TECHNICAL, LEADERSHIP, SOFT_SKILL, DOMAIN = "technical", "leadership", "soft_skill", "domain"
EDUCATION, EXPERIENCE, SKILL, CERTIFICATION, OTHER = "education", "experience", "skill", "certification", "other"

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
# Why a part of the document was skipped (listed on the draft, the text itself is kept in the notes).
PROSE = "connecting prose, kept in the notes"
OVERVIEW = "the overview's lists are background, not competencies; kept in the notes"
SECTION = "not something a scorecard rates, kept in the notes"
SALARY = "the pay band was read from it; the full text is kept in the notes"
UNKNOWN_REQUIREMENT = "not a kind of requirement the importer reads, kept in the notes"
NOT_ASSESSABLE = "kept as a responsibility area but not made a competency: an interview cannot assess it"
NAME_DESCRIPTION = re.compile(r"^(?P<name>[^:]{2,80}?):\s+(?P<desc>\S.*)$")


@dataclass
class ParsedCompetency:
    name: str
    category: str
    description: str
    source: str
    anchors: dict[int, str] = field(default_factory=dict)
    weight: float = 1.0
    items: list[str] = field(default_factory=list)


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
    # Parts of the document not turned into template content, each with where it is and why.
    skipped: list[str] = field(default_factory=list)


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


def _item_label(text: str) -> str:
    """A document item as a short quoted label: first letter lowered (unless an acronym), no final stop."""
    text = re.sub(r"\s+", " ", text.strip()).rstrip(".;:").strip()
    if len(text) > 140:
        text = text[:140].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    first = text.split(" ", 1)[0]
    if first[:1].isupper() and not first[1:2].isupper():
        text = text[:1].lower() + text[1:]
    return f"“{text}”"


def _items_of(competency: ParsedCompetency) -> list[str]:
    items = [item for item in competency.items if item.strip()]
    if not items and competency.description.strip():
        items = [s for s in re.split(r"(?<=[.;!?])\s+", competency.description.strip()) if s.strip()]
    return items


# What an interviewer can point to as the outcome of an example, by competency category.
EVIDENCE = {
    TECHNICAL: "a result they can show (a number, a merged change, code or a design others reuse)",
    LEADERSHIP: "who they brought along, what the group decided and what happened next",
    DOMAIN: "a result they can show (a shipped change, a number, a document others used)",
    SOFT_SKILL: "the situation, what they did themselves and how it turned out",
}


def default_anchors(
    name: str, description: str, items: list[str] | None = None, category: str = DOMAIN
) -> dict[int, str]:
    """Four rating levels written from the competency's own items in the document, to be reviewed by an admin.

    Each level says what an interviewer sees or hears at that level (an example of their own or
    none, its scope, the result they can show), about the document's items for this competency
    quoted as labels, so the anchors read correctly whatever grammatical form the document used
    and no two competencies share a sentence.
    """
    labels = [_item_label(item) for item in (items or []) if item.strip()]
    if not labels and description.strip():
        labels = [_item_label(s) for s in re.split(r"(?<=[.;!?])\s+", description.strip()) if s.strip()]
    if not labels:
        labels = [f"“{name}”"]
    first = labels[0]
    second = labels[1] if len(labels) > 1 else None
    last = labels[-1] if len(labels) > 2 else second
    both = f"{first} and {second}" if second else first
    wide = f"{first} and {last}" if last else first
    return {
        1: (
            f"Gives no example of their own for {first}: the answer stays general, repeats definitions or retells "
            "what a colleague did, even after a follow-up question."
        ),
        2: (
            f"Has an example for {second or first}, but it is small, dated or led by someone else; cannot say "
            "what they decided themselves or what changed because of it."
        ),
        3: (
            f"Walks through a recent example of their own for {both}: what they did, why they chose it, and "
            f"{EVIDENCE.get(category, EVIDENCE[DOMAIN])}."
        ),
        4: (
            f"Gives several examples for {wide} at a scope beyond one team, names the options they turned down "
            "and why, and shows what others now do differently because of their work."
        ),
    }


def distinct_anchors(competencies: list[ParsedCompetency]) -> None:
    """Write each competency's anchors; a sentence another competency already uses gets the name added."""
    seen: set[str] = set()
    for competency in competencies:
        anchors = default_anchors(competency.name, competency.description, _items_of(competency), competency.category)
        for level, text in anchors.items():
            if text in seen:
                text = f"{text[:-1]} (for {competency.name})."
                anchors[level] = text
            seen.add(text)
        competency.anchors = anchors


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
        self.skipped: list[str] = []

    def keep(self, heading: str, lines: list[Line] | list[tuple[str, int]], reason: str = PROSE) -> None:
        """Keep lines the template does not use as a note, and list them as a skipped part of the document."""
        texts = []
        numbers = [line.number if isinstance(line, Line) else line[1] for line in lines]
        for line in lines:
            if isinstance(line, Line):
                prefix = "- " if line.kind == "bullet" else ("### " if line.kind == "heading" else "")
                texts.append(f"{prefix}{line.text}")
            else:
                texts.append(f"- {line[0]}")
        if texts:
            self.notes.append(f"## {heading}\n" + "\n".join(texts))
            self.skip(heading, min(numbers), len(texts), reason)

    def skip(self, heading: str, line: int, count: int, reason: str) -> None:
        lines = "1 line" if count == 1 else f"{count} lines"
        self.skipped.append(f"{heading} (line {line}, {lines}): {reason}")

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
                self.keep(section.name, section.all_lines(), SALARY)
            elif section.key == "overview":
                continue
            else:
                self.keep(section.name, section.all_lines(), SECTION)
        competencies = unique_by_name(technical + from_responsibilities + soft)
        responsibilities = unique_areas(responsibilities)
        if not (competencies or responsibilities or requirements):
            raise RoleDocumentError(
                "No competencies, responsibilities or requirements could be read from this document.",
                code="nothing_found",
            )
        distinct_anchors(competencies)
        level, family = level_and_family(title)
        return ParsedRole(
            title=title[:200],
            slug=slugify(title)[:180] or "role",
            level=level,
            family=family,
            summary=summary,
            notes="\n\n".join(self.notes),
            skipped=self.skipped,
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
        self.keep(section.name, rest + [ln for c in section.children for ln in c.all_lines()], OVERVIEW)
        return " ".join(sentences).strip(), title

    def responsibilities(self, section: Section) -> tuple[list[ParsedResponsibility], list[ParsedCompetency]]:
        groups, loose, prose = section_groups(section)
        areas, comps = [], []
        for group in groups:
            items = [as_sentence(text) for text, _ in group.items]
            source = where(group.path, group.line)
            areas.append(ParsedResponsibility(group.name, items, source))
            if NOT_INTERVIEWABLE.search(group.name) and items:
                self.skip(group.name, group.line, len(items) + 1, NOT_ASSESSABLE)
            if NOT_INTERVIEWABLE.search(group.name) or not items:
                continue
            category = LEADERSHIP if LEADERSHIP_WORDS.search(group.name) else DOMAIN
            comps.append(ParsedCompetency(group.name, category, " ".join(items), source, items=items))
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
            self.keep(f"{section.name} > {group.name}", [(t, n) for t, n in group.items], UNKNOWN_REQUIREMENT)
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
                            ParsedCompetency(
                                group.name, TECHNICAL, " ".join(items), where(group.path, group.line), items=items
                            )
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
                    self.keep(child.path, lines, UNKNOWN_REQUIREMENT)
                    continue
                for bullet in bullets:
                    requirements.append(requirement_from(bullet.text, child.name, where(child.path, bullet.number)))
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
            seen[key].items.extend(competency.items)
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
