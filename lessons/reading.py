"""What the lesson page shows: the reading with its evidence marked, the article's voices
grouped by side, and what the article states on its own authority. Three queries,
whatever the lesson's size; none when the rendered reading is in the cache.

`rendered_reading` keeps the reading rendered (the same for every reader of one version
of a lesson) in the default cache, keyed by the lesson, its content version
(`Lesson.updated_at`, moved by every edit: lessons/signals.py) and the code that renders
it. A new version is a new key, so nothing is ever invalidated by deleting, and a
per-process cache is never stale, only duplicated (docs/performance.md, "Caching")."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.core.cache import caches
from django.template.loader import get_template, render_to_string
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


# --- the rendered reading, cached by content version ----------------------------------

SECTIONS_TEMPLATE = "lessons/_reading_sections.html"
VOICES_TEMPLATE = "lessons/_reading_voices.html"
# Old versions are left to expire (or to be culled: LocMemCache keeps 300 entries).
READING_TIMEOUT = 24 * 60 * 60
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RenderedReading:
    """The reading as HTML: what is the same for every reader of one lesson version. The
    page keeps outside it what is not: the marks switch, the user, the CSRF token."""

    sections: SafeString  # the sections, their paragraphs with the evidence marked
    voices: SafeString  # the voices by side and the article's own statements
    has_own_statements: bool
    problems: tuple = ()  # what the reading had to leave out (bad content), for staff


@cache
def code_version() -> str:
    """A digest of the code that renders the reading: a deployment that changes it starts
    on new keys instead of serving the previous markup from a shared cache."""
    files = [Path(__file__), Path(__file__).with_name("marking.py")]
    files += [Path(get_template(t).origin.name) for t in (SECTIONS_TEMPLATE, VOICES_TEMPLATE)]
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def reading_cache_key(lesson: Lesson) -> str:
    return f"lesson-reading:{code_version()}:{lesson.pk}:{lesson.updated_at.isoformat()}"


def render_reading(lesson: Lesson) -> RenderedReading:
    reading = build_reading(lesson)
    context = {"reading": reading}
    return RenderedReading(
        sections=SafeString(render_to_string(SECTIONS_TEMPLATE, context)),
        voices=SafeString(render_to_string(VOICES_TEMPLATE, context)),
        has_own_statements=bool(reading.own_statements),
        problems=tuple(reading.problems),
    )


def rendered_reading(lesson: Lesson) -> RenderedReading:
    """The lesson's rendered reading, from the cache when this version is there. A cache
    that fails (Redis down) costs the rendering, never the page."""
    store = caches["default"]
    key = reading_cache_key(lesson)
    try:
        found = store.get(key)
    except Exception:  # noqa: BLE001 - any cache error: render instead
        log.warning("reading cache unavailable", exc_info=True)
        return render_reading(lesson)
    if found is not None:
        return found
    rendered = render_reading(lesson)
    try:
        store.set(key, rendered, READING_TIMEOUT)
    except Exception:  # noqa: BLE001
        log.warning("reading cache unavailable", exc_info=True)
    return rendered
