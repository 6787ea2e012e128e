"""The only writers of attempts and responses: start, save an answer, submit.

Each function owns its transaction and takes row locks where two requests could race."""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone

from lessons.gate import gate

from . import scoring
from .models import Attempt, Question, Quiz, Response, Selection

UNPUBLISHED = (
    "Your teacher has taken this quiz offline, so it can no longer be answered. "
    "The answers you gave are kept; ask your teacher when it will be back."
)


class AttemptError(Exception):
    """A request that the quiz's rules refuse. The message is for the learner; the code
    says which rule refused it (the subclass's when no finer one is given), for programs
    and tests: the autosave reply carries it."""

    code = "refused"

    def __init__(self, message: str, code: str | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class QuizUnavailable(AttemptError):
    code = "unavailable"


class NoAttemptsLeft(AttemptError):
    code = "no_attempts_left"


class AttemptClosed(AttemptError):
    code = "closed"


class InvalidAnswer(AttemptError):
    code = "invalid_answer"


class AnswerLocked(AttemptError):
    """With feedback after each answer, an answered question keeps its answer."""

    code = "answer_locked"


def question_key(question: Question) -> scoring.QuestionKey:
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
    )


def response_answer(response: Response) -> scoring.Answer:
    selections = list(response.selections.all())
    return scoring.Answer(
        choices=frozenset(s.choice_id for s in selections),
        matches={s.choice_id: s.source_id for s in selections if s.source_id},
    )


def _layout(quiz: Quiz, questions: list[Question], rng: random.Random) -> dict:
    order = [q.id for q in questions]
    if quiz.shuffle_questions:
        rng.shuffle(order)
    choices = {}
    for q in questions:
        ids = [c.id for c in q.choices.all()]
        # The author's order stays as data (Choice.order); each attempt shows its own,
        # unless the question's order is fixed (`Question.shuffles_choices`).
        if q.shuffles_choices(quiz):
            rng.shuffle(ids)
        choices[str(q.id)] = ids
    return {"questions": order, "choices": choices}


def attempts_left(quiz: Quiz, used: int) -> int | None:
    return None if quiz.max_attempts is None else max(0, quiz.max_attempts - used)


def start_attempt(*, quiz: Quiz, learner, now=None, rng: random.Random | None = None) -> Attempt:
    """Resume the learner's attempt in progress, or start a new one if the rules allow."""
    now = now or timezone.now()
    # An attempt whose time ran out is submitted as it stood, in a transaction of its own,
    # so that it stays submitted even if the rules then refuse a new attempt.
    # The quiz's closing time ends an attempt as its time limit does (`Attempt.ends_at`).
    for overdue in Attempt.objects.in_progress().filter(
        Q(deadline__lte=now) | Q(quiz__closes_at__lte=now), quiz=quiz, learner=learner
    ):
        submit_attempt(attempt=overdue, now=now)
    with transaction.atomic():
        # Locking the learner's row serialises two starts by the same learner, so they
        # cannot both pass the attempt-limit check or both create an attempt.
        get_user_model().objects.select_for_update().filter(pk=learner.pk).first()
        current = Attempt.objects.in_progress().filter(quiz=quiz, learner=learner).first()
        if current is not None:
            return current
        if not quiz.is_visible():
            raise QuizUnavailable("This quiz is not published.", code="unpublished")
        access = gate().quiz_access(learner, quiz, now)
        if not access.allowed:
            raise QuizUnavailable(access.message, code=access.code)
        if quiz.opens_at and now < quiz.opens_at:
            raise QuizUnavailable("This quiz is not open yet.", code="not_open")
        if quiz.closes_at and now >= quiz.closes_at:
            raise QuizUnavailable("This quiz has closed.", code="quiz_closed")
        used = (
            Attempt.objects.filter(quiz=quiz, learner=learner).aggregate(n=Max("number"))["n"] or 0
        )
        if attempts_left(quiz, used) == 0:
            raise NoAttemptsLeft(
                f"You have used all {quiz.max_attempts} attempts allowed for this quiz."
            )
        deadline = (
            now + timedelta(minutes=quiz.time_limit_minutes) if quiz.time_limit_minutes else None
        )
        if quiz.closes_at and deadline and deadline > quiz.closes_at:
            deadline = quiz.closes_at
        questions = list(Question.objects.with_key(evidence=False).filter(quiz=quiz))
        layout = _layout(quiz, questions, rng or random.Random())
        try:
            with transaction.atomic():
                return Attempt.objects.create(
                    quiz=quiz,
                    learner=learner,
                    number=used + 1,
                    started_at=now,
                    deadline=deadline,
                    layout=layout,
                    late=access.late,
                )
        except IntegrityError:
            # Another request of this learner started one first (possible on databases
            # where the row lock above is a no-op); resume it.
            return Attempt.objects.in_progress().get(quiz=quiz, learner=learner)


def _lock(attempt: Attempt) -> Attempt:
    return (
        Attempt.objects.select_for_update()
        .select_related("quiz")
        .with_quiz_visibility()
        .get(pk=attempt.pk)
    )


