"""Marking written answers: a teacher picks a rubric level (and may comment) for each
written answer of a submitted attempt; the attempt's stored score follows.

With `quizzes/attempts.py` (whose scoring and row-lock discipline it shares), the only
writer of responses: the save of a written answer is `attempts.save_answer`'s."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from .attempts import InvalidAnswer, score
from .models import Attempt, Question, Response, RubricLevel
from .signals import attempt_rescored


@dataclass(frozen=True)
class Mark:
    """A teacher's mark of one written answer: the rubric level and an optional comment."""

    response_id: int
    level_id: int
    comment: str = ""


def mark_answers(*, marks: Iterable[Mark], marker, allowed, now=None) -> list[int]:
    """Mark written answers of submitted attempts (or mark them again), then store each
    attempt's new total, clear `awaiting_marking` once its last written answer is marked
    and, on commit, send `attempt_rescored`. `allowed`: the responses the marker may mark
    (their own students', `reports`' scoping). All or nothing: a mark naming an answer
    outside `allowed` or a level of another question refuses the lot. A mark that
    changes nothing is skipped. Returns the ids of the attempts rescored."""
    now = now or timezone.now()
    marks = {m.response_id: m for m in marks}
    if not marks:
        return []
    with transaction.atomic():
        # The attempts' row locks order marking against another teacher's marking (a
        # co-teacher) and a grade override of the same attempt.
        attempts = {
            a.pk: a
            for a in Attempt.objects.select_for_update()
            .filter(pk__in=Response.objects.filter(pk__in=marks).values("attempt_id"))
            .order_by("pk")  # one order for every marker: no deadlock between two
        }
        responses = {
            r.pk: r
            for r in allowed.filter(
                pk__in=marks,
                question__kind=Question.Kind.WRITTEN,
                attempt__submitted_at__isnull=False,
            )
        }
        if set(marks) - set(responses):
            raise InvalidAnswer(
                "Some of these answers are not written answers of your students' submitted "
                "attempts; nothing was marked.",
                code="foreign_response",
            )
        levels = RubricLevel.objects.in_bulk({m.level_id for m in marks.values()})
        changed = []
        for pk, mark in marks.items():
            response, level = responses[pk], levels.get(mark.level_id)
            if level is None or level.question_id != response.question_id:
                raise InvalidAnswer(
                    "That level is not one of this question's rubric; nothing was marked.",
                    code="foreign_level",
                )
            comment = (mark.comment or "").replace("\r\n", "\n").strip()
            if response.level_id == level.pk and response.comment == comment:
                continue
            response.level, response.credit, response.comment = level, level.credit, comment
            response.marked_by, response.marked_at = marker, now
            changed.append(response)
        Response.objects.bulk_update(
            changed, ["level", "credit", "comment", "marked_by", "marked_at"]
        )
        rescored = sorted({r.attempt_id for r in changed})
        for attempt_id in rescored:
            attempt = attempts[attempt_id]
            score(attempt)
            attempt.save(update_fields=["awaiting_marking", *Attempt.SCORE_FIELDS])
        if rescored:
            transaction.on_commit(
                lambda: attempt_rescored.send(sender=Attempt, attempt_ids=rescored)
            )
    return rescored
