"""lessons/views.py: the lesson list and page, the marked reading and its switch."""

import re

import pytest
from django.urls import reverse

from lessons.models import Claim
from lessons.views import MARKS_SESSION_KEY
from tests.factories import (
    ClaimFactory,
    LessonFactory,
    QuizFactory,
    SectionFactory,
    SourceFactory,
)

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


FETCH = {"HTTP_X_REQUESTED_WITH": "fetch", "HTTP_ACCEPT": "application/json"}


def _lesson_url(lesson):
    return reverse("lessons:detail", args=[lesson.slug])


def test_lesson_marks_every_claim_with_its_source_and_kind(student_client, article_quiz):
    html = student_client.get(_lesson_url(article_quiz.lesson)).text
    for claim in article_quiz.lesson.claims.all():
        assert f'id="claim-{claim.key}"' in html
    assert (
        '<mark class="claim claim-framing">'
        "Washington characterised the mission as a law-enforcement action</mark>" in html
    )
    assert "Donald Trump, quote" in html
    assert "Cuban officials, quote" in html
    assert "the article&#x27;s own statement" in html
    # "&" in the body is escaped, never raw.
    assert "Caracas &amp; captured" in html
    assert 'class="reading marks-on"' in html


def test_voices_are_grouped_by_side_and_own_statements_set_apart(student_client, article_quiz):
    html = student_client.get(_lesson_url(article_quiz.lesson)).text
    voices = html[html.index('id="voices-heading"') : html.index('id="own-heading"')]
    sides = re.findall(r'<h3 class="side-name" id="side-\d+">([^<]+)</h3>', voices)
    assert sides == ["Cuba", "United States", "Independent voices"]
    us = voices[voices.index(">United States<") : voices.index(">Independent voices<")]
    assert "Donald Trump" in us and "Washington" in us and "Cuban government" not in us
    assert "The article itself" not in voices
    own = html[html.index('id="own-heading"') :]
    assert "likely to harden Havana’s stance" in own.replace("&#x27;", "’")
    assert 'href="#claim-likely-deepen"' in own


def test_marks_switch_is_remembered_in_the_session(student_client, article_quiz):
    url = _lesson_url(article_quiz.lesson)
    response = student_client.post(url, {"marks": "off"})
    assert response.status_code == 302
    assert response["Location"] == url + "#reading"
    assert student_client.session[MARKS_SESSION_KEY] == "off"
    html = student_client.get(url).text
    assert 'class="reading marks-off"' in html
    assert 'aria-pressed="false"' in html and 'name="marks" value="on"' in html
    # The anchors stay, so links from results still land on the sentence.
    assert 'id="claim-a-lot"' in html
    student_client.post(url, {"marks": "on"})
    assert 'class="reading marks-on"' in student_client.get(url).text


def test_marks_switch_from_script_answers_204(student_client, article_quiz):
    response = student_client.post(_lesson_url(article_quiz.lesson), {"marks": "off"}, **FETCH)
    assert response.status_code == 204
    assert student_client.session[MARKS_SESSION_KEY] == "off"


def test_unknown_marks_value_changes_nothing(student_client, article_quiz):
    response = student_client.get(_lesson_url(article_quiz.lesson), {"marks": "<script>"})
    assert response.status_code == 200
    assert MARKS_SESSION_KEY not in student_client.session
    assert "<script>" not in response.text.replace(
        '<script src="/static/js/lesson.js" defer></script>', ""
    )


# --- bad content never breaks the reading; teachers preview before publishing --------


@pytest.fixture
def cross_lesson_claim(db):
    """A claim saved against another lesson's source, as the admin once allowed."""
    claim = ClaimFactory(section__lesson__published=True)
    elsewhere = SourceFactory(name="The article (its own voice)")  # of another lesson
    Claim.objects.filter(pk=claim.pk).update(source=elsewhere)  # no clean(): as it was stored
    return claim


def test_the_reading_answers_students_despite_a_cross_lesson_claim(
    student_client, cross_lesson_claim, caplog
):
    lesson = cross_lesson_claim.lesson
    response = student_client.get(lesson.get_absolute_url())

    assert response.status_code == 200
    assert "Havana confirmed" in response.text  # the section is shown
    assert "For staff" not in response.text
    assert any(cross_lesson_claim.key in r.getMessage() for r in caplog.records)


def test_staff_see_a_note_about_the_bad_claim(client, teacher, cross_lesson_claim):
    client.force_login(teacher)
    response = client.get(cross_lesson_claim.lesson.get_absolute_url())

    assert response.status_code == 200
    assert response.context["staff_problems"]
    assert cross_lesson_claim.key in response.text and "For staff" in response.text


def test_a_teacher_previews_an_unpublished_lesson_as_students_will_see_it(client, teacher):
    claim = ClaimFactory(section__lesson__published=False, section__lesson__owner=teacher)
    lesson = claim.lesson
    QuizFactory(lesson=lesson, title="Ready quiz", published=True)
    QuizFactory(lesson=lesson, title="Draft quiz", published=False)
    client.force_login(teacher)

    response = client.get(reverse("lessons:preview", args=[lesson.slug]))

    assert response.status_code == 200
    assert "Preview: students cannot see this yet" in response.text
    assert "lessons/lesson_detail.html" in [t.name for t in response.templates]
    assert f'id="claim-{claim.key}"' in response.text
    assert "Ready quiz" in response.text and "Draft quiz" not in response.text
    # The marks switch stays on the preview.
    switched = client.post(reverse("lessons:preview", args=[lesson.slug]), {"marks": "off"})
    assert switched["Location"].startswith(reverse("lessons:preview", args=[lesson.slug]))


def test_another_teachers_unpublished_lesson_has_no_preview(client, teacher, other_teacher):
    lesson = LessonFactory(published=False, owner=other_teacher)
    client.force_login(teacher)
    assert client.get(reverse("lessons:preview", args=[lesson.slug])).status_code == 404


def test_students_cannot_preview(student_client):
    lesson = LessonFactory(published=False)
    response = student_client.get(reverse("lessons:preview", args=[lesson.slug]))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert student_client.get(lesson.get_absolute_url()).status_code == 404


def test_the_lesson_admin_links_to_the_preview(superuser_client):
    lesson = LessonFactory(published=False)
    page = superuser_client.get(reverse("admin:lessons_lesson_change", args=[lesson.pk]))
    assert reverse("lessons:preview", args=[lesson.slug]) in page.text
