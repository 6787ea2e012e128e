"""What the lesson page shows: the reading with its evidence marked, the article's voices
grouped by side, and what the article states on its own authority. Four queries,
whatever the lesson's size."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.safestring import SafeString

from .marking import ClaimMark, mark_section
from .models import Claim, Lesson, Section, Source


@dataclass
class SectionView:
    section: Section
    paragraphs: list[SafeString]
    claims: list[Claim]


@dataclass
class Voice:
    source: Source
    parent: Source | None
    claims: list[Claim] = field(default_factory=list)


@dataclass
class Side:
    name: str
    voices: list[Voice]


@dataclass
class Reading:
    sections: list[SectionView]
    sides: list[Side]
    own_statements: list[Claim]  # the article's unattributed statements
    # What could not be shown (a claim naming another lesson's source or section), for
    # staff: students see the rest of the reading.
    problems: list[str] = field(default_factory=list)

    @property
    def claim_count(self) -> int:
        return sum(len(s.claims) for s in self.sections)


def is_own_statement(claim: Claim, source: Source) -> bool:
    return claim.kind == Claim.Kind.UNATTRIBUTED or source.kind == Source.Kind.ARTICLE


def build_reading(lesson: Lesson) -> Reading:
    sources = {s.id: s for s in Source.objects.filter(lesson=lesson)}
    sections = list(Section.objects.filter(lesson=lesson))
    section_ids = {s.id for s in sections}
    claims, problems = [], []
    for claim in Claim.objects.filter(lesson=lesson).order_by("order", "id"):
        if claim.source_id not in sources or claim.section_id not in section_ids:
            what = "source" if claim.source_id not in sources else "section"
            problems.append(
                f"Claim “{claim.key}” names a {what} of another lesson and is not shown: "
                f"choose one of this lesson's {what}s in the admin."
            )
            continue
        # Attach the already loaded source so templates never query for it.
        claim.source = sources[claim.source_id]
        claims.append(claim)
    by_section: dict[int, list[Claim]] = {}
    for claim in claims:
        by_section.setdefault(claim.section_id, []).append(claim)

    views = []
    for section in sections:
        mine = by_section.get(section.id, [])
        for claim in mine:
            claim.section = section
        marks = [ClaimMark(c.key, c.evidence, c.source.name, c.kind) for c in mine]
        views.append(
            SectionView(
                section, mark_section(section.body, marks, section_anchor=section.anchor), mine
            )
        )

    voices: dict[int, Voice] = {
        s.id: Voice(s, sources.get(s.parent_id))
        for s in sources.values()
        if s.kind != Source.Kind.ARTICLE
    }
    own = []
    for claim in claims:
        if is_own_statement(claim, claim.source):
            own.append(claim)
        elif claim.source_id in voices:
            voices[claim.source_id].claims.append(claim)
    # Sides in the order their first voice is listed by the lesson's author.
    grouped: dict[str, list[Voice]] = {}
    for voice in sorted(voices.values(), key=lambda v: (v.source.order, v.source.id)):
        grouped.setdefault(voice.source.side, []).append(voice)
    sides = [Side(name, items) for name, items in grouped.items()]
    return Reading(views, sides, own, problems)
