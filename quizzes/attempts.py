"""The only writers of attempts and responses: start, save an answer, submit (and, in
`quizzes/written.py`, built on `score`, mark a written answer).

Each function owns its transaction and takes row locks where two requests could race."""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone

from lessons.gate import gate

from . import scoring
from .models import Attempt, Question, Quiz, Response, Selection
from .stored import (  # noqa: F401  (the graders import question_key from here too)
    PICK_KINDS,
    StoredAnswer,
    answer_unchanged,
    question_key,
    response_answer,
    stored_answer,
)

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


# The longest written answer a learner may save (a few sentences; about 250 words).
WRITTEN_MAX_CHARS = 1500


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


def attempts_left(quiz: Quiz, used: int, extra: int = 0) -> int | None:
    """`extra`: the learner's extra attempts (`Access.extra_attempts`, an accommodation)."""
    return None if quiz.max_attempts is None else max(0, quiz.max_attempts + extra - used)


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
        if attempts_left(quiz, used, access.extra_attempts) == 0:
            raise NoAttemptsLeft(
                f"You have used all {quiz.max_attempts + access.extra_attempts} attempts "
                "allowed for this quiz."
            )
        # The server's deadline, with the learner's extra time (an accommodation).
        deadline = (
            now + access.time_allowed(quiz.time_limit_minutes) if quiz.time_limit_minutes else None
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
    text: str = "",
    now=None,
    autosaved: bool = False,
) -> Response | None:
    """Record the learner's answer to one question, replacing any earlier one; the same
    answer again is not written (its first time stays).

    `choice_ids` are the picked choices; for matching, `matches` maps item (choice id)
    to the chosen source id; a written answer is its `text`. Raises InvalidAnswer for
    choices or sources that do not belong to the question, AttemptClosed once the attempt
    is submitted or overdue. `autosaved`: the page's script says it saved this answer
    already; when the attempt holds it as it is, nothing is done (no transaction, no lock)
    and None is returned."""
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
            if question.kind == Question.Kind.WRITTEN:
                return _save_written_locked(locked, question, text, now)
            return _save_locked(locked, question, choice_ids, matches, now)
        # Too late: the attempt is submitted as it stands (committed), the answer refused.
        _submit_locked(locked, now=locked.ends_at)
    raise AttemptClosed(
        "Time is up: the attempt was submitted as it stood, without this answer.", code="time_up"
    )


def _save_locked(
    locked: Attempt, question: Question, choice_ids: set[int], matches: dict, now
) -> Response:
    _check_question(locked, question)
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


def _check_question(locked: Attempt, question: Question) -> None:
    ids = locked.layout.get("questions") if locked.layout else None
    if question.quiz_id != locked.quiz_id or (ids and question.pk not in ids):
        raise InvalidAnswer("That question is not part of this quiz.", code="foreign_question")


def _save_written_locked(locked: Attempt, question: Question, text: str, now) -> Response:
    """A written answer: plain text (the pages escape it), credit 0 until marked."""
    _check_question(locked, question)
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise InvalidAnswer("Write your answer before saving.", code="empty")
    if len(text) > WRITTEN_MAX_CHARS:
        raise InvalidAnswer(
            f"Your answer is {len(text):,} characters long; the limit is "
            f"{WRITTEN_MAX_CHARS:,}. Shorten it and save again (nothing was saved).",
            code="too_long",
        )
    response = Response.objects.filter(attempt=locked, question=question).first()
    if response is None:
        return Response.objects.create(
            attempt=locked, question=question, text=text, credit=0.0, answered_at=now
        )
    if locked.quiz.feedback == locked.quiz.Feedback.IMMEDIATE:
        raise AnswerLocked("This question was answered; the answer cannot change.")
    response.text, response.answered_at = text, now
    response.save(update_fields=["text", "answered_at"])
    return response


def _submit_locked(attempt: Attempt, *, now) -> Attempt:
    score(attempt)
    attempt.submitted_at = now
    attempt.save(update_fields=["submitted_at", "awaiting_marking", *Attempt.SCORE_FIELDS])
    return attempt


def stored_total(attempt: Attempt, credits: dict[int, float], questions) -> scoring.Total:
    """The attempt's total from the stored credits (question id -> credit), on the
    questions it was given (its layout); `questions`: (id, skill, points) rows. The one
    rule for a stored total: `score` (submit, marking) and `regrading` use it."""
    ids = set(attempt.layout.get("questions") or []) if attempt.layout else set()
    return scoring.total(
        (skill, points, credits.get(qid, 0.0))
        for qid, skill, points in questions
        if not ids or qid in ids
    )


def score(attempt: Attempt) -> None:
    """Store the attempt's total from its responses' credits (a written answer's is 0
    until marked), and whether a written answer still awaits marking
    (`Attempt.awaiting_marking`); the caller saves. The attempt is scored on the
    questions it was given (its layout), so a question a teacher adds later does not
    count against it."""
    questions = Question.objects.filter(quiz_id=attempt.quiz_id).values_list(
        "id", "skill", "points"
    )
    credits, unmarked = {}, False
    for question_id, credit, text, level_id in attempt.responses.values_list(
        "question_id", "credit", "text", "level_id"
    ):
        credits[question_id] = credit
        unmarked = unmarked or bool(text and level_id is None)
    attempt.set_total(stored_total(attempt, credits, questions))
    attempt.awaiting_marking = unmarked


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
