"""The compact result page (quizzes/result_page.py, templates/quizzes/_result_row.html),
the feedback after each answer, and what the start page promises about saving."""

import re

import pytest
from django.urls import reverse

from quizzes.attempts import save_answer, start_attempt, submit_attempt
from quizzes.models import Question, Quiz
from quizzes.results import without_verdict
from tests.scenarios import build_article_quiz

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "text, plain",
    [
        ("Wrong: the article does say he was flown.", "The article does say he was flown."),
        ("No: the figure was 32.", "The figure was 32."),
        ("Close, but no: the leadership spoke.", "The leadership spoke."),
        ("Right: Havana confirmed 32.", "Havana confirmed 32."),
        ("Yes: 32.", "32."),
        ("Not the figure Havana gave.", "Not the figure Havana gave."),
        ("Nobody said that.", "Nobody said that."),  # a word, not a verdict
    ],
)
def test_a_choice_feedback_loses_only_its_own_verdict(text, plain):
    assert without_verdict(text) == plain


def _answer(attempt, question, right: bool):
    choices = list(question.choices.all())
    key = [c for c in choices if c.correct]
    if question.kind == Question.Kind.MATCHING:
        sources = sorted({c.source_id for c in choices})
        matches = {
            c.id: c.source_id if right else next(s for s in sources if s != c.source_id)
            for c in key
        }
        save_answer(attempt=attempt, question=question, matches=matches)
    else:
        picks = key if right else [c for c in choices if not c.correct][:1]
        save_answer(attempt=attempt, question=question, choice_ids=[c.id for c in picks])


@pytest.fixture
def half_wrong(student):
    """Every kind once, one attempt allowed (the key and feedback show); the first three
    questions answered wrong, the rest right."""
    quiz = build_article_quiz(max_attempts=1)
    attempt = start_attempt(quiz=quiz, learner=student)
    by_id = {q.id: q for q in quiz.questions.all()}
    for n, qid in enumerate(attempt.layout["questions"]):
        _answer(attempt, by_id[qid], right=n >= 3)
    submit_attempt(attempt=attempt)
    return attempt


def _result(client, attempt, **params):
    return client.get(reverse("quizzes:result", args=[attempt.pk]), params)


def test_only_the_mistakes_are_listed_until_show_all(student_client, half_wrong):
    total = len(half_wrong.layout["questions"])
    page = _result(student_client, half_wrong)
    listed = page.context["questions"]
    assert [r.outcome for r in listed.rows] == ["wrong"] * 3
    assert page.text.count('<li class="answer') == 3
    assert f"Show all {total} questions" in page.text and "?show=all" in page.text
    everything = _result(student_client, half_wrong, show="all")
    outcomes = [r.outcome for r in everything.context["questions"].rows]
    assert outcomes == ["wrong"] * 3 + ["right"] * (total - 3)  # mistakes first
    assert everything.text.count("<details>") == total
    assert "Show only the 3 mistakes" in everything.text


@pytest.mark.parametrize("show", ["", "ALL", "x" * 300, "<script>"])
def test_any_other_show_value_is_the_default_view(student_client, half_wrong, show):
    page = _result(student_client, half_wrong, show=show)
    assert page.status_code == 200 and len(page.context["questions"].rows) == 3


def test_each_part_of_a_question_is_shown_once(student_client, half_wrong):
    html = _result(student_client, half_wrong, show="all").text
    quiz = half_wrong.quiz
    for question in quiz.questions.all():
        assert html.count(question.explanation) >= 1
    single = quiz.questions.get(kind=Question.Kind.SINGLE)
    body = html[html.rindex("<li", 0, html.index(single.prompt)) :]
    body = body[: body.index("</details>")]
    # The badge says "Wrong"; the choice's feedback no longer opens with its own "No:".
    assert body.count("Wrong") == 1 and "No: the figure" not in body
    assert "The figure was 32." in body
    assert body.count("<dt>Right answer</dt>") == 1 and body.count("<dt>Your answer</dt>") == 1
    # A single choice's credit reason repeats the outcome: left out.
    assert "That is not the right answer" not in body


