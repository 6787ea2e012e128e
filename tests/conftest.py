"""The personas every area's tests share, and the small quizzes they take.

Personas: a student and another student; a teacher and another teacher (staff in the
"Teachers" group, as the product makes them), each with a class of one of the students;
a superuser; anonymous (the plain test client). `*_client` fixtures are the test client
logged in as that persona."""

import pytest

from classes.models import Classroom

from .factories import (
    QuizFactory,
    TeacherFactory,
    UserFactory,
    make_single_question,
    make_teacher,
    make_true_false_question,
)
from .scenarios import build_article_quiz


@pytest.fixture(autouse=True)
def _plain_http(settings):
    """The test client speaks plain HTTP; production's redirect to HTTPS (on whenever
    DEBUG is off, as in `make test`) is tested on its own in test_production.py."""
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2's deliberate slowness protects real passwords; tests only need them to match.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty default cache (it keeps rendered readings, question
    objects and results by content version), so query counts do not depend on the order."""
    from django.core.cache import cache

    cache.clear()


# --- personas ------------------------------------------------------------------------------


@pytest.fixture
def student(db):
    return UserFactory(username="student")


@pytest.fixture
def other_student(db):
    return UserFactory(username="other-student")


@pytest.fixture
def teacher(db):
    return make_teacher("teacher")


@pytest.fixture
def other_teacher(db):
    return make_teacher("other-teacher")


@pytest.fixture
def superuser(db):
    return TeacherFactory(username="head", is_superuser=True)


@pytest.fixture
def anonymous(client):
    """The test client, logged in as nobody."""
    return client


@pytest.fixture
def student_client(client, student):
    client.force_login(student)
    return client


@pytest.fixture
def teacher_client(client, teacher):
    client.force_login(teacher)
    return client


@pytest.fixture
def superuser_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def class_a(teacher, student):
    """The teacher's class, with the student in it."""
    classroom = Classroom.objects.create(name="Class A", teacher=teacher)
    classroom.students.add(student)
    return classroom


@pytest.fixture
def class_b(other_teacher, other_student):
    """The other teacher's class, with the other student in it."""
    classroom = Classroom.objects.create(name="Class B", teacher=other_teacher)
    classroom.students.add(other_student)
    return classroom


# --- quizzes to take ------------------------------------------------------------------------


@pytest.fixture
def quiz(db):
    """A published quiz of two questions: a single choice (recall, 1 point) and a
    true/false (attribution, 2 points)."""
    quiz = QuizFactory(title="Warm-up")
    make_single_question(quiz, order=1)
    make_true_false_question(quiz, order=2)
    return quiz


@pytest.fixture
def article_quiz(db):
    """The shipped article's lesson with a quiz of every kind (tests/scenarios.py)."""
    return build_article_quiz()
