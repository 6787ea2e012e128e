"""The question views (quizzes/views.py): the question page, the answer save without
JavaScript and the autosave, with the quiz's rules as a learner meets them there: the
deadline, shuffling fixed per attempt, feedback timing, bad answers."""

import random
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes.attempts import (
    AnswerLocked,
    save_answer,
    start_attempt,
    submit_attempt,
)
from quizzes.models import Attempt, Question, Quiz, Response
from tests.factories import (
    ChoiceFactory,
    LessonFactory,
    QuestionFactory,
    QuizFactory,
    SourceFactory,
    make_single_question,
    posted,
    posted_matches,
)
from tests.scenarios import build_article_quiz

pytestmark = pytest.mark.django_db


def _quiz(n=3, **kwargs):
    quiz = QuizFactory(**kwargs)
    for i in range(n):
        make_single_question(quiz, order=i, prompt=f"Question {i}?")
    return quiz


def _right(question):
    return question.choices.get(correct=True)


# --- time limit -----------------------------------------------------------------------


def test_late_post_from_the_question_page_is_refused(student_client, student):
    quiz = _quiz(time_limit_minutes=10)
    attempt = start_attempt(quiz=quiz, learner=student)
    question = quiz.questions.order_by("order").first()
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(seconds=1))
    response = student_client.post(
        reverse("quizzes:question", args=[attempt.pk, 1]),
        {"choice": posted(attempt, question, _right(question))},
        follow=True,
    )
    assert not Response.objects.exists()
    assert response.redirect_chain[-1][0] == reverse("quizzes:result", args=[attempt.pk])


# --- shuffling ------------------------------------------------------------------------


def test_shuffled_order_is_fixed_per_attempt(student_client, student):
    quiz = _quiz(n=12, shuffle_questions=True, shuffle_choices=True)
    attempt = start_attempt(quiz=quiz, learner=student, rng=random.Random(4))
    natural = list(quiz.questions.order_by("order").values_list("id", flat=True))
    assert sorted(attempt.layout["questions"]) == sorted(natural)
    assert attempt.layout["questions"] != natural
    first = Question.objects.get(pk=attempt.layout["questions"][0])
    pages = [
        student_client.get(reverse("quizzes:question", args=[attempt.pk, 1])).text for _ in range(2)
    ]
    # The same page on reload, but for the CSRF token's per-response mask.
    assert [re.sub(r'value="[A-Za-z0-9]{64}"', "", p) for p in pages[:1]] == [
        re.sub(r'value="[A-Za-z0-9]{64}"', "", p) for p in pages[1:]
    ]
    assert first.prompt in pages[0]
    labels = [
        c.label
        for c in sorted(
            first.choices.all(), key=lambda c: attempt.layout["choices"][str(first.pk)].index(c.pk)
        )
    ]
    order = [pages[0].index(f"{label}</label>") for label in labels]
    assert order == sorted(order)
    # The inputs post positions 1, 2, 3 ... in the order shown.
    values = re.findall(r'name="choice" value="([^"]+)"', pages[0])
    assert values == [str(n) for n in range(1, len(labels) + 1)]


# --- feedback timing ------------------------------------------------------------------


def test_after_submit_feedback_shows_nothing_before_submission(student_client, student):
    quiz = _quiz(n=1)
    question = quiz.questions.get()
    attempt = start_attempt(quiz=quiz, learner=student)
    saved = student_client.post(
        reverse("quizzes:question", args=[attempt.pk, 1]),
        {"choice": posted(attempt, question, _right(question))},
    )
    assert saved.status_code == 302 and Response.objects.get().credit == 1
    html = student_client.get(reverse("quizzes:question", args=[attempt.pk, 1])).text
    assert "Right: Havana confirmed 32." not in html
    assert "full credit" not in html


def test_immediate_feedback_shows_the_outcome_and_fixes_the_answer(student_client, student):
    quiz = _quiz(n=2, feedback="immediate", review_key="after_attempt")
    quiz.review_feedback = "after_attempt"
    quiz.save()
    question = quiz.questions.order_by("order").first()
    wrong = question.choices.filter(correct=False).first()
    attempt = start_attempt(quiz=quiz, learner=student)
    url = reverse("quizzes:question", args=[attempt.pk, 1])
    response = student_client.post(url, {"choice": posted(attempt, question, wrong), "go": "next"})
    assert response["Location"] == url  # stays to show the feedback
    html = student_client.get(url).text
    assert "Wrong." in html and "Not the figure Havana gave." in html
    assert question.explanation in html
    # The right answer is named; the inputs are disabled, and the page says why.
    assert "Right answer: <strong>32</strong>" in html
    assert html.count(" disabled>") == question.choices.count()
    assert "cannot be changed" in html
    # Changing the answer afterwards is not possible.
    student_client.post(url, {"choice": posted(attempt, question, _right(question)), "go": "next"})
    assert Response.objects.get().credit == 0
    with pytest.raises(AnswerLocked) as refused:
        save_answer(attempt=attempt, question=question, choice_ids=[_right(question).id])
    assert refused.value.code == "answer_locked"


