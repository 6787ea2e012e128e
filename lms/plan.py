"""One quiz as a learning management system sees it.

Each question becomes a Moodle question type (multiple choice, true/false, matching or
essay, for a short written answer) with
its answers, their fractions and feedback, or is named as not exportable, with the reason;
`lms.notes` says what is lost on the way. `lms.moodle` and `lms.gift` write a plan;
neither reads the database.

Fractions come from our own scoring (`quizzes.scoring.grade`), so partial credit in the LMS
is the credit Sourcewise gives, rounded to the nearest percentage Moodle accepts
(`MOODLE_FRACTIONS`: Moodle refuses any other on import)."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, replace

from django.utils.text import normalize_newlines

from quizzes import scoring
from quizzes.attempts import question_key
from quizzes.models import Question, Quiz

# Moodle's question_bank::fraction_options(): p/q for q <= 6, p/10, 1/q for q <= 10, 1/20;
# and the same below zero. An import with any other grade fails.
MOODLE_FRACTIONS = (
    1.0,
    0.9,
    0.8333333,
    0.8,
    0.75,
    0.7,
    0.6666667,
    0.6,
    0.5,
    0.4,
    0.3333333,
    0.3,
    0.25,
    0.2,
    0.1666667,
    0.1428571,
    0.125,
    0.1111111,
    0.1,
    0.05,
    0.0,
)
_ALL_FRACTIONS = tuple(sorted({*MOODLE_FRACTIONS, *(-f for f in MOODLE_FRACTIONS)}))
# Moodle's fractions have seven decimals; a difference below this is no rounding.
_SAME = 1e-6

MULTICHOICE, TRUEFALSE, MATCHING, ESSAY = "multichoice", "truefalse", "matching", "essay"


def nearest_fraction(value: float) -> float:
    """The fraction Moodle accepts that is nearest `value` (ties go to the smaller credit)."""
    return min(_ALL_FRACTIONS, key=lambda f: (abs(f - value), f))


def percent(fraction: float) -> str:
    """A fraction as Moodle writes a grade: 100, 50, 33.33333, -14.28571."""
    text = f"{fraction * 100:.5f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


@dataclass(frozen=True)
class Option:
    """One answer of a multiple choice or true/false question. `text` and `feedback` are
    HTML; `credit` is what Sourcewise gives, `fraction` what the LMS will."""

    text: str
    fraction: float
    credit: float
    feedback: str = ""


@dataclass(frozen=True)
class Pair:
    """One line of a matching question: an item (HTML) and the answer that matches it
    (plain text, a source's name). An empty item is a distractor: an answer that matches
    no item."""

    item: str
    answer: str


@dataclass(frozen=True)
class PlannedQuestion:
    number: int
    key: str
    kind: str  # ours: Question.Kind
    qtype: str  # the LMS's: MULTICHOICE, TRUEFALSE or MATCHING
    name: str  # plain text
    text: str  # HTML
    general_feedback: str  # HTML: explanation, evidence sentence and its section
    points: int
    skill: str
    single: bool = True  # multichoice: one answer, or several
    options: tuple[Option, ...] = ()  # multichoice, truefalse ("true" and "false")
    pairs: tuple[Pair, ...] = ()  # matching
    shuffle: bool = False
    losses: tuple[str, ...] = ()  # what this question loses in any format
    close_credit_lost: bool = False  # matching: part credit for a close source
    grader_info: str = ""  # essay: HTML for the grader (the rubric)


@dataclass(frozen=True)
class Skipped:
    number: int
    key: str
    prompt: str
    reason: str


@dataclass(frozen=True)
class Plan:
    quiz: Quiz
    questions: tuple[PlannedQuestion, ...]
    skipped: tuple[Skipped, ...]
    quotes_evidence: bool = False  # some feedback quotes a sentence of the reading

    @property
    def total(self) -> int:
        return len(self.questions) + len(self.skipped)


class NotExportable(Exception):
    """A question the LMS formats cannot hold; the message says why, for a teacher."""


def plan_quiz(quiz: Quiz) -> Plan:
    """The plan of `quiz`, in a constant number of queries whatever its size."""
    questions = list(Question.objects.with_key().filter(quiz=quiz).prefetch_related("levels"))
    planned, skipped = [], []
    for number, question in enumerate(questions, start=1):
        try:
            shuffle = question.shuffles_choices(quiz)
            planned.append(plan_question(number, question, shuffle=shuffle))
        except NotExportable as refusal:
            skipped.append(Skipped(number, question.key, _short(question.prompt), str(refusal)))
    quoted = any(q.evidence_text for q in questions)
    return Plan(quiz, tuple(planned), tuple(skipped), quotes_evidence=quoted)


def plan_question(number: int, question: Question, *, shuffle: bool = False) -> PlannedQuestion:
    """One question of a quiz (its choices, their sources, the section and the claim
    prefetched, as `Question.objects.with_key()` does); NotExportable when no format can hold it."""
    mapper = _MAPPERS.get(question.kind)
    if mapper is None:
        raise NotExportable(
            f"{question.get_kind_display()} questions have no counterpart in Moodle's "
            "multiple choice, true/false or matching."
        )
    choices = list(question.choices.all())
    common = {
        "number": number,
        "key": question.key,
        "kind": question.kind,
        "name": f"{number:02d} {_short(question.prompt)}",
        "text": html_paragraphs(question.prompt),
        "points": question.points,
        "skill": question.skill,
        "shuffle": shuffle,
    }
    return mapper(question, choices, common)


# --- per kind ---------------------------------------------------------------------------


def _one_right_answer(question, choices):
    right = [c for c in choices if c.correct]
    if len(choices) < 2:
        raise NotExportable("It has fewer than two choices.")
    if len(right) != 1:
        raise NotExportable(f"It has {len(right)} right answers where its kind takes one.")


def _rounded(number, label, credit, losses) -> float:
    fraction = nearest_fraction(credit)
    if abs(fraction - credit) > _SAME:
        losses.append(
            f"question {number}: “{label}” earns {credit:.1%} credit here; Moodle accepts only "
            f"set percentages, so it earns the nearest, {percent(fraction)}%, there"
        )
    return fraction


def _single(question, choices, common, *, qtype=MULTICHOICE):
    """Single choice, classification, who said it, true/false: one right answer; every
    choice earns what our scoring gives for picking it alone (part credit for a close
    source in who said it)."""
    _one_right_answer(question, choices)
    if question.kind == Question.Kind.WHO_SAID and any(not c.source_id for c in choices):
        raise NotExportable("A choice of this who-said-it question names no source.")
    key = question_key(question)
    losses = []
    options = []
    for choice in choices:
        graded = scoring.grade(key, scoring.Answer(choices=frozenset({choice.id})))
        feedback = choice.feedback
        if question.kind in (Question.Kind.WHO_SAID, Question.Kind.EVIDENCE_PICK) and not feedback:
            feedback = graded.reason
        options.append(
            Option(
                text=escape(choice.label),
                fraction=_rounded(common["number"], choice.label, graded.credit, losses),
                credit=graded.credit,
                feedback=html_paragraphs(feedback),
            )
        )
    return PlannedQuestion(
        qtype=qtype,
        single=True,
        options=tuple(options),
        general_feedback=general_feedback(question),
        losses=tuple(losses),
        **common,
    )


def _true_false(question, choices, common):
    labels = sorted(c.text for c in choices)
    if labels != ["False", "True"]:
        # Not the two fixed labels: a multiple choice says the same without loss.
        return _single(question, choices, common)
    planned = _single(question, choices, common, qtype=TRUEFALSE)
    by_label = {c.text: o for c, o in zip(choices, planned.options, strict=True)}
    options = tuple(
        Option("true" if label == "True" else "false", o.fraction, o.credit, o.feedback)
        for label, o in sorted(by_label.items(), reverse=True)
    )
    return replace(planned, options=options)


def _multiple(question, choices, common):
    """Several right answers: each right pick is worth 1/n and each wrong pick takes 1/n
    away, never below zero; Moodle's multiple-answer question adds the fractions of the
    picks and stops at zero in the same way."""
    right = frozenset(c.id for c in choices if c.correct)
    if len(choices) < 2:
        raise NotExportable("It has fewer than two choices.")
    if not right:
        raise NotExportable("No choice is marked right.")
    key = question_key(question)
    full = scoring.grade(key, scoring.Answer(choices=right)).credit
    losses, options = [], []
    for choice in choices:
        if choice.correct:
            credit = scoring.grade(key, scoring.Answer(choices=frozenset({choice.id}))).credit
        else:
            credit = scoring.grade(key, scoring.Answer(choices=right | {choice.id})).credit - full
        options.append(
            Option(
                text=escape(choice.label),
                fraction=_rounded(common["number"], choice.label, credit, losses),
                credit=credit,
                feedback=html_paragraphs(choice.feedback),
            )
        )
    if round(sum(o.fraction for o in options if o.fraction > 0), 2) != 1:
        raise NotExportable(
            f"It has {len(right)} right answers: Moodle's set percentages cannot share "
            "100% among them, and it refuses a multiple-answer question whose right "
            "answers do not add up to 100%."
        )
    return PlannedQuestion(
        qtype=MULTICHOICE,
        single=False,
        options=tuple(options),
        general_feedback=general_feedback(question),
        losses=tuple(losses),
        **common,
    )


def _matching(question, choices, common):
    """Statements to sources. Distractor sources become answers that match nothing."""
    items = [c for c in choices if c.correct]
    if len(items) < 2:
        raise NotExportable("A matching question needs at least two statements.")
    if any(not c.source_id or not c.text for c in items):
        raise NotExportable("A statement of this matching question has no text or no source.")
    pairs = [Pair(escape(c.text), c.source.name) for c in items]
    answers = {c.source_id for c in items}
    for c in choices:
        if not c.correct and c.source_id and c.source_id not in answers:
            answers.add(c.source_id)
            pairs.append(Pair("", c.source.name))
    notes = [
        f"<li>{escape(c.text)} ({escape(c.source.name)}): {escape(c.feedback)}</li>"
        for c in items
        if c.feedback
    ]
    extra = f"<ul>{''.join(notes)}</ul>" if notes else ""
    return PlannedQuestion(
        qtype=MATCHING,
        pairs=tuple(pairs),
        general_feedback=general_feedback(question, extra),
        close_credit_lost=_close_sources(question, items, answers),
        **common,
    )


def _close_sources(question, items, answer_ids) -> bool:
    """Whether our scoring gives part credit for some wrong match."""
    key = question_key(question)
    for item in items:
        true = key.sources[item.source_id]
        for source_id in answer_ids - {item.source_id}:
            credit, _ = scoring.source_proximity(key.sources[source_id], true)
            if 0 < credit < 1:
                return True
    return False


def _written(question, choices, common):
    """A short written answer: Moodle's essay, marked by hand; the rubric goes to the
    grader (Moodle XML's grader information; GIFT has none, `lms.gift` says where)."""
    levels = list(question.levels.all())
    rubric = "".join(
        f"<li><strong>{escape(lv.name)}</strong> ({percent(lv.credit)}% of the marks)"
        + (f": {escape(lv.description)}" if lv.description else "")
        + "</li>"
        for lv in levels
    )
    n = common["number"]
    return PlannedQuestion(
        qtype=ESSAY,
        general_feedback=general_feedback(question),
        grader_info=f"<p>Rubric: pick one level.</p><ol>{rubric}</ol>" if rubric else "",
        losses=(
            f"question {n}: the rubric's levels (an essay is marked with any mark, by hand; "
            "the rubric goes to the grader as text) and the 1,500-character limit on answers",
        ),
        **common,
    )


_MAPPERS = {
    Question.Kind.SINGLE: _single,
    Question.Kind.CLASSIFICATION: _single,
    Question.Kind.WHO_SAID: _single,
    Question.Kind.TRUE_FALSE: _true_false,
    Question.Kind.MULTIPLE: _multiple,
    Question.Kind.MATCHING: _matching,
    # The sentences as a multiple choice in reading order (never shuffled), part credit for
    # the claim's other sentences as its fraction (50 %, which Moodle accepts).
    Question.Kind.EVIDENCE_PICK: _single,
    Question.Kind.WRITTEN: _written,
}


# --- text -------------------------------------------------------------------------------


def escape(text: str) -> str:
    """Text as HTML: only &, < and > need escaping outside attributes (escaping quotes
    too, as Django does, would fill GIFT with escaped "#" of "&#x27;")."""
    return html.escape(text, quote=False)


def html_paragraphs(text: str) -> str:
    """Plain text as HTML paragraphs, on one line (GIFT keeps a question on
    consecutive lines; HTML ignores the line breaks between paragraphs anyway)."""
    text = normalize_newlines(text or "").strip()
    paragraphs = [p.strip() for p in re.split(r"\n{2,}", text) if p.strip()]
    return "".join(f"<p>{escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)


def general_feedback(question: Question, extra_html: str = "") -> str:
    """The explanation, then the sentence of the reading that proves the answer and the
    section it is in (the link to it stays in Sourcewise: the reading is not exported)."""
    parts = [html_paragraphs(question.explanation)]
    evidence = question.evidence_text
    if evidence:
        section = question.section or (question.claim.section if question.claim_id else None)
        where = f" (section “{escape(section.title)}”)" if section else ""
        parts.append(
            f"<p>Evidence from the reading{where}:</p>"
            f"<blockquote><p>{escape(evidence)}</p></blockquote>"
        )
    parts.append(extra_html)
    return "".join(p for p in parts if p)


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
