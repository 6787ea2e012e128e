"""Personas (a student, another student, a teacher, another teacher) and a small
published quiz to take."""

import pytest

from .factories import (
    QuizFactory,
    TeacherFactory,
    UserFactory,
    make_single_question,
    make_true_false_question,
)


@pytest.fixture(autouse=True)
def _plain_http(settings):
    """The test client speaks plain HTTP; production's redirect to HTTPS (on whenever
    DEBUG is off, as in `make test`) is tested on its own in test_production.py."""
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2's deliberate slowness protects real passwords; tests only need them to match.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def student(db):
    return UserFactory(username="student")


@pytest.fixture
def other_student(db):
    return UserFactory(username="other-student")


@pytest.fixture
def teacher(db):
    return TeacherFactory(username="teacher")


@pytest.fixture
def other_teacher(db):
    return TeacherFactory(username="other-teacher")


@pytest.fixture
def student_client(client, student):
    client.force_login(student)
    return client


@pytest.fixture
def quiz(db):
    """A published quiz of two questions: a single choice (recall, 1 point) and a
    true/false (attribution, 2 points)."""
    quiz = QuizFactory(title="Warm-up")
    make_single_question(quiz, order=1)
    make_true_false_question(quiz, order=2)
    return quiz
