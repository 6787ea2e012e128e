"""A short written answer exported to an LMS: Moodle XML's essay with the rubric in the
grader information, GIFT's essay (`{}`) with the rubric in the general feedback; both
parsed back, and what is lost named in the teacher's message."""

import pytest

from lms import gift, moodle

from ..factories import QuizFactory, make_single_question, make_written_question
from . import gift_reader
from .lms_fixtures import html_text
from .test_moodle import parse, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz():
    quiz = QuizFactory(title="In your own words")
    make_single_question(quiz, order=1)
    make_written_question(quiz, order=2, explanation="Look for the reporting verb.")
    return quiz


def test_moodle_xml_writes_an_essay_with_the_rubric_for_the_grader(quiz):
    export = moodle.export_quiz(quiz)
    _, questions = parse(export.content)
    essay = questions[1]
    assert essay.get("type") == "essay"
    assert text(essay, "defaultgrade") == "2"
    assert text(essay, "responseformat") == "plain"
    assert html_text(text(essay, "questiontext/text")) == "How do you know who said this?"
    grader = html_text(text(essay, "graderinfo/text"))
    assert "Beginning (0% of the marks): Does not say how we know who said it." in grader
    assert "Mastery (100% of the marks)" in grader and "Emerging (50% of the marks)" in grader
    assert essay.findall("answer") == []
    assert "Look for the reporting verb." in html_text(text(essay, "generalfeedback/text"))
    said = " ".join(export.messages)
    assert "2 of 2 questions exported" in said
    assert "question 2: the rubric's levels" in said and "1,500-character limit" in said


def test_gift_writes_an_essay_with_the_rubric_in_the_general_feedback(quiz):
    export = gift.export_quiz(quiz)
    questions = [q for q in gift_reader.parse(export.content) if q.qtype != "category"]
    essay = questions[1]
    assert essay.qtype == "essay" and essay.answers == []
    assert html_text(essay.text) == "How do you know who said this?"
    feedback = html_text(essay.general_feedback)
    assert "Look for the reporting verb." in feedback
    assert "Mastery (100% of the marks): Names the source and quotes" in feedback
    said = " ".join(export.messages)
    assert "the grader information of question 2 (GIFT has none" in said
