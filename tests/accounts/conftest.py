"""Classes for the account tests: the teacher's class with the student in it, another
teacher's class with the other student."""

import pytest

from classes.models import Classroom


@pytest.fixture
def class_a(teacher, student):
    classroom = Classroom.objects.create(name="Class A", teacher=teacher)
    classroom.students.add(student)
    return classroom


@pytest.fixture
def class_b(other_teacher, other_student):
    classroom = Classroom.objects.create(name="Class B", teacher=other_teacher)
    classroom.students.add(other_student)
    return classroom
