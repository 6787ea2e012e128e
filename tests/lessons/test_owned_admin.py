"""Ownership in the teacher's workspace (lessons/owned_admin.py, OwnedQuerySet): a teacher
edits only what they own; others' published content is read-only and can be duplicated
into their own; others' unpublished content is invisible; superusers edit everything;
content with learners' work is archived, not deleted."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from bundle.dump import dumps
from lessons.models import Lesson
from quizzes.authoring import duplicate_lesson
from quizzes.models import Question, Quiz
from tests.factories import AttemptFactory, LessonFactory, QuizFactory, make_single_question

pytestmark = pytest.mark.django_db

SHIPPED = Path(__file__).resolve().parents[2] / "lessons/bundles/cuba-venezuela-casualties.json"


@pytest.fixture
def mine(teacher):
    lesson = LessonFactory(title="My lesson", owner=teacher, published=False)
    quiz = QuizFactory(lesson=lesson, title="My quiz", owner=teacher, published=False)
    make_single_question(quiz)
    return quiz


@pytest.fixture
def theirs(other_teacher):
    lesson = LessonFactory(title="Their lesson", owner=other_teacher)
    quiz = QuizFactory(lesson=lesson, title="Their quiz", owner=other_teacher)
    make_single_question(quiz)
    return quiz


@pytest.fixture
def their_draft(other_teacher):
    lesson = LessonFactory(title="Their draft lesson", owner=other_teacher, published=False)
    return QuizFactory(
        lesson=lesson, title="Their draft quiz", owner=other_teacher, published=False
    )


def _change(model, obj):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk])


def test_a_teacher_sees_their_own_and_others_published_content_only(
    teacher_client, mine, theirs, their_draft
):
    lessons = teacher_client.get(reverse("admin:lessons_lesson_changelist")).text
    quizzes = teacher_client.get(reverse("admin:quizzes_quiz_changelist")).text
    for page in (lessons, quizzes):
        assert "My " in page and "Their " in page and "Their draft" not in page
    for model, obj in ((Lesson, their_draft.lesson), (Quiz, their_draft)):
        response = teacher_client.get(_change(model, obj))
        assert response.status_code == 302  # "doesn't exist": as if it did not
    questions = teacher_client.get(reverse("admin:quizzes_question_changelist")).text
    assert their_draft.title not in questions


@pytest.mark.parametrize("model", [Lesson, Quiz])
def test_others_published_content_is_read_only(teacher_client, theirs, model):
    obj = theirs if model is Quiz else theirs.lesson
    page = teacher_client.get(_change(model, obj))
    assert page.status_code == 200
    assert 'name="_save"' not in page.text and "deletelink" not in page.text
    assert 'name="title"' not in page.text  # every field read-only
    assert (
        'name="questions-0-prompt"' not in page.text and 'name="sections-0-title"' not in page.text
    )
    assert teacher_client.post(_change(model, obj), {"title": "Mine now"}).status_code == 403
    delete = reverse(
        f"admin:{model._meta.app_label}_{model._meta.model_name}_delete", args=[obj.pk]
    )
    assert teacher_client.post(delete, {"post": "yes"}).status_code == 403
    obj.refresh_from_db()
    assert obj.title != "Mine now"


def test_a_part_of_others_content_is_read_only_too(teacher_client, theirs):
    question = theirs.questions.get()
    url = reverse("admin:quizzes_question_change", args=[question.pk])
    assert teacher_client.get(url).status_code == 200
    assert teacher_client.post(url, {"prompt": "Changed"}).status_code == 403
    question.refresh_from_db()
    assert question.prompt != "Changed"


def test_publish_unpublish_and_archive_actions_skip_others_content(teacher_client, mine, theirs):
    url = reverse("admin:quizzes_quiz_changelist")
    for action in ("unpublish", "archive"):
        page = teacher_client.post(
            url, {"action": action, "_selected_action": [theirs.pk]}, follow=True
        )
        assert "not yours" in page.text
    theirs.refresh_from_db()
    assert theirs.published and not theirs.archived
    teacher_client.post(url, {"action": "publish", "_selected_action": [mine.pk]})
    mine.refresh_from_db()
    assert mine.published


def test_a_teacher_edits_their_own_and_new_content_is_theirs(teacher_client, teacher, mine):
    url = reverse("admin:lessons_lesson_change", args=[mine.lesson.pk])
    assert 'name="_save"' in teacher_client.get(url).text
    response = teacher_client.post(
        reverse("admin:lessons_lesson_add"),
        {
            "title": "Fresh",
            "slug": "fresh",
            "sections-TOTAL_FORMS": 0,
            "sections-INITIAL_FORMS": 0,
            "claims-TOTAL_FORMS": 0,
            "claims-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302
    assert Lesson.objects.get(slug="fresh").owner == teacher


def test_a_co_owner_edits_as_the_owner_does(client, other_teacher, theirs, their_draft, teacher):
    their_draft.lesson.co_owners.add(teacher)
    assert set(Lesson.objects.editable_by(teacher)) == {their_draft.lesson}
    assert their_draft.lesson.is_editable_by(teacher)
    assert not theirs.lesson.is_editable_by(teacher)


def test_nobodys_content_is_read_only_for_teachers_and_editable_by_superusers(
    teacher_client, superuser, article_quiz
):
    lesson = article_quiz.lesson
    assert lesson.owner is None
    url = reverse("admin:lessons_lesson_change", args=[lesson.pk])
    assert 'name="_save"' not in teacher_client.get(url).text
    head = Client()
    head.force_login(superuser)
    assert 'name="_save"' in head.get(url).text


def test_duplicate_into_my_lessons_copies_everything_unpublished_and_mine(
    teacher_client, teacher, article_quiz
):
    original = article_quiz.lesson
    before = dumps(original)
    page = teacher_client.post(
        reverse("admin:lessons_lesson_changelist"),
        {"action": "duplicate_lessons", "_selected_action": [original.pk]},
        follow=True,
    )
    assert "Made" in page.text
    copy = Lesson.objects.get(owner=teacher)
    assert copy.slug == f"{original.slug}-copy" and not copy.published
    assert dumps(original) == before  # the original is untouched
    # The copy says the same as the original, apart from its slug, title and state.
    got, want = json.loads(dumps(copy)), json.loads(before)
    for data in (got, want):
        for name in ("slug", "title", "published"):
            data["lesson"].pop(name, None)
        for quiz in data.get("quizzes", []):
            quiz.pop("published", None)
    assert got == want
    quizzes = list(copy.quizzes.all())
    assert quizzes and all(q.owner == teacher and not q.published for q in quizzes)
    # Every reference points into the copy.
    questions = Question.objects.filter(quiz__lesson=copy)
    assert not questions.exclude(claim__isnull=True).exclude(claim__lesson=copy).exists()
    assert not questions.exclude(section__isnull=True).exclude(section__lesson=copy).exists()
    assert (
        not questions.filter(choices__source__isnull=False)
        .exclude(choices__source__lesson=copy)
        .exists()
    )
    assert not copy.sources.exclude(parent__isnull=True).exclude(parent__lesson=copy).exists()
    # A second copy gets a slug of its own; the copy is the teacher's to edit.
    assert duplicate_lesson(original, owner=teacher).slug == f"{original.slug}-copy-2"
    url = reverse("admin:lessons_lesson_change", args=[copy.pk])
    assert 'name="_save"' in teacher_client.get(url).text


@pytest.mark.parametrize("model", [Quiz, Lesson])
def test_content_with_attempts_cannot_be_deleted_but_can_be_archived(teacher_client, mine, model):
    AttemptFactory(quiz=mine)
    obj = mine if model is Quiz else mine.lesson
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_delete", args=[obj.pk])
    page = teacher_client.get(url)
    assert "cannot be deleted" in page.text and "Archive" in page.text
    teacher_client.post(url, {"post": "yes"})
    assert model.objects.filter(pk=obj.pk).exists()
    bulk = teacher_client.post(
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"),
        {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"},
    )
    assert bulk.status_code == 200 and model.objects.filter(pk=obj.pk).exists()
    teacher_client.post(
        reverse("admin:quizzes_quiz_changelist"),
        {"action": "archive", "_selected_action": [mine.pk]},
    )
    mine.refresh_from_db()
    assert mine.archived and mine.attempts.count() == 1


def test_a_quiz_without_attempts_or_assignments_can_be_deleted(teacher_client, mine):
    url = reverse("admin:quizzes_quiz_delete", args=[mine.pk])
    teacher_client.post(url, {"post": "yes"})
    assert not Quiz.objects.filter(pk=mine.pk).exists()


def _shipped(**lesson):
    data = json.loads(SHIPPED.read_text())
    data["lesson"].update(lesson)
    upload = io.BytesIO(json.dumps(data).encode())
    upload.name = "lesson.json"
    return upload


def test_importing_a_bundle_over_a_lesson_not_ones_own_is_refused(teacher_client):
    call_command("import_lesson", str(SHIPPED), stdout=io.StringIO())  # nobody's
    response = teacher_client.post(
        reverse("admin:lessons_lesson_import"), {"file": _shipped(title="Taken over")}
    )
    assert response.status_code == 400
    assert [p.code for p in response.context["problems"]] == ["not_yours"]
    assert not Lesson.objects.filter(title="Taken over").exists()


def test_an_imported_lesson_is_the_importers(teacher_client, teacher):
    upload = _shipped(slug="imported-by-a-teacher")
    teacher_client.post(reverse("admin:lessons_lesson_import"), {"file": upload})
    imported = Lesson.objects.get(slug="imported-by-a-teacher")
    assert imported.owner == teacher
    assert set(imported.quizzes.values_list("owner", flat=True)) == {teacher.pk}