def test_immediate_feedback_hides_unanswered_questions_keys(student_client, student):
    quiz = _quiz(n=2, feedback="immediate")
    attempt = start_attempt(quiz=quiz, learner=student)
    html = student_client.get(reverse("quizzes:question", args=[attempt.pk, 2])).text
    assert "Right: Havana confirmed 32." not in html
    assert "Because the article says so." not in html


# --- bad answers ----------------------------------------------------------------------


def _matching_quiz():
    lesson = LessonFactory()
    cuba = SourceFactory(lesson=lesson, name="Havana", side="Cuba")
    washington = SourceFactory(lesson=lesson, name="Washington", side="United States")
    stranger = SourceFactory(lesson=lesson, name="Not offered", side="Cuba")
    quiz = QuizFactory(lesson=lesson)
    question = QuestionFactory(
        quiz=quiz, kind=Question.Kind.MATCHING, skill=Question.Skill.ATTRIBUTION
    )
    a = ChoiceFactory(question=question, text="32 were killed", correct=True, source=cuba)
    b = ChoiceFactory(question=question, text="law enforcement", correct=True, source=washington)
    return quiz, question, (a, b), (cuba, washington, stranger)


def test_matching_through_the_view(student_client, student):
    quiz, question, (a, b), (cuba, washington, stranger) = _matching_quiz()
    attempt = start_attempt(quiz=quiz, learner=student)
    url = reverse("quizzes:question", args=[attempt.pk, 1])
    html = student_client.get(url).text
    assert "Not offered" not in html and "Washington" in html
    # Items are named by position, sources valued by their place in name order.
    assert re.findall(r'name="(match-[^"]+)"', html) == ["match-1", "match-2"]
    assert re.findall(r'<option value="([^"]*)"', html) == ["", "1", "2"] * 2
    bad = student_client.post(url, {"match-1": "3"})  # two sources are offered
    assert bad.status_code == 400
    assert not Response.objects.exists()
    student_client.post(url, posted_matches(attempt, question, {a: cuba, b: washington}))
    assert Response.objects.get().credit == 1


def test_multiple_choice_through_the_view(student_client, student):
    quiz = QuizFactory()
    question = QuestionFactory(quiz=quiz, kind=Question.Kind.MULTIPLE)
    right = [ChoiceFactory(question=question, correct=True) for _ in range(2)]
    wrong = ChoiceFactory(question=question)
    attempt = start_attempt(quiz=quiz, learner=student)
    url = reverse("quizzes:question", args=[attempt.pk, 1])
    html = student_client.get(url).text
    assert html.count('type="checkbox"') == 3
    student_client.post(url, {"choice": posted(attempt, question, right[0], wrong)})
    assert Response.objects.get().credit == 0
    student_client.post(url, {"choice": posted(attempt, question, right[0])})
    assert Response.objects.get().credit == 0.5


FETCH = {"HTTP_X_REQUESTED_WITH": "fetch", "HTTP_ACCEPT": "application/json"}


def _lesson_url(lesson):
    return reverse("lessons:detail", args=[lesson.slug])


def _q(attempt, n):
    return reverse("quizzes:question", args=[attempt.pk, n])


def test_autosave_saves_and_reveals_nothing_of_the_key(student_client, student, article_quiz):
    attempt = start_attempt(quiz=article_quiz, learner=student)
    question = article_quiz.questions.get(order=1)
    wrong = question.choices.filter(correct=False).first()
    response = student_client.post(
        _q(attempt, 1), {"choice": posted(attempt, question, wrong)}, **FETCH
    )
    assert response.status_code == 200
    assert response.json() == {"saved": True, "answered": 1}
    saved = Response.objects.get(attempt=attempt, question=question)
    assert [s.choice_id for s in saved.selections.all()] == [wrong.id]
    # Choosing again replaces the answer; the reply is the same whether right or wrong.
    right = question.choices.get(correct=True)
    data = {"choice": posted(attempt, question, right)}
    assert student_client.post(_q(attempt, 1), data, **FETCH).json() == {
        "saved": True,
        "answered": 1,
    }
    assert [s.choice_id for s in saved.selections.all()] == [right.id]


