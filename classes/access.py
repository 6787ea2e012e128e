"""The learner gate (`lessons.gate`): who may read which lesson and take which quiz,
and when. The one place of the rule:

- staff (teachers, superusers) read every published lesson and take every visible quiz:
  the preview of what their students see;
- a learner sees a visible quiz marked open to all, or assigned to a class they are in;
- they may start it when it is open to all, or between an assignment's opening and due
  dates; after the due date only if that assignment allows late work, and then the
  attempt is marked late;
- they read a published lesson marked open to all, or one with a quiz they see, from the
  moment it opens (and on after the due date: the result page links to the evidence);
- a learner's own dates for an assignment (`AssignmentOverride`) replace its dates for
  them alone; their accommodation (`Accommodation`, the quiz's or else the class-wide one)
  gives extra time and attempts; across several classes with the quiz, each of factor,
  minutes and attempts at its most generous.

Everything here is a QuerySet filter or one query, whatever the number of classes."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from lessons.dates import show
from lessons.gate import Access
from lessons.models import Lesson
from quizzes.models import Quiz

from .models import Assignment


def _assigned(user, **filters):
    return Assignment.objects.filter(quiz=OuterRef("pk"), classroom__students=user, **filters)


class ClassGate:
    def quizzes_for(self, user):
        """The visible quizzes `user` may see on the student side (start page, lesson)."""
        quizzes = Quiz.objects.visible()
        if user.is_staff:
            return quizzes
        return quizzes.filter(Q(open_to_all=True) | Exists(_assigned(user)))

    def lessons_for(self, user, now=None):
        """The published lessons `user` may read now."""
        lessons = Lesson.objects.published()
        if user.is_staff:
            return lessons
        now = now or timezone.now()
        opened = (
            _assigned(user)
            .with_learner_dates(user)
            .filter(
                Q(override_opens_at__lte=now) | Q(override_opens_at__isnull=True, opens_at__lte=now)
            )
        )
        readable = Quiz.objects.visible().filter(
            Q(open_to_all=True) | Exists(opened),
            lesson=OuterRef("pk"),
        )
        return lessons.filter(Q(open_to_all=True) | Exists(readable))

    def quiz_access(self, user, quiz, now=None) -> Access:
        """May `user` start an attempt at `quiz` now, would it be late, and with what
        accommodation. One query, whatever the number of overrides and accommodations."""
        if user.is_staff:
            return Access(True)
        now = now or timezone.now()
        assignments = list(
            Assignment.objects.for_learner(user)
            .filter(quiz=quiz, classroom__students=user)
            .only("opens_at", "due_at", "late_policy", "classroom_id", "quiz_id")
        )
        if quiz.open_to_all and not assignments:
            return Access(True)
        if not assignments:
            return Access(
                False, "not_assigned", "This quiz is not assigned to any of your classes."
            )
        return self.access_from(quiz, assignments, now)

    def access_from(self, quiz, assignments, now=None) -> Access:
        """The rule itself, from a learner's assignments of `quiz` (non-empty, loaded with
        `AssignmentQuerySet.for_learner`), for pages that load many quizzes' assignments
        at once (My work): no query."""
        extra = _accommodation(assignments)
        if quiz.open_to_all:
            return Access(True, **extra)
        now = now or timezone.now()
        states = {a: a.state(now) for a in assignments}
        on_time = [a for a, s in states.items() if s == Assignment.OPEN]
        if on_time:
            return Access(True, due_at=max(a.effective_due_at for a in on_time), **extra)
        late = [a for a, s in states.items() if s == Assignment.LATE]
        if late:
            return Access(True, late=True, due_at=max(a.effective_due_at for a in late), **extra)
        started = [a for a, s in states.items() if s != Assignment.UPCOMING]
        if not started:
            opens = min(a.effective_opens_at for a in assignments)
            return Access(False, "assignment_not_open", f"This quiz opens on {show(opens)}.")
        due = max(a.effective_due_at for a in started)
        return Access(
            False,
            "past_due",
            f"This quiz was due on {show(due)}; your class no longer takes it.",
            due_at=due,
        )


def _accommodation(assignments) -> dict:
    """The learner's accommodations in the classes given the quiz (annotated by
    `AssignmentQuerySet.for_learner`) as `Access` fields, each at its most generous."""
    factors = [a.accommodation_time_factor for a in assignments if a.accommodation_time_factor]
    return {
        "time_factor": float(max(factors, default=1)),
        "extra_minutes": max((a.accommodation_extra_minutes or 0 for a in assignments), default=0),
        "extra_attempts": max(
            (a.accommodation_extra_attempts or 0 for a in assignments), default=0
        ),
    }


gate = ClassGate()
