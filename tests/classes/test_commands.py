"""The demo commands of classes/management."""

import pytest
from django.contrib.auth import get_user_model

from classes.models import Classroom
from tests.factories import QuizFactory

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_demo_teacher_is_a_teacher_and_the_demo_class_holds_the_demo_student(settings):
    from django.core.management import call_command

    settings.DEBUG = True
    QuizFactory(title="Published quiz")
    call_command("create_demo_users", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("create_demo_class", stdout=open("/dev/null", "w"))  # noqa: SIM115
    teacher = User.objects.get(username="teacher")
    assert teacher.is_staff and not teacher.is_superuser
    assert teacher.groups.filter(name="Teachers").exists()
    classroom = Classroom.objects.get(teacher=teacher)
    assert list(classroom.students.values_list("username", flat=True)) == ["student"]
    assert classroom.assignments.get().quiz.title == "Published quiz"
