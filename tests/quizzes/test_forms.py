"""The question page writes its radio buttons and checkboxes itself (AnswerForm.options),
not through Django's per-option widget templates, which were most of the page's cost.
These tests hold it to exactly what Django's RadioSelect / CheckboxSelectMultiple render:
the same input tags (type, name, value, id, aria-invalid, checked) and labels."""

import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from quizzes.attempts import save_answer, start_attempt
from quizzes.models import Question
from tests.factories import ChoiceFactory, QuestionFactory, QuizFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_kinds(db):
    """A single-choice question and a multiple-choice one, with labels that need escaping."""
    quiz = QuizFactory()
    single = QuestionFactory(quiz=quiz, order=1, kind=Question.Kind.SINGLE)
    for order, text in enumerate(["“32” <b>killed</b>", "Tom & Jerry's", "12"]):
        ChoiceFactory(question=single, order=order, text=text, correct=order == 0)
    multiple = QuestionFactory(quiz=quiz, order=2, kind=Question.Kind.MULTIPLE)
    for order, text in enumerate(["China", "Russia", 'Iran "and" others', "Spain"]):
        ChoiceFactory(question=multiple, order=order, text=text, correct=order < 3)
    return quiz


def django_rendering(form) -> list[str]:
    """Each option as the template used to write it: Django's tag, a space, the label."""
    return [
        f'{option.tag()} <label for="{option.id_for_label}">{escape(option.choice_label)}</label>'
        for option in form["choice"]
    ]


def assert_same_inputs(response, input_type: str):
    html = response.content.decode()
    expected = django_rendering(response.context["form"])
    assert expected, "the question has choices"
    for option in expected:
        assert option in html
    # And no other choice input than Django's.
    assert len(re.findall(rf'<input type="{input_type}"', html)) == len(expected)


def page(attempt, number):
    return reverse("quizzes:question", args=[attempt.pk, number])


@pytest.mark.parametrize("number, input_type", [(1, "radio"), (2, "checkbox")])
def test_unanswered_question_renders_djangos_inputs(
    student_client, student, two_kinds, number, input_type
):
    attempt = start_attempt(quiz=two_kinds, learner=student)
    response = student_client.get(page(attempt, number))
    assert response.status_code == 200
    assert_same_inputs(response, input_type)
    assert (
        " checked" not in response.content.decode().split('id="answer-form"')[1].split("</ul>")[0]
    )


def test_answered_single_choice_is_checked_as_django_checks_it(student_client, student, two_kinds):
    attempt = start_attempt(quiz=two_kinds, learner=student)
    question = two_kinds.questions.get(order=1)
    picked = attempt.layout["choices"][str(question.pk)][1]
    save_answer(attempt=attempt, question=question, choice_ids=[picked])
    number = attempt.layout["questions"].index(question.pk) + 1
    response = student_client.get(page(attempt, number))
    assert_same_inputs(response, "radio")
    # Posted by position in the attempt's order: the second choice shown is "2".
    assert 'value="2" id="id_choice_1" checked>' in response.content.decode()


def test_answered_multiple_choice_checks_every_pick(student_client, student, two_kinds):
    attempt = start_attempt(quiz=two_kinds, learner=student)
    question = two_kinds.questions.get(order=2)
    picks = attempt.layout["choices"][str(question.pk)][:2]
    save_answer(attempt=attempt, question=question, choice_ids=picks)
    number = attempt.layout["questions"].index(question.pk) + 1
    response = student_client.get(page(attempt, number))
    assert_same_inputs(response, "checkbox")
    assert response.content.decode().count(" checked>") == 2


def test_refused_answer_redisplays_djangos_invalid_inputs(student_client, student, two_kinds):
    attempt = start_attempt(quiz=two_kinds, learner=student)
    question = two_kinds.questions.get(order=2)
    number = attempt.layout["questions"].index(question.pk) + 1
    kept = "1"
    response = student_client.post(page(attempt, number), {"choice": [kept, "5"], "go": "next"})
    assert response.status_code == 400
    assert_same_inputs(response, "checkbox")
    html = response.content.decode()
    assert html.count('aria-invalid="true"') == 4
    # What the learner sent stays ticked (the valid part), as Django would show it.
    assert f'value="{kept}" id="id_choice_0" aria-invalid="true" checked>' in html
    assert not attempt.responses.exists()
