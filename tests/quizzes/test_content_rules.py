"""quizzes/content_rules.py: each rule fed one bad example built with factories, asserted by
its code; the good example passes; the queries do not grow with the lesson."""

import pytest

from lessons.models import Claim, Source
from quizzes.content_rules import lesson_problems, quiz_content_problems
from quizzes.models import Question
from quizzes.validation import CLASSIFICATION_LABELS
from tests.factories import (
    ChoiceFactory,
    ClaimFactory,
    LessonFactory,
    QuestionFactory,
    QuizFactory,
    SectionFactory,
    SourceFactory,
)

K = Question.Kind
BODY = (
    "Havana confirmed that 32 Cuban nationals were killed. State media called it “military "
    "aggression”. They blamed Washington.\n\nWashington called it a law-enforcement action."
)
ARTICLE = (
    "Havana said 32 were killed, framing it as “military aggression”. "
    "Washington characterised the mission as a law-enforcement action."
)
SCHEME = " ".join(CLASSIFICATION_LABELS)


@pytest.fixture
def world(db):
    """A good little lesson: three sources, one section, three claims, one quiz whose
    questions each source answers once."""
    lesson = LessonFactory()
    havana = SourceFactory(lesson=lesson, key="havana", name="The Cuban government", side="C")
    havana.aliases = "Havana"
    havana.save()
    media = SourceFactory(lesson=lesson, key="media", name="State media", side="C", parent=havana)
    washington = SourceFactory(lesson=lesson, key="washington", name="Washington", side="D")
    section = SectionFactory(lesson=lesson, title="The news", body=BODY)
    confirmed = ClaimFactory(
        lesson=lesson,
        section=section,
        source=havana,
        evidence="Havana confirmed that 32 Cuban nationals were killed.",
    )
    ClaimFactory(
        lesson=lesson,
        section=section,
        source=media,
        cue="called",
        kind=Claim.Kind.QUOTE,
        quoted="military aggression",
        evidence="State media called it “military aggression”.",
    )
    ClaimFactory(
        lesson=lesson,
        section=section,
        source=washington,
        cue="called",
        evidence="Washington called it a law-enforcement action.",
    )
    quiz = QuizFactory(lesson=lesson, description=SCHEME)
    who = who_said(quiz, confirmed, key=havana, wrong=[washington])
    match = QuestionFactory(quiz=quiz, kind=K.MATCHING, section=section)
    ChoiceFactory(question=match, text="Called it law enforcement", correct=True, source=washington)
    ChoiceFactory(question=match, text="Framed it as aggression", correct=True, source=media)
    return {
        "lesson": lesson,
        "quiz": quiz,
        "section": section,
        "havana": havana,
        "media": media,
        "washington": washington,
        "claim": confirmed,
        "who": who,
    }


def who_said(quiz, claim, *, key, wrong, **kwargs):
    question = QuestionFactory(
        quiz=quiz, kind=K.WHO_SAID, claim=claim, section=claim.section, **kwargs
    )
    ChoiceFactory(question=question, text="", correct=True, source=key)
    for source in wrong:
        ChoiceFactory(question=question, text="", correct=False, source=source)
    return question


def single(quiz, *, right, wrong, at=1, **kwargs):
    question = QuestionFactory(quiz=quiz, kind=K.SINGLE, **kwargs)
    texts = list(wrong)
    texts.insert(at - 1, right)
    for order, text in enumerate(texts):
        ChoiceFactory(question=question, order=order, text=text, correct=text == right)
    return question


def classification(quiz, labels=CLASSIFICATION_LABELS, **kwargs):
    question = QuestionFactory(quiz=quiz, kind=K.CLASSIFICATION, **kwargs)
    for order, label in enumerate(labels):
        ChoiceFactory(question=question, order=order, text=label, correct=order == 0)
    return question


def codes(problems):
    return sorted({p.code for p in problems})


def test_the_good_example_has_no_problem(world):
    assert lesson_problems(world["lesson"], ARTICLE) == []
    assert quiz_content_problems(world["quiz"], ARTICLE) == []


