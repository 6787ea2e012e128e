"""Learners' records: an Attempt per learner and try at a quiz, a Response per question
of an attempt, a Selection per pick. Defined here, named by `quizzes.models`, which
imports them once Quiz and Question exist (so import them from `quizzes.models`)."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone

from lessons.models import Source

from .models import Question, Quiz


class AttemptQuerySet(models.QuerySet):
    def in_progress(self):
        return self.filter(submitted_at__isnull=True)

    def submitted(self):
        return self.filter(submitted_at__isnull=False)

    def marked(self):
        """Submitted, with every written answer marked: what the reports count."""
        return self.submitted().filter(awaiting_marking=False)

    def with_quiz_visibility(self):
        """Annotate `quiz_visible` (`QuizQuerySet.visible`), in the attempt's own query."""
        visible = Quiz.objects.visible().filter(pk=OuterRef("quiz_id"))
        return self.annotate(quiz_visible=Exists(visible))

    def with_content_versions(self):
        """Annotate `lesson_updated_at`, the lesson's content version, beside the quiz's
        (`Quiz.updated_at`), in the attempt's own query: what quizzes/cache.py keys by."""
        return self.annotate(lesson_updated_at=F("quiz__lesson__updated_at"))

    def of_learners(self, learners: QuerySet | None):
        """The attempts of `learners` (a queryset of users); None means everyone."""
        if learners is None:
            return self
        return self.filter(learner_id__in=learners.values("id"))

    def counted(self, how: str = "latest"):
        """What the reports count: one submitted attempt per learner and quiz, so every
        learner weighs the same: the latest (what they know now) or the best, as the
        quiz's `counted_attempt` says (`how`), among those fully marked (`marked`): an
        attempt awaiting marking counts once its last written answer is marked."""
        best = [F("percent").desc(nulls_last=True)] if how == Quiz.Counted.BEST else []
        counted = (
            Attempt.objects.marked()
            .filter(quiz_id=OuterRef("quiz_id"), learner_id=OuterRef("learner_id"))
            .order_by(*best, "-number")
            .values("id")[:1]
        )
        return self.filter(id=Subquery(counted))


class Attempt(models.Model):
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attempts"
    )
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveIntegerField()
    started_at = models.DateTimeField(default=timezone.now)
    deadline = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Started after its assignment's due date (allowed by the assignment's late policy).
    late = models.BooleanField(default=False)
    # The order the learner sees, fixed when the attempt starts:
    # {"questions": [question ids], "choices": {"<question id>": [choice ids]}}
    layout = models.JSONField(default=dict, blank=True)
    # Stored at submission so that reports read them without recomputing.
    score = models.FloatField(null=True, blank=True)
    max_score = models.FloatField(null=True, blank=True)
    percent = models.FloatField(null=True, blank=True)
    attribution_percent = models.FloatField(null=True, blank=True)
    subscores = models.JSONField(default=dict, blank=True)
    # A submitted attempt with a written answer no teacher has marked yet: set at submit,
    # cleared when its last written answer is marked (`attempts.mark_answers`). Reports
    # count only attempts without it (`AttemptQuerySet.marked`).
    awaiting_marking = models.BooleanField(default=False)
    # Moved whenever a submitted attempt is rescored (`signals.attempt_rescored`: an
    # override, a re-grade, a marking), so its cached result gets a new key in every process.
    revision = models.PositiveIntegerField(default=0, editable=False)

    objects = AttemptQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "quiz", "number"], name="attempt_number_unique_per_learner_quiz"
            ),
            models.UniqueConstraint(
                fields=["learner", "quiz"],
                condition=Q(submitted_at__isnull=True),
                name="one_attempt_in_progress_per_learner_quiz",
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="attempt_number_positive"),
        ]

    def __str__(self):
        return f"{self.learner} · {self.quiz} · attempt {self.number}"

    def get_absolute_url(self):
        if self.is_submitted:
            return reverse("quizzes:result", args=[self.pk])
        return reverse("quizzes:attempt", args=[self.pk])

    # What submission stores, so that reports read it without recomputing.
    SCORE_FIELDS = ("score", "max_score", "percent", "attribution_percent", "subscores")

    def set_total(self, total) -> None:
        """Store a `scoring.Total` in SCORE_FIELDS; the caller saves."""
        attribution = total.subscore("attribution")
        self.score = total.points
        self.max_score = total.max_points
        self.percent = total.percent
        self.attribution_percent = attribution.percent if attribution else None
        self.subscores = {
            s.skill: {"points": s.points, "max": s.max_points} for s in total.subscores
        }

    @property
    def is_submitted(self):
        return self.submitted_at is not None

    def question_ids(self) -> list[int]:
        """The attempt's questions in the order its learner sees them."""
        ids = self.layout.get("questions") if self.layout else None
        if ids:
            return list(ids)
        return list(
            Question.objects.filter(quiz_id=self.quiz_id)
            .order_by("order", "id")
            .values_list("id", flat=True)
        )

    def answers_so_far(self) -> dict[int, list[tuple[int, int | None]]]:
        """The learner's picks, by question id: [(choice id, source id for matching)], in
        one query. Its keys are the answered questions (the progress bar counts them)."""
        answers: dict[int, list[tuple[int, int | None]]] = {}
        rows = self.responses.order_by("question_id", "selections__id").values_list(
            "question_id", "selections__choice_id", "selections__source_id"
        )
        for question_id, choice_id, source_id in rows:
            picks = answers.setdefault(question_id, [])
            if choice_id is not None:
                picks.append((choice_id, source_id))
        return answers

    @property
    def ends_at(self):
        """When the attempt ends by itself: its time limit's deadline or the quiz's
        closing time, whichever comes first (None when neither is set). The one
        deadline rule: `is_overdue` and the countdown read it."""
        ends = [t for t in (self.deadline, self.quiz.closes_at) if t is not None]
        return min(ends) if ends else None

    def is_overdue(self, now=None):
        ends = self.ends_at
        return ends is not None and (now or timezone.now()) >= ends


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
    # A written answer (`Question.Kind.WRITTEN`): plain text, at most WRITTEN_MAX_CHARS,
    # and its marking: the rubric level a teacher picked, their comment, who and when.
    text = models.TextField(blank=True)
    level = models.ForeignKey(
        "quizzes.RubricLevel",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responses",
    )
    comment = models.TextField(blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="marked_responses",
    )
    marked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["attempt", "question__order"]
        permissions = [("mark_response", "Can mark written answers")]
        indexes = [models.Index(fields=["marked_at"], name="response_marked_at")]
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
