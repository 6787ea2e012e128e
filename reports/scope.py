"""Who a report covers: a teacher's reports cover the students of their own classes (one
class, or all of them); a superuser's cover everyone, or one class."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import Http404

from classes.models import Classroom


@dataclass
class Scope:
    classrooms: list[Classroom]
    classroom: Classroom | None
    learners: QuerySet | None

    @property
    def query(self) -> str:
        return f"classroom={self.classroom.pk}" if self.classroom else ""

    @property
    def name(self) -> str:
        return self.classroom.name if self.classroom else "all"

    def members(self) -> QuerySet | None:
        """The learners the report covers, each once (a student in two of the teacher's
        classes too), by name; None for a superuser's "everyone"."""
        if self.learners is None:
            return None
        return (
            get_user_model()
            .objects.filter(id__in=self.learners.values("id"))
            .order_by("first_name", "last_name", "username")
        )

    def class_size(self) -> int | None:
        """How many learners the report covers (one query); None for everyone."""
        members = self.members()
        return None if members is None else members.count()


def scope_for(user, classroom_id: str | None) -> Scope:
    """The classes `user` may filter by and the learners the report covers. A class the
    user does not teach is a 404, whether it exists or not."""
    classrooms = list(Classroom.objects.taught_by(user).select_related("teacher"))
    if classroom_id:
        try:
            chosen = next(c for c in classrooms if str(c.pk) == str(classroom_id))
        except StopIteration:
            raise Http404("No such class.") from None
        return Scope(classrooms, chosen, chosen.students.all())
    return Scope(classrooms, None, Classroom.objects.visible_learners(user))
