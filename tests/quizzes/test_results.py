"""The result page and quizzes/results.py: the review rows, the history of attempts, and
the links from each explanation to the sentence of the lesson that proves it."""

import re

import pytest
from django.urls import reverse

from quizzes.attempts import save_answer, start_attempt, submit_attempt
from quizzes.models import Quiz
from tests.factories import assign

pytestmark = pytest.mark.django_db

FETCH = {"HTTP_X_REQUESTED_WITH": "fetch", "HTTP_ACCEPT": "application/json"}


def _lesson_url(lesson):
    return reverse("lessons:detail", args=[lesson.slug])


def _q(attempt, n):
    return reverse("quizzes:question", args=[attempt.pk, n])


# --- The result ------------------------------------------------------------------------------


def _answer_all_right(attempt):
    for q in attempt.quiz.questions.all():
        if q.kind == "matching":
            items = {c.id: c.source_id for c in q.choices.filter(correct=True)}
            save_answer(attempt=attempt, question=q, matches=items)
        else:
            save_answer(
                attempt=attempt,
                question=q,
                choice_ids=[c.id for c in q.choices.filter(correct=True)],
            )


def test_result_links_each_explanation_to_the_sentence_that_proves_it(
    student_client, student, article_quiz
):
    # The review shows explanations after the last attempt: here the only one.
    article_quiz.max_attempts = 1
    article_quiz.save()
    attempt = start_attempt(quiz=article_quiz, learner=student)
    _answer_all_right(attempt)
    submit_attempt(attempt=attempt)
    html = student_client.get(reverse("quizzes:result", args=[attempt.pk])).text
    lesson_url = _lesson_url(article_quiz.lesson)
    anchors = re.findall(rf'href="{re.escape(lesson_url)}#([^"]+)"', html)
    # Claim questions link to the claim; question 1 (evidence, no claim) to its sentence.
    assert anchors[0] == "section-confirms-s0"
    assert (
        "claim-mourning" in anchors
        and "claim-law-enforcement" in anchors
        and "claim-a-lot" in anchors
    )
    lesson_html = student_client.get(lesson_url).text
    for anchor in anchors:
        assert f'id="{anchor}"' in lesson_html, anchor
    assert "<meter" in html
    assert html.count('<li class="answer right"') == article_quiz.questions.count()


def test_result_shows_the_history_of_attempts(student_client, student, article_quiz):
    first = start_attempt(quiz=article_quiz, learner=student)
    submit_attempt(attempt=first)
    second = start_attempt(quiz=article_quiz, learner=student)
    _answer_all_right(second)
    submit_attempt(attempt=second)
    html = student_client.get(reverse("quizzes:result", args=[second.pk])).text
    history = html[html.index('id="history-heading"') :]
    assert f'href="{reverse("quizzes:result", args=[first.pk])}"' in history
    assert "Attempt 2 (this one)" in history
    assert re.search(r"0%</td>\s*</tr>", history) and "100%" in history


def test_unanswered_matching_question_still_lists_its_statements(
    student_client, student, article_quiz
):
    attempt = start_attempt(quiz=article_quiz, learner=student)
    submit_attempt(attempt=attempt)
    html = student_client.get(reverse("quizzes:result", args=[attempt.pk])).text
    assert "There were no U.S. deaths." in html


# --- The shipped lesson ----------------------------------------------------------------------


def test_every_question_of_the_shipped_lesson_links_to_a_sentence_on_its_lesson_page(
    student_client, student
):
    from io import StringIO
    from pathlib import Path

    from django.core.management import call_command

    from quizzes.results import review_rows

    bundle = (
        Path(__file__).resolve().parents[2]
        / "lessons"
        / "bundles"
        / "cuba-venezuela-casualties.json"
    )
    call_command("import_lesson", str(bundle), stdout=StringIO())
    # The shipped lesson is open to its classes only.
    assign(Quiz.objects.filter(lesson__slug="cuba-venezuela-casualties"), student)
    lesson_html = None
    checked = 0
    for quiz in Quiz.objects.filter(lesson__slug="cuba-venezuela-casualties"):
        attempt = start_attempt(quiz=quiz, learner=student)
        if lesson_html is None:
            lesson_html = student_client.get(_lesson_url(quiz.lesson)).text
            # Every claim of the lesson is marked, with its anchor.
            for key in quiz.lesson.claims.values_list("key", flat=True):
                assert f'id="claim-{key}"' in lesson_html, key
        for row in review_rows(attempt):
            assert row.evidence_anchor, row.question.key
            assert f'id="{row.evidence_anchor}"' in lesson_html, (
                row.question.key,
                row.evidence_anchor,
            )
            checked += 1
    assert checked >= 40