def test_autosave_of_matching_and_multiple(student_client, student, article_quiz):
    attempt = start_attempt(quiz=article_quiz, learner=student)
    multiple = article_quiz.questions.get(order=2)
    picks = posted(attempt, multiple, *multiple.choices.all()[:2])
    assert student_client.post(_q(attempt, 2), {"choice": picks}, **FETCH).json()["saved"] is True
    assert Response.objects.get(question=multiple).selections.count() == 2
    matching = article_quiz.questions.get(order=5)
    item = matching.choices.filter(correct=True).first()
    data = posted_matches(attempt, matching, {item: item.source})
    reply = student_client.post(_q(attempt, 5), data, **FETCH)
    assert reply.json() == {"saved": True, "answered": 2}


def test_autosave_refuses_a_foreign_choice_with_a_message(student_client, student, article_quiz):
    attempt = start_attempt(quiz=article_quiz, learner=student)
    first = article_quiz.questions.get(order=1)
    reply = student_client.post(_q(attempt, 1), {"choice": first.choices.count() + 1}, **FETCH)
    assert reply.status_code == 400
    assert reply.json()["saved"] is False and reply.json()["code"] == "invalid_answer"
    assert reply.json()["error"]
    assert not Response.objects.exists()


def test_autosave_with_nothing_chosen_saves_nothing(student_client, student, article_quiz):
    attempt = start_attempt(quiz=article_quiz, learner=student)
    reply = student_client.post(_q(attempt, 1), {}, **FETCH)
    assert reply.status_code == 200
    assert reply.json()["saved"] is False and reply.json()["answered"] == 0
    assert "nothing was saved" in reply.json()["note"]
    assert not Response.objects.exists()


def test_autosave_after_submit_is_refused_with_the_result_address(
    student_client, student, article_quiz
):
    attempt = start_attempt(quiz=article_quiz, learner=student)
    submit_attempt(attempt=attempt)
    reply = student_client.post(_q(attempt, 1), {"choice": "1"}, **FETCH)
    assert reply.status_code == 409 and reply.json()["code"] == "submitted"
    assert reply.json()["redirect"] == reverse("quizzes:result", args=[attempt.pk])
    assert not Response.objects.exists()


def test_autosave_of_another_students_attempt_is_404(client, student, other_student, article_quiz):
    attempt = start_attempt(quiz=article_quiz, learner=student)
    client.force_login(other_student)
    assert client.post(_q(attempt, 1), {"choice": "1"}, **FETCH).status_code == 404
    assert not Response.objects.exists()


def test_no_autosave_where_feedback_is_immediate(student_client, student):
    quiz = build_article_quiz(feedback=Quiz.Feedback.IMMEDIATE)
    attempt = start_attempt(quiz=quiz, learner=student)
    html = student_client.get(_q(attempt, 1)).text
    assert "data-autosave" not in html
    question = quiz.questions.get(order=1)
    save_answer(attempt=attempt, question=question, choice_ids=[question.choices.first().id])
    reply = student_client.post(_q(attempt, 1), {"choice": "2"}, **FETCH)
    assert reply.status_code == 409 and reply.json()["saved"] is False
    assert reply.json()["code"] == "answer_locked"


@pytest.fixture
def timed(student):
    quiz = build_article_quiz(time_limit_minutes=1)
    return start_attempt(quiz=quiz, learner=student)


def test_question_page_shows_the_deadline_without_javascript(student_client, timed):
    html = student_client.get(_q(timed, 1)).text
    assert f'datetime="{timed.deadline.isoformat()}"' in html
    assert re.search(r'data-remaining="(5\d|60)"', html)
    assert timezone.localtime(timed.deadline).strftime("%H:%M") in html


def test_a_late_answer_is_refused_and_the_result_shown(student_client, timed):
    Attempt.objects.filter(pk=timed.pk).update(deadline=timezone.now() - timedelta(seconds=1))
    question = timed.quiz.questions.get(order=1)
    data = {"choice": posted(timed, question, question.choices.get(correct=True)), "go": "next"}
    response = student_client.post(_q(timed, 1), data, follow=True)
    assert response.redirect_chain[-1][0] == reverse("quizzes:result", args=[timed.pk])
    assert "came too late and was not saved" in response.text
    assert "when time ran out" in response.text
    timed.refresh_from_db()
    assert timed.is_submitted and not timed.responses.exists()


def test_a_late_autosave_is_refused(student_client, timed):
    Attempt.objects.filter(pk=timed.pk).update(deadline=timezone.now() - timedelta(seconds=1))
    reply = student_client.post(_q(timed, 1), {"choice": "1"}, **FETCH)
    assert reply.status_code == 409 and reply.json()["code"] == "time_up"
    assert "too late" in reply.json()["error"]
    assert not Response.objects.exists()


