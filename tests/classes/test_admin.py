"""Classes: the Teachers group, join codes, sign-up and joining, and what a teacher sees
of classes, attempts and responses in the admin."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from classes.models import JOIN_CODE_ALPHABET, Assignment, Classroom, normalise_join_code
from quizzes.models import Attempt, Response

from tests.factories import QuizFactory, make_teacher
from tests.report_data import build_quiz, take

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def ms_a():
    return make_teacher("ms-a")


@pytest.fixture
def mr_b():
    return make_teacher("mr-b")


@pytest.fixture
def class_a(ms_a, student):
    classroom = Classroom.objects.create(name="Class A", teacher=ms_a)
    classroom.students.add(student)
    return classroom


@pytest.fixture
def class_b(mr_b, other_student):
    classroom = Classroom.objects.create(name="Class B", teacher=mr_b)
    classroom.students.add(other_student)
    return classroom


# --- the Teachers group ---------------------------------------------------------------------


def test_teachers_group_has_exactly_the_permissions_a_teacher_needs():
    perms = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Group.objects.get(name="Teachers").permissions.select_related("content_type")
    }
    crud = ("view", "add", "change", "delete")
    expected = {
        *(f"lessons.{a}_{m}" for m in ("lesson", "source", "section", "claim") for a in crud),
        *(f"quizzes.{a}_{m}" for m in ("quiz", "question", "choice") for a in crud),
        *(f"classes.{a}_{m}" for m in ("classroom", "assignment") for a in crud),
        "quizzes.view_attempt",
        "quizzes.view_response",
        "quizzes.view_selection",
    }
    assert perms == expected
    assert not any(p.startswith("auth.") for p in perms)


def test_a_teacher_cannot_open_users_or_groups(client, ms_a):
    client.force_login(ms_a)
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 403
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_teacher_cannot_change_or_add_attempts(client, ms_a, class_a, student):
    quiz, picks, _ = build_quiz()
    attempt = take(quiz, student, picks["right"])
    client.force_login(ms_a)
    url = reverse("admin:quizzes_attempt_change", args=[attempt.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'name="_save"' not in page.text
    assert client.post(url, {"score": 0}).status_code == 403
    assert client.get(reverse("admin:quizzes_attempt_add")).status_code == 403


# --- join codes and assignments ----------------------------------------------------------


def test_join_codes_are_unique_unambiguous_and_regenerable(ms_a):
    a = Classroom.objects.create(name="A", teacher=ms_a)
    b = Classroom.objects.create(name="B", teacher=ms_a)
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


def test_assignment_is_due_after_it_opens(ms_a):
    classroom = Classroom.objects.create(name="A", teacher=ms_a)
    now = timezone.now()
    with pytest.raises(IntegrityError):
        Assignment.objects.create(classroom=classroom, quiz=QuizFactory(), opens_at=now, due_at=now)


# --- sign up and join ----------------------------------------------------------------------


def _signup(client, code, username="newbie", password="a-long-pass-phrase-9"):
    return client.post(
        reverse("classes:signup"),
        {
            "code": code,
            "first_name": "Nia",
            "username": username,
            "password1": password,
            "password2": password,
        },
    )


def test_signup_with_a_code_makes_the_account_joins_and_logs_in(client, class_a):
    response = _signup(client, class_a.display_code.lower())
    assert response.status_code == 302 and response["Location"] == reverse("classes:mine")
    user = User.objects.get(username="newbie")
    assert not user.is_staff and user.first_name == "Nia"
    assert list(class_a.students.filter(pk=user.pk)) == [user]
    page = client.get(reverse("classes:mine"))
    assert "Class A" in page.text


def test_signup_with_a_bad_code_says_so_and_makes_nothing(client, class_a):
    response = _signup(client, "ZZZZ-ZZZZ")
    assert response.status_code == 400
    assert "No class has this code" in response.text
    response = _signup(client, "ABC")
    assert "A class code has 8 letters and digits" in response.text
    assert not User.objects.filter(username="newbie").exists()


def test_signup_form_prefills_the_code_and_has_no_inline_script_or_style(client, class_a):
    page = client.get(reverse("classes:signup") + f"?code={class_a.join_code}")
    assert page.status_code == 200
    assert f'value="{class_a.join_code}"' in page.text
    assert "<script" not in page.text and "style=" not in page.text


def test_signup_with_a_weak_password_is_refused(client, class_a):
    response = _signup(client, class_a.join_code, password="123")
    assert response.status_code == 400
    assert not User.objects.filter(username="newbie").exists()


def test_a_student_joins_with_a_code(student_client, student, ms_a):
    classroom = Classroom.objects.create(name="Second class", teacher=ms_a)
    response = student_client.post(reverse("classes:join"), {"code": classroom.join_code})
    assert response.status_code == 302
    assert classroom.students.filter(pk=student.pk).exists()
    response = student_client.post(
        reverse("classes:join"), {"code": classroom.join_code}, follow=True
    )
    assert "already in the class" in response.text
    assert classroom.students.count() == 1


def test_join_with_an_unknown_code_changes_nothing(student_client, student, class_b):
    response = student_client.post(reverse("classes:join"), {"code": "QQQQ-QQQQ"})
    assert response.status_code == 400 and "No class has this code" in response.text
    assert not student.classrooms.exists()


def test_an_old_code_stops_working_after_regeneration(student_client, student, class_b):
    old = class_b.join_code
    class_b.regenerate_join_code()
    response = student_client.post(reverse("classes:join"), {"code": old})
    assert response.status_code == 400
    assert not class_b.students.filter(pk=student.pk).exists()


def test_join_needs_a_login(client, class_a):
    response = client.post(reverse("classes:join"), {"code": class_a.join_code})
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_staff_do_not_join_as_students(client, ms_a, class_b):
    client.force_login(ms_a)
    client.post(reverse("classes:join"), {"code": class_b.join_code})
    assert not class_b.students.filter(pk=ms_a.pk).exists()


def test_my_classes_lists_published_assignments(student_client, class_a):
    now = timezone.now()
    visible = QuizFactory(title="Assigned quiz")
    hidden = QuizFactory(title="Draft quiz", published=False)
    for quiz in (visible, hidden):
        Assignment.objects.create(
            classroom=class_a, quiz=quiz, opens_at=now, due_at=now + timedelta(days=7)
        )
    page = student_client.get(reverse("classes:mine"))
    assert "Assigned quiz" in page.text and "Draft quiz" not in page.text


# --- the class admin, scoped ---------------------------------------------------------------


def test_a_teacher_lists_and_opens_only_their_own_classes(client, ms_a, class_a, class_b):
    client.force_login(ms_a)
    page = client.get(reverse("admin:classes_classroom_changelist"))
    assert "Class A" in page.text and "Class B" not in page.text
    assert (
        client.get(reverse("admin:classes_classroom_change", args=[class_a.pk])).status_code == 200
    )
    assert (
        client.get(reverse("admin:classes_classroom_change", args=[class_b.pk])).status_code == 404
    )
    assert (
        client.post(
            reverse("admin:classes_classroom_delete", args=[class_b.pk]), {"post": "yes"}
        ).status_code
        == 404
    )
    assert Classroom.objects.filter(pk=class_b.pk).exists()


def test_class_page_shows_only_the_class_students(client, ms_a, class_a, class_b, other_student):
    client.force_login(ms_a)
    page = client.get(reverse("admin:classes_classroom_change", args=[class_a.pk]))
    assert "student" in page.text and other_student.username not in page.text
    assert class_a.display_code in page.text


def test_a_teacher_creates_a_class_as_its_teacher(client, ms_a, mr_b):
    client.force_login(ms_a)
    response = client.post(
        reverse("admin:classes_classroom_add"),
        {
            "name": "New class",
            "teacher": mr_b.pk,
            "assignments-TOTAL_FORMS": 0,
            "assignments-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.content
    assert Classroom.objects.get(name="New class").teacher == ms_a


def test_a_teacher_cannot_add_another_teachers_student(client, ms_a, class_a, other_student):
    client.force_login(ms_a)
    response = client.post(
        reverse("admin:classes_classroom_change", args=[class_a.pk]),
        {
            "name": "Class A",
            "students": [other_student.pk],
            "assignments-TOTAL_FORMS": 0,
            "assignments-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200 and "Select a valid choice" in response.text
    assert not class_a.students.filter(pk=other_student.pk).exists()


def test_regenerate_action(client, ms_a, class_a):
    client.force_login(ms_a)
    old = class_a.join_code
    client.post(
        reverse("admin:classes_classroom_changelist"),
        {"action": "regenerate_codes", "_selected_action": [class_a.pk]},
    )
    class_a.refresh_from_db()
    assert class_a.join_code != old


def test_attempts_and_responses_are_scoped_to_the_teachers_students(
    client, ms_a, class_a, class_b, student, other_student
):
    quiz, picks, _ = build_quiz()
    mine = take(quiz, student, picks["right"])
    theirs = take(quiz, other_student, picks["wrong"])
    client.force_login(ms_a)
    listing = client.get(reverse("admin:quizzes_attempt_changelist"))
    assert f"/attempt/{mine.pk}/change/" in listing.text
    assert f"/attempt/{theirs.pk}/change/" not in listing.text
    assert other_student.username not in listing.text
    assert client.get(reverse("admin:quizzes_attempt_change", args=[theirs.pk])).status_code == 404
    their_response = Response.objects.filter(attempt=theirs).first()
    assert (
        client.get(reverse("admin:quizzes_response_change", args=[their_response.pk])).status_code
        == 404
    )
    responses = client.get(reverse("admin:quizzes_response_changelist"))
    assert f"/response/{their_response.pk}/change/" not in responses.text


def test_superuser_sees_every_class_and_attempt(
    client, admin_user, class_a, class_b, other_student
):
    quiz, picks, _ = build_quiz()
    theirs = take(quiz, other_student, picks["wrong"])
    client.force_login(admin_user)
    page = client.get(reverse("admin:classes_classroom_changelist"))
    assert "Class A" in page.text and "Class B" in page.text
    assert client.get(reverse("admin:quizzes_attempt_change", args=[theirs.pk])).status_code == 200
    assert Attempt.objects.count() == 1


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


def test_admin_home_lists_the_teachers_classes_and_their_assignments(
    client, ms_a, class_a, class_b
):
    now = timezone.now()
    Assignment.objects.create(
        classroom=class_a,
        quiz=QuizFactory(title="Homework quiz"),
        opens_at=now,
        due_at=now + timedelta(days=1),
    )
    client.force_login(ms_a)
    page = client.get(reverse("admin:index"))
    assert "Your classes" in page.text and class_a.display_code in page.text
    assert "Homework quiz" in page.text and f"?classroom={class_a.pk}" in page.text
    assert "Class B" not in page.text and class_b.display_code not in page.text


def test_a_teacher_cannot_assign_to_another_teachers_class(client, ms_a, class_b):
    client.force_login(ms_a)
    now = timezone.now()
    response = client.post(
        reverse("admin:classes_assignment_add"),
        {
            "classroom": class_b.pk,
            "quiz": QuizFactory().pk,
            "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
            "due_at": (now + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    errors = re.findall(r"errorlist[^>]*>(.*?)</ul>", response.text, re.S)
    assert response.status_code == 200 and len(errors) == 1 and "Select a valid choice" in errors[0]
    assert not Assignment.objects.exists()


def test_the_join_link_fills_the_code_in(client, class_a):
    page = client.get(class_a.get_join_url())
    assert f'value="{class_a.join_code}"' in page.text


def test_quizzes_and_lessons_never_import_classes():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = [
        str(path.relative_to(root))
        for app in ("lessons", "quizzes")
        for path in (root / app).rglob("*.py")
        if "from classes" in path.read_text() or "import classes" in path.read_text()
    ]
    assert offenders == []


def test_my_classes_query_count_does_not_grow(student_client, student, ms_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    now = timezone.now()
    for n in (1, 4):
        for i in range(n):
            classroom = Classroom.objects.create(name=f"C{n}-{i}", teacher=ms_a)
            classroom.students.add(student)
            for _ in range(n):
                Assignment.objects.create(
                    classroom=classroom,
                    quiz=QuizFactory(),
                    opens_at=now,
                    due_at=now + timedelta(days=1),
                )
        with CaptureQueriesContext(connection) as ctx:
            assert student_client.get(reverse("classes:mine")).status_code == 200
        counts.append(len(ctx.captured_queries))
    # session, user, the classes with their teachers, their assignments with quizzes
    assert counts == [4, 4]


def test_a_teacher_assigns_a_quiz_on_the_class_page(client, ms_a, class_a, student):
    quiz = QuizFactory(title="Assigned here")
    client.force_login(ms_a)
    url = reverse("admin:classes_classroom_change", args=[class_a.pk])
    form = {
        "name": "Class A",
        "students": [student.pk],
        "assignments-TOTAL_FORMS": 1,
        "assignments-INITIAL_FORMS": 0,
        "assignments-0-quiz": quiz.pk,
        "assignments-0-opens_at": "2026-12-01T08:00",
        "assignments-0-due_at": "2026-11-30T08:00",
    }
    response = client.post(url, form)
    errors = re.findall(r"errorlist[^>]*>(.*?)</ul>", response.text, re.S)
    assert response.status_code == 200 and "The due date must come after" in response.text, errors
    form["assignments-0-due_at"] = "2026-12-08T08:00"
    assert client.post(url, form).status_code == 302
    assignment = Assignment.objects.get()
    assert (assignment.classroom, assignment.quiz) == (class_a, quiz)
    assert assignment.due_at.isoformat() == "2026-12-08T08:00:00+00:00"
    page = client.get(url)
    assert 'value="2026-12-08T08:00"' in page.text and 'aria-label="Due at"' in page.text
