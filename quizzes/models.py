"""What students do: quizzes, questions, choices, and every attempt and answer."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone

from lessons.models import (
    Claim,
    KeyedModel,
    Lesson,
    Owned,
    OwnedQuerySet,
    Section,
    Source,
    validate_key,
)

from .options import ReviewOptions


class QuizQuerySet(OwnedQuerySet):
    def visible(self):
        """The quizzes students can see (the rule, once); who may take them: `lessons.gate`."""
        return self.filter(published=True, lesson__published=True, archived=False)

    def assignable(self, user):
        """The quizzes `user` may assign to a class: what they see in the workspace,
        not archived."""
        return self.seen_by(user).filter(archived=False)


class Quiz(KeyedModel, Owned, ReviewOptions):
    KEY_FROM = "title"

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
    shuffle_choices = models.BooleanField(
        default=True,
        help_text="Shuffle each question's choices per attempt, except true/false, "
        "classification and questions whose order is fixed.",
    )
    feedback = models.CharField(
        max_length=20, choices=Feedback.choices, default=Feedback.AFTER_SUBMIT
    )
    archived = models.BooleanField(
        default=False,
        help_text="Hidden from students and from new assignments; its results stay. "
        "A quiz with attempts or assignments is archived, not deleted.",
    )
    # The quiz's content version: moved by saving the quiz and by every save or delete of
    # its questions and choices (quizzes/cache.py), so what is cached under it (a question
    # page's question and choices, a result's rendering) is never served after an edit.
    updated_at = models.DateTimeField(auto_now=True)

    objects = QuizQuerySet.as_manager()

    class Meta(Owned.Meta):
        abstract = False
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

    def is_visible(self) -> bool:
        """Whether students can see this quiz, by the one rule `Quiz.objects.visible()`."""
        return type(self).objects.visible().filter(pk=self.pk).exists()

    def is_open(self, now=None):
        now = now or timezone.now()
        if self.opens_at and now < self.opens_at:
            return False
        return not (self.closes_at and now >= self.closes_at)


class QuestionQuerySet(models.QuerySet):
    def with_key(self, *, evidence: bool = True):
        """Questions with everything grading and display need (the choices with their
        sources), in two queries, in the quiz's order.

        `evidence=False` leaves out the section and claim (the evidence shown on review),
        which taking and grading a question never read: the question page and the answer
        save run on every click, so they skip those joins and the section's text."""
        qs = self.prefetch_related(
            Prefetch(
                "choices",
                queryset=Choice.objects.select_related("source").order_by("order", "id"),
            )
        )
        if evidence:
            qs = qs.select_related("section", "claim__source", "claim__section")
        return qs.order_by("order", "id")


