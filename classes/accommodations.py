"""What one learner gets apart from their class: an accommodation (extra time, extra
attempts) for one quiz or every quiz of a class, and their own dates for one assignment.

The gate (`classes/access.py`) reads both through `Assignment.objects.for_learner`, as
subqueries of its one query; the server's deadline (`quizzes.attempts.start_attempt`) and
the attempt limit use what it answers (`lessons.gate.Access`)."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from quizzes.models import Quiz

from .models import Assignment, Classroom

MAX_TIME_FACTOR = Decimal("4")
MAX_EXTRA_MINUTES = 600
MAX_EXTRA_ATTEMPTS = 20


def _in_class(classroom_id, learner_id) -> bool:
    return Classroom.students.through.objects.filter(
        classroom_id=classroom_id, user_id=learner_id
    ).exists()


NOT_IN_CLASS = "This student is not in the class: only the class's students can have one."


class Accommodation(models.Model):
    """Extra time and attempts for one learner of a class: for one quiz, or (no quiz) for
    every quiz assigned to the class. The time allowed is the quiz's limit × `time_factor`
    + `extra_minutes`; the attempts allowed, the quiz's + `extra_attempts`. For one quiz,
    the quiz's accommodation replaces the class-wide one."""

    classroom = models.ForeignKey(
        Classroom, on_delete=models.CASCADE, related_name="accommodations", verbose_name="class"
    )
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="accommodations",
        verbose_name="student",
    )
    quiz = models.ForeignKey(
        Quiz,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="accommodations",
        help_text="Empty: every quiz assigned to the class.",
    )
    time_factor = models.DecimalField(
        max_digits=4,
        decimal_places=2,
        default=Decimal("1"),
        validators=[
            MinValueValidator(
                1, message="The time factor is at least 1 (1.5 is half as long again)."
            ),
            MaxValueValidator(
                MAX_TIME_FACTOR, message=f"The time factor is at most {MAX_TIME_FACTOR}."
            ),
        ],
        help_text="The time limit multiplied by this: 1.5 gives a 10-minute quiz 15 minutes.",
    )
    extra_minutes = models.PositiveSmallIntegerField(
        default=0,
        validators=[MaxValueValidator(MAX_EXTRA_MINUTES)],
        help_text="Minutes added to the time limit (after the factor).",
    )
    extra_attempts = models.PositiveSmallIntegerField(
        default=0,
        validators=[MaxValueValidator(MAX_EXTRA_ATTEMPTS)],
        help_text="Attempts allowed beyond the quiz's limit.",
    )

    class Meta:
        ordering = ["classroom", "learner", "quiz"]
        constraints = [
            models.UniqueConstraint(
                fields=["classroom", "learner", "quiz"],
                condition=Q(quiz__isnull=False),
                name="one_accommodation_per_learner_and_quiz",
            ),
            models.UniqueConstraint(
                fields=["classroom", "learner"],
                condition=Q(quiz__isnull=True),
                name="one_class_accommodation_per_learner",
            ),
            models.CheckConstraint(
                condition=Q(time_factor__gte=1) & Q(time_factor__lte=MAX_TIME_FACTOR),
                name="accommodation_time_factor_1_to_4",
            ),
            models.CheckConstraint(
                condition=Q(extra_minutes__lte=MAX_EXTRA_MINUTES)
                & Q(extra_attempts__lte=MAX_EXTRA_ATTEMPTS),
                name="accommodation_extras_bounded",
            ),
        ]

    def __str__(self):
        what = f"“{self.quiz}”" if self.quiz_id else "every quiz"
        return f"{self.learner} in {self.classroom}: {what}"

    def clean(self):
        errors = {}
        if (
            self.classroom_id
            and self.learner_id
            and not _in_class(self.classroom_id, self.learner_id)
        ):
            errors["learner"] = ValidationError(NOT_IN_CLASS, code="not_in_class")
        if (
            self.classroom_id
            and self.quiz_id
            and not Assignment.objects.filter(
                classroom_id=self.classroom_id, quiz_id=self.quiz_id
            ).exists()
        ):
            errors["quiz"] = ValidationError(
                "This quiz is not assigned to the class: assign it first, or leave the quiz "
                "empty for every quiz of the class.",
                code="quiz_not_assigned",
            )
        if self.classroom_id and self.learner_id and "learner" not in errors:
            same = Accommodation.objects.filter(
                classroom_id=self.classroom_id, learner_id=self.learner_id, quiz_id=self.quiz_id
            ).exclude(pk=self.pk)
            if same.exists():
                errors["learner"] = ValidationError(
                    "This student already has an accommodation for "
                    + ("this quiz" if self.quiz_id else "every quiz")
                    + " in this class: change that one.",
                    code="duplicate",
                )
        if (
            self.time_factor is not None
            and self.time_factor == 1
            and not self.extra_minutes
            and not self.extra_attempts
        ):
            errors["time_factor"] = ValidationError(
                "This changes nothing: give a time factor above 1, extra minutes or extra "
                "attempts.",
                code="no_change",
            )
        if errors:
            raise ValidationError(errors)


class AssignmentOverride(models.Model):
    """One learner's own dates for one assignment (an absence, a late joiner): they replace
    the assignment's opening and/or due date for that learner only (`Assignment.state`)."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="overrides")
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="assignment_overrides",
        verbose_name="student",
    )
    opens_at = models.DateTimeField(null=True, blank=True, help_text="Empty: the assignment's.")
    due_at = models.DateTimeField(null=True, blank=True, help_text="Empty: the assignment's.")

    class Meta:
        ordering = ["assignment", "learner"]
        verbose_name = "date override"
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "learner"], name="one_date_override_per_learner"
            ),
            models.CheckConstraint(
                condition=Q(opens_at__isnull=False) | Q(due_at__isnull=False),
                name="date_override_sets_a_date",
            ),
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True)
                | Q(due_at__isnull=True)
                | Q(due_at__gt=F("opens_at")),
                name="date_override_due_after_it_opens",
            ),
        ]

    def __str__(self):
        return f"{self.learner}'s dates for {self.assignment}"

    def clean(self):
        errors = {}
        assignment = self.assignment if self.assignment_id else None
        if (
            assignment
            and self.learner_id
            and not _in_class(assignment.classroom_id, self.learner_id)
        ):
            errors["learner"] = ValidationError(NOT_IN_CLASS, code="not_in_class")
        if self.opens_at is None and self.due_at is None:
            errors["due_at"] = ValidationError(
                "Give this student an opening date, a due date, or both.", code="no_date"
            )
        elif assignment:
            opens = self.opens_at or assignment.opens_at
            due = self.due_at or assignment.due_at
            if opens and due and due <= opens:
                errors["due_at"] = ValidationError(
                    "The due date must come after the date it opens (the assignment's, "
                    "where this one leaves it empty).",
                    code="due_before_open",
                )
            closes = assignment.quiz.closes_at if assignment.quiz_id else None
            if closes and self.due_at and self.due_at > closes:
                errors["due_at"] = ValidationError(
                    "The quiz itself closes before this due date; move the quiz's closing "
                    "date first.",
                    code="after_quiz_closes",
                )
        if errors:
            raise ValidationError(errors)
