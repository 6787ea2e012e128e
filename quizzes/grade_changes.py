"""The audit of a response's credit: every change a teacher makes to a submitted score
(a grade override, a re-grade after a key change) is a `GradeChange`, kept for good: who,
when, the credit before and after, and why. Defined here, named by `quizzes.models`
(import it from there). The writers are in `quizzes/regrading.py`."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

REASON_MAX_LENGTH = 500


class GradeChangeQuerySet(models.QuerySet):
    def overrides(self):
        return self.filter(kind=GradeChange.Kind.OVERRIDE)

    def of_attempt(self, attempt_id: int):
        """The attempt's changes, oldest first, with what a listing shows (one query)."""
        return (
            self.filter(response__attempt_id=attempt_id)
            .select_related("response__question", "changed_by")
            .order_by("changed_at", "id")
        )


class GradeChange(models.Model):
    class Kind(models.TextChoices):
        OVERRIDE = "override", "Grade override"
        REGRADE = "regrade", "Re-grade after a key change"

    response = models.ForeignKey(
        "quizzes.Response", on_delete=models.CASCADE, related_name="grade_changes"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(default=timezone.now)
    credit_before = models.FloatField()
    credit_after = models.FloatField()
    # The question's points when the change was made (points = credit × this).
    question_points = models.PositiveIntegerField()
    reason = models.CharField(max_length=REASON_MAX_LENGTH)

    objects = GradeChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-changed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(credit_before__gte=0)
                & Q(credit_before__lte=1)
                & Q(credit_after__gte=0)
                & Q(credit_after__lte=1),
                name="grade_change_credit_0_to_1",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="grade_change_reason_required"),
        ]

    def __str__(self):
        return f"{self.response}: {self.points_before} → {self.points_after}"

    @property
    def points_before(self) -> float | None:
        return self._points(self.credit_before)

    @property
    def points_after(self) -> float | None:
        return self._points(self.credit_after)

    def _points(self, credit) -> float | None:
        # None on an unsaved row (an admin form's blank one)
        if credit is None or self.question_points is None:
            return None
        return round(credit * self.question_points, 2)


@dataclass(frozen=True)
class ShownChange:
    """A change as the learner's result page names it: the question's number in their
    attempt, its prompt, the points before and after, and why."""

    number: int | None
    prompt: str
    change: GradeChange

    @property
    def by_teacher(self) -> bool:
        return self.change.kind == GradeChange.Kind.OVERRIDE


def changes_shown(attempt, review) -> list[ShownChange]:
    """What the result page says of the attempt's grade changes: nothing unless the
    review options show the score now (the points before and after are the score);
    otherwise each change, oldest first (one query)."""
    if not review.score:
        return []
    numbers = {qid: n for n, qid in enumerate(attempt.question_ids(), start=1)}
    return [
        ShownChange(numbers.get(c.response.question_id), c.response.question.prompt, c)
        for c in GradeChange.objects.of_attempt(attempt.pk)
    ]