def test_classification_labels_in_another_order(world):
    question = classification(world["quiz"], labels=list(reversed(CLASSIFICATION_LABELS)))
    problems = quiz_content_problems(world["quiz"])
    assert codes(problems) == ["classification_labels"]
    assert problems[0].question == question and problems[0].message


def test_classification_scheme_missing_from_the_description(world):
    world["quiz"].description = "A quiz."
    world["quiz"].save()
    classification(world["quiz"])
    assert codes(quiz_content_problems(world["quiz"])) == ["classification_scheme_missing"]


def test_classification_scheme_repeated_in_the_prompt(world):
    classification(world["quiz"], prompt=f"Classify it ({SCHEME}): Havana confirmed 32.")
    assert codes(quiz_content_problems(world["quiz"])) == ["classification_scheme_in_prompt"]


def test_who_said_evidence_that_does_not_name_the_source(world):
    they = ClaimFactory(
        lesson=world["lesson"],
        section=world["section"],
        source=world["media"],
        evidence="They blamed Washington.",
    )
    who_said(world["quiz"], they, key=world["media"], wrong=[world["washington"]])
    found = lesson_problems(world["lesson"])
    assert {(p.code, bool(p.question)) for p in found} == {
        ("evidence_unnamed", True),  # the question
        ("evidence_unnamed", False),  # the claim
    }


def test_an_alias_names_the_source(world):
    assert world["claim"].evidence.startswith("Havana")  # not "The Cuban government"
    world["havana"].aliases = ""
    world["havana"].save()
    assert "evidence_unnamed" in codes(lesson_problems(world["lesson"]))


def test_a_distractor_that_speaks_for_the_key(world):
    who_said(world["quiz"], world["claim"], key=world["havana"], wrong=[world["media"]])
    assert "distractor_ancestry" in codes(quiz_content_problems(world["quiz"]))


def test_a_matching_list_with_a_source_and_its_parent(world):
    match = QuestionFactory(quiz=world["quiz"], kind=K.MATCHING, section=world["section"])
    ChoiceFactory(question=match, text="Confirmed 32", correct=True, source=world["havana"])
    ChoiceFactory(question=match, text="Aggression", correct=True, source=world["media"])
    assert codes(quiz_content_problems(world["quiz"])) == ["distractor_ancestry"]


@pytest.mark.parametrize(
    "explanation, article, code",
    [
        ('In "The news", the reading says "Havana denied everything."', None, "quote_not_in_reading"),
        ('The article says "Havana confirmed that 32 Cuban nationals were killed."', ARTICLE, "quote_not_introduced"),
        ('Washington said "it was a police action".', ARTICLE, "quote_not_verbatim"),
        ("Washington called it “law enforcement”.", None, "quote_marks_misused"),
    ],
)  # fmt: skip
def test_quotation_marks_in_explanations(world, explanation, article, code):
    world["who"].explanation = explanation
    world["who"].save()
    problems = quiz_content_problems(world["quiz"], article)
    assert codes(problems) == [code]


def test_quotations_that_are_fine(world):
    world["who"].explanation = (
        'In "The news", the reading says "Havana confirmed that 32 Cuban nationals were killed." '
        'The article says "Washington characterised the mission" and quotes “military aggression”.'
    )
    world["who"].save()
    ChoiceFactory(question=world["who"], feedback="Havana used the words “military aggression”.")
    assert quiz_content_problems(world["quiz"], ARTICLE) == []


def test_an_act_verb_is_not_a_reporting_cue(world):
    ClaimFactory(
        lesson=world["lesson"],
        section=world["section"],
        source=world["havana"],
        cue="appointed",
        evidence="Havana confirmed that 32 Cuban nationals were killed.",
    )
    assert codes(lesson_problems(world["lesson"])) == ["act_verb_cue"]