class Question(KeyedModel):
    KEY_FROM, KEY_WITHIN = "prompt", "quiz"

    class Kind(models.TextChoices):
        SINGLE = "single", "Single choice"
        MULTIPLE = "multiple", "Multiple choice"
        TRUE_FALSE = "true_false", "True or false"
        WHO_SAID = "who_said", "Who said it"
        MATCHING = "matching", "Matching"
        CLASSIFICATION = "classification", "Classification"
        EVIDENCE_PICK = "evidence_pick", "Evidence pick"
        WRITTEN = "written", "Short written answer"

    class Skill(models.TextChoices):
        RECALL = "recall", "Recall"
        ATTRIBUTION = "attribution", "Attribution"
        PERSPECTIVE = "perspective", "Perspective"
        EVIDENCE = "evidence", "Evidence"

    # Kinds whose choices never shuffle: true/false, the classification scheme, whose
    # fixed order the content rules require (quizzes/content_rules.py), and the evidence
    # pick, whose choices are its section's sentences in reading order (the same for
    # everyone, so the order tells nothing: quizzes/evidence_pick.py).
    FIXED_ORDER_KINDS = (Kind.TRUE_FALSE, Kind.CLASSIFICATION, Kind.EVIDENCE_PICK)

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(validators=[validate_key])
    order = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.SINGLE)
    fixed_order = models.BooleanField(
        default=False,
        help_text="Keep the choices in the order written (a scale, “all of the above”). "
        "Otherwise they are shuffled per attempt; true/false and classification always "
        "keep theirs.",
    )
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

    objects = QuestionQuerySet.as_manager()

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
            errors["claim"] = ValidationError(
                "A who-said-it question must name the claim it asks about.", code="claim_missing"
            )
        if self.claim_id and self.quiz_id and self.claim.lesson_id != self.quiz.lesson_id:
            errors["claim"] = ValidationError(
                "The claim must belong to this quiz's lesson.", code="other_lesson"
            )
        if self.section_id and self.quiz_id and self.section.lesson_id != self.quiz.lesson_id:
            errors["section"] = ValidationError(
                "The section must belong to this quiz's lesson.", code="other_lesson"
            )
        elif self.evidence and self.section_id and self.evidence not in self.section.body:
            errors["evidence"] = ValidationError(
                f"This evidence does not occur word for word in the section "
                f"“{self.section.title}”. Copy the exact sentence from the section text.",
                code="evidence_not_in_section",
            )
        if self.kind == self.Kind.EVIDENCE_PICK and "section" not in errors:
            errors.update(self._pick_errors())
        if errors:
            raise ValidationError(errors)

    def _pick_errors(self) -> dict:
        """An evidence pick's section and evidence (its choices are made from them)."""
        from .evidence_pick import pick_problems

        if not self.section_id:
            return {
                "section": ValidationError(
                    "Choose the section whose sentences are the choices.",
                    code="evidence_pick_section",
                )
            }
        claim = self.claim.evidence if self.claim_id else ""
        found = pick_problems(
            title=self.section.title,
            body=self.section.body,
            evidence=self.evidence,
            claim_evidence=claim,
        )
        fields = {
            "evidence_pick_claim_elsewhere": "claim",
            "evidence_pick_too_few": "section",
            "evidence_pick_long_sentence": "section",
        }
        errors = {}
        for code, message in found:
            errors.setdefault(fields.get(code, "evidence"), ValidationError(message, code=code))
        return errors

    def shuffles_choices(self, quiz: Quiz) -> bool:
        """Whether each attempt shows this question's choices in an order of its own:
        the rule, once (`attempts.start_attempt` lays attempts out by it)."""
        return (
            quiz.shuffle_choices
            and not self.fixed_order
            and self.kind not in self.FIXED_ORDER_KINDS
        )

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
    partial = models.BooleanField(
        default=False,
        help_text="Evidence pick: a wrong sentence that is the evidence of the question's "
        "claim earns part credit. Set when the choices are made from the section.",
    )

    class Meta:
        ordering = ["question", "order", "id"]

    def __str__(self):
        return self.label

    def clean(self):
        if (
            self.source_id
            and self.question_id
            and self.source.lesson_id != self.question.quiz.lesson_id
        ):
            raise ValidationError(
                {
                    "source": ValidationError(
                        "The source must belong to this quiz's lesson.", code="other_lesson"
                    )
                }
            )

    @property
    def label(self):
        if self.text:
            return self.text
        return self.source.name if self.source_id else ""


class RubricLevel(models.Model):
    """One level of a written question's rubric (beginning / emerging / mastery, as in
    Stanford's Civic Online Reasoning assessments): what an answer at this level does,
    and its credit, a fraction of the question's points. A teacher marks a written
    answer by picking one (`attempts.mark_answers`)."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="levels")
    order = models.PositiveIntegerField(default=0)
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    credit = models.FloatField(help_text="A fraction of the question's points, from 0 to 1.")

    class Meta:
        ordering = ["question", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(credit__gte=0) & Q(credit__lte=1), name="rubric_level_credit_0_to_1"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.credit:.0%})"


# Learners' attempts and answers live in quizzes/answers.py; `quizzes.models` names
# every model.
from .answers import Attempt, AttemptQuerySet, Response, Selection  # noqa: E402, F401
from .grade_changes import GradeChange, GradeChangeQuerySet  # noqa: E402, F401
