"""What students do: quizzes, questions, choices, and every attempt and answer."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from lessons.models import Claim, Lesson, Section, Source, validate_key


class QuizQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True, lesson__published=True)


class Quiz(models.Model):
    class Feedback(models.TextChoices):
        AFTER_SUBMIT = "after_submit", "Only after the attempt is submitted"
        IMMEDIATE = "immediate", "After each answer"

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="quizzes")
    key = models.SlugField(validators=[validate_key])
    order = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    published = models.BooleanField(default=False)
    max_attempts = models.PositiveIntegerField(
        null=True, blank=True, help_text="Leave empty for unlimited attempts."
    )
    time_limit_minutes = models.PositiveIntegerField(
        null=True, blank=True, help_text="Leave empty for no time limit."
    )
    opens_at = models.DateTimeField(null=True, blank=True)
    closes_at = models.DateTimeField(null=True, blank=True)
    shuffle_questions = models.BooleanField(default=False)
    shuffle_choices = models.BooleanField(default=False)
    feedback = models.CharField(
        max_length=20, choices=Feedback.choices, default=Feedback.AFTER_SUBMIT
    )

    objects = QuizQuerySet.as_manager()

    class Meta:
        ordering = ["lesson", "order", "id"]
        verbose_name_plural = "quizzes"
        constraints = [
            models.UniqueConstraint(fields=["lesson", "key"], name="quiz_key_unique_per_lesson"),
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True)
                | Q(closes_at__isnull=True)
                | Q(closes_at__gt=models.F("opens_at")),
                name="quiz_closes_after_it_opens",
            ),
            models.CheckConstraint(
                condition=Q(max_attempts__isnull=True) | Q(max_attempts__gte=1),
                name="quiz_max_attempts_at_least_one",
            ),
            models.CheckConstraint(
                condition=Q(time_limit_minutes__isnull=True) | Q(time_limit_minutes__gte=1),
                name="quiz_time_limit_at_least_one_minute",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("quizzes:start", args=[self.pk])

    def is_open(self, now=None):
        now = now or timezone.now()
        if self.opens_at and now < self.opens_at:
            return False
        return not (self.closes_at and now >= self.closes_at)


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", "Single choice"
        MULTIPLE = "multiple", "Multiple choice"
        TRUE_FALSE = "true_false", "True or false"
        WHO_SAID = "who_said", "Who said it"
        MATCHING = "matching", "Matching"
        CLASSIFICATION = "classification", "Classification"

    class Skill(models.TextChoices):
        RECALL = "recall", "Recall"
        ATTRIBUTION = "attribution", "Attribution"
        PERSPECTIVE = "perspective", "Perspective"
        EVIDENCE = "evidence", "Evidence"

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(validators=[validate_key])
    order = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.SINGLE)
    skill = models.CharField(max_length=20, choices=Skill.choices, default=Skill.RECALL)
    prompt = models.TextField()
    explanation = models.TextField(
        blank=True, help_text="Shown after grading: cite the evidence and name the section."
    )
    points = models.PositiveIntegerField(default=1)
    section = models.ForeignKey(
        Section, on_delete=models.SET_NULL, null=True, blank=True, related_name="questions"
    )
    claim = models.ForeignKey(
        Claim, on_delete=models.SET_NULL, null=True, blank=True, related_name="questions"
    )
    evidence = models.TextField(
        blank=True,
        help_text="The sentence of the section that proves the answer; empty to use the claim's.",
    )

    class Meta:
        ordering = ["quiz", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["quiz", "key"], name="question_key_unique_per_quiz"),
            models.CheckConstraint(condition=Q(points__gte=1), name="question_points_positive"),
        ]

    def __str__(self):
        return self.prompt[:80]

    def clean(self):
        errors = {}
        if self.kind == self.Kind.WHO_SAID and not self.claim_id:
            errors["claim"] = "A who-said-it question must name the claim it asks about."
        if self.claim_id and self.quiz_id and self.claim.lesson_id != self.quiz.lesson_id:
            errors["claim"] = "The claim must belong to this quiz's lesson."
        if self.section_id and self.quiz_id and self.section.lesson_id != self.quiz.lesson_id:
            errors["section"] = "The section must belong to this quiz's lesson."
        elif self.evidence and self.section_id and self.evidence not in self.section.body:
            errors["evidence"] = (
                f"This evidence does not occur word for word in the section "
                f"“{self.section.title}”. Copy the exact sentence from the section text."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def evidence_text(self):
        if self.evidence:
            return self.evidence
        return self.claim.evidence if self.claim_id else ""


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    order = models.PositiveIntegerField(default=0)
    text = models.CharField(max_length=500, blank=True)
    correct = models.BooleanField(default=False)
    source = models.ForeignKey(
        Source, on_delete=models.RESTRICT, null=True, blank=True, related_name="choices"
    )
    feedback = models.TextField(blank=True)

    class Meta:
        ordering = ["question", "order", "id"]

    def __str__(self):
        return self.label

    @property
    def label(self):
        if self.text:
            return self.text
        return self.source.name if self.source_id else ""


class AttemptQuerySet(models.QuerySet):
    def in_progress(self):
        return self.filter(submitted_at__isnull=True)

    def submitted(self):
        return self.filter(submitted_at__isnull=False)


class Attempt(models.Model):
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attempts"
    )
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveIntegerField()
    started_at = models.DateTimeField(default=timezone.now)
    deadline = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # The order the learner sees, fixed when the attempt starts:
    # {"questions": [question ids], "choices": {"<question id>": [choice ids]}}
    layout = models.JSONField(default=dict, blank=True)
    # Stored at submission so that reports read them without recomputing.
    score = models.FloatField(null=True, blank=True)
    max_score = models.FloatField(null=True, blank=True)
    percent = models.FloatField(null=True, blank=True)
    attribution_percent = models.FloatField(null=True, blank=True)
    subscores = models.JSONField(default=dict, blank=True)

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

    def is_overdue(self, now=None):
        return self.deadline is not None and (now or timezone.now()) >= self.deadline


class Response(models.Model):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="responses")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="responses")
    choices = models.ManyToManyField(Choice, through="Selection", related_name="responses")
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
    choice = models.ForeignKey(Choice, on_delete=models.CASCADE, related_name="selections")
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


# Mutually exclusive, in this fixed order: who speaks (the article or a source) first, then
# what kind of thing the source says. A quiz with classification questions defines them in
# its description (quizzes/content_rules.py checks both).
CLASSIFICATION_LABELS = (
    "The article's own statement",
    "A source's statement of fact",
    "A source's framing or judgement",
)


def validate_choices(question, choices):
    """Check a question's choices against the rules of its kind; return a list of problems,
    written for a teacher. `choices` are Choice-like objects (text, correct, source_id)."""
    kind = question.kind
    K = Question.Kind
    problems = []
    correct = [c for c in choices if c.correct]
    if kind == K.MATCHING:
        if len(correct) < 2:
            problems.append(
                "A matching question needs at least two items (choices marked correct)."
            )
        if any(not c.source_id or not c.text for c in correct):
            problems.append(
                "Each matching item needs a statement (text) and the source that made it."
            )
        if any(not c.source_id for c in choices if not c.correct):
            problems.append(
                "A matching choice not marked correct adds a distractor: it needs a source."
            )
        return problems
    if len(choices) < 2:
        problems.append("A question needs at least two choices.")
    if not correct:
        problems.append("No choice is marked correct: learners could not get this question right.")
    if kind in (K.SINGLE, K.TRUE_FALSE, K.WHO_SAID, K.CLASSIFICATION) and len(correct) > 1:
        problems.append(
            f"A {question.get_kind_display().lower()} question has exactly one right answer."
        )
    if kind == K.CLASSIFICATION and sorted(c.text for c in choices) != sorted(
        CLASSIFICATION_LABELS
    ):
        problems.append(
            "A classification question has exactly three choices: "
            + ", ".join(f"“{label}”" for label in CLASSIFICATION_LABELS)
            + "."
        )
    if kind == K.TRUE_FALSE and sorted(c.text for c in choices) != ["False", "True"]:
        problems.append("A true or false question has exactly two choices: True and False.")
    if kind == K.WHO_SAID:
        if any(not c.source_id for c in choices):
            problems.append(
                "Every choice of a who-said-it question must be a source of the lesson."
            )
        ids = [c.source_id for c in choices if c.source_id]
        if len(ids) != len(set(ids)):
            problems.append("A source appears twice among the choices.")
        if (
            question.claim_id
            and len(correct) == 1
            and correct[0].source_id != question.claim.source_id
        ):
            problems.append(
                f"The right answer must be the claim's source, {question.claim.source.name}."
            )
    return problems
