from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

DEMO_USERS = [
    # username, password, is_staff, is_superuser, first name
    # The demo teacher is what a real teacher is: staff in the "Teachers" group, not a
    # superuser, so the admin shows what a teacher sees (their own classes' results only).
    ("teacher", "teacher-demo-pass", True, False, "Demo teacher"),
    ("student", "student-demo-pass", False, False, "Demo student"),
]


class Command(BaseCommand):
    help = "Create a demo teacher and a demo student (development only) and print their logins."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "Demo users are for development only: run with DEBUG=1. "
                "In production, create accounts with `createsuperuser` or in the admin."
            )
        User = get_user_model()
        for username, password, staff, superuser, first_name in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"is_staff": staff, "is_superuser": superuser, "first_name": first_name},
            )
            if created:
                user.set_password(password)
                user.save(update_fields=["password"])
            if staff and not superuser:
                user.groups.add(*Group.objects.filter(name="Teachers"))
            state = "created" if created else "exists"
            self.stdout.write(
                f"  {first_name:<13} login: {username:<8} password: {password}  ({state})"
            )
