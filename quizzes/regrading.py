"""The writers of a submitted score after the fact: a teacher's grade override of one
response, and the re-grade of every response to a question after its key was fixed.

Each owns its transaction, row-locks the attempts it rescores (as `quizzes.attempts`
does, so a concurrent override, re-grade or answer save sees one consistent score),
keeps a `GradeChange` per changed response, recomputes each affected attempt's stored
total (`rescore_attempts`) and, once committed, sends `signals.attempt_rescored`.

A manual override survives a re-grade: the re-grade recomputes from the key only the
responses no teacher has overridden (as Moodle keeps a manual grade apart from the
automatic one) and says how many it kept."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from . import scoring
from .attempts import question_key, response_answer, stored_total
from .grade_changes import REASON_MAX_LENGTH
from .models import Attempt, GradeChange, Question, Response
from .signals import attempt_rescored

REGRADE_REASON = "re-grade after key change"
# Two credits closer than this are the same (floats from different sums).
EPSILON = 1e-9


class GradeError(Exception):
    """A change refused: the message is for the teacher, the code names the rule."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


def overridden() -> Exists:
    """Annotation: a teacher has overridden this response's credit."""
    return Exists(GradeChange.objects.overrides().filter(response_id=OuterRef("pk")))


def rescore_attempts(attempts: list[Attempt]) -> list[int]:
    """Recompute and store the totals of submitted `attempts` (locked by the caller, all
    of one quiz or several) from their responses' stored credits, in a fixed number of
    queries. Returns the ids of those whose stored score changed."""
    submitted = [a for a in attempts if a.is_submitted]
    if not submitted:
        return []
    quiz_ids = {a.quiz_id for a in submitted}
    questions: dict[int, list[tuple[int, str, int]]] = {}
    for qid, quiz_id, skill, points in Question.objects.filter(quiz_id__in=quiz_ids).values_list(
        "id", "quiz_id", "skill", "points"
    ):
        questions.setdefault(quiz_id, []).append((qid, skill, points))
    credits: dict[int, dict[int, float]] = {}
    for attempt_id, qid, credit in Response.objects.filter(
        attempt_id__in=[a.pk for a in submitted]
    ).values_list("attempt_id", "question_id", "credit"):
        credits.setdefault(attempt_id, {})[qid] = credit
    changed = []
    for attempt in submitted:
        before = tuple(getattr(attempt, f) for f in Attempt.SCORE_FIELDS)
        attempt.set_total(
            stored_total(attempt, credits.get(attempt.pk, {}), questions.get(attempt.quiz_id, []))
        )
        if tuple(getattr(attempt, f) for f in Attempt.SCORE_FIELDS) != before:
            changed.append(attempt)
    Attempt.objects.bulk_update(changed, Attempt.SCORE_FIELDS, batch_size=500)
    return [a.pk for a in changed]


def _announce(attempt_ids: list[int]) -> None:
    if attempt_ids:
        ids = sorted(attempt_ids)
        transaction.on_commit(lambda: attempt_rescored.send(sender=Attempt, attempt_ids=ids))


def parse_points(raw, max_points: int) -> float:
    """Points typed by a teacher, 0 to `max_points`, at most two decimals."""
    text = str(raw if raw is not None else "").strip().replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise GradeError(
            "Enter the points as a number, such as 1 or 0.5.", "not_a_number"
        ) from None
    if not value.is_finite():
        raise GradeError("Enter the points as a number, such as 1 or 0.5.", "not_a_number")
    if value < 0:
        raise GradeError("The points cannot be negative.", "negative")
    if value > max_points:
        raise GradeError(
            f"This question is worth {max_points} point{'s' if max_points != 1 else ''}; "
            f"enter 0 to {max_points}.",
            "above_max",
        )
    if value != value.quantize(Decimal("0.01")):
        raise GradeError("Use at most two decimals, such as 0.25.", "too_precise")
    return float(value)


def clean_reason(raw, *, required: bool = True) -> str:
    reason = " ".join(str(raw or "").split())
    if required and not reason:
        raise GradeError("Say why you change this grade: the student will read it.", "no_reason")
    if len(reason) > REASON_MAX_LENGTH:
        raise GradeError(f"Keep the reason to {REASON_MAX_LENGTH} characters.", "reason_too_long")
    return reason


