"""The plan both LMS formats write: fractions from our scoring rounded to those Moodle
accepts, questions no format can hold named with the reason, and the shipped lesson's
quizzes exported whole."""

from io import StringIO
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from django.core.management import call_command

from lms import gift, moodle
from lms.plan import MOODLE_FRACTIONS, nearest_fraction, percent, plan_quiz
from quizzes import scoring
from quizzes.models import Question, Quiz

from ..factories import ChoiceFactory, QuestionFactory
from . import gift_reader
from .lms_fixtures import article_quiz, same_side_source

pytestmark = pytest.mark.django_db

BUNDLE = Path(__file__).resolve().parents[2] / "lessons" / "bundles"


@pytest.mark.parametrize(
    ("credit", "fraction"),
    [
        (1.0, 1.0),
        (0.5, 0.5),
        (1 / 3, 0.3333333),
        (1 / 7, 0.1428571),
        (0.22, 0.2),
        (0.08, 0.1),
        (0.02, 0.0),
        (-1 / 6, -0.1666667),
        (-0.97, -1.0),
    ],
)
def test_a_credit_rounds_to_the_nearest_fraction_moodle_accepts(credit, fraction):
    assert nearest_fraction(credit) == fraction


def test_fractions_are_written_as_moodle_writes_grades():
    assert [percent(f) for f in (1.0, 0.0, 0.3333333, -0.1428571, 0.05)] == [
        "100",
        "0",
        "33.33333",
        "-14.28571",
        "5",
    ]
    assert len(MOODLE_FRACTIONS) == 21


def _who_said_with_same_side(quiz, sources):
    lesson = quiz.lesson
    q = QuestionFactory(quiz=quiz, kind=Question.Kind.WHO_SAID, prompt="Who said it, again?")
    q.claim = lesson.claims.get(key="a-lot")
    q.save()
    ChoiceFactory(question=q, text="", source=sources["trump"], correct=True)
    ChoiceFactory(question=q, text="", source=same_side_source(lesson))
    return q


def test_same_side_part_credit_travels_as_our_scoring_gives_it():
    quiz, sources = article_quiz()
    _who_said_with_same_side(quiz, sources)
    last = plan_quiz(quiz).questions[-1]
    assert [(o.text, o.fraction) for o in last.options] == [
        ("Donald Trump", 1.0),
        ("U.S. officials", scoring.SAME_SIDE),
    ]
    assert last.losses == ()


def test_a_credit_moodle_cannot_give_is_rounded_and_said(monkeypatch):
    monkeypatch.setattr(scoring, "SAME_SIDE", 0.22)
    quiz, sources = article_quiz()
    _who_said_with_same_side(quiz, sources)
    export = moodle.export_quiz(quiz)
    root = ET.fromstring(export.content)
    last = root.findall("question")[-1]
    assert [a.get("fraction") for a in last.findall("answer")] == ["100", "20"]
    assert "question 7: “U.S. officials” earns 22.0% credit" in export.messages[1]
    assert "20%" in export.messages[1]


def test_a_multiple_answer_question_moodle_would_refuse_is_not_exported():
    quiz, _ = article_quiz()
    q = QuestionFactory(quiz=quiz, kind=Question.Kind.MULTIPLE, prompt="Pick the eleven.")
    for n in range(11):
        ChoiceFactory(question=q, text=f"Right {n}", correct=True)
    ChoiceFactory(question=q, text="Wrong")
    plan = plan_quiz(quiz)
    assert len(plan.questions) == 6
    (skipped,) = plan.skipped
    assert (skipped.number, skipped.key) == (7, q.key)
    assert "11 right answers" in skipped.reason


@pytest.mark.parametrize(
    ("kind", "choices"),
    [
        (Question.Kind.SINGLE, [("Only one", False)]),
        (Question.Kind.SINGLE, [("A", False), ("B", False)]),
        (Question.Kind.CLASSIFICATION, [("A", True), ("B", True)]),
        (Question.Kind.MULTIPLE, [("A", False), ("B", False)]),
        (Question.Kind.MATCHING, [("Only one statement", True)]),
        (Question.Kind.WHO_SAID, [("No source", True), ("Nor here", False)]),
    ],
)
def test_a_question_no_format_can_hold_is_named_with_its_reason(kind, choices):
    quiz, _ = article_quiz()
    q = QuestionFactory(quiz=quiz, kind=kind, prompt="A broken question?")
    for text, correct in choices:
        ChoiceFactory(question=q, text=text, correct=correct)
    for module in (moodle, gift):
        export = module.export_quiz(quiz)
        assert [s.key for s in export.plan.skipped] == [q.key]
        assert "6 of 7 questions exported" in export.messages[0]
        assert export.messages[-1].startswith("Not exported: question 7 (“A broken question?”)")


def test_true_false_with_other_labels_becomes_a_multiple_choice():
    quiz, _ = article_quiz()
    q = QuestionFactory(quiz=quiz, kind=Question.Kind.TRUE_FALSE, prompt="Fact or not?")
    ChoiceFactory(question=q, text="Yes", correct=True)
    ChoiceFactory(question=q, text="No")
    last = plan_quiz(quiz).questions[-1]
    assert (last.qtype, [o.text for o in last.options]) == ("multichoice", ["Yes", "No"])


def test_every_question_of_the_shipped_lesson_is_exported_or_named():
    for bundle in sorted(BUNDLE.glob("*.json")):
        call_command("import_lesson", str(bundle), stdout=StringIO())
    quizzes = list(Quiz.objects.prefetch_related("questions"))
    assert quizzes
    for quiz in quizzes:
        keys = {q.key for q in quiz.questions.all()}
        xml = moodle.export_quiz(quiz)
        skipped = {s.key for s in xml.plan.skipped}
        exported = {
            q.findtext("idnumber")
            for q in ET.fromstring(xml.content).findall("question")
            if q.get("type") != "category"
        }
        assert exported | skipped == keys and not exported & skipped
        for s in xml.plan.skipped:
            assert any(f"question {s.number} (" in m for m in xml.messages)
        text = gift.export_quiz(quiz)
        read_back = [q for q in gift_reader.parse(text.content) if q.qtype != "category"]
        assert len(read_back) == len(keys) - len(skipped)
        assert [q.qtype for q in read_back] == [q.qtype for q in xml.plan.questions]
