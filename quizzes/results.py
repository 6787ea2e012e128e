"""What a learner sees of an attempt: the question at hand, the review list, the result."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lessons.marking import ClaimMark, evidence_anchor

from . import scoring
from .attempts import question_key, response_answer
from .cache import question_for
from .models import Attempt, Choice, Question, Quiz, Response
from .regrading import overridden

OVERRIDDEN = "Your teacher changed the credit for this answer (see the note on your score)."


def ordered_choices(attempt: Attempt, question: Question) -> list[Choice]:
    choices = list(question.choices.all())
    order = (attempt.layout or {}).get("choices", {}).get(str(question.id))
    if order:
        rank = {cid: i for i, cid in enumerate(order)}
        choices.sort(key=lambda c: rank.get(c.id, len(rank)))
    return choices


@dataclass
class QuestionAt:
    """The question at `number` (from 1) in an attempt, with its choices in the learner's
    order: what the question page, the answer save and the autosave work on."""

    attempt: Attempt
    number: int
    total: int
    question: Question
    choices: list[Choice]

    @property
    def immediate(self) -> bool:
        """Feedback after each answer: an answered question keeps its answer."""
        return self.attempt.quiz.feedback == Quiz.Feedback.IMMEDIATE


def question_at(attempt: Attempt, number: int) -> QuestionAt | None:
    """None when the attempt has no such question (or it was removed from the quiz). The
    question page and the saves run on every click and never show the evidence, so the
    question is loaded without it (two queries), and kept by content version
    (quizzes/cache.py: no query when it is cached)."""
    ids = attempt.question_ids()
    if not 1 <= number <= len(ids):
        return None
    question = question_for(attempt, ids[number - 1])
    if question is None:
        return None
    return QuestionAt(attempt, number, len(ids), question, ordered_choices(attempt, question))


# A choice's feedback often opens with its own verdict ("Wrong: the article ..."), which
# the outcome beside it already gives ("✗ Wrong"): said once, by the outcome.
_VERDICT = re.compile(
    r"^\s*(?:wrong|no|not quite|incorrect|correct|right|yes|close,? but no)\s*[:.,;—–-]\s*",
    re.IGNORECASE,
)


def without_verdict(text: str) -> str:
    rest = _VERDICT.sub("", text, count=1)
    return rest[:1].upper() + rest[1:] if rest else text


# Kinds whose credit reason says more than right or wrong (which choices, which source,
# how close, which claim a sentence holds): the others' reason ("That is not the right
# answer") repeats the outcome.
_REASON_TELLS = {
    Question.Kind.MULTIPLE,
    Question.Kind.WHO_SAID,
    Question.Kind.MATCHING,
    Question.Kind.EVIDENCE_PICK,
}


def written_text(attempt: Attempt, question: Question) -> str:
    """A written answer's saved text, for its question page (one query, for that kind)."""
    if question.kind != Question.Kind.WRITTEN:
        return ""
    rows = attempt.responses.filter(question=question).values_list("text", flat=True)
    return rows.first() or ""


