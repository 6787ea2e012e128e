import pytest
from django.urls import reverse

from tests.factories import ClaimFactory, LessonFactory, QuizFactory, SectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lesson():
    lesson = LessonFactory(title="Cuba and Venezuela", slug="cuba")
    for i in range(3):
        ClaimFactory(section=SectionFactory(lesson=lesson, title=f"Part {i}"))
    QuizFactory(lesson=lesson, title="Warm-up")
    QuizFactory(lesson=lesson, title="Hidden quiz", published=False)
    return lesson


def test_anonymous_is_sent_to_login(client, lesson):
    for url in [reverse("lessons:list"), reverse("lessons:detail", args=["cuba"])]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_list_shows_only_published_lessons(student_client, lesson):
    LessonFactory(title="Draft lesson", published=False)
    response = student_client.get(reverse("lessons:list"))
    assert response.status_code == 200
    assert "Cuba and Venezuela" in response.text
    assert "Draft lesson" not in response.text


def test_detail_shows_sections_and_published_quizzes(student_client, lesson):
    response = student_client.get(reverse("lessons:detail", args=["cuba"]))
    assert response.status_code == 200
    for i in range(3):
        assert f"Part {i}" in response.text
    assert "Warm-up" in response.text
    assert "Hidden quiz" not in response.text


def test_unpublished_lesson_is_404(student_client):
    LessonFactory(slug="draft", published=False)
    assert student_client.get(reverse("lessons:detail", args=["draft"])).status_code == 404


def test_teacher_reads_lessons_too(client, teacher, lesson):
    client.force_login(teacher)
    assert client.get(reverse("lessons:detail", args=["cuba"])).status_code == 200


def test_detail_query_count_does_not_grow_with_sections(
    student_client, lesson, django_assert_max_num_queries
):
    # session, user, lesson, sources, sections, claims, quizzes
    with django_assert_max_num_queries(7):
        student_client.get(reverse("lessons:detail", args=["cuba"]))
    for _i in range(10):
        ClaimFactory(section=SectionFactory(lesson=lesson))
    with django_assert_max_num_queries(7):
        student_client.get(reverse("lessons:detail", args=["cuba"]))
