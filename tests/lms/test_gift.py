"""GIFT: every kind of question, read back by a reader that follows Moodle's importer
(gift_reader.py), and GIFT's special characters escaped."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lms import gift
from quizzes import scoring

from ..factories import ChoiceFactory, QuestionFactory, make_true_false_question
from . import gift_reader
from .lms_fixtures import add_every_kind, article_quiz, html_text

pytestmark = pytest.mark.django_db


def read(content):
    category, *questions = gift_reader.parse(content)
    assert category.qtype == "category"
    return category, questions


def answers(question):
    return [(html_text(a.text), a.fraction, html_text(a.feedback)) for a in question.answers]


def test_each_kind_becomes_the_gift_question_of_the_table():
    quiz, _ = article_quiz()
    category, questions = read(gift.export_quiz(quiz).content)
    assert category.category == f"$course$/top/{quiz.title}"
    assert [q.qtype for q in questions] == [
        "multichoice",
        "multichoice",
        "truefalse",
        "multichoice",
        "matching",
        "multichoice",
    ]
    single, multiple, true_false, who_said, matching, classification = questions
    ours = list(quiz.questions.order_by("order"))
    for number, (read_back, question) in enumerate(zip(questions, ours, strict=True), 1):
        assert read_back.format == "html"
        assert read_back.name.startswith(f"{number:02d} ")
        assert html_text(read_back.text) == question.prompt
        feedback = html_text(read_back.general_feedback)
        assert question.explanation in feedback
        assert question.evidence_text in feedback

    assert single.single is True
    assert answers(single) == [
        ("32", 1.0, "Yes: 32."),
        ("12", 0.0, "No: the figure was 32."),
        ("50", 0.0, "No: the figure was 32."),
    ]
    # No "=" at all: Moodle lets the student pick several; +1/n right, −1/n wrong.
    assert multiple.single is False
    assert [(a, f) for a, f, _ in answers(multiple)] == [
        ("January 5", 0.5),
        ("January 6", 0.5),
        ("January 7", -0.5),
    ]
    assert [(a, f) for a, f, _ in answers(true_false)] == [("true", 1.0), ("false", 0.0)]
    assert who_said.single is True
    assert {a: f for a, f, _ in answers(who_said)} == {
        "Donald Trump": 1.0,
        "Washington": scoring.PARENT_OR_CHILD,
        "Miguel Díaz-Canel": 0.0,
        "Analysts": 0.0,
    }
    assert "so 50% credit" in dict((a, fb) for a, _, fb in answers(who_said))["Washington"]
    assert [(html_text(i), a) for i, a in matching.pairs] == [
        ("There were no U.S. deaths.", "Donald Trump"),
        ("The mission was a law-enforcement action.", "Washington"),
        ("Two days of national mourning.", "Miguel Díaz-Canel"),
        ("", "Analysts"),
    ]
    assert [(a, f) for a, f, _ in answers(classification)] == [
        ("A reported fact", 0.0),
        ("An attributed claim", 0.0),
        ("The article’s own prediction", 1.0),
    ]


@pytest.mark.parametrize("answer", [True, False])
def test_true_false_feedback_stays_on_its_answer(answer):
    quiz, _ = article_quiz()
    quiz.questions.all().delete()
    make_true_false_question(quiz, answer=answer, explanation="")
    (question,) = read(gift.export_quiz(quiz).content)[1]
    assert answers(question) == [
        ("true", 1.0 if answer else 0.0, f"Feedback on True: {answer}."),
        ("false", 0.0 if answer else 1.0, f"Feedback on False: {not answer}."),
    ]


def test_special_characters_are_escaped_and_read_back():
    quiz, sources = article_quiz()
    quiz.questions.all().delete()
    prompt = "Who wrote {this} ~ a = b # c : d \\ e?\nA second line; \\n is not a break."
    q = QuestionFactory(
        quiz=quiz, prompt=prompt, explanation="It is ####, then }{ and ~=.", section=None
    )
    ChoiceFactory(question=q, text="[plain] looks like a format", correct=True, feedback="#1 {x}")
    ChoiceFactory(question=q, text="%50% looks like a weight", feedback="a -> b")
    ChoiceFactory(question=q, text="=50 and ~25 and :: too", feedback="")
    m = QuestionFactory(quiz=quiz, kind="matching", prompt="Match: {who} said = what?")
    ChoiceFactory(question=m, text="x -> y = z {}", source=sources["trump"], correct=True)
    ChoiceFactory(question=m, text="#tag: ~", source=sources["washington"], correct=True)
    _, (read_back, matching) = read(gift.export_quiz(quiz).content)
    assert html_text(read_back.text) == prompt
    assert html_text(read_back.general_feedback) == "It is ####, then }{ and ~=."
    assert answers(read_back) == [
        ("[plain] looks like a format", 1.0, "#1 {x}"),
        ("%50% looks like a weight", 0.0, "a -> b"),
        ("=50 and ~25 and :: too", 0.0, ""),
    ]
    assert html_text(matching.text) == "Match: {who} said = what?"
    assert [(html_text(i), a) for i, a in matching.pairs] == [
        ("x -> y = z {}", "Donald Trump"),
        ("#tag: ~", "Washington"),
    ]


def test_a_source_name_with_special_characters_reads_back():
    quiz, sources = article_quiz()
    sources["trump"].name = "Trump {R} = #1: ~ \\"
    sources["trump"].save()
    _, questions = read(gift.export_quiz(quiz).content)
    matching = questions[4]
    assert matching.pairs[0][1] == "Trump {R} = #1: ~ \\"
    assert html_text(questions[3].answers[0].text) == "Trump {R} = #1: ~ \\"


def test_no_blank_line_falls_inside_a_question():
    quiz, _ = article_quiz()
    q = QuestionFactory(quiz=quiz, prompt="One.\n\n\nTwo.", explanation="A.\r\n\r\nB.")
    ChoiceFactory(question=q, text="Yes", correct=True, feedback="Line.\n\nLine.")
    ChoiceFactory(question=q, text="No")
    content = gift.export_quiz(quiz).content
    blocks = [b for b in content.split("\n\n") if b.strip()]
    assert len(blocks) == 1 + 7  # the head and $CATEGORY, then one block per question
    _, questions = read(content)
    assert html_text(questions[-1].text) == "One.\n\nTwo."
    assert html_text(questions[-1].general_feedback) == "A.\n\nB."


def test_gift_names_what_it_cannot_carry():
    quiz, _ = article_quiz(description="Read first.")
    export = gift.export_quiz(quiz)
    assert export.filename == f"{quiz.lesson.slug}-{quiz.key}-gift.txt"
    assert export.content_type.startswith("text/plain")
    not_carried = export.messages[1]
    # Questions 4 and 5 are worth 2 points; GIFT has no marks.
    assert "questions 4 and 5 are worth more" in not_carried
    assert "description" in not_carried
    head = [line[3:] for line in export.content.splitlines() if line.startswith("// ")][:20]
    assert " ".join(" ".join(export.messages).split()) in " ".join(head)


def test_query_count_does_not_grow_with_the_questions():
    counts = []
    for times in (1, 5):
        quiz, sources = article_quiz(slug=f"lesson-{times}")
        add_every_kind(quiz, sources, times)
        with CaptureQueriesContext(connection) as queries:
            export = gift.export_quiz(quiz)
        assert len(read(export.content)[1]) == 6 + 5 * times
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 3