@dataclass
class ReviewRow:
    number: int
    question: Question
    choices: list[Choice]
    response: Response | None
    picked: list[Choice]
    matches: list[tuple[Choice, object]]  # (item, the source the learner chose or None)
    credit: float
    points: float
    reason: str

    @property
    def evidence(self) -> str:
        return self.question.evidence_text

    @property
    def evidence_section(self):
        q = self.question
        return q.section or (q.claim.section if q.claim_id else None)

    @property
    def evidence_anchor(self) -> str | None:
        """The id, in the lesson page, of what proves the answer (`marking.evidence_anchor`)."""
        q = self.question
        claim = ClaimMark(q.claim.key, q.claim.evidence, "", "") if q.claim_id else None
        section = self.evidence_section
        return evidence_anchor(
            q.evidence,
            claim,
            section_anchor=section.anchor if section else "",
            body=section.body if section else None,
        )

    @property
    def key(self) -> list[Choice]:
        return [c for c in self.choices if c.correct]

    @property
    def feedback_notes(self) -> list[str]:
        """The feedback of the learner's picks, each once, without a verdict of its own."""
        notes = []
        for c in self.picked:
            note = without_verdict(c.feedback) if c.feedback else ""
            if note and note not in notes:
                notes.append(note)
        return notes

    @property
    def reason_tells(self) -> bool:
        """Whether the credit's reason says more than the outcome does (a teacher's
        override always does: it says so)."""
        if self.response is None:
            return False
        return self.question.kind in _REASON_TELLS or getattr(self.response, "overridden", False)

    @property
    def is_written(self) -> bool:
        return self.question.kind == Question.Kind.WRITTEN and self.response is not None

    @property
    def is_mistake(self) -> bool:
        """Wrong, partly right or not answered (a written answer awaiting marking is none
        yet: the score card says the attempt awaits marking)."""
        return self.outcome not in ("right", "awaiting marking")

    @property
    def awaiting_marking(self) -> bool:
        """A written answer no teacher has marked yet."""
        r = self.response
        return r is not None and self.question.kind == Question.Kind.WRITTEN and not r.level_id

    @property
    def outcome(self) -> str:
        if self.response is None:
            return "unanswered"
        if self.awaiting_marking:
            return "awaiting marking"
        if self.credit >= 1:
            return "right"
        return "partly right" if self.credit > 0 else "wrong"


def review_rows(attempt: Attempt, only: int | None = None) -> list[ReviewRow]:
    """Every question of the attempt (or only the one with id `only`) with the learner's
    answer, the key and why the answer earned what it did. A fixed number of queries,
    whatever the quiz's size."""
    ids = attempt.question_ids()
    questions = {
        q.id: q for q in Question.objects.with_key().filter(pk__in=[only] if only else ids)
    }
    responses = (
        Response.objects.filter(attempt=attempt)
        .annotate(overridden=overridden())
        .select_related("level", "marked_by")
        .prefetch_related("selections__source")
    )
    if only:
        responses = responses.filter(question_id=only)
    responses = {r.question_id: r for r in responses}
    rows = []
    for number, qid in enumerate(ids, start=1):
        if qid not in questions:
            continue
        question = questions[qid]
        choices = ordered_choices(attempt, question)
        by_id = {c.id: c for c in choices}
        response = responses.get(qid)
        picked, chosen = [], {}
        if response is None:
            credit, reason = 0.0, "Not answered: no credit."
        else:
            levels = [response.level] if response.level_id else []
            graded = scoring.grade(question_key(question, levels), response_answer(response))
            credit, reason = graded.credit, graded.reason
            if response.overridden:  # a teacher's grade override: its credit stands
                credit, reason = response.credit, OVERRIDDEN
            chosen = {s.choice_id: s for s in response.selections.all()}
            picked = [by_id[c] for c in chosen if c in by_id]
        matches = []
        if question.kind == Question.Kind.MATCHING:
            # Every item, so an unanswered matching question still shows what was asked.
            matches = [
                (item, chosen[item.id].source if item.id in chosen else None)
                for item in choices
                if item.correct
            ]
        rows.append(
            ReviewRow(
                number=number,
                question=question,
                choices=choices,
                response=response,
                picked=picked,
                matches=matches,
                credit=credit,
                points=credit * question.points,
                reason=reason,
            )
        )
    return rows


@dataclass(frozen=True)
class SkillScore:
    skill: str
    label: str
    points: float
    max_points: float

    @property
    def percent(self) -> float:
        return 100 * self.points / self.max_points if self.max_points else 0.0


def skill_scores(attempt: Attempt) -> list[SkillScore]:
    """The stored subscores of a submitted attempt, attribution first."""
    labels = dict(Question.Skill.choices)
    rank = {skill: i for i, skill in enumerate(scoring.SKILL_ORDER)}
    return [
        SkillScore(skill, labels.get(skill, skill), s["points"], s["max"])
        for skill, s in sorted(
            attempt.subscores.items(), key=lambda kv: (rank.get(kv[0], 99), kv[0])
        )
    ]
