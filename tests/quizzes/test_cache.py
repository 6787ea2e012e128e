"""The student path's caches (quizzes/cache.py): a question page's question and choices by
content version, a submitted result rendered once per attempt revision and review state.
Every edit or rescore shows on the next request; one learner's result is never another's."""

from datetime import timedelta

import pytest
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone

from quizzes.attempts import save_answer, start_attempt, submit_attempt
from quizzes.cache import quiz_changed
from quizzes.models import Attempt, Choice, Quiz, Selection
from quizzes.signals import attempt_rescored
from tests.factories import ChoiceFactory, QuestionFactory, SourceFactory

pytestmark = pytest.mark.django_db


def question_url(attempt, number=1):
    return reverse("quizzes:question", args=[attempt.pk, number])


def result_url(attempt):
    # Every question listed (by default the page lists only the mistakes).
    return reverse("quizzes:result", args=[attempt.pk]) + "?show=all"


def first_question(quiz):
    return quiz.questions.order_by("order").first()


def submitted(quiz, learner, pick: str) -> Attempt:
    """An attempt whose first question (the single choice) was answered `pick`."""
    attempt = start_attempt(quiz=quiz, learner=learner)
    question = first_question(quiz)
    save_answer(attempt=attempt, question=question, choice_ids=[question.choices.get(text=pick).pk])
    return submit_attempt(attempt=attempt)


def outcome(page, number=1) -> str:
    html = page.content.decode()
    start = html.index(f'id="q{number}"')
    return html[html.rindex("<li", 0, start) : start]


# --- the result page --------------------------------------------------------------------


def test_a_result_is_served_from_the_cache_until_a_rescore_says_otherwise(
    student_client, student, quiz
):
    attempt = submitted(quiz, student, pick="12")
    first = student_client.get(result_url(attempt))
    assert "wrong" in outcome(first)
    # A re-mark that leaves the stored score as it is: not shown while the entry stands...
    right = first_question(quiz).choices.get(text="32")
    Selection.objects.filter(response__attempt=attempt).update(choice=right)
    assert "wrong" in outcome(student_client.get(result_url(attempt)))
    # ...and shown on the next request once the signal says the attempt was rescored.
    attempt_rescored.send(sender=Attempt, attempt_ids=[attempt.pk])
    assert "right" in outcome(student_client.get(result_url(attempt)))


def test_an_override_changes_the_result_on_the_next_request(student_client, student, quiz):
    attempt = submitted(quiz, student, pick="12")
    assert "0 of 3 points" in student_client.get(result_url(attempt)).content.decode()
    # What the grading helper's override does: the response and the stored score change,
    # then the signal (on commit).
    right = first_question(quiz).choices.get(text="32")
    Selection.objects.filter(response__attempt=attempt).update(choice=right)
    Attempt.objects.filter(pk=attempt.pk).update(score=1, percent=100 / 3)
    attempt_rescored.send(sender=Attempt, attempt_ids=[attempt.pk])
    page = student_client.get(result_url(attempt))
    assert "1 of 3 points" in page.content.decode()
    assert "right" in outcome(page)


def test_the_signal_moves_the_revision_of_the_attempts_it_names(student, other_student, quiz):
    mine, theirs = submitted(quiz, student, "12"), submitted(quiz, other_student, "12")
    attempt_rescored.send(sender=Attempt, attempt_ids=[mine.pk])
    mine.refresh_from_db(), theirs.refresh_from_db()
    assert (mine.revision, theirs.revision) == (1, 0)


