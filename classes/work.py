"""My work: the student's home. Every quiz assigned to the learner's classes, with its
lesson, its dates, where the learner stands (status) and the one next action.

Where the learner stands comes from the gate's rule (`ClassGate.access_from`, the same
as the start page's) and from their attempts; nothing here decides access itself.
Two queries (assignments, attempts) whatever the number of classes, assignments or
attempts."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from lessons.gate import Access
from quizzes.attempts import attempts_left
from quizzes.models import Attempt, Quiz
from quizzes.review import Review, review_for

from .access import gate
from .models import Assignment

# Status codes, in the order the page lists them: what to do first comes first.
IN_PROGRESS, OVERDUE, NOT_STARTED, UPCOMING, SUBMITTED, LATE, CLOSED = (
    "in_progress",
    "overdue",
    "not_started",
    "upcoming",
    "submitted",
    "late",
    "closed",
)
_ORDER = {s: i for i, s in enumerate([IN_PROGRESS, OVERDUE, NOT_STARTED, UPCOMING])}
STATUS_TEXT = {
    IN_PROGRESS: "In progress",
    OVERDUE: "Overdue: late work is accepted, marked late",
    NOT_STARTED: "Not started",
    UPCOMING: "Not open yet",
    SUBMITTED: "Submitted",
    LATE: "Submitted late",
    CLOSED: "Closed: not submitted",
}


@dataclass
class WorkItem:
    quiz: Quiz
    opens_at: object
    due_at: object
    access: Access
    status: str
    attempt: Attempt | None = None  # the one in progress, else the latest submitted
    review: Review | None = None
    action: tuple[str, str] | None = None  # (label, url): Start, Continue, See result

    @property
    def lesson(self):
        return self.quiz.lesson

    @property
    def status_text(self) -> str:
        return STATUS_TEXT[self.status]

    @property
    def lesson_open(self) -> bool:
        """The reading is open once the quiz is (the gate's `lessons_for`)."""
        return self.status != UPCOMING

    @property
    def to_do(self) -> bool:
        return self.status in (IN_PROGRESS, OVERDUE, NOT_STARTED)


def _item(quiz: Quiz, assignments: list[Assignment], attempts: list[Attempt], now) -> WorkItem:
    access = gate.access_from(quiz, assignments, now)
    opens_at = min(a.effective_opens_at for a in assignments)
    due_at = access.due_at or max(a.effective_due_at for a in assignments)
    submitted = [a for a in attempts if a.is_submitted or a.is_overdue(now)]
    current = next((a for a in attempts if a not in submitted), None)
    item = WorkItem(quiz, opens_at, due_at, access, NOT_STARTED)
    if current is not None:
        item.status, item.attempt = IN_PROGRESS, current
        item.action = ("Continue", reverse("quizzes:attempt", args=[current.pk]))
    elif submitted:
        latest = max(submitted, key=lambda a: a.number)
        item.attempt = latest
        item.status = LATE if latest.late else SUBMITTED
        if latest.is_submitted:
            item.review = review_for(latest, submitted=len(submitted), now=now)
        # An attempt whose time ran out is submitted when it is opened.
        item.action = ("See result", reverse("quizzes:attempt", args=[latest.pk]))
    elif access.code == "assignment_not_open" or (quiz.opens_at and now < quiz.opens_at):
        item.status = UPCOMING
    elif (
        not access.allowed
        or not quiz.is_open(now)
        or attempts_left(quiz, len(attempts), access.extra_attempts) == 0
    ):
        item.status = CLOSED
    else:
        item.status = OVERDUE if access.late else NOT_STARTED
        item.action = ("Start", quiz.get_absolute_url())
    return item


def _sort_key(item: WorkItem):
    if item.status in _ORDER:
        when = item.opens_at if item.status == UPCOMING else item.due_at
        return (0, _ORDER[item.status], when.timestamp(), item.quiz.pk)
    return (1, 0, -item.due_at.timestamp(), item.quiz.pk)


def work_for(learner, now=None) -> list[WorkItem]:
    """Every visible quiz assigned to `learner`'s classes, once each (a quiz assigned to
    two of their classes is one piece of work), to-dos first by due date, then what is
    done or closed, newest first."""
    now = now or timezone.now()
    assignments = (
        Assignment.objects.for_learner(learner)
        .filter(classroom__students=learner, quiz__in=Quiz.objects.visible())
        .select_related("quiz__lesson")
        .order_by("due_at", "id")
    )
    by_quiz: dict[int, list[Assignment]] = {}
    quizzes: dict[int, Quiz] = {}
    for a in assignments:
        quizzes.setdefault(a.quiz_id, a.quiz)
        by_quiz.setdefault(a.quiz_id, []).append(a)
    attempts: dict[int, list[Attempt]] = {}
    for attempt in Attempt.objects.filter(learner=learner, quiz_id__in=list(quizzes)).defer(
        "layout"
    ):
        attempt.quiz = quizzes[attempt.quiz_id]
        attempts.setdefault(attempt.quiz_id, []).append(attempt)
    items = [_item(quiz, by_quiz[pk], attempts.get(pk, []), now) for pk, quiz in quizzes.items()]
    return sorted(items, key=_sort_key)
