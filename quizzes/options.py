"""A quiz's review options, as in Moodle's quiz: when a learner sees each part of an
attempt's review, and which attempt the teacher reports count. An abstract model that
`Quiz` inherits; `quizzes.review.review_for` reads it."""

from django.db import models


class ReviewOptions(models.Model):
    class Review(models.TextChoices):
        """When a learner may see one part of an attempt's review."""

        AFTER_ATTEMPT = "after_attempt", "Right after each attempt (or answer)"
        AFTER_LAST = "after_last", "After the last allowed attempt, or when the quiz closes"
        AFTER_CLOSE = "after_close", "After the quiz closes"
        NEVER = "never", "Never"

    class Counted(models.TextChoices):
        LATEST = "latest", "Each learner's latest submitted attempt"
        BEST = "best", "Each learner's best submitted attempt"

    review_score = models.CharField(
        "show the score", max_length=20, choices=Review.choices, default=Review.AFTER_ATTEMPT
    )
    review_correctness = models.CharField(
        "show which answers were right",
        max_length=20,
        choices=Review.choices,
        default=Review.AFTER_ATTEMPT,
    )
    review_key = models.CharField(
        "show the right answers", max_length=20, choices=Review.choices, default=Review.AFTER_LAST
    )
    review_feedback = models.CharField(
        "show feedback and explanations",
        max_length=20,
        choices=Review.choices,
        default=Review.AFTER_LAST,
        help_text="They name the right answers: show them no earlier than the right answers.",
    )
    counted_attempt = models.CharField(
        "reports count", max_length=20, choices=Counted.choices, default=Counted.LATEST
    )

    class Meta:
        abstract = True
