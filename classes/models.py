"""Who teaches whom: classes, their join codes, and the quizzes assigned to them."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone

from quizzes.models import Quiz

# No 0/O, 1/I/L: a code read aloud or copied from a board is typed right the first time.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 8


def new_join_code() -> str:
    # 31**8 ≈ 8.5e11 codes: guessing one of a school's few hundred is hopeless.
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalise_join_code(text: str) -> str:
    """What a student typed, as stored: upper case, without spaces or dashes."""
    return "".join(ch for ch in (text or "").upper() if ch not in " -\t")


class ClassroomQuerySet(models.QuerySet):
    def taught_by(self, user):
        """The classes `user` may see: all for a superuser, their own for a teacher."""
        if user.is_superuser:
            return self.all()
        return self.filter(teacher=user)

    def visible_learners(self, user) -> QuerySet | None:
        """The learners whose results `user` may see: the students of their classes;
        None means everyone (a superuser)."""
        if user.is_superuser:
            return None
        return get_user_model().objects.filter(classrooms__teacher=user)

    def home_for(self, user) -> list:
        """The classes `user` teaches with their student counts and assignments, for the
        admin's home page (two queries); none for a user who is not staff."""
        if not user.is_authenticated or not user.is_staff:
            return []
        return list(
            self.filter(teacher=user)
            .annotate(student_total=Count("students"))
            .prefetch_related(
                Prefetch(
                    "assignments",
                    queryset=Assignment.objects.select_related("quiz").order_by("due_at"),
                )
            )
        )


class Classroom(models.Model):
    name = models.CharField(max_length=200)
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="classrooms_taught",
        limit_choices_to={"is_staff": True},
    )
    students = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="classrooms", blank=True
    )
    join_code = models.CharField(
        max_length=JOIN_CODE_LENGTH,
        unique=True,
        default=new_join_code,
        editable=False,
        help_text="Students type this code to sign up or to join the class.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ClassroomQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = "class"
        verbose_name_plural = "classes"

    def __str__(self):
        return self.name

    @property
    def display_code(self) -> str:
        """The code as printed for students: two groups of four."""
        half = len(self.join_code) // 2
        return f"{self.join_code[:half]}-{self.join_code[half:]}"

    def get_join_url(self):
        """The sign-up page with this class's code filled in."""
        return reverse("classes:signup") + f"?code={self.join_code}"

    def regenerate_join_code(self) -> str:
        """Give the class a fresh code; the old one stops working at once."""
        for _ in range(10):
            self.join_code = new_join_code()
            try:
                with transaction.atomic():
                    self.save(update_fields=["join_code"])
                return self.join_code
            except IntegrityError:  # pragma: no cover - a collision is a one-in-a-billion event
                continue
        raise RuntimeError("Could not find a free join code.")  # pragma: no cover


class AssignmentQuerySet(models.QuerySet):
    def with_learner_dates(self, learner):
        """Each assignment with `learner`'s own dates, if a teacher gave them some
        (`AssignmentOverride`): `override_opens_at`, `override_due_at`, None without one,
        which `state` and `effective_opens_at`/`effective_due_at` read. Subqueries of the
        same query."""
        override = AssignmentOverride.objects.filter(assignment=OuterRef("pk"), learner=learner)
        return self.annotate(
            override_opens_at=Subquery(override.values("opens_at")[:1]),
            override_due_at=Subquery(override.values("due_at")[:1]),
        )

    def for_learner(self, learner):
        """`with_learner_dates`, and the learner's accommodation in the assignment's class
        (`accommodation_time_factor`, `_extra_minutes`, `_extra_attempts`, None without
        one): the one for the quiz, else the class-wide one. Still one query, whatever the
        number of overrides and accommodations."""
        accommodation = (
            Accommodation.objects.filter(classroom=OuterRef("classroom_id"), learner=learner)
            .filter(Q(quiz=OuterRef("quiz_id")) | Q(quiz__isnull=True))
            .order_by(F("quiz_id").asc(nulls_last=True))
        )
        return self.with_learner_dates(learner).annotate(
            **{
                f"accommodation_{field}": Subquery(accommodation.values(field)[:1])
                for field in ("time_factor", "extra_minutes", "extra_attempts")
            }
        )


class Assignment(models.Model):
    class LatePolicy(models.TextChoices):
        REFUSE = "refuse", "Refuse attempts after the due date"
        ALLOW_LATE = "allow_late", "Allow them, marked late"

    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="assignments")
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="assignments")
    opens_at = models.DateTimeField()
    due_at = models.DateTimeField()
    late_policy = models.CharField(
        max_length=20, choices=LatePolicy.choices, default=LatePolicy.REFUSE
    )

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["classroom", "quiz"], name="quiz_assigned_once_per_class"
            ),
            models.CheckConstraint(
                condition=Q(due_at__gt=F("opens_at")), name="assignment_due_after_it_opens"
            ),
        ]

    def __str__(self):
        return f"{self.quiz} for {self.classroom}"

    # Where an assignment stands at a given time (`state`); the gate (classes/access.py)
    # decides a quiz from the states of the learner's assignments of it.
    UPCOMING, OPEN, LATE, CLOSED = "upcoming", "open", "late", "closed"

    @property
    def effective_opens_at(self):
        """When it opens for the learner it was loaded for (`with_learner_dates`): their
        own date if they have one, else the class's."""
        return getattr(self, "override_opens_at", None) or self.opens_at

    @property
    def effective_due_at(self):
        return getattr(self, "override_due_at", None) or self.due_at

    def state(self, now=None) -> str:
        """Not open yet, open (on time), open but late (past due, late work allowed), or
        closed (past due, late work refused); by the learner's own dates when the row was
        loaded with them (`AssignmentQuerySet.with_learner_dates`)."""
        now = now or timezone.now()
        if now < self.effective_opens_at:
            return self.UPCOMING
        if now < self.effective_due_at:
            return self.OPEN
        return self.LATE if self.late_policy == self.LatePolicy.ALLOW_LATE else self.CLOSED

    def clean(self):
        if self.opens_at and self.due_at and self.due_at <= self.opens_at:
            raise ValidationError(
                {
                    "due_at": ValidationError(
                        "The due date must come after the date it opens.", code="due_before_open"
                    )
                }
            )


from .accommodations import Accommodation, AssignmentOverride  # noqa: E402, F401
