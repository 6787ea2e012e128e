"""The class whose results the report tests read (tests/report_data.py)."""

import pytest

from classes.models import Classroom
from tests.factories import make_teacher
from tests.report_data import build_class_results


@pytest.fixture
def data():
    quiz, learners, sources = build_class_results()
    teacher = make_teacher("ms-report")
    classroom = Classroom.objects.create(name="9B", teacher=teacher)
    classroom.students.set(learners.values())
    return {
        "quiz": quiz,
        "learners": learners,
        "sources": sources,
        "teacher": teacher,
        "class": classroom,
    }
