"""Moodle XML: every kind of question, parsed back with ElementTree as Moodle reads it."""

import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lms import moodle
from lms.plan import MOODLE_FRACTIONS, Option, Pair, Plan, PlannedQuestion
from quizzes import scoring
from quizzes.models import Question

from ..factories import ChoiceFactory, QuestionFactory, make_written_question
from ..scenarios import add_evidence_pick
from .lms_fixtures import add_every_kind, article_quiz, html_text

pytestmark = pytest.mark.django_db


def parse(content: str):
    root = ET.fromstring(content.encode("utf-8"))
    assert root.tag == "quiz"
    category, *questions = root.findall("question")
    assert category.get("type") == "category"
    return category, questions


def text(element, path):
    found = element.find(path)
    return found.text or "" if found is not None else None


def answers(question):
    return [
        (
            html_text(text(a, "text")),
            float(a.get("fraction")),
            html_text(text(a, "feedback/text")),
        )
        for a in question.findall("answer")
    ]


def test_each_kind_becomes_the_moodle_type_of_the_table():
    quiz, _ = article_quiz(description="Read the article first.", shuffle_choices=True)
    export = moodle.export_quiz(quiz)
    category, questions = parse(export.content)
    assert text(category, "category/text") == f"$course$/top/{quiz.title}"
    assert html_text(text(category, "info/text")) == "Read the article first."
    assert [q.get("type") for q in questions] == [
        "multichoice",
        "multichoice",
        "truefalse",
        "multichoice",
        "matching",
        "multichoice",
    ]
    single, multiple, true_false, who_said, matching, classification = questions
    ours = list(quiz.questions.order_by("order"))
    for element, question in zip(questions, ours, strict=True):
        assert html_text(text(element, "questiontext/text")) == question.prompt
        assert text(element, "defaultgrade") == str(question.points)
        assert text(element, "idnumber") == question.key
        feedback = html_text(text(element, "generalfeedback/text"))
        assert question.explanation in feedback
        assert question.evidence_text in feedback
        tags = [t.text for t in element.findall("tags/tag/text")]
        assert f"sourcewise-skill-{question.skill}" in tags

    assert text(single, "single") == "true"
    assert text(single, "shuffleanswers") == "true"
    assert answers(single) == [
        ("32", 100.0, "Yes: 32."),
        ("12", 0.0, "No: the figure was 32."),
        ("50", 0.0, "No: the figure was 32."),
    ]
    assert "Cuba confirms losses" in html_text(text(single, "generalfeedback/text"))

    # Each right pick +1/n, each wrong one −1/n: what our scoring gives, summing to 100.
    assert text(multiple, "single") == "false"
    assert [(a, f) for a, f, _ in answers(multiple)] == [
        ("January 5", 50.0),
        ("January 6", 50.0),
        ("January 7", -50.0),
    ]

    assert [(a, f) for a, f, _ in answers(true_false)] == [("true", 100.0), ("false", 0.0)]

    # Who said it: part credit where our scoring gives it (Washington: Trump speaks for it).
    assert text(who_said, "single") == "true"
    fractions = {a: f for a, f, _ in answers(who_said)}
    assert fractions == {
        "Donald Trump": 100.0,
        "Washington": 100 * scoring.PARENT_OR_CHILD,
        "Miguel Díaz-Canel": 0.0,
        "Analysts": 0.0,
    }
    feedback = {a: fb for a, _, fb in answers(who_said)}
    assert "speaks for Washington" in feedback["Washington"]

    pairs = [
        (html_text(text(s, "text")), text(s, "answer/text"))
        for s in matching.findall("subquestion")
    ]
    assert pairs == [
        ("There were no U.S. deaths.", "Donald Trump"),
        ("The mission was a law-enforcement action.", "Washington"),
        ("Two days of national mourning.", "Miguel Díaz-Canel"),
        ("", "Analysts"),  # a distractor: an answer that matches no statement
    ]

    assert [(a, f) for a, f, _ in answers(classification)] == [
        ("A reported fact", 0.0),
        ("An attributed claim", 0.0),
        ("The article’s own prediction", 100.0),
    ]


def test_every_fraction_is_one_moodle_accepts():
    quiz, sources = article_quiz()
    add_every_kind(quiz, sources, 2)
    _, questions = parse(moodle.export_quiz(quiz).content)
    allowed = {round(100 * f, 5) for f in MOODLE_FRACTIONS} | {
        round(-100 * f, 5) for f in MOODLE_FRACTIONS
    }
    fractions = [float(a.get("fraction")) for q in questions for a in q.findall("answer")]
    assert fractions and all(f in allowed for f in fractions)
    several = [
        [float(a.get("fraction")) for a in q.findall("answer")]
        for q in questions
        if q.get("type") == "multichoice" and text(q, "single") == "false"
    ]
    assert len(several) == 3
    for fractions in several:
        # Moodle refuses a multiple-answer question whose right answers do not make 100%.
        assert round(sum(f for f in fractions if f > 0), 2) == 100
        assert min(fractions) < 0  # and each wrong answer takes some away


