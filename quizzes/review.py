"""What an attempt may show its learner now: the quiz's review options, decided in one place.

As in Moodle's quiz, each part of an attempt's review has its own "when"
(`Quiz.Review`): the score, which answers were right, the right answers, and the feedback
and explanations (which name the right answers, so they never show before them). The
result page, the past attempts on the start page, the immediate feedback on the question
page and the autosave reply all ask `review_for`; none decides for itself.

"Right after each attempt" means, with feedback after each answer, right after each
answer. "After the last allowed attempt" means once the learner has submitted as many
attempts as the quiz allows (or, during that last attempt, after each answer with
immediate feedback); a quiz with unlimited attempts reaches it only when it closes."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from .models import Attempt, Quiz

When = Quiz.Review


@dataclass(frozen=True)
class Review:
    score: bool = False
    correctness: bool = False  # which answers were right
    key: bool = False  # the right answers
    feedback: bool = False  # the choices' feedback, the explanations, the evidence

    @property
    def anything(self) -> bool:
        return self.score or self.correctness or self.key or self.feedback


NOTHING = Review()


def review_for(attempt: Attempt, *, submitted: int | None = None, now=None) -> Review:
    """What `attempt` may show now. `submitted`: how many attempts its learner has
    submitted at the quiz, when the caller has them at hand (else one query, only when an
    option waits for the last attempt). An attempt in progress shows nothing, except its
    answered questions with feedback after each answer."""
    quiz = attempt.quiz
    now = now or timezone.now()
    if not attempt.is_submitted and quiz.feedback != Quiz.Feedback.IMMEDIATE:
        return NOTHING
    closed = quiz.closes_at is not None and now >= quiz.closes_at
    last_done = None

    def after_last() -> bool:
        nonlocal last_done
        if quiz.max_attempts is None:
            return False
        if not attempt.is_submitted:
            return attempt.number >= quiz.max_attempts
        if last_done is None:
            count = submitted
            if count is None:
                count = (
                    Attempt.objects.submitted()
                    .filter(quiz_id=attempt.quiz_id, learner_id=attempt.learner_id)
                    .count()
                )
            last_done = count >= quiz.max_attempts
        return last_done

    def allowed(when: str) -> bool:
        if when == When.AFTER_ATTEMPT:
            return True
        if when == When.NEVER:
            return False
        if closed:
            return True
        return when == When.AFTER_LAST and after_last()

    key = allowed(quiz.review_key)
    return Review(
        score=allowed(quiz.review_score),
        correctness=key or allowed(quiz.review_correctness),
        key=key,
        feedback=key and allowed(quiz.review_feedback),
    )


_LATER = {
    When.AFTER_LAST: "after your last allowed attempt, or when the quiz closes",
    When.AFTER_CLOSE: "when the quiz closes",
}


def review_notes(quiz: Quiz) -> dict[str, str]:
    """For the result page: when what it does not show yet will be shown."""

    def note(what: str, when: str) -> str:
        later = _LATER.get(when)
        return f"{what} will be shown {later}." if later else f"{what} are not shown for this quiz."

    return {
        "score": note("Scores", quiz.review_score),
        "key": note("The right answers", quiz.review_key),
    }
