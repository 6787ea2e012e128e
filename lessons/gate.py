"""The learner gate: may this learner read this lesson, see or take this quiz now, and
would the attempt be late.

The rule lives with the classes that decide it (`classes/access.py`: assignments, their
windows and late policies). `lessons` and `quizzes` sit below `classes` and never import
it, so they ask the gate named by the setting `LEARNER_GATE` (a dotted path to an object
with the methods of `Gate` below). See docs/architecture.md, "The learner gate"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Protocol

from django.conf import settings
from django.db.models import QuerySet
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Access:
    """The gate's answer for one learner and one quiz. `code` says which rule refused
    (empty when allowed); `late`: allowed after the due date, marked late; `due_at`: the
    learner's due date. The learner's accommodation: the time limit × `time_factor` +
    `extra_minutes`, and `extra_attempts` beyond the quiz's limit."""

    allowed: bool
    code: str = ""
    message: str = ""
    late: bool = False
    due_at: datetime | None = None
    time_factor: float = 1.0
    extra_minutes: int = 0
    extra_attempts: int = 0

    def time_allowed(self, limit_minutes: int) -> timedelta:
        """A time limit of `limit_minutes` with this learner's extra time."""
        return timedelta(minutes=limit_minutes * self.time_factor + self.extra_minutes)

    def minutes_allowed(self, limit_minutes: int) -> int:
        return round(self.time_allowed(limit_minutes).total_seconds() / 60)

    @property
    def has_extra_time(self) -> bool:
        return self.time_factor > 1 or self.extra_minutes > 0


class Gate(Protocol):
    def lessons_for(self, user, now: datetime | None = None) -> QuerySet: ...

    def quizzes_for(self, user) -> QuerySet: ...

    def quiz_access(self, user, quiz, now: datetime | None = None) -> Access: ...


@cache
def _load(path: str) -> Gate:
    return import_string(path)


def gate() -> Gate:
    return _load(settings.LEARNER_GATE)
