"""classes/models.py: join codes and assignments."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from classes.models import JOIN_CODE_ALPHABET, Assignment, Classroom, normalise_join_code
from tests.factories import QuizFactory

pytestmark = pytest.mark.django_db


User = get_user_model()


def test_join_codes_are_unique_unambiguous_and_regenerable(teacher):
    a = Classroom.objects.create(name="A", teacher=teacher)
    b = Classroom.objects.create(name="B", teacher=teacher)
    assert a.join_code != b.join_code
    assert len(a.join_code) == 8 and set(a.join_code) <= set(JOIN_CODE_ALPHABET)
    assert not set("01OIL") & set(JOIN_CODE_ALPHABET)
    old = a.join_code
    a.regenerate_join_code()
    a.refresh_from_db()
    assert a.join_code != old
    b.join_code = a.join_code
    with pytest.raises(IntegrityError):
        b.save()


def test_normalise_join_code():
    assert normalise_join_code(" abcd-2345 ") == "ABCD2345"


def test_assignment_is_due_after_it_opens(teacher):
    classroom = Classroom.objects.create(name="A", teacher=teacher)
    now = timezone.now()
    with pytest.raises(IntegrityError):
        Assignment.objects.create(classroom=classroom, quiz=QuizFactory(), opens_at=now, due_at=now)


def test_assignment_clean_refuses_a_due_date_before_it_opens_with_a_code(teacher):
    classroom = Classroom.objects.create(name="A", teacher=teacher)
    now = timezone.now()
    assignment = Assignment(classroom=classroom, quiz=QuizFactory(), opens_at=now, due_at=now)
    with pytest.raises(ValidationError) as refused:
        assignment.clean()
    assert [e.code for e in refused.value.error_dict["due_at"]] == ["due_before_open"]
