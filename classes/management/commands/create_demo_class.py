from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from classes.models import Assignment, Classroom
from quizzes.models import Quiz


class Command(BaseCommand):
    help = (
        "Put the demo student in a demo class of the demo teacher, with the published "
        "quizzes assigned (development only; run after create_demo_users)."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("The demo class is for development only: run with DEBUG=1.")
        User = get_user_model()
        teacher = User.objects.filter(username="teacher").first()
        student = User.objects.filter(username="student").first()
        if teacher is None or student is None:
            raise CommandError("Run create_demo_users first.")
        classroom, created = Classroom.objects.get_or_create(name="Demo class", teacher=teacher)
        classroom.students.add(student)
        now = timezone.now()
        for quiz in Quiz.objects.visible():
            Assignment.objects.get_or_create(
                classroom=classroom,
                quiz=quiz,
                defaults={"opens_at": now, "due_at": now + timedelta(days=14)},
            )
        self.stdout.write(
            f"  Demo class      join code: {classroom.display_code}  "
            f"({'created' if created else 'exists'}; new students sign up at /signup/)"
        )