def test_no_page_carries_inline_style_or_script(student_client, student, article_quiz):
    attempt = start_attempt(quiz=article_quiz, learner=student)
    urls = [
        reverse("lessons:list"),
        _lesson_url(article_quiz.lesson),
        reverse("quizzes:start", args=[article_quiz.pk]),
    ]
    urls += [_q(attempt, n) for n in range(1, 7)]
    urls.append(reverse("quizzes:review", args=[attempt.pk]))
    pages = [student_client.get(u).text for u in urls]
    submit_attempt(attempt=attempt)
    pages.append(student_client.get(reverse("quizzes:result", args=[attempt.pk])).text)
    for html in pages:
        assert not re.search(r"\sstyle=", html)
        assert not re.search(r"<script(?![^>]*\ssrc=)", html)
        assert not re.search(r"\son[a-z]+=", html)


def test_json_of_the_key_never_reaches_the_question_page(student_client, student, article_quiz):
    attempt = start_attempt(quiz=article_quiz, learner=student)
    for n in range(1, 7):
        html = student_client.get(_q(attempt, n)).text
        assert "correct" not in html.lower()
        assert "explanation" not in html.lower()
        question = article_quiz.questions.get(order=n)
        assert question.explanation not in html


def _start(client, quiz):
    response = client.post(reverse("quizzes:attempt_start", args=[quiz.pk]))
    assert response.status_code == 302
    return Attempt.objects.get(quiz=quiz)


def _question_url(attempt, n):
    return reverse("quizzes:question", args=[attempt.pk, n])


def test_question_page_carries_no_mark_of_the_key(student_client, quiz):
    attempt = _start(student_client, quiz)
    for n, question in enumerate(quiz.questions.order_by("order"), start=1):
        html = student_client.get(_question_url(attempt, n)).text
        assert "correct" not in html.lower()
        for choice in question.choices.all():
            assert choice.feedback not in html if choice.feedback else True
        # Choices are told apart only by their position; nothing else differs between them.
        inputs = re.findall(r"<input[^>]*name=\"choice\"[^>]*>", html)
        assert len(inputs) == question.choices.count()
        assert len({re.sub(r'(value|id)="[^"]*"', "", i) for i in inputs}) == 1


def test_explanation_is_not_shown_before_submit(student_client, quiz):
    single = quiz.questions.order_by("order").first()
    attempt = _start(student_client, quiz)
    right = single.choices.get(correct=True)
    student_client.post(_question_url(attempt, 1), {"choice": posted(attempt, single, right)})
    assert Response.objects.get().credit == 1
    html = student_client.get(_question_url(attempt, 1)).text
    assert single.explanation not in html


def test_answer_survives_reload_and_new_login(client, student, quiz):
    client.force_login(student)
    single = quiz.questions.order_by("order").first()
    right = single.choices.get(correct=True)
    attempt = _start(client, quiz)
    client.post(_question_url(attempt, 1), {"choice": posted(attempt, single, right), "go": "next"})
    client.logout()
    client.force_login(student)
    # Starting again resumes, and the resume link goes to the first unanswered question.
    response = client.post(reverse("quizzes:attempt_start", args=[quiz.pk]))
    assert response["Location"] == reverse("quizzes:attempt", args=[attempt.pk])
    assert client.get(response["Location"])["Location"] == _question_url(attempt, 2)
    html = client.get(_question_url(attempt, 1)).text
    assert re.search(rf'value="{posted(attempt, single, right)[0]}"[^>]*checked', html)


def test_invalid_choice_is_a_400_and_changes_nothing(student_client, quiz):
    single, tf = quiz.questions.order_by("order")
    attempt = _start(student_client, quiz)
    response = student_client.post(_question_url(attempt, 1), {"choice": tf.choices.first().id})
    assert response.status_code == 400  # an id is not a position
    response = student_client.post(_question_url(attempt, 1), {"choice": "0"})
    assert response.status_code == 400
    assert "not one of this question" in response.text
    response = student_client.post(_question_url(attempt, 1), {"choice": "not-a-number"})
    assert response.status_code == 400
    assert not Response.objects.exists()


def test_question_number_out_of_range_is_404(student_client, quiz):
    attempt = _start(student_client, quiz)
    assert student_client.get(_question_url(attempt, 3)).status_code == 404
    assert student_client.get(_question_url(attempt, 0)).status_code == 404


def test_skipping_leaves_the_question_unanswered(student_client, quiz):
    attempt = _start(student_client, quiz)
    response = student_client.post(_question_url(attempt, 1), {"go": "next"})
    assert response["Location"] == _question_url(attempt, 2)
    assert not Response.objects.exists()
    review = student_client.get(reverse("quizzes:review", args=[attempt.pk]))
    assert "2 questions not answered yet" in review.text