def test_without_the_correctness_every_question_is_listed_in_order(student_client, student):
    quiz = build_article_quiz(review_correctness=Quiz.Review.NEVER, review_key=Quiz.Review.NEVER)
    attempt = start_attempt(quiz=quiz, learner=student)
    submit_attempt(attempt=attempt)
    page = _result(student_client, attempt)
    rows = page.context["questions"].rows
    assert [r.number for r in rows] == list(range(1, len(rows) + 1))
    assert "Not answered" not in page.text and "Show all" not in page.text


# --- Feedback after each answer -------------------------------------------------------


@pytest.fixture
def immediate(student):
    return build_article_quiz(
        feedback=Quiz.Feedback.IMMEDIATE,
        review_key=Quiz.Review.AFTER_ATTEMPT,
        review_feedback=Quiz.Review.AFTER_ATTEMPT,
    )


def test_feedback_names_the_right_answer_for_every_kind_and_says_wrong_once(
    student_client, student, immediate
):
    attempt = start_attempt(quiz=immediate, learner=student)
    by_id = {q.id: q for q in immediate.questions.all()}
    kinds = set()
    for number, qid in enumerate(attempt.layout["questions"], start=1):
        question = by_id[qid]
        _answer(attempt, question, right=False)
        html = student_client.get(reverse("quizzes:question", args=[attempt.pk, number])).text
        feedback = html[html.index('id="feedback"') :]
        feedback = feedback[: feedback.index("</div>")]
        if question.kind == Question.Kind.MATCHING:
            for item in question.choices.filter(correct=True):
                assert f"{item.text}: <strong>{item.source.name}</strong>" in feedback
        else:
            named = re.search(r"Right answer: <strong>([^<]*)</strong>", feedback)
            assert named, question.kind
            key = {c.label for c in question.choices.all() if c.correct}
            assert set(named.group(1).split("; ")) == key
        # The outcome once: no "Wrong." badge followed by a feedback's own "Wrong:"/"No:".
        assert feedback.count("Wrong") <= 1, feedback
        assert not re.search(r"<p>\s*(Wrong|No|Yes|Right|Correct)\b", feedback), feedback
        kinds.add(question.kind)
    assert kinds == set(Question.Kind.values) & kinds and len(kinds) == 6


def test_a_right_answer_is_not_told_twice(student_client, student, immediate):
    attempt = start_attempt(quiz=immediate, learner=student)
    question = immediate.questions.get(pk=attempt.layout["questions"][0])
    _answer(attempt, question, right=True)
    html = student_client.get(reverse("quizzes:question", args=[attempt.pk, 1])).text
    feedback = html[html.index('id="feedback"') :]
    feedback = feedback[: feedback.index("</div>")]
    assert feedback.count("Right") == 1  # the badge; not "Right. Right answer:"


def test_the_start_page_promises_what_each_mode_does(student_client, student, immediate):
    html = student_client.get(immediate.get_absolute_url()).text
    assert "it cannot be changed" in html and "as soon as you choose it" not in html
    later = build_article_quiz(lesson=immediate.lesson, title="Later feedback")
    html = student_client.get(later.get_absolute_url()).text
    assert "as soon as you choose it" in html and "where JavaScript is on" in html
    assert "cannot be changed" not in html
    # And the question page says so: with feedback after each answer, no autosave.
    attempt = start_attempt(quiz=immediate, learner=student)
    page = student_client.get(reverse("quizzes:question", args=[attempt.pk, 1]))
    assert page.context["autosave"] is False and "it is then final" in page.text
    attempt = start_attempt(quiz=later, learner=student)
    page = student_client.get(reverse("quizzes:question", args=[attempt.pk, 1]))
    assert page.context["autosave"] is True and "data-autosave" in page.text