def override_response(*, response: Response | int, user, points, reason, now=None) -> GradeChange:
    """Set one response's credit to `points` (of its question's points) with a reason;
    the attempt's total and subscores follow. Refused (GradeError, nothing changes): an
    attempt in progress, points outside 0..the question's points, no reason. Whether
    `user` may is the caller's check (the admin scopes responses to a teacher's own)."""
    now = now or timezone.now()
    response_id = response if isinstance(response, int) else response.pk
    reason = clean_reason(reason)
    with transaction.atomic():
        attempt_id = (
            Response.objects.filter(pk=response_id).values_list("attempt_id", flat=True).first()
        )
        if attempt_id is None:
            raise GradeError("That answer no longer exists.", "no_response")
        attempt = Attempt.objects.select_for_update().get(pk=attempt_id)
        if not attempt.is_submitted:
            raise GradeError(
                "This attempt is still in progress: its grade can be changed once it is submitted.",
                "in_progress",
            )
        # Read under the attempt's lock, so the credit before is the one stored now.
        current = Response.objects.select_related("question").get(pk=response_id)
        max_points = current.question.points
        credit = parse_points(points, max_points) / max_points
        change = GradeChange.objects.create(
            response=current,
            kind=GradeChange.Kind.OVERRIDE,
            changed_by=user,
            changed_at=now,
            credit_before=current.credit,
            credit_after=credit,
            question_points=max_points,
            reason=reason,
        )
        current.credit = credit
        current.save(update_fields=["credit"])
        _announce(rescore_attempts([attempt]))
    return change


@dataclass
class Regrade:
    """What a re-grade did (or, as a preview, would do)."""

    question: Question
    responses: int = 0  # responses to the question in scope
    changed: int = 0  # responses whose credit changed
    kept: int = 0  # overridden by a teacher, kept
    attempts_rescored: list[int] | None = None


def _regrade_rows(question: Question, learners: QuerySet | None) -> QuerySet:
    responses = Response.objects.filter(question=question).annotate(overridden=overridden())
    if learners is not None:
        responses = responses.filter(attempt__learner_id__in=learners.values("id"))
    return responses


def _new_credits(question: Question, responses: Iterable[Response]):
    key = question_key(question)
    for r in responses:
        if r.overridden:
            yield r, None
        else:
            yield r, scoring.grade(key, response_answer(r)).credit


def _load_question(question: Question | int) -> Question:
    pk = question if isinstance(question, int) else question.pk
    return Question.objects.with_key(evidence=False).get(pk=pk)


def regrade_preview(question: Question | int, learners: QuerySet | None) -> Regrade:
    """How many responses a re-grade would change, without writing (fixed queries)."""
    question = _load_question(question)
    result = Regrade(question)
    rows = _regrade_rows(question, learners).prefetch_related("selections")
    for response, credit in _new_credits(question, rows):
        result.responses += 1
        if credit is None:
            result.kept += 1
        elif abs(credit - response.credit) > EPSILON:
            result.changed += 1
    return result


def regrade_question(
    *, question: Question | int, user, learners: QuerySet | None, note: str = "", now=None
) -> Regrade:
    """Recompute every response to `question` (of `learners`; None: everyone's) from its
    current key, keeping teachers' overrides; one GradeChange per changed response
    (reason "re-grade after key change", then the teacher's `note`); each affected
    submitted attempt rescored. Attempts in progress get the new credit too, so their
    submission counts it. A fixed number of queries, whatever the number of responses
    (batched writes of 500)."""
    now = now or timezone.now()
    note = clean_reason(note, required=False)
    reason = f"{REGRADE_REASON}: {note}" if note else REGRADE_REASON
    with transaction.atomic():
        question = _load_question(question)
        rows = _regrade_rows(question, learners)
        # Lock the attempts first, in id order (two re-grades never deadlock), then
        # read their responses: the credits before are the ones stored now.
        attempts = {
            a.pk: a
            for a in Attempt.objects.select_for_update()
            .filter(pk__in=rows.values("attempt_id"))
            .order_by("pk")
        }
        result = Regrade(question)
        changed: list[Response] = []
        audit: list[GradeChange] = []
        for response, credit in _new_credits(question, rows.prefetch_related("selections")):
            result.responses += 1
            if credit is None:
                result.kept += 1
                continue
            if abs(credit - response.credit) <= EPSILON:
                continue
            audit.append(
                GradeChange(
                    response=response,
                    kind=GradeChange.Kind.REGRADE,
                    changed_by=user,
                    changed_at=now,
                    credit_before=response.credit,
                    credit_after=credit,
                    question_points=question.points,
                    reason=reason,
                )
            )
            response.credit = credit
            changed.append(response)
        result.changed = len(changed)
        Response.objects.bulk_update(changed, ["credit"], batch_size=500)
        GradeChange.objects.bulk_create(audit, batch_size=500)
        affected = sorted({r.attempt_id for r in changed})
        result.attempts_rescored = rescore_attempts([attempts[pk] for pk in affected])
        _announce(result.attempts_rescored)
    return result
