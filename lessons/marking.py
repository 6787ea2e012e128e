"""The reading with its evidence marked: who speaks, and how, in plain HTML.

Pure functions on plain data (no ORM, no request), so they are tested without a browser.
A section body is split into paragraphs (blank lines part them); every claim's evidence
span is wrapped in <mark> and followed by a short visible tag naming its source and how
it speaks (quote, paraphrase, framing, the article's own statement). Everything else is
escaped. Spans may overlap or repeat: the text is cut at every span boundary, and each
piece is marked when at least one span covers it.

Every claim gets an id anchor where its evidence starts (`claim-<key>`), and every
sentence one too (`<section anchor>-s<n>`), so a result page can link to the sentence
that proves an answer even when that sentence is not a claim's evidence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
# A sentence ends at . ! ? or … (with any closing quotes or brackets) followed by space
# and something that can start a sentence. "U.S. forces" does not split: lower case.
SENTENCE_BREAK = re.compile(r"(?<=[.!?…])[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])")

KIND_TAGS = {
    "quote": "quote",
    "paraphrase": "paraphrase",
    "framing": "framing",
    "unattributed": "the article's own statement",
}


@dataclass(frozen=True)
class ClaimMark:
    """What the marking needs to know about one claim."""

    key: str
    evidence: str
    source: str
    kind: str  # quote, paraphrase, framing, unattributed

    @property
    def anchor(self) -> str:
        return claim_anchor(self.key)

    @property
    def tag(self) -> str:
        if self.kind == "unattributed":
            return KIND_TAGS["unattributed"]  # naming "the article itself" again says nothing
        return f"{self.source}, {KIND_TAGS.get(self.kind, self.kind)}"


@dataclass(frozen=True)
class Paragraph:
    start: int  # offset of the paragraph in the body
    text: str


def claim_anchor(key: str) -> str:
    return f"claim-{key}"


def paragraphs(body: str) -> list[Paragraph]:
    """The body's paragraphs with their offsets; blank lines part paragraphs."""
    result = []
    pos = 0
    normalised = body.replace("\r\n", "\n")
    for match in [*PARAGRAPH_BREAK.finditer(normalised), None]:
        end = match.start() if match else len(normalised)
        raw = normalised[pos:end]
        stripped = raw.strip()
        if stripped:
            result.append(Paragraph(pos + raw.index(stripped), stripped))
        if match:
            pos = match.end()
    return result


def sentence_starts(text: str) -> list[int]:
    """Offsets where the sentences of one paragraph start."""
    return [0, *(m.end() for m in SENTENCE_BREAK.finditer(text))]


def sentences(body: str) -> list[str]:
    """The section's sentences in reading order, each stripped, across its paragraphs: the
    same split as the sentence anchors (sentence n is `<section anchor>-s<n>`), so the
    evidence-pick question (`quizzes.evidence_pick`) offers exactly these."""
    out = []
    for paragraph in paragraphs(body):
        starts = sentence_starts(paragraph.text)
        for a, b in zip(starts, [*starts[1:], len(paragraph.text)], strict=True):
            piece = paragraph.text[a:b].strip()
            if piece:
                out.append(piece)
    return out


def sentence_anchor(section_anchor: str, body: str, evidence: str) -> str | None:
    """The id of the sentence where `evidence` starts in `body`, or None when the
    evidence is not in the body. Counts sentences across the whole section."""
    if not evidence:
        return None
    at = body.replace("\r\n", "\n").find(evidence)
    if at < 0:
        return None
    number, found = 0, None
    for paragraph in paragraphs(body):
        for start in sentence_starts(paragraph.text):
            if paragraph.start + start > at:
                return found
            found = f"{section_anchor}-s{number}"
            number += 1
    return found


def evidence_anchor(
    evidence: str,
    claim: ClaimMark | None = None,
    *,
    section_anchor: str = "",
    body: str | None = None,
) -> str | None:
    """Where a result page links to prove an answer: the question's claim when the
    question has no evidence of its own or its evidence lies within the claim's; else
    the sentence of the section (`section_anchor`, `body`) where the evidence starts,
    else the section itself; None when there is no section."""
    if claim is not None and (not evidence or evidence in claim.evidence):
        return claim.anchor
    if body is None:
        return None
    return sentence_anchor(section_anchor, body, evidence) or section_anchor or None


def _spans(text: str, claims: list[ClaimMark]) -> list[tuple[int, int, ClaimMark]]:
    spans = []
    for claim in claims:
        if not claim.evidence:
            continue
        at = text.find(claim.evidence)
        if at >= 0:
            spans.append((at, at + len(claim.evidence), claim))
    return spans


def mark_paragraph(
    text: str, claims: list[ClaimMark], *, sentence_ids: list[str] = ()
) -> SafeString:
    """One paragraph's HTML: text escaped, each claim's evidence marked and tagged,
    an anchor at each sentence start (ids from `sentence_ids`, in order)."""
    spans = _spans(text, claims)
    starts = sentence_starts(text)
    cuts = sorted({0, len(text), *starts, *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    sentence_at = dict(zip(starts, sentence_ids, strict=False))
    out = []
    for i, a in enumerate(cuts):
        # Tags of the claims that end here, then anchors of what starts here.
        ending = [c for s, e, c in spans if e == a and s < e]
        if ending:
            out.append(_tag(ending))
        if a in sentence_at:
            out.append(f'<span class="sentence-anchor" id="{escape(sentence_at[a])}"></span>')
        for s, _, claim in spans:
            if s == a:
                out.append(f'<span class="claim-anchor" id="{escape(claim.anchor)}"></span>')
        if i + 1 == len(cuts):
            break
        b = cuts[i + 1]
        piece = escape(text[a:b])
        covering = [(s, e, c) for s, e, c in spans if s <= a and e >= b]
        if covering:
            # The innermost (shortest) span decides how the piece looks.
            inner = min(covering, key=lambda span: (span[1] - span[0], span[0]))[2]
            classes = f"claim claim-{escape(inner.kind)}"
            if len(covering) > 1:
                classes += " claim-overlap"
            out.append(f'<mark class="{classes}">{piece}</mark>')
        else:
            out.append(piece)
    return mark_safe("".join(out))


def _tag(claims: list[ClaimMark]) -> str:
    labels = "; ".join(escape(c.tag) for c in claims)
    return (
        '<span class="claim-tag">'
        '<span class="visually-hidden"> (source: </span>'
        f"{labels}"
        '<span class="visually-hidden">)</span></span>'
    )


def mark_section(
    body: str, claims: Iterable[ClaimMark], *, section_anchor: str = ""
) -> list[SafeString]:
    """The section's paragraphs as safe HTML with every claim's evidence marked.

    A claim's evidence is marked where it first occurs in the paragraph that holds it;
    evidence that crosses a paragraph break is not marked (its anchor falls back to the
    sentence)."""
    claims = list(claims)
    html = []
    number = 0
    placed: set[str] = set()
    for paragraph in paragraphs(body):
        count = len(sentence_starts(paragraph.text))
        ids = (
            [f"{section_anchor}-s{n}" for n in range(number, number + count)]
            if section_anchor
            else []
        )
        number += count
        mine = [
            c for c in claims if c.evidence and c.key not in placed and c.evidence in paragraph.text
        ]
        placed.update(c.key for c in mine)
        html.append(mark_paragraph(paragraph.text, mine, sentence_ids=ids))
    return html
