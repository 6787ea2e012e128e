"""Learners' answers: a Response per question of an attempt, a Selection per pick.
Defined here, named by `quizzes.models` (which imports them)."""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from lessons.models import Source


class Response(models.Model):
    attempt = models.ForeignKey(
        "quizzes.Attempt", on_delete=models.CASCADE, related_name="responses"
    )
    question = models.ForeignKey(
        "quizzes.Question", on_delete=models.CASCADE, related_name="responses"
    )
    choices = models.ManyToManyField(
        "quizzes.Choice", through="Selection", related_name="responses"
    )
    credit = models.FloatField(default=0)
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["attempt", "question__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "question"], name="one_response_per_question_per_attempt"
            ),
            models.CheckConstraint(
                condition=Q(credit__gte=0) & Q(credit__lte=1), name="response_credit_0_to_1"
            ),
        ]

    def __str__(self):
        return f"{self.attempt} · {self.question}"


class Selection(models.Model):
    """One pick within a response. For a matching question the choice is the item and
    `source` the source the learner matched it to; otherwise `source` is empty."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="selections")
    choice = models.ForeignKey(
        "quizzes.Choice", on_delete=models.CASCADE, related_name="selections"
    )
    source = models.ForeignKey(
        Source, on_delete=models.RESTRICT, null=True, blank=True, related_name="selections"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "choice"], name="one_selection_per_choice_per_response"
            ),
        ]

    def __str__(self):
        return f"{self.response}: {self.choice}"
