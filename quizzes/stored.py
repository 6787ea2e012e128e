"""Reads the answer writers need, without writing: a question's key as scoring takes it
(`question_key`), a stored response as an answer (`response_answer`), and what an attempt
holds already for one question (`stored_answer`, `answer_unchanged`: the same answer
posted again is not written). `quizzes/attempts.py` re-exports them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from . import scoring
from .models import Attempt, Question, Response


def question_key(question: Question, levels: Iterable = ()) -> scoring.QuestionKey:
    """`levels`: the rubric levels grading needs (a written answer's marked level)."""
    choices = list(question.choices.all())
    sources = {}
    for choice in choices:
        if choice.source_id:
            s = choice.source
            sources[s.id] = scoring.SourceRef(s.id, s.name, s.side, s.parent_id)
    return scoring.QuestionKey(
        kind=question.kind,
        points=question.points,
        correct=frozenset(c.id for c in choices if c.correct),
        choice_sources={c.id: c.source_id for c in choices if c.source_id},
        items={c.id: c.source_id for c in choices if c.correct and c.source_id}
        if question.kind == Question.Kind.MATCHING
        else {},
        sources=sources,
        partial=frozenset(c.id for c in choices if c.partial and not c.correct),
        levels={lv.id: scoring.LevelRef(lv.id, lv.name, lv.credit) for lv in levels},
    )


def response_answer(response: Response) -> scoring.Answer:
    selections = list(response.selections.all())
    return scoring.Answer(
        choices=frozenset(s.choice_id for s in selections),
        matches={s.choice_id: s.source_id for s in selections if s.source_id},
        text=response.text,
        level=response.level_id,
    )


@dataclass(frozen=True)
class StoredAnswer:
    """A question's stored response, as `stored_answer` reads it in one query."""

    id: int
    credit: float
    answered_at: object
    answer: scoring.Answer

    def same(self, question: Question, answer: scoring.Answer, credit: float) -> bool:
        """Whether saving `answer` would store exactly this again. Only for the kinds whose
        whole answer is its picks (a kind with more, such as written text, always saves)."""
        return question.kind in PICK_KINDS and self.answer == answer and self.credit == credit


# The kinds whose whole answer is the picked choices (and, for matching, their sources).
PICK_KINDS = frozenset(
    {
        Question.Kind.SINGLE,
        Question.Kind.MULTIPLE,
        Question.Kind.TRUE_FALSE,
        Question.Kind.WHO_SAID,
        Question.Kind.MATCHING,
        Question.Kind.CLASSIFICATION,
        Question.Kind.EVIDENCE_PICK,
    }
)


def stored_answer(attempt: Attempt, question: Question) -> StoredAnswer | None:
    """The attempt's response to `question` with its picks, in one query (None if none)."""
    rows = Response.objects.filter(attempt=attempt, question=question).values_list(
        "id", "credit", "answered_at", "selections__choice_id", "selections__source_id"
    )
    rows = list(rows)
    if not rows:
        return None
    picks = [(c, s) for _, _, _, c, s in rows if c is not None]
    answer = scoring.Answer(
        choices=frozenset(c for c, _ in picks), matches={c: s for c, s in picks if s}
    )
    response_id, credit, answered_at = rows[0][:3]
    return StoredAnswer(response_id, credit, answered_at, answer)


def answer_unchanged(
    *, attempt: Attempt, question: Question, choice_ids: Iterable[int], matches=None
) -> bool:
    """Whether this answer is already stored as it is, read without a lock or a
    transaction: the form's post after the page's script saved the same answer. Skipping
    the save then is safe: nothing is written, and what the learner sent is what the
    attempt holds (a submit or a deadline since then counts it as it is)."""
    if "choices" not in getattr(question, "_prefetched_objects_cache", {}):
        return False  # a question from Question.objects.with_key(), as the views pass
    matches = {int(k): int(v) for k, v in (matches or {}).items()}
    choices = set(matches) if question.kind == Question.Kind.MATCHING else choice_ids
    answer = scoring.Answer(choices=frozenset(int(c) for c in choices), matches=matches)
    stored = stored_answer(attempt, question)
    credit = scoring.grade(question_key(question), answer).credit
    return stored is not None and stored.same(question, answer, credit)
