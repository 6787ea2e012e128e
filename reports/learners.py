"""Everyone a learners report covers, with where each one is, and one learner's attempt
as they see it (the teacher's drill-down). A fixed number of queries, whatever the
number of learners, attempts or questions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Q

from quizzes.models import Attempt, GradeChange, Quiz
from quizzes.results import ReviewRow, review_rows

from . import queries
from .scope import Scope

NOT_STARTED = "not started"
IN_PROGRESS = "in progress"
SUBMITTED = "submitted"
AWAITING = "awaiting marking"


def _name(first: str, last: str, username: str) -> str:
    return f"{first} {last}".strip() or username


@dataclass
class RosterRow:
    """One learner of the report: their status and, once they submitted, their figures.
    `open_number` is the attempt in progress, if any (a retake after a submission too)."""

    learner_id: int
    name: str
    username: str
    status: str
    open_number: int | None = None
    result: queries.LearnerRow | None = None
    awaiting_number: int | None = None  # a submitted attempt awaiting marking

    @property
    def status_text(self) -> str:
        text = self.status
        if self.status == SUBMITTED and self.awaiting_number:
            text = f"submitted; attempt {self.awaiting_number} awaiting marking"
        if self.status != IN_PROGRESS and self.open_number:
            text += f"; attempt {self.open_number} in progress"
        return text


def roster(quiz: Quiz, scope: Scope) -> list[RosterRow]:
    """Everyone in the scope's classes (a superuser's "everyone": whoever has started the
    quiz), by name. Three queries: the marked attempts (`queries.learner_rows`),
    the attempts in progress or awaiting marking, the class list."""
    results = {r.learner_id: r for r in queries.learner_rows(quiz, scope.learners)}
    open_attempts, awaiting = {}, {}
    for learner_id, number, submitted, username, first, last in (
        Attempt.objects.filter(Q(submitted_at__isnull=True) | Q(awaiting_marking=True))
        .filter(quiz=quiz)
        .of_learners(scope.learners)
        .order_by("number")
        .values_list(
            "learner_id",
            "number",
            "submitted_at",
            "learner__username",
            "learner__first_name",
            "learner__last_name",
        )
    ):
        which = awaiting if submitted else open_attempts
        which[learner_id] = (number, _name(first, last, username), username)
    members = scope.members()
    if members is None:
        people = {r.learner_id: (r.name, r.username) for r in results.values()}
        for learner_id, (_, name, username) in [*open_attempts.items(), *awaiting.items()]:
            people.setdefault(learner_id, (name, username))
    else:
        people = {
            pk: (_name(first, last, username), username)
            for pk, username, first, last in members.values_list(
                "id", "username", "first_name", "last_name"
            )
        }
    rows = []
    for learner_id, (name, username) in people.items():
        result = results.get(learner_id)
        number = open_attempts.get(learner_id, (None,))[0]
        pending = awaiting.get(learner_id, (None,))[0]
        status = NOT_STARTED
        if result:
            status = SUBMITTED
        elif pending:
            status = AWAITING
        elif number:
            status = IN_PROGRESS
        rows.append(RosterRow(learner_id, name, username, status, number, result, pending))
    rows.sort(key=lambda r: (r.name.lower(), r.username))
    return rows


def clock(delta: timedelta | None) -> str:
    """A duration as m:ss (h:mm:ss from an hour), to the second; "—" when unknown."""
    if delta is None:
        return "—"
    seconds = round(delta.total_seconds())
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


@dataclass
class Line:
    """One question of the attempt: the review row the learner sees, and the time from
    the previous save (or the start) to this answer's last save."""

    review: ReviewRow
    time: timedelta | None

    @property
    def time_text(self) -> str:
        return clock(self.time)


@dataclass
class LearnerAttempt:
    attempts: list[Attempt]  # every attempt of the learner at the quiz, oldest first
    attempt: Attempt | None  # the one shown
    lines: list[Line]
    changes: list[GradeChange] = field(default_factory=list)  # its grade changes, newest first

    @property
    def total_time(self) -> timedelta | None:
        a = self.attempt
        return a.submitted_at - a.started_at if a and a.submitted_at else None

    @property
    def total_time_text(self) -> str:
        return clock(self.total_time)


def learner_attempt(quiz: Quiz, learner, number: int | None = None) -> LearnerAttempt | None:
    """The learner's attempt `number` (default: the latest submitted, else the one in
    progress) with every question as the result page shows it. None when they have no
    attempt of that number. Queries: the attempts (1), `review_rows` and the attempt's grade
    changes (1)."""
    attempts = list(Attempt.objects.filter(quiz=quiz, learner=learner).order_by("number"))
    if number is not None:
        chosen = next((a for a in attempts if a.number == number), None)
        if chosen is None:
            return None
    else:
        submitted = [a for a in attempts if a.is_submitted]
        chosen = submitted[-1] if submitted else (attempts[-1] if attempts else None)
    if chosen is None:
        return LearnerAttempt(attempts, None, [])
    rows = review_rows(chosen)
    times: dict[int, timedelta] = {}
    previous = chosen.started_at
    for row in sorted((r for r in rows if r.response), key=lambda r: r.response.answered_at):
        times[row.question.id] = max(row.response.answered_at - previous, timedelta(0))
        previous = row.response.answered_at
    changes = list(GradeChange.objects.of_attempt(chosen.pk).reverse())
    lines = [Line(row, times.get(row.question.id)) for row in rows]
    return LearnerAttempt(attempts, chosen, lines, changes)
