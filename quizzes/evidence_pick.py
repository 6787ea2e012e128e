"""The evidence-pick question: the learner chooses, among a section's sentences, the one
that proves a statement (the question's prompt).

Its choices are the section's sentences in reading order (`lessons.marking.sentences`,
the split the sentence anchors use), stored as Choice rows so that an answer is a
Selection like any other and the form posts positions. They are made from the section:

- the question's `evidence` must be exactly one of those sentences: that choice is the key;
- the sentences of the question's claim's evidence, other than the key, are marked
  `partial` (part credit, `scoring.SAME_CLAIM`): they show the claim but do not prove the
  statement;
- every other sentence earns nothing.

The order is the same for everyone and is the text's own, so it tells nothing about the
key; the choices never shuffle (`Question.FIXED_ORDER_KINDS`).

When a teacher edits the section after the question was written, the stored choices no
longer match it: `pick_problems` (a content rule, run on import, on publish and over the
shipped bundles) reports `evidence_pick_stale`, and saving the question in the admin
makes the choices again (`make_choices`).

Pure functions on plain values (a section body, the evidence, the claim's evidence, the
choices as (text, correct, partial)), so the bundle's validation uses them without a
database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from lessons.marking import sentences

# A choice among fewer sentences is a guess, not a reading.
MIN_SENTENCES = 3
# The longest sentence a choice holds (`Choice.text`).
MAX_SENTENCE = 500


@dataclass(frozen=True)
class PickChoice:
    text: str
    correct: bool
    partial: bool


def claim_sentences(all_sentences: list[str], claim_evidence: str) -> set[str]:
    """The sentences that hold the claim's evidence (or lie within it)."""
    if not claim_evidence:
        return set()
    return {s for s in all_sentences if claim_evidence in s or s in claim_evidence}


def expected_choices(body: str, evidence: str, claim_evidence: str = "") -> list[PickChoice]:
    """The choices an evidence-pick question on `body` has: one per sentence, in order."""
    all_sentences = sentences(body)
    of_claim = claim_sentences(all_sentences, claim_evidence)
    return [PickChoice(s, s == evidence, s in of_claim and s != evidence) for s in all_sentences]


def pick_problems(
    *,
    title: str,
    body: str | None,
    evidence: str,
    claim_evidence: str = "",
    choices: Iterable[PickChoice] | None = None,
) -> list[tuple[str, str]]:
    """(code, message) for each problem of an evidence-pick question, in a teacher's words.
    `body` is its section's text (None: no section); `choices` the stored ones (None: do
    not compare them)."""
    if body is None:
        return [
            (
                "evidence_pick_section",
                "An evidence-pick question needs a section: its sentences are the choices.",
            )
        ]
    all_sentences = sentences(body)
    found = []
    if len(all_sentences) < MIN_SENTENCES:
        found.append(
            (
                "evidence_pick_too_few",
                f"The section “{title}” has {len(all_sentences)} sentence"
                f"{'s' if len(all_sentences) != 1 else ''}; an evidence-pick question needs "
                f"a section of at least {MIN_SENTENCES}, or picking is a guess.",
            )
        )
    long = [n for n, s in enumerate(all_sentences, start=1) if len(s) > MAX_SENTENCE]
    if long:
        found.append(
            (
                "evidence_pick_long_sentence",
                f"Sentence {long[0]} of the section “{title}” is longer than {MAX_SENTENCE} "
                "characters, too long for a choice: split it.",
            )
        )
    if evidence not in all_sentences:
        inside = bool(evidence) and evidence in body
        found.append(
            (
                "evidence_pick_not_a_sentence",
                (
                    "The evidence is in the section but is not one whole sentence of it: "
                    if inside
                    else f"The evidence is not a sentence of the section “{title}”: "
                )
                + "copy exactly one sentence, from its first word to its full stop.",
            )
        )
    if claim_evidence and not claim_sentences(all_sentences, claim_evidence):
        found.append(
            (
                "evidence_pick_claim_elsewhere",
                f"The question's claim has its evidence outside the section “{title}”: choose "
                "a claim of this section, or none.",
            )
        )
    stale = choices is not None and list(choices) != expected_choices(
        body, evidence, claim_evidence
    )
    if stale and not found:
        found.append(
            (
                "evidence_pick_stale",
                f"The choices are not the sentences of the section “{title}” as it reads "
                "now (was the section edited?). Save the question again in the admin to "
                "make its choices from the section, and check its evidence.",
            )
        )
    return found


def question_pick_problems(question, section) -> list[tuple[str, str]]:
    """`pick_problems` of a Question with its choices loaded and its section (or None)."""
    claim_evidence = question.claim.evidence if question.claim_id else ""
    return pick_problems(
        title=section.title if section else "",
        body=section.body if section else None,
        evidence=question.evidence,
        claim_evidence=claim_evidence,
        choices=[PickChoice(c.text, c.correct, c.partial) for c in question.choices.all()],
    )


def make_choices(question) -> None:
    """Make the question's Choice rows from its section's sentences, keeping the rows
    that are there (by position: an answer stays on the sentence at its place) and
    deleting those past the last sentence unless a learner chose them (then the content
    rule keeps reporting the question as stale). The caller checks `pick_problems` first
    and owns the transaction."""
    from .models import Choice

    wanted = expected_choices(
        question.section.body,
        question.evidence,
        question.claim.evidence if question.claim_id else "",
    )
    rows = list(question.choices.order_by("order", "id"))
    for n, choice in enumerate(wanted):
        values = {
            "order": n,
            "text": choice.text,
            "correct": choice.correct,
            "partial": choice.partial,
            "source": None,
        }
        if n < len(rows):
            row = rows[n]
            for name, value in values.items():
                setattr(row, name, value)
            row.save()
        else:
            Choice.objects.create(question=question, **values)
    for row in rows[len(wanted) :]:
        if not row.selections.exists():
            row.delete()