def save_answer(
    *,
    attempt: Attempt,
    question: Question,
    choice_ids: Iterable[int] = (),
    matches: Mapping[int, int] | None = None,
    now=None,
    autosaved: bool = False,
) -> Response | None:
    """Record the learner's answer to one question, replacing any earlier one; the same
    answer again is not written (its first time stays).

    `choice_ids` are the picked choices; for matching, `matches` maps item (choice id)
    to the chosen source id. Raises InvalidAnswer for choices or sources that do not
    belong to the question, AttemptClosed once the attempt is submitted or overdue.
    `autosaved`: the page's script says it saved this answer already; when the attempt
    holds it as it is, nothing is done (no transaction, no lock) and None is returned."""
    now = now or timezone.now()
    choice_ids = {int(c) for c in choice_ids}
    matches = {int(k): int(v) for k, v in (matches or {}).items()}
    if (
        autosaved
        and not (attempt.is_submitted or attempt.is_overdue(now))
        and answer_unchanged(
            attempt=attempt, question=question, choice_ids=choice_ids, matches=matches
        )
    ):
        return None
    with transaction.atomic():
        # The lock orders this save against a concurrent submit: the answer is either
        # in the score or refused, never written after the score was computed.
        locked = _lock(attempt)
        if locked.is_submitted:
            raise AttemptClosed(
                "This attempt has been submitted; answers can no longer change.", code="submitted"
            )
        if not locked.quiz_visible:
            raise AttemptClosed(UNPUBLISHED, code="unpublished")
        if not locked.is_overdue(now):
            return _save_locked(locked, question, choice_ids, matches, now)
        # Too late: the attempt is submitted as it stands (committed), the answer refused.
        _submit_locked(locked, now=locked.ends_at)
    raise AttemptClosed(
        "Time is up: the attempt was submitted as it stood, without this answer.", code="time_up"
    )


def _save_locked(
    locked: Attempt, question: Question, choice_ids: set[int], matches: dict, now
) -> Response:
    ids = locked.layout.get("questions") if locked.layout else None
    if question.quiz_id != locked.quiz_id or (ids and question.pk not in ids):
        raise InvalidAnswer("That question is not part of this quiz.", code="foreign_question")
    if "choices" not in getattr(question, "_prefetched_objects_cache", {}):
        # A question from Question.objects.with_key() (as the views pass) saves these.
        question = Question.objects.with_key(evidence=False).get(pk=question.pk)
    key = question_key(question)
    valid_choices = {c.id for c in question.choices.all()}
    if question.kind == Question.Kind.MATCHING:
        options = set(key.choice_sources.values())
        if not set(matches) <= set(key.items) or not set(matches.values()) <= options:
            raise InvalidAnswer(
                "That answer names a statement or source not in this question.",
                code="foreign_match",
            )
        choice_ids = set(matches)
    else:
        if matches:
            raise InvalidAnswer("This question does not take matches.", code="not_matching")
        if not choice_ids <= valid_choices:
            raise InvalidAnswer(
                "That answer names a choice that is not in this question.", code="foreign_choice"
            )
        if question.kind != Question.Kind.MULTIPLE and len(choice_ids) > 1:
            raise InvalidAnswer("This question takes exactly one answer.", code="one_answer")
    if not choice_ids:
        raise InvalidAnswer("Choose an answer before saving.", code="empty")
    answer = scoring.Answer(choices=frozenset(choice_ids), matches=matches)
    credit = scoring.grade(key, answer).credit
    # The attempt's row lock serialises saves of one attempt, so no other request can
    # create this response between the read and the write.
    stored = stored_answer(locked, question)
    if stored is None:
        response = Response.objects.create(
            attempt=locked, question=question, credit=credit, answered_at=now
        )
    else:
        if locked.quiz.feedback == locked.quiz.Feedback.IMMEDIATE:
            raise AnswerLocked(
                "This question was answered and its feedback shown; the answer cannot change."
            )
        response = Response(pk=stored.id, attempt=locked, question=question, credit=credit)
        if stored.same(question, answer, credit):
            # The same answer again (the form's post after the autosave, a reload): kept
            # as it is, with the time it was first given; nothing is written.
            response.answered_at = stored.answered_at
            return response
        response.answered_at = now
        response.save(update_fields=["credit", "answered_at"])
        response.selections.all().delete()
    Selection.objects.bulk_create(
        Selection(response=response, choice_id=c, source_id=matches.get(c))
        for c in sorted(choice_ids)
    )
    return response


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


def _submit_locked(attempt: Attempt, *, now) -> Attempt:
    # The attempt is scored on the questions it was given (its layout), so a question
    # a teacher adds later does not count against it.
    questions = Question.objects.filter(quiz_id=attempt.quiz_id).only("id", "skill", "points")
    if attempt.layout.get("questions"):
        questions = questions.filter(pk__in=attempt.layout["questions"])
    credits = dict(attempt.responses.values_list("question_id", "credit"))
    attempt.set_total(scoring.total((q.skill, q.points, credits.get(q.id, 0.0)) for q in questions))
    attempt.submitted_at = now
    attempt.save(update_fields=["submitted_at", *Attempt.SCORE_FIELDS])
    return attempt


def submit_attempt(*, attempt: Attempt, now=None) -> Attempt:
    """Score and close the attempt. Submitting twice changes nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        # Two submits at once: the second waits here and then sees it submitted.
        locked = _lock(attempt)
        if locked.is_submitted:
            return locked
        if locked.is_overdue(now):
            now = locked.ends_at
        return _submit_locked(locked, now=now)


def close_if_overdue(attempt: Attempt, now=None) -> Attempt:
    """Submit an attempt whose deadline has passed, as it stands."""
    now = now or timezone.now()
    if attempt.is_submitted or not attempt.is_overdue(now):
        return attempt
    return submit_attempt(attempt=attempt, now=now)
