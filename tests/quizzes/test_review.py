"""Review options (quizzes/review.py): what an attempt shows, and when; and the rules that
end or freeze an attempt (closing time, unpublishing, immediate feedback)."""

from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from lessons.models import Lesson
from quizzes.attempts import AttemptClosed, save_answer, start_attempt, submit_attempt
from quizzes.models import Attempt, Quiz, Response
from quizzes.review import review_for
from tests.factories import QuizFactory, make_single_question, posted

pytestmark = pytest.mark.django_db

BUNDLE = Path(settings.BASE_DIR) / "lessons" / "bundles" / "cuba-venezuela-casualties.json"
FETCH = {"HTTP_X_REQUESTED_WITH": "fetch", "HTTP_ACCEPT": "application/json"}


@pytest.fixture
def shipped(db):
    call_command("import_lesson", str(BUNDLE), stdout=StringIO())
    # Open to every learner, so the personas need no class (the gate has tests of its own).
    Lesson.objects.update(open_to_all=True)
    Quiz.objects.update(open_to_all=True)
    return Quiz.objects.get(key="full-assessment"), Quiz.objects.get(key="warm-up")


def _result(client, attempt):
    return client.get(reverse("quizzes:result", args=[attempt.pk])).text


def _keys(quiz):
    """Each question's right answers as the result page would write them."""
    return [
        "; ".join(c.label for c in q.choices.all() if c.correct)
        for q in quiz.questions.prefetch_related("choices__source")
        if q.kind not in ("matching", "written")  # a written answer is marked, not keyed
    ]


def test_an_empty_first_attempt_no_longer_hands_out_the_key(student_client, student, shipped):
    full, _ = shipped
    assert full.max_attempts == 3
    first = start_attempt(quiz=full, learner=student)
    submit_attempt(attempt=first)
    html = _result(student_client, first)
    # The score and which answers were right: yes. The right answers and explanations: no.
    assert "0 of" in html and "Not answered" in html
    assert "<dt>Right answer</dt>" not in html
    assert not any(q.explanation in html for q in full.questions.all() if q.explanation)
    assert "The right answers will be shown after your last allowed attempt" in html
    # The second and third attempts: the key waits for the last one.
    second = start_attempt(quiz=full, learner=student)
    submit_attempt(attempt=second)
    assert "<dt>Right answer</dt>" not in _result(student_client, second)
    third = start_attempt(quiz=full, learner=student)
    assert "<dt>Right answer</dt>" not in _result(student_client, first)  # one in progress
    submit_attempt(attempt=third)
    html = _result(student_client, third)
    assert html.count("<dt>Right answer</dt>") == len(_keys(full))
    assert "<dt>Right answer</dt>" in _result(student_client, first)


def test_the_key_shows_when_the_quiz_closes(student_client, student):
    quiz = QuizFactory(max_attempts=3)
    make_single_question(quiz)
    attempt = start_attempt(quiz=quiz, learner=student)
    submit_attempt(attempt=attempt)
    attempt.refresh_from_db()
    assert review_for(attempt).key is False
    quiz.closes_at = timezone.now() - timedelta(minutes=1)
    quiz.opens_at = None
    quiz.save()
    attempt.quiz.refresh_from_db()
    shown = review_for(attempt)
    assert shown.key and shown.feedback and shown.score and shown.correctness


@pytest.mark.parametrize(
    "option, value, hidden, shown",
    [
        ("review_score", "never", "points (", "Scores are not shown for this quiz."),
        ("review_correctness", "after_close", "Not answered", "points ("),
    ],
)
def test_each_option_hides_its_part(student_client, student, option, value, hidden, shown):
    quiz = QuizFactory(max_attempts=3, **{option: value})
    make_single_question(quiz)
    attempt = start_attempt(quiz=quiz, learner=student)
    submit_attempt(attempt=attempt)
    html = _result(student_client, attempt)
    assert hidden not in html and shown in html


def test_the_start_page_hides_scores_that_are_not_shown_yet(student_client, student):
    quiz = QuizFactory(max_attempts=2, review_score="after_last")
    make_single_question(quiz)
    attempt = start_attempt(quiz=quiz, learner=student)
    submit_attempt(attempt=attempt)
    html = student_client.get(reverse("quizzes:start", args=[quiz.pk])).text
    assert "not shown yet" in html and "<meter" not in html


def test_autosave_replies_say_nothing_of_the_key(student_client, student, shipped):
    full, _ = shipped
    attempt = start_attempt(quiz=full, learner=student)
    question = full.questions.get(pk=attempt.layout["questions"][0])
    right = question.choices.filter(correct=True).first()
    url = reverse("quizzes:question", args=[attempt.pk, 1])
    reply = student_client.post(url, {"choice": posted(attempt, question, right)}, **FETCH)
    assert reply.json() == {"saved": True, "answered": 1}
    assert review_for(attempt).anything is False


