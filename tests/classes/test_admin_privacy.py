"""The admin never shows a teacher another teacher's class names: list filters, delete
confirmation pages, view-on-site links, autocomplete, the assignment inline's quiz
choices. Class B (the other teacher's) has the teacher's own quiz assigned."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from classes.models import Assignment, Classroom
from tests.factories import AttemptFactory, LessonFactory, QuizFactory, make_single_question

pytestmark = pytest.mark.django_db

SECRET = "Class B"  # the other teacher's class's name (tests/conftest.py)


@pytest.fixture
def shared_quiz(teacher, class_a, class_b, other_student):
    """The teacher's published quiz, assigned to both classes, attempted in class B."""
    lesson = LessonFactory(owner=teacher, title="Shared lesson")
    quiz = QuizFactory(lesson=lesson, owner=teacher, title="Shared quiz")
    make_single_question(quiz)
    now = timezone.now()
    for classroom in (class_a, class_b):
        Assignment.objects.create(
            classroom=classroom, quiz=quiz, opens_at=now, due_at=now + timedelta(days=1)
        )
    AttemptFactory(quiz=quiz, learner=other_student)
    return quiz


def _no_secret(response):
    assert response.status_code in (200, 302, 404)
    assert SECRET not in response.content.decode()


def test_list_filters(teacher_client, shared_quiz):
    for name in ("classes_assignment", "quizzes_attempt", "quizzes_response"):
        _no_secret(teacher_client.get(reverse(f"admin:{name}_changelist")))
    page = teacher_client.get(reverse("admin:classes_assignment_changelist"))
    assert "Class A" in page.text  # the teacher's own class is there


@pytest.mark.parametrize("what", ["quiz", "lesson"])
def test_delete_confirmation_pages(teacher_client, shared_quiz, what):
    obj = shared_quiz if what == "quiz" else shared_quiz.lesson
    app = "quizzes" if what == "quiz" else "lessons"
    url = reverse(f"admin:{app}_{what}_delete", args=[obj.pk])
    page = teacher_client.get(url)
    _no_secret(page)
    assert "cannot be deleted" in page.text
    bulk = teacher_client.post(
        reverse(f"admin:{app}_{what}_changelist"),
        {"action": "delete_selected", "_selected_action": [obj.pk]},
    )
    _no_secret(bulk)


def test_view_on_site_links(teacher_client, shared_quiz, class_b):
    for obj in (class_b, Assignment.objects.get(classroom=class_b)):
        ct = ContentType.objects.get_for_model(obj)
        _no_secret(teacher_client.get(reverse("admin:view_on_site", args=[ct.pk, obj.pk])))
    page = teacher_client.get(reverse("admin:quizzes_quiz_change", args=[shared_quiz.pk]))
    _no_secret(page)


def test_autocomplete(teacher_client, shared_quiz):
    for app, model, field in (
        ("classes", "assignment", "classroom"),
        ("classes", "assignment", "quiz"),
        ("quizzes", "quiz", "lesson"),
    ):
        response = teacher_client.get(
            reverse("admin:autocomplete"),
            {"app_label": app, "model_name": model, "field_name": field, "term": ""},
        )
        assert response.status_code == 200
        _no_secret(response)
        if field == "classroom":
            assert "Class A" in response.text  # the teacher's own


def test_the_assignment_inlines_quiz_choices(teacher_client, class_a, other_teacher):
    other_class = Classroom.objects.create(name=SECRET + " bis", teacher=other_teacher)
    draft = QuizFactory(
        title="Their draft", owner=other_teacher, published=False, lesson__owner=other_teacher
    )
    archived = QuizFactory(title="Archived one", archived=True)
    published = QuizFactory(title="Their published", owner=other_teacher)
    Assignment.objects.create(
        classroom=other_class,
        quiz=published,
        opens_at=timezone.now(),
        due_at=timezone.now() + timedelta(days=1),
    )
    for url in (
        reverse("admin:classes_classroom_change", args=[class_a.pk]),
        reverse("admin:classes_assignment_add"),
    ):
        page = teacher_client.get(url)
        assert page.status_code == 200
        assert SECRET not in page.text
        assert draft.title not in page.text and archived.title not in page.text
        assert published.title in page.text  # others' published quizzes may be assigned


def test_archiving_an_assigned_quiz_leaves_its_class_savable(teacher_client, class_a):
    quiz = QuizFactory(title="Soon archived")
    now = timezone.now()
    assignment = Assignment.objects.create(
        classroom=class_a, quiz=quiz, opens_at=now, due_at=now + timedelta(days=1)
    )
    quiz.archived = True
    quiz.save()
    page = teacher_client.get(reverse("admin:classes_assignment_change", args=[assignment.pk]))
    assert "Soon archived" in page.text  # kept as the assignment's own choice
    page = teacher_client.get(reverse("admin:classes_classroom_change", args=[class_a.pk]))
    assert "Soon archived" in page.text
    fresh = Classroom.objects.create(name="Fresh", teacher=class_a.teacher)
    page = teacher_client.get(reverse("admin:classes_classroom_change", args=[fresh.pk]))
    assert "Soon archived" not in page.text  # not offered for a new assignment
