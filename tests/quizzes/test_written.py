"""Short written answers (Question.Kind.WRITTEN): saved by the same answer save and
autosave as every kind, plain text with a length limit, escaped on every page; credit 0
and the attempt awaiting marking until a teacher marks it (quizzes/written.py); the
rubric's rules (quizzes/rubric_rules.py)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from quizzes.attempts import WRITTEN_MAX_CHARS, InvalidAnswer, save_answer, start_attempt
from quizzes.attempts import submit_attempt as submit
from quizzes.content_rules import quiz_content_problems
from quizzes.models import Attempt, Choice, Question, Response, RubricLevel
from quizzes.rubric_rules import rubric_errors
from quizzes.signals import attempt_rescored
from quizzes.validation import choice_errors
from quizzes.written import Mark, mark_answers
from tests.factories import (
    QuizFactory,
    UserFactory,
    make_single_question,
    make_written_question,
    posted,
)

pytestmark = pytest.mark.django_db

ANSWER = "The article says Havana “confirmed” it: the Cuban government is the source."


@pytest.fixture
def written_quiz(db):
    """A single choice (recall, 1 point) and a written question (attribution, 2 points)."""
    quiz = QuizFactory(title="Who said it, in your words")
    single = make_single_question(quiz, order=1)
    written = make_written_question(quiz, order=2)
    return quiz, single, written


def _url(attempt, number):
    return reverse("quizzes:question", args=[attempt.pk, number])


def _level(question, name):
    return RubricLevel.objects.get(question=question, name=name)


# --- saving ------------------------------------------------------------------------------


def test_a_written_answer_is_saved_by_the_form_post_and_shown_again(
    student_client, student, written_quiz
):
    quiz, _, written = written_quiz
    attempt = start_attempt(quiz=quiz, learner=student)
    page = student_client.post(_url(attempt, 2), {"text": ANSWER + "\r\n", "go": "next"})
    assert page.status_code == 302
    response = Response.objects.get(attempt=attempt, question=written)
    assert response.text == ANSWER and response.credit == 0
    again = student_client.get(_url(attempt, 2))
    assert "Havana “confirmed” it" in again.text
    assert 'name="text"' in again.text and "1,500 characters" in again.text


def test_the_autosave_saves_a_written_answer_and_replaces_it(student_client, student, written_quiz):
    quiz, _, written = written_quiz
    attempt = start_attempt(quiz=quiz, learner=student)
    headers = {"X-Requested-With": "fetch"}
    first = student_client.post(_url(attempt, 2), {"text": "First try."}, headers=headers)
    assert first.json() == {"saved": True, "answered": 1}
    student_client.post(_url(attempt, 2), {"text": ANSWER}, headers=headers)
    assert Response.objects.get(attempt=attempt, question=written).text == ANSWER


def test_an_answer_over_the_limit_gets_a_clear_message_and_nothing_is_saved(
    student_client, student, written_quiz
):
    quiz, _, written = written_quiz
    attempt = start_attempt(quiz=quiz, learner=student)
    student_client.post(_url(attempt, 2), {"text": "Kept.", "go": "next"})
    too_long = "x" * (WRITTEN_MAX_CHARS + 1)
    page = student_client.post(_url(attempt, 2), {"text": too_long, "go": "next"})
    assert page.status_code == 400
    assert "longer than the limit of 1,500 characters (it has 1501)" in page.text
    reply = student_client.post(
        _url(attempt, 2), {"text": too_long}, headers={"X-Requested-With": "fetch"}
    )
    assert reply.status_code == 400 and reply.json()["saved"] is False
    assert Response.objects.get(attempt=attempt, question=written).text == "Kept."
    # Exactly at the limit, with line breaks as the browser posts them (CR LF), is fine.
    at_limit = ("y" * 99 + "\r\n") * 15
    assert len(at_limit.replace("\r\n", "\n")) == WRITTEN_MAX_CHARS
    assert student_client.post(_url(attempt, 2), {"text": at_limit}).status_code == 302


def test_save_answer_refuses_an_empty_or_too_long_text_with_codes(student, written_quiz):
    quiz, _, written = written_quiz
    attempt = start_attempt(quiz=quiz, learner=student)
    with pytest.raises(InvalidAnswer) as empty:
        save_answer(attempt=attempt, question=written, text="   ")
    with pytest.raises(InvalidAnswer) as long:
        save_answer(attempt=attempt, question=written, text="z" * (WRITTEN_MAX_CHARS + 1))
    assert (empty.value.code, long.value.code) == ("empty", "too_long")
    assert not Response.objects.filter(attempt=attempt).exists()


def test_a_written_answer_is_escaped_on_the_question_result_and_teacher_pages(
    student_client, student, teacher, client, class_a, written_quiz
):
    quiz, _, written = written_quiz
    attempt = start_attempt(quiz=quiz, learner=student)
    evil = '<script>alert("x")</script> <b>bold</b>\nline two'
    save_answer(attempt=attempt, question=written, text=evil)
    submit(attempt=attempt)
    pages = [student_client.get(_url(attempt, 2))]
    pages.append(student_client.get(reverse("quizzes:result", args=[attempt.pk])))
    client.force_login(teacher)
    pages.append(client.get(reverse("admin:quizzes_response_marking")))
    pages.append(
        client.get(reverse("admin:quizzes_quiz_report_learner", args=[quiz.pk, student.pk]))
    )
    for page in pages:
        assert page.status_code in (200, 302), page
    for page in pages[1:]:
        assert "<script>alert" not in page.text and "<b>bold</b>" not in page.text
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page.text
        assert "&lt;b&gt;bold&lt;/b&gt;<br>line two" in page.text


# --- scoring: pending, then marked ----------------------------------------------------------


def test_an_attempt_with_a_written_answer_awaits_marking_then_scores_when_marked(
    student, teacher, written_quiz, django_capture_on_commit_callbacks
):
    quiz, single, written = written_quiz
    attempt = start_attempt(quiz=quiz, learner=student)
    right = single.choices.get(correct=True)
    save_answer(attempt=attempt, question=single, choice_ids=[right.pk])
    save_answer(attempt=attempt, question=written, text=ANSWER)
    submit(attempt=attempt)
    attempt.refresh_from_db()
    assert attempt.awaiting_marking
    assert (attempt.score, attempt.max_score) == (1, 3)  # the written answer counts 0
    assert not Attempt.objects.marked().filter(pk=attempt.pk).exists()

    sent = []
    attempt_rescored.connect(lambda sender, attempt_ids, **kw: sent.append(attempt_ids), weak=False)
    response = Response.objects.get(attempt=attempt, question=written)
    with django_capture_on_commit_callbacks(execute=True):
        rescored = mark_answers(
            marks=[Mark(response.pk, _level(written, "Emerging").pk, "Quote the cue.")],
            marker=teacher,
            allowed=Response.objects.all(),
        )
    attempt.refresh_from_db()
    response.refresh_from_db()
    assert rescored == [attempt.pk] and sent[-1] == [attempt.pk]
    assert not attempt.awaiting_marking
    assert (attempt.score, attempt.percent) == (2, pytest.approx(200 / 3))
    assert attempt.subscores["attribution"] == {"points": 1.0, "max": 2}
    assert (response.credit, response.comment, response.marked_by) == (
        0.5,
        "Quote the cue.",
        teacher,
    )
    assert response.marked_at is not None

    # Marked again: the new level's credit, and who and when again.
    with django_capture_on_commit_callbacks(execute=True):
        mark_answers(
            marks=[Mark(response.pk, _level(written, "Mastery").pk)],
            marker=teacher,
            allowed=Response.objects.all(),
        )
    attempt.refresh_from_db()
    assert attempt.score == 3 and attempt.percent == 100


def test_an_unanswered_written_question_needs_no_marking(student, written_quiz):
    quiz, single, _ = written_quiz
    attempt = start_attempt(quiz=quiz, learner=student)
    save_answer(attempt=attempt, question=single, choice_ids=[single.choices.first().pk])
    attempt = submit(attempt=attempt)
    assert not attempt.awaiting_marking


def test_marking_refuses_another_questions_level_or_an_answer_outside_scope(
    student, other_student, teacher, written_quiz
):
    quiz, _, written = written_quiz
    other_written = make_written_question(quiz, order=3, prompt="Why is it framing?")
    responses = []
    for learner in (student, other_student):
        attempt = start_attempt(quiz=quiz, learner=learner)
        responses.append(save_answer(attempt=attempt, question=written, text=ANSWER))
        submit(attempt=attempt)
    mine, theirs = responses
    with pytest.raises(InvalidAnswer) as foreign_level:
        mark_answers(
            marks=[Mark(mine.pk, _level(other_written, "Mastery").pk)],
            marker=teacher,
            allowed=Response.objects.all(),
        )
    with pytest.raises(InvalidAnswer) as foreign:
        mark_answers(
            marks=[
                Mark(mine.pk, _level(written, "Mastery").pk),
                Mark(theirs.pk, _level(written, "Mastery").pk),
            ],
            marker=teacher,
            allowed=Response.objects.filter(attempt__learner=student),
        )
    assert (foreign_level.value.code, foreign.value.code) == ("foreign_level", "foreign_response")
    assert not Response.objects.filter(level__isnull=False).exists()  # all or nothing


def test_the_result_page_says_awaiting_marking_then_shows_the_mark_and_comment(
    student_client, student, teacher, written_quiz
):
    quiz, _, written = written_quiz
    quiz.review_score = quiz.review_key = quiz.review_feedback = quiz.Review.AFTER_ATTEMPT
    quiz.save()
    attempt = start_attempt(quiz=quiz, learner=student)
    save_answer(attempt=attempt, question=written, text=ANSWER)
    submit(attempt=attempt)
    url = reverse("quizzes:result", args=[attempt.pk])
    page = student_client.get(url).text
    assert "Awaiting marking" in page and "of 3 points" not in page
    start = student_client.get(quiz.get_absolute_url()).text
    assert "awaiting marking" in start
    response = Response.objects.get(attempt=attempt)
    mark_answers(
        marks=[Mark(response.pk, _level(written, "Mastery").pk, "Well argued & sourced.")],
        marker=teacher,
        allowed=Response.objects.all(),
    )
    page = student_client.get(url).text
    assert "Awaiting marking" not in page
    assert "Your teacher's mark:</strong> Mastery" in page
    assert "Well argued &amp; sourced." in page
    assert "2 of 3 points" in page


def test_the_comment_waits_for_the_quizs_feedback_option(student_client, student, teacher):
    quiz = QuizFactory(review_feedback="never", review_key="never")
    written = make_written_question(quiz)
    attempt = start_attempt(quiz=quiz, learner=student)
    response = save_answer(attempt=attempt, question=written, text=ANSWER)
    submit(attempt=attempt)
    mark_answers(
        marks=[Mark(response.pk, _level(written, "Emerging").pk, "A hint at the key.")],
        marker=teacher,
        allowed=Response.objects.all(),
    )
    page = student_client.get(reverse("quizzes:result", args=[attempt.pk])).text
    assert "Emerging" in page and "A hint at the key." not in page


# --- the rubric's rules -------------------------------------------------------------------


def _levels(*credits, described=True):
    return [
        RubricLevel(name=f"L{i}", description="Does this." if described else "", credit=c)
        for i, c in enumerate(credits)
    ]


@pytest.mark.parametrize(
    ("levels", "codes"),
    [
        (_levels(0, 0.5, 1), set()),
        (_levels(1), {"rubric_too_few_levels"}),
        ([], {"rubric_too_few_levels"}),
        (_levels(0, 0.5, 0.5, 1), {"rubric_same_credit"}),
        (_levels(0, 0.5), {"rubric_no_full_credit"}),
        (_levels(0, 1, described=False), {"rubric_level_undescribed"}),
    ],
)
def test_a_written_questions_rubric_rules(levels, codes):
    question = Question(kind=Question.Kind.WRITTEN)
    assert {e.code for e in rubric_errors(question, levels)} == codes


def test_only_a_written_question_has_a_rubric_and_it_has_no_choices():
    single = Question(kind=Question.Kind.SINGLE)
    assert [e.code for e in rubric_errors(single, _levels(0, 1))] == ["rubric_not_written"]
    written = Question(kind=Question.Kind.WRITTEN)
    assert choice_errors(written, []) == []
    choice = Choice(text="A choice", correct=True)
    assert [e.code for e in choice_errors(written, [choice])] == ["written_has_choices"]


def test_the_content_rules_refuse_a_bad_rubric_in_a_teachers_words():
    quiz = QuizFactory()
    make_written_question(
        quiz,
        levels=(("Beginning", "Names no source.", 0.5), ("Also beginning", "Names one.", 0.5)),
    )
    problems = quiz_content_problems(quiz)
    codes = {p.code for p in problems}
    assert {"rubric_same_credit", "rubric_no_full_credit"} <= codes
    message = next(p for p in problems if p.code == "rubric_no_full_credit")
    assert "full credit" in str(message) and message.number == 1


def test_a_rubric_level_credit_outside_0_to_1_is_refused_by_the_database():
    from django.db import IntegrityError, transaction

    question = make_written_question(QuizFactory())
    with pytest.raises(IntegrityError), transaction.atomic():
        RubricLevel.objects.create(question=question, name="Too much", credit=1.5)


def test_the_question_admin_checks_the_rubric_inline(client, superuser):
    quiz = QuizFactory()
    client.force_login(superuser)
    url = reverse("admin:quizzes_question_add") + f"?quiz={quiz.pk}"
    data = {
        "quiz": quiz.pk,
        "order": 1,
        "key": "",
        "kind": "written",
        "skill": "attribution",
        "points": 2,
        "prompt": "How do you know who said this?",
        "choices-TOTAL_FORMS": 0,
        "choices-INITIAL_FORMS": 0,
        "levels-TOTAL_FORMS": 2,
        "levels-INITIAL_FORMS": 0,
        "levels-0-order": 1,
        "levels-0-name": "Beginning",
        "levels-0-description": "Names no source.",
        "levels-0-credit": 0,
        "levels-1-order": 2,
        "levels-1-name": "Mastery",
        "levels-1-description": "Names the source and its cue.",
        "levels-1-credit": 0.5,
    }
    refused = client.post(url, data)
    assert refused.status_code == 200 and "No rubric level gives full credit" in refused.text
    assert not Question.objects.filter(quiz=quiz).exists()
    data["levels-1-credit"] = 1
    assert client.post(url, data).status_code == 302
    question = Question.objects.get(quiz=quiz)
    assert [lv.credit for lv in question.levels.all()] == [0, 1]


def test_a_written_questions_page_posts_no_choice(student_client, student, written_quiz):
    """The single choice still posts positions; the written question posts only text."""
    quiz, single, _ = written_quiz
    attempt = start_attempt(quiz=quiz, learner=student)
    page = student_client.get(_url(attempt, 2)).text
    assert 'name="choice"' not in page and "<textarea" in page
    right = single.choices.get(correct=True)
    student_client.post(_url(attempt, 1), {"choice": posted(attempt, single, right)})
    assert Response.objects.get(attempt=attempt, question=single).credit == 1


def test_marking_needs_a_submitted_attempt(student, teacher, written_quiz):
    quiz, _, written = written_quiz
    attempt = start_attempt(quiz=quiz, learner=student)
    response = save_answer(attempt=attempt, question=written, text=ANSWER)
    with pytest.raises(InvalidAnswer):
        mark_answers(
            marks=[Mark(response.pk, _level(written, "Mastery").pk)],
            marker=teacher,
            allowed=Response.objects.all(),
        )


def test_a_user_factory_learner_cannot_take_a_foreign_question(written_quiz):
    quiz, _, _ = written_quiz
    other = make_written_question(QuizFactory())
    attempt = start_attempt(quiz=quiz, learner=UserFactory())
    with pytest.raises(InvalidAnswer) as e:
        save_answer(attempt=attempt, question=other, text=ANSWER)
    assert e.value.code == "foreign_question"


def test_validation_error_codes_are_validation_errors():
    assert all(isinstance(e, ValidationError) for e in rubric_errors(Question(kind="written"), []))


def test_duplicating_a_quiz_copies_its_written_questions_rubric(written_quiz):
    from quizzes.authoring import duplicate_quiz

    quiz, _, written = written_quiz
    copy = duplicate_quiz(quiz)
    copied = copy.questions.get(kind=Question.Kind.WRITTEN)
    assert [(lv.name, lv.credit) for lv in copied.levels.all()] == [
        (lv.name, lv.credit) for lv in written.levels.all()
    ]
    assert written.levels.count() == 3  # the original keeps its own


def test_the_preview_shows_a_written_question_and_its_rubric_only_with_the_key(superuser):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(superuser)
    counts = []
    for size in (1, 6):
        quiz = QuizFactory()
        for i in range(size):
            make_written_question(quiz, order=i, prompt=f"How do you know, {i}?")
        url = reverse("admin:quizzes_quiz_preview", args=[quiz.pk])
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(url + "?key=1")
        counts.append(len(ctx.captured_queries))
        assert page.text.count("<textarea") == size
        assert "Names the source and quotes the reporting cue" in page.text
        assert "Names the source and quotes" not in client.get(url).text
    assert counts[0] == counts[1], counts