# --- immediate feedback -------------------------------------------------------------


def test_immediate_feedback_locks_the_answer_and_names_the_right_one(
    student_client, student, shipped
):
    _, warm_up = shipped
    attempt = start_attempt(quiz=warm_up, learner=student)
    question = warm_up.questions.get(pk=attempt.layout["questions"][0])
    wrong = question.choices.filter(correct=False).first()
    right = question.choices.get(correct=True)
    url = reverse("quizzes:question", args=[attempt.pk, 1])
    data = {"choice": posted(attempt, question, wrong), "go": "next"}
    assert student_client.post(url, data)["Location"] == url
    html = student_client.get(url).text
    assert f"Right answer: <strong>{right.label}</strong>" in html
    assert html.count(" disabled>") == question.choices.count()
    assert "cannot be changed" in html
    # A second click of the same button: no error, the answer stands.
    again = student_client.post(url, {"choice": posted(attempt, question, right), "go": "next"})
    assert again.status_code == 302
    assert Response.objects.get().credit == 0


def test_a_double_click_racing_the_first_save_is_no_500(
    student_client, student, shipped, monkeypatch
):
    _, warm_up = shipped
    attempt = start_attempt(quiz=warm_up, learner=student)
    question = warm_up.questions.get(pk=attempt.layout["questions"][0])
    url = reverse("quizzes:question", args=[attempt.pk, 1])
    data = {"choice": posted(attempt, question, question.choices.first()), "go": "next"}
    assert student_client.post(url, data).status_code == 302
    # The second post read the answers before the first one was saved.
    monkeypatch.setattr(Attempt, "answers_so_far", lambda self: {})
    second = student_client.post(url, data)
    assert second.status_code == 302 and second["Location"] == url
    assert Response.objects.count() == 1


def test_immediate_feedback_names_no_key_before_the_last_attempt(student_client, student):
    quiz = QuizFactory(feedback="immediate", max_attempts=2)
    question = make_single_question(quiz)
    attempt = start_attempt(quiz=quiz, learner=student)
    url = reverse("quizzes:question", args=[attempt.pk, 1])
    wrong = question.choices.filter(correct=False).first()
    student_client.post(url, {"choice": posted(attempt, question, wrong)})
    html = student_client.get(url).text
    assert "Wrong." in html and "Right answer" not in html
    assert question.explanation not in html


# --- closing time, unpublishing -------------------------------------------------------


def test_the_closing_time_ends_an_untimed_attempt(student_client, student):
    quiz = QuizFactory(closes_at=timezone.now() + timedelta(hours=1))
    question = make_single_question(quiz)
    attempt = start_attempt(quiz=quiz, learner=student)
    assert attempt.deadline is None and attempt.ends_at == quiz.closes_at
    closes = timezone.now() - timedelta(seconds=5)
    Quiz.objects.filter(pk=quiz.pk).update(closes_at=closes)
    url = reverse("quizzes:question", args=[attempt.pk, 1])
    right = question.choices.get(correct=True)
    response = student_client.post(url, {"choice": posted(attempt, question, right)})
    assert response["Location"] == reverse("quizzes:result", args=[attempt.pk])
    attempt.refresh_from_db()
    assert attempt.is_submitted and attempt.submitted_at == closes
    assert not Response.objects.exists()


def test_the_closing_time_refuses_a_late_save(student):
    quiz = QuizFactory(closes_at=timezone.now() + timedelta(hours=1))
    question = make_single_question(quiz)
    attempt = start_attempt(quiz=quiz, learner=student)
    later = quiz.closes_at + timedelta(seconds=1)
    with pytest.raises(AttemptClosed) as refused:
        save_answer(
            attempt=attempt, question=question, choice_ids=[question.choices.first().pk], now=later
        )
    assert refused.value.code == "time_up"


def test_an_attempt_on_an_unpublished_quiz_cannot_be_answered(student_client, student):
    quiz = QuizFactory()
    question = make_single_question(quiz)
    attempt = start_attempt(quiz=quiz, learner=student)
    Quiz.objects.filter(pk=quiz.pk).update(published=False)
    url = reverse("quizzes:question", args=[attempt.pk, 1])
    page = student_client.get(url)
    assert page.status_code == 403 and "can no longer be answered" in page.text
    data = {"choice": posted(attempt, question, question.choices.first())}
    assert student_client.post(url, data).status_code == 403
    reply = student_client.post(url, data, **FETCH)
    assert reply.status_code == 409 and reply.json()["code"] == "unpublished"
    with pytest.raises(AttemptClosed) as refused:
        save_answer(attempt=attempt, question=question, choice_ids=[question.choices.first().pk])
    assert refused.value.code == "unpublished"
    assert not Response.objects.exists()