def test_text_is_escaped_and_html_travels_in_cdata():
    quiz, _ = article_quiz()
    question = QuestionFactory(
        quiz=quiz,
        order=99,
        prompt='Who said "5 < 6 & 7 > 2" ]]> here?\nSecond line.\x0b',
        explanation="Line one.\n\nLine <two> & ]]> three.",
    )
    ChoiceFactory(question=question, text="A & B <c>", correct=True, feedback="]]> & <ok>")
    ChoiceFactory(question=question, text="D", feedback="")
    content = moodle.export_quiz(quiz).content
    assert "<![CDATA[" in content
    _, questions = parse(content)
    last = questions[-1]
    assert html_text(text(last, "questiontext/text")) == (
        'Who said "5 < 6 & 7 > 2" ]]> here?\nSecond line.'
    )
    assert html_text(text(last, "generalfeedback/text")) == "Line one.\n\nLine <two> & ]]> three."
    assert answers(last)[0] == ("A & B <c>", 100.0, "]]> & <ok>")


def test_cdata_holding_its_own_end_marker_reads_back_whole(db):
    quiz, _ = article_quiz()
    raw = "<p>x]]>y</p><p>z]]]]>w</p>"
    planned = PlannedQuestion(
        number=1,
        key="q",
        kind="single",
        qtype="multichoice",
        name="A & B",
        text=raw,
        general_feedback=raw,
        points=1,
        skill="recall",
        options=(Option(raw, 1.0, 1.0, raw), Option("b", 0.0, 0.0)),
    )
    matching = PlannedQuestion(
        number=2,
        key="m",
        kind="matching",
        qtype="matching",
        name="M",
        text=raw,
        general_feedback="",
        points=1,
        skill="recall",
        pairs=(Pair(raw, "Smith & <Sons>"), Pair("<p>b</p>", "C")),
    )
    content = moodle.render(Plan(quiz, (planned, matching), ()), ["a -- b -"])
    _, (q, m) = parse(content)
    assert text(q, "questiontext/text") == raw
    assert text(q, "generalfeedback/text") == raw
    assert text(q, "answer/text") == raw
    assert text(q, "answer/feedback/text") == raw
    assert text(q, "name/text") == "A & B"
    assert text(m, "subquestion/text") == raw
    assert text(m, "subquestion/answer/text") == "Smith & <Sons>"


def test_the_file_opens_with_what_the_teacher_is_told():
    quiz, _ = article_quiz(time_limit_minutes=20, max_attempts=2)
    export = moodle.export_quiz(quiz)
    assert export.filename == f"{quiz.lesson.slug}-{quiz.key}-moodle.xml"
    assert export.content_type.startswith("application/xml")
    head = export.content[: export.content.index("<quiz>")]
    flat = " ".join(head.split())
    assert export.messages[0].startswith(f"“{quiz.title}” as Moodle XML: 6 of 6 questions")
    assert "20 minutes" in export.messages[1] and "(2)" in export.messages[1]
    # The matching question (5) loses the part credit of a close source; nothing else does.
    assert "in question 5:" in export.messages[1]
    for message in export.messages:
        assert " ".join(message.split()) in flat


def test_query_count_does_not_grow_with_the_questions():
    counts = []
    for times in (1, 5):
        quiz, sources = article_quiz(slug=f"lesson-{times}")
        add_every_kind(quiz, sources, times)
        with CaptureQueriesContext(connection) as queries:
            export = moodle.export_quiz(quiz)
        assert len(parse(export.content)[1]) == 6 + 5 * times
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 3


def test_a_kind_with_no_counterpart_is_named_not_exported():
    quiz, _ = article_quiz()
    QuestionFactory(quiz=quiz, order=50, kind="essay", prompt="Explain who said it.")
    export = moodle.export_quiz(quiz)
    _, questions = parse(export.content)
    assert len(questions) == 6
    assert export.plan.skipped[0].number == 7
    assert export.messages[0].startswith(f"“{quiz.title}” as Moodle XML: 6 of 7 questions")
    assert "question 7 (“Explain who said it.”)" in export.messages[-1]


def test_question_kinds_all_have_a_mapping():
    quiz, sources = article_quiz()
    add_evidence_pick(quiz)
    make_written_question(quiz)  # the scenario quiz has every kind with choices
    export = moodle.export_quiz(quiz)
    assert {q.kind for q in export.plan.questions} == set(Question.Kind.values)
