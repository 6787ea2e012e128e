"""Authoring in the admin: preview, publish and unpublish, duplicate, whole-quiz checks,
and lesson bundles uploaded and downloaded."""

import json
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lessons.bundle import dumps
from lessons.models import Lesson
from quizzes.authoring import duplicate_quiz, quiz_problems
from quizzes.models import Attempt, Choice, Question, Quiz

from tests.factories import (
    ChoiceFactory,
    QuestionFactory,
    QuizFactory,
    SectionFactory,
    SourceFactory,
    TeacherFactory,
    make_single_question,
    make_true_false_question,
)
from tests.report_data import build_quiz

pytestmark = pytest.mark.django_db
SHIPPED = Path(__file__).resolve().parents[2] / "lessons/bundles/cuba-venezuela-casualties.json"


@pytest.fixture
def teacher_client(client):
    teacher = TeacherFactory(username="author")
    teacher.groups.add(Group.objects.get(name="Teachers"))
    client.force_login(teacher)
    return client


def _changelist_action(client, action, quizzes):
    return client.post(
        reverse("admin:quizzes_quiz_changelist"),
        {"action": action, "_selected_action": [q.pk for q in quizzes]},
        follow=True,
    )


# --- preview -------------------------------------------------------------------------------


def test_preview_shows_the_quiz_as_a_learner_sees_it_without_the_key(teacher_client, quiz):
    quiz.published = False
    quiz.save()
    single, tf = quiz.questions.order_by("order")
    page = teacher_client.get(reverse("admin:quizzes_quiz_preview", args=[quiz.pk]))
    assert page.status_code == 200
    assert single.prompt in page.text and tf.prompt in page.text
    assert 'type="radio"' in page.text and "disabled" in page.text
    # nothing of the key: no marks, no feedback, no explanation
    assert "✓ key" not in page.text and "Right: Havana confirmed 32." not in page.text
    assert "Because the article says so." not in page.text
    assert "not published" in page.text
    assert not Attempt.objects.exists()


def test_preview_with_the_key_shows_key_feedback_and_explanation(teacher_client, quiz):
    page = teacher_client.get(reverse("admin:quizzes_quiz_preview", args=[quiz.pk]) + "?key=1")
    assert page.text.count("✓ key") == 2
    assert (
        "Right: Havana confirmed 32." in page.text and "Because the article says so." in page.text
    )
    assert not Attempt.objects.exists()


def test_preview_query_count_does_not_grow_with_questions(teacher_client):
    counts = []
    for size in (2, 12):
        quiz = QuizFactory()
        for i in range(size):
            make_single_question(quiz, order=i)
        with CaptureQueriesContext(connection) as ctx:
            assert (
                teacher_client.get(
                    reverse("admin:quizzes_quiz_preview", args=[quiz.pk])
                ).status_code
                == 200
            )
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


def test_preview_is_for_staff_only(student_client, quiz):
    response = student_client.get(reverse("admin:quizzes_quiz_preview", args=[quiz.pk]))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


# --- publish, unpublish, duplicate -------------------------------------------------------


def test_publish_refuses_a_quiz_with_problems_and_publishes_a_sound_one(teacher_client):
    sound = QuizFactory(published=False, title="Sound")
    make_single_question(sound)
    broken = QuizFactory(published=False, title="Broken")
    question = QuestionFactory(quiz=broken, prompt="Which?")
    ChoiceFactory(question=question, text="a")
    ChoiceFactory(question=question, text="b")
    page = _changelist_action(teacher_client, "publish", [sound, broken])
    sound.refresh_from_db()
    broken.refresh_from_db()
    assert sound.published and not broken.published
    assert "Not published, fix it first: “Broken”" in page.text
    assert "No choice is marked correct" in page.text


def test_unpublish(teacher_client, quiz):
    page = _changelist_action(teacher_client, "unpublish", [quiz])
    quiz.refresh_from_db()
    assert not quiz.published and "past attempts are kept" in page.text


def test_duplicate_copies_questions_and_choices_unpublished(teacher_client, quiz):
    page = _changelist_action(teacher_client, "duplicate", [quiz])
    copy = Quiz.objects.exclude(pk=quiz.pk).get()
    assert "(copy)" in copy.title and copy.key == f"{quiz.key}-copy" and not copy.published
    assert "with 2 question(s)" in page.text
    original = [
        (q.key, q.kind, q.prompt, [(c.text, c.correct, c.feedback) for c in q.choices.all()])
        for q in quiz.questions.order_by("order")
    ]
    copied = [
        (q.key, q.kind, q.prompt, [(c.text, c.correct, c.feedback) for c in q.choices.all()])
        for q in copy.questions.order_by("order")
    ]
    assert copied == original
    assert not set(copy.questions.values_list("pk", flat=True)) & set(
        quiz.questions.values_list("pk", flat=True)
    )
    assert Choice.objects.count() == 10


def test_duplicating_twice_gives_distinct_keys(quiz):
    first, second = duplicate_quiz(quiz), duplicate_quiz(quiz)
    assert first.key == f"{quiz.key}-copy" and second.key == f"{quiz.key}-copy-2"


def test_duplicate_keeps_sources_of_who_said_choices():
    quiz, _, sources = build_quiz()
    copy = duplicate_quiz(quiz)
    q2 = copy.questions.get(key="q2")
    assert sorted(q2.choices.values_list("source__name", flat=True)) == [
        "Díaz-Canel",
        "Padrino",
        "Trump",
    ]
    assert q2.claim_id == quiz.questions.get(key="q2").claim_id