def test_the_article_may_state_acts(world):
    article = SourceFactory(lesson=world["lesson"], kind=Source.Kind.ARTICLE, key="the-article")
    ClaimFactory(lesson=world["lesson"], section=world["section"], source=article, cue="killed")
    who_said(world["quiz"], world["claim"], key=article, wrong=[world["washington"]])
    assert "act_verb_cue" not in codes(lesson_problems(world["lesson"]))


def test_the_key_always_in_the_same_position(world):
    world["quiz"].shuffle_choices = False
    world["quiz"].save()
    for n in range(4):
        single(world["quiz"], right=f"Right {n}", wrong=["A much longer wrong one", "Other"])
    problems = quiz_content_problems(world["quiz"])
    assert codes(problems) == ["key_position"]
    assert problems[0].quiz == world["quiz"] and problems[0].question is None


def test_shuffled_choices_hide_the_position_but_not_true_false(world):
    world["quiz"].shuffle_choices = True
    world["quiz"].save()
    for n in range(4):
        single(world["quiz"], right=f"Right {n}", wrong=["A much longer wrong one", "Other"])
    assert quiz_content_problems(world["quiz"]) == []
    for n in range(4):
        question = QuestionFactory(quiz=world["quiz"], kind=K.TRUE_FALSE, prompt=f"Claim {n}.")
        ChoiceFactory(question=question, text="True", correct=True)
        ChoiceFactory(question=question, text="False", correct=False)
    assert codes(quiz_content_problems(world["quiz"])) == ["key_position"]


def test_a_fixed_order_question_shows_its_key_position(world):
    # Shuffling is the quiz's default; a question whose order is fixed is judged as written.
    for n in range(4):
        single(world["quiz"], right=f"Right {n}", wrong=["A much longer wrong one", "Other"])
    assert quiz_content_problems(world["quiz"]) == []
    world["quiz"].questions.update(fixed_order=True)
    assert codes(quiz_content_problems(world["quiz"])) == ["key_position"]


def test_the_longest_choice_is_the_key(world):
    for n, at in enumerate([2, 3, 2, 3]):
        single(
            world["quiz"],
            right=f"The long and careful right answer {n}",
            wrong=["No", "Nor"],
            at=at,
        )
    assert codes(quiz_content_problems(world["quiz"])) == ["longest_choice_key"]


def test_a_source_that_is_never_the_right_answer(world):
    SourceFactory(lesson=world["lesson"], key="analysts", name="Analysts")
    found = lesson_problems(world["lesson"])
    assert codes(found) == ["source_never_key"]
    assert "Analysts" in found[0].message


def test_the_reading_quotes_words_the_article_does_not(world):
    world["section"].body = BODY + " Some called it “a police matter”."
    world["section"].save()
    assert codes(lesson_problems(world["lesson"], ARTICLE)) == ["reading_quotation"]
    assert codes(lesson_problems(world["lesson"])) == ["reading_quotation"]


def test_quoted_words_the_article_does_not_quote(world):
    world["claim"].quoted = "32 Cuban nationals"
    world["claim"].save()
    assert codes(lesson_problems(world["lesson"], ARTICLE)) == ["quoted_not_in_article"]


def test_a_duplicate_question(world):
    who_said(world["quiz"], world["claim"], key=world["havana"], wrong=[world["washington"]])
    assert codes(quiz_content_problems(world["quiz"])) == ["duplicate_question"]


def _grow(world, n):
    for i in range(n):
        who_said(
            world["quiz"],
            world["claim"],
            key=world["havana"],
            wrong=[world["washington"]],
            prompt=f"Who {i}?",
        )


@pytest.mark.parametrize("extra", [0, 12])
def test_the_queries_do_not_grow_with_the_lesson(world, extra, django_assert_num_queries):
    _grow(world, extra)
    # sources, sections, claims, quizzes, questions, choices, rubric levels
    with django_assert_num_queries(7):
        lesson_problems(world["lesson"])
    # sources, sections, claims, the quiz, questions, choices, rubric levels
    with django_assert_num_queries(7):
        quiz_content_problems(world["quiz"])