def test_the_right_answers_appear_when_the_quiz_closes(student_client, student, quiz):
    Quiz.objects.filter(pk=quiz.pk).update(
        review_key=Quiz.Review.AFTER_CLOSE, closes_at=timezone.now() + timedelta(hours=1)
    )
    attempt = submitted(quiz, student, pick="12")
    assert "Right answer" not in student_client.get(result_url(attempt)).content.decode()
    # The quiz closes: no edit, no signal; what the review options allow now is in the key.
    Quiz.objects.filter(pk=quiz.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    assert "Right answer" in student_client.get(result_url(attempt)).content.decode()


def test_editing_a_question_changes_the_cached_result(student_client, student, quiz):
    attempt = submitted(quiz, student, pick="12")
    student_client.get(result_url(attempt))
    question = first_question(quiz)
    question.prompt = "How many Cuban nationals did Havana say were killed?"
    question.save()
    assert question.prompt in student_client.get(result_url(attempt)).content.decode()


def test_one_learners_result_is_never_anothers(client, student, other_student, quiz):
    mine, theirs = submitted(quiz, student, "12"), submitted(quiz, other_student, "32")
    client.force_login(student)
    assert "wrong" in outcome(client.get(result_url(mine)))
    assert client.get(result_url(theirs)).status_code == 404
    client.force_login(other_student)
    assert "right" in outcome(client.get(result_url(theirs)))
    assert client.get(result_url(mine)).status_code == 404


# --- the question page ------------------------------------------------------------------


def test_editing_a_choice_or_the_prompt_changes_the_next_question_page(
    student_client, student, quiz
):
    attempt = start_attempt(quiz=quiz, learner=student)
    assert "32" in student_client.get(question_url(attempt)).content.decode()
    choice = first_question(quiz).choices.get(text="32")
    choice.text = "thirty-two"
    choice.save()
    assert "thirty-two" in student_client.get(question_url(attempt)).content.decode()
    question = first_question(quiz)
    question.prompt = "How many were killed, by the count of Havana?"
    question.save()
    assert question.prompt in student_client.get(question_url(attempt)).content.decode()


def test_deleting_a_choice_changes_the_next_question_page(student_client, student, quiz):
    attempt = start_attempt(quiz=quiz, learner=student)
    assert ">50</label>" in student_client.get(question_url(attempt)).content.decode()
    Choice.objects.filter(text="50").delete()
    assert ">50</label>" not in student_client.get(question_url(attempt)).content.decode()


def test_renaming_a_source_changes_a_choice_that_names_it(student_client, student, quiz):
    source = SourceFactory(lesson=quiz.lesson, name="Cuban government")
    question = QuestionFactory(quiz=quiz, order=0, prompt="Who confirmed the deaths?")
    ChoiceFactory(question=question, text="", source=source, correct=True)
    ChoiceFactory(question=question, text="Nobody")
    attempt = start_attempt(quiz=quiz, learner=student)
    assert "Cuban government" in student_client.get(question_url(attempt)).content.decode()
    source.name = "Government of Cuba"
    source.save()  # the lesson's content version (lessons/signals.py)
    assert "Government of Cuba" in student_client.get(question_url(attempt)).content.decode()


def test_a_bulk_write_that_calls_quiz_changed_changes_the_next_page(student_client, student, quiz):
    attempt = start_attempt(quiz=quiz, learner=student)
    student_client.get(question_url(attempt))
    Choice.objects.filter(text="12").update(text="twelve")  # no signals
    quiz_changed(quiz.pk)
    assert "twelve" in student_client.get(question_url(attempt)).content.decode()


def test_a_failing_cache_costs_the_work_not_the_page(student_client, student, quiz, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    attempt = start_attempt(quiz=quiz, learner=student)
    monkeypatch.setattr(caches["default"], "get", broken)
    assert student_client.get(question_url(attempt)).status_code == 200
    done = submit_attempt(attempt=attempt)
    assert student_client.get(result_url(done)).status_code == 200


def test_the_mistakes_only_and_the_show_all_layouts_are_kept_apart(student_client, student, quiz):
    attempt = submitted(quiz, student, pick="32")  # the first right, the second unanswered
    mistakes_only = reverse("quizzes:result", args=[attempt.pk])
    listed = student_client.get(mistakes_only).content.decode().count('class="answer ')
    every = student_client.get(result_url(attempt)).content.decode().count('class="answer ')
    assert listed < every == quiz.questions.count()
    # Both now cached: each address keeps its own layout, and an odd `show` is the default.
    assert student_client.get(mistakes_only).content.decode().count('class="answer ') == listed
    odd = student_client.get(mistakes_only + "?show=everything").content.decode()
    assert odd.count('class="answer ') == listed