# --- checks in a teacher's words -------------------------------------------------------------


def test_quiz_problems_in_a_teachers_words():
    quiz = QuizFactory()
    section = SectionFactory(lesson=quiz.lesson, title="Cuba confirms losses")
    QuestionFactory(quiz=quiz, order=1, section=section, evidence="Words nowhere in the section.")
    no_key = QuestionFactory(quiz=quiz, order=2)
    ChoiceFactory(question=no_key, text="a")
    ChoiceFactory(question=no_key, text="b")
    who = QuestionFactory(quiz=quiz, order=3, kind=Question.Kind.WHO_SAID)
    ChoiceFactory(question=who, text="Somebody", correct=True)
    ChoiceFactory(question=who, text="", source=SourceFactory(lesson=quiz.lesson))
    text = "\n".join(str(p) for p in quiz_problems(quiz))
    assert "does not occur word for word in the section “Cuba confirms losses”" in text
    assert "Question 2" in text and "No choice is marked correct" in text
    assert "Every choice of a who-said-it question must be a source of the lesson" in text
    assert "must name the claim it asks about" in text


def test_a_choice_naming_another_lessons_source_is_a_problem():
    quiz = QuizFactory()
    question = make_true_false_question(quiz)
    ChoiceFactory(question=question, text="", source=SourceFactory(name="Elsewhere"))
    text = " ".join(str(p) for p in quiz_problems(quiz))
    assert "source from another lesson: “Elsewhere”" in text


def test_a_sound_quiz_has_no_problems_and_says_so(teacher_client, quiz):
    assert quiz_problems(quiz) == []
    page = teacher_client.get(reverse("admin:quizzes_quiz_change", args=[quiz.pk]))
    assert "Every question passes the checks." in page.text


def test_an_empty_quiz_is_a_problem():
    assert [str(p) for p in quiz_problems(QuizFactory())] == ["The quiz has no questions yet."]


# --- lesson bundles in the admin ---------------------------------------------------------


def test_download_a_lesson_bundle(teacher_client, quiz):
    response = teacher_client.get(reverse("admin:lessons_lesson_export", args=[quiz.lesson.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{quiz.lesson.slug}.json"'
    assert response.content.decode() == dumps(quiz.lesson)
    assert json.loads(response.content)["format"]


def test_upload_the_shipped_bundle_then_download_and_upload_it_again(teacher_client):
    text = SHIPPED.read_text(encoding="utf-8")
    url = reverse("admin:lessons_lesson_import")
    upload = SimpleUploadedFile(SHIPPED.name, text.encode(), content_type="application/json")
    response = teacher_client.post(url, {"file": upload}, follow=True)
    lesson = Lesson.objects.get()
    assert "Imported cuba-venezuela-casualties.json: the lesson" in response.text
    assert "was created" in response.text
    assert lesson.quizzes.exists() and lesson.claims.exists()
    downloaded = teacher_client.get(reverse("admin:lessons_lesson_export", args=[lesson.pk]))
    assert downloaded.content.decode() == dumps(lesson)
    again = SimpleUploadedFile("again.json", downloaded.content, content_type="application/json")
    response = teacher_client.post(url, {"file": again}, follow=True)
    assert "was unchanged" in response.text
    assert Lesson.objects.count() == 1


def test_a_bad_bundle_lists_its_problems_and_writes_nothing(teacher_client):
    upload = SimpleUploadedFile("broken.json", b'{"format": ', content_type="application/json")
    response = teacher_client.post(reverse("admin:lessons_lesson_import"), {"file": upload})
    assert response.status_code == 400
    assert (
        "Nothing was imported" in response.text and "broken.json: not valid JSON" in response.text
    )
    assert not Lesson.objects.exists()


def test_import_page_is_linked_from_the_lesson_list(teacher_client):
    page = teacher_client.get(reverse("admin:lessons_lesson_changelist"))
    assert reverse("admin:lessons_lesson_import") in page.text
    assert teacher_client.get(reverse("admin:lessons_lesson_import")).status_code == 200


def test_import_needs_add_and_change_permission(client, quiz):
    client.force_login(TeacherFactory(username="no-group"))
    assert client.get(reverse("admin:lessons_lesson_import")).status_code == 403
    assert (
        client.get(reverse("admin:lessons_lesson_export", args=[quiz.lesson.pk])).status_code == 403
    )


def test_ticking_published_on_the_form_is_held_to_the_checks(teacher_client):
    quiz = QuizFactory(published=False, title="Half done")
    question = QuestionFactory(quiz=quiz, prompt="Which?")
    ChoiceFactory(question=question, text="a")
    form = {
        "lesson": quiz.lesson.pk,
        "key": quiz.key,
        "order": 0,
        "title": quiz.title,
        "description": "",
        "published": "on",
        "feedback": "after_submit",
        "questions-TOTAL_FORMS": 0,
        "questions-INITIAL_FORMS": 0,
    }
    url = reverse("admin:quizzes_quiz_change", args=[quiz.pk])
    response = teacher_client.post(url, form, follow=True)
    quiz.refresh_from_db()
    assert not quiz.published
    assert "saved but not published: 2 problem(s)" in response.text
    assert "A question needs at least two choices" in response.text
    ChoiceFactory(question=question, text="b", correct=True)
    teacher_client.post(url, form)
    quiz.refresh_from_db()
    assert quiz.published
