"""The one drafting function the command and the admin share."""

from __future__ import annotations

from dataclasses import dataclass, field

from .extract import OWN, QUOTE, Claim, extract
from .questions import CLASSIFICATION_LABELS, DraftQuestion, draft_questions
from .sources import Source
from .text import Section, has_words, html_to_text, looks_like_html, normalise, sections_of

MAX_CHARS = 200_000  # about 30,000 words: far past any news article
TITLE_MAX = 200
FIELD_MAX = {"outlet": 200, "date": 100, "url": 2000}


class DraftError(ValueError):
    """Input the drafter cannot work from; `code` says which problem (for tests and
    for the admin form's ValidationError)."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message, self.code = message, code


@dataclass
class Draft:
    title: str
    source_text: str  # the article exactly as given
    text: str  # what was read: normalised, HTML reduced to text
    sections: list[Section]
    sources: list[Source]
    claims: list[Claim]
    questions: list[DraftQuestion]
    outlet: str = ""
    date: str = ""
    url: str = ""
    notes: list[str] = field(default_factory=list)  # what the draft could not find

    def to_bundle(self, labels: tuple[str, str, str] | None = None) -> dict:
        from .bundle import to_bundle

        return to_bundle(self, labels)

    @property
    def counts(self) -> dict[str, int]:
        return {
            "sections": len(self.sections),
            "sentences": sum(len(s.sentences) for s in self.sections),
            "sources": len(self.sources),
            "claims": len(self.claims),
            "attributed": sum(1 for c in self.claims if c.source is not None),
            "quotes": sum(1 for c in self.claims if c.kind == QUOTE),
            "questions": len(self.questions),
        }


def _check_fields(text, title, outlet, date, url) -> None:
    if not isinstance(text, str):
        raise DraftError("The article must be text.", "not_text")
    if len(text) > MAX_CHARS:
        raise DraftError(
            f"The article is too long: {len(text):,} characters, at most {MAX_CHARS:,}. "
            "Paste one article at a time.",
            "too_long",
        )
    if not text.strip():
        raise DraftError("The article is empty: paste its text.", "empty")
    if not (title or "").strip():
        raise DraftError("The lesson needs a title.", "no_title")
    if len(title) > TITLE_MAX:
        raise DraftError(f"The title is too long: at most {TITLE_MAX} characters.", "long_title")
    for name, value in (("outlet", outlet), ("date", date), ("url", url)):
        if len(value or "") > FIELD_MAX[name]:
            raise DraftError(
                f"The {name} is too long: at most {FIELD_MAX[name]} characters.", f"long_{name}"
            )


def draft_from_text(
    text: str,
    *,
    title: str,
    outlet: str = "",
    date: str = "",
    url: str = "",
    labels: tuple[str, str, str] = CLASSIFICATION_LABELS,
) -> Draft:
    """Draft a lesson from an article's text. Raises DraftError for input it cannot work
    from (empty, too long, no sentences); otherwise returns a Draft whose `notes` say
    what it could not find."""
    _check_fields(text, title, outlet, date, url)
    notes: list[str] = []
    readable = text
    if looks_like_html(text):
        readable = html_to_text(text)
        notes.append("The paste looked like HTML: it was reduced to its text.")
    readable = normalise(readable)
    sections = sections_of(readable, first_title="The opening")
    sentences = [s for sec in sections for s in sec.sentences]
    if not any(has_words(s.text) for s in sentences):
        raise DraftError(
            "No sentences found: the text has no run of words to read. Paste the article's "
            "paragraphs, not only its headline or figures.",
            "no_sentences",
        )
    registry, claims, found_notes = extract(sections, readable)
    notes += found_notes
    titles = [s.title for s in sections]
    questions = draft_questions(registry.sources, claims, titles, labels)
    if not any(c.kind == QUOTE for c in claims):
        notes.append("No quotation found: no claim is drafted as a direct quote.")
    if all(c.kind == OWN for c in claims):
        notes.append(
            "No reporting verb or quotation found: every statement is drafted as the article's own."
        )
    if not any(c.kind == OWN for c in claims):
        notes.append("No statement in the article's own voice found: every claim is attributed.")
    if not questions:
        notes.append("No question could be drafted: write them by hand.")
    return Draft(
        title=title.strip(),
        source_text=text,
        text=readable,
        sections=sections,
        sources=registry.sources,
        claims=claims,
        questions=questions,
        outlet=(outlet or "").strip(),
        date=(date or "").strip(),
        url=(url or "").strip(),
        notes=notes,
    )
