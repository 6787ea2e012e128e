"""The evidence-pick question (quizzes/evidence_pick.py): its choices are its section's
sentences in reading order; full credit for the proving sentence, part credit for the
claim's other sentence, none for the rest; the rules that refuse a bad one; the page, the
bundle and the LMS exports."""

import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from bundle.dump import dump
from bundle.validate import validate
from lessons.marking import sentences
from lms import gift, moodle
from quizzes import scoring
from quizzes.attempts import start_attempt
from quizzes.authoring import quiz_problems
from quizzes.content_rules import quiz_content_problems
from quizzes.evidence_pick import MIN_SENTENCES, expected_choices, make_choices, pick_problems
from quizzes.models import Question, Response
from tests.factories import QuizFactory, SectionFactory, posted
from tests.lms import gift_reader
from tests.scenarios import HOW, add_evidence_pick, build_article_lesson

BODY = "First we say one thing. Then, “a quote.” And a third!\n\nA new paragraph, U.S. style."


# --- pure: sentences, choices, credit ----------------------------------------------------


def test_the_sentences_are_the_anchors_split_in_reading_order():
    assert sentences(BODY) == [
        "First we say one thing.",
        "Then, “a quote.”",
        "And a third!",
        "A new paragraph, U.S. style.",
    ]
    # Every sentence is verbatim in the body, so evidence copied from it matches exactly.
    assert all(s in BODY for s in sentences(BODY))


def test_expected_choices_mark_the_key_and_the_claims_other_sentence():
    choices = expected_choices(BODY, "And a third!", claim_evidence="say one thing")
    assert [c.text for c in choices] == sentences(BODY)
    assert [(c.correct, c.partial) for c in choices] == [
        (False, True),
        (False, False),
        (True, False),
        (False, False),
    ]


def test_grade_full_partial_and_zero_credit():
    key = scoring.QuestionKey(kind="evidence_pick", correct=frozenset({1}), partial=frozenset({2}))

    def credit(*picked):
        return scoring.grade(key, scoring.Answer(choices=frozenset(picked))).credit

    assert credit(1) == 1.0
    assert credit(2) == scoring.SAME_CLAIM == 0.5
    assert credit(3) == 0.0
    assert credit() == 0.0
    assert credit(1, 2) == 0.0  # two sentences are no answer


@pytest.mark.parametrize(
    ("body", "evidence", "claim_evidence", "code"),
    [
        ("One. Two.", "One.", "", "evidence_pick_too_few"),
        (BODY, "say one thing", "", "evidence_pick_not_a_sentence"),
        (BODY, "Not in the section at all.", "", "evidence_pick_not_a_sentence"),
        (BODY, "And a third!", "words of another section", "evidence_pick_claim_elsewhere"),
        (None, "And a third!", "", "evidence_pick_section"),
        ("A " + "very " * 120 + "long one. Two. Three.", "Two.", "", "evidence_pick_long_sentence"),
    ],
)
def test_pick_problems_refuse_a_bad_question(body, evidence, claim_evidence, code):
    found = pick_problems(title="T", body=body, evidence=evidence, claim_evidence=claim_evidence)
    assert code in [c for c, _ in found]
    assert all(message for _, message in found)


def test_a_good_question_has_no_pick_problems():
    choices = expected_choices(BODY, "And a third!")
    assert len(choices) >= MIN_SENTENCES
    assert pick_problems(title="T", body=BODY, evidence="And a third!", choices=choices) == []


# --- the model and the content rule -----------------------------------------------------


@pytest.mark.django_db
def test_question_clean_refuses_evidence_that_is_not_one_sentence():
    lesson, _, sections, _ = build_article_lesson()
    quiz = QuizFactory(lesson=lesson)
    question = Question(
        quiz=quiz,
        key="pick",
        kind=Question.Kind.EVIDENCE_PICK,
        prompt="Which sentence?",
        section=sections[1],
        evidence="captured Maduro",  # in the section, but half a sentence
    )
    with pytest.raises(ValidationError) as refused:
        question.full_clean()
    assert refused.value.error_dict["evidence"][0].code == "evidence_pick_not_a_sentence"
    question.section = None
    with pytest.raises(ValidationError) as refused:
        question.full_clean()
    assert refused.value.error_dict["section"][0].code == "evidence_pick_section"


@pytest.mark.django_db
def test_editing_the_section_after_writing_makes_the_key_stale():
    lesson, _, sections, _ = build_article_lesson()
    quiz = QuizFactory(lesson=lesson)
    add_evidence_pick(quiz)
    assert [p.code for p in quiz_content_problems(quiz) if p.code.startswith("evidence")] == []
    how = sections[1]
    how.body = HOW.replace("the combat was intense.", "the combat was intense. It was brief.")
    how.save()
    codes = [p.code for p in quiz_content_problems(quiz)]
    assert "evidence_pick_stale" in codes
    # Publishing is refused on it too.
    assert "evidence_pick_stale" in [p.code for p in quiz_problems(quiz)]


# --- the page: positions, credit, no key in the HTML, feedback --------------------------


@pytest.fixture
def pick_quiz(db):
    lesson, _, _, _ = build_article_lesson()
    quiz = QuizFactory(lesson=lesson, published=True)
    question = add_evidence_pick(quiz, order=1)
    return quiz, question


def _url(attempt):
    return reverse("quizzes:question", args=[attempt.pk, 1])


@pytest.mark.parametrize(("sentence", "credit"), [(0, 1.0), (1, 0.5), (2, 0.0)])
def test_posting_a_sentence_by_its_position_earns_its_credit(
    student_client, student, pick_quiz, sentence, credit
):
    quiz, question = pick_quiz
    attempt = start_attempt(quiz=quiz, learner=student)
    choices = list(question.choices.order_by("order"))
    # Reading order, the same for every attempt: the layout keeps the section's order.
    assert attempt.layout["choices"][str(question.pk)] == [c.pk for c in choices]
    value = posted(attempt, question, choices[sentence])
    assert value == [str(sentence + 1)]
    response = student_client.post(_url(attempt), {"choice": value, "go": "review"})
    assert response.status_code == 302
    assert Response.objects.get(attempt=attempt).credit == credit


@pytest.mark.parametrize("bad", ["4", "0", "-1", "x", str(10**30)])
def test_a_bad_position_is_refused_with_a_message_and_nothing_saved(
    student_client, student, pick_quiz, bad
):
    quiz, _ = pick_quiz
    attempt = start_attempt(quiz=quiz, learner=student)
    response = student_client.post(_url(attempt), {"choice": bad, "go": "next"})
    assert response.status_code == 400
    assert "That answer is not one of this question&#x27;s choices." in response.text
    assert not Response.objects.exists()


def test_the_page_shows_the_sentences_as_text_without_the_key(student_client, student, pick_quiz):
    quiz, question = pick_quiz
    attempt = start_attempt(quiz=quiz, learner=student)
    html = student_client.get(_url(attempt)).text
    block = html[html.index("data-evidence-pick") : html.index("</fieldset>")]
    labels = re.findall(r"<label for=\"[^\"]+\">([^<]*)</label>", block)
    assert [label.replace("&amp;", "&") for label in labels] == sentences(HOW)
    assert re.findall(r'value="([^"]+)"', block) == ["1", "2", "3"]
    # Nothing marks the key or the part-credit sentence: no ids, no data, no classes.
    assert "correct" not in block and "partial" not in block
    assert set(re.findall(r"(data-[a-z-]+)", block)) == {"data-evidence-pick"}
    assert question.explanation not in html


def test_immediate_feedback_names_the_sentence_only_as_review_options_allow(
    student_client, student, db
):
    lesson, _, _, _ = build_article_lesson()
    quiz = QuizFactory(lesson=lesson, published=True, feedback="immediate", review_key="never")
    question = add_evidence_pick(quiz, order=1)
    attempt = start_attempt(quiz=quiz, learner=student)
    partial = question.choices.get(partial=True)
    student_client.post(_url(attempt), {"choice": posted(attempt, question, partial)})
    html = student_client.get(_url(attempt)).text
    assert "Right answer" not in html  # the key is never shown by this quiz
    assert html.count(" disabled>") == 3  # the answer is final
    quiz.review_key = "after_attempt"
    quiz.save()
    html = student_client.get(_url(attempt)).text
    assert "Right answer: <strong>U.S. special forces struck" in html
    assert "same claim" in html  # the reason for part credit


@pytest.mark.parametrize("sentences_in_section", [3, 30])
def test_question_page_queries_do_not_grow_with_the_section(
    student_client, student, sentences_in_section, django_assert_num_queries
):
    lesson, _, _, _ = build_article_lesson()
    body = " ".join(f"Sentence number {n} is here." for n in range(sentences_in_section))
    section = SectionFactory(lesson=lesson, key="long", title="Long", body=body)
    quiz = QuizFactory(lesson=lesson, published=True)
    for order in range(sentences_in_section // 3):
        question = Question.objects.create(
            quiz=quiz,
            key=f"pick-{order}",
            order=order,
            kind=Question.Kind.EVIDENCE_PICK,
            skill=Question.Skill.EVIDENCE,
            prompt=f"Which sentence? {order}",
            section=section,
            evidence="Sentence number 1 is here.",
        )
        make_choices(question)
    attempt = start_attempt(quiz=quiz, learner=student)
    # The same six queries as every question page (tests/quizzes/test_query_budgets.py).
    with django_assert_num_queries(6):
        response = student_client.get(_url(attempt))
    assert response.status_code == 200


# --- the bundle and the LMS -------------------------------------------------------------


def test_the_bundle_round_trips_an_evidence_pick_and_refuses_a_stale_one(tmp_path, db):
    from bundle.upsert import import_bundle

    lesson, _, _, _ = build_article_lesson(slug="pick-lesson")
    add_evidence_pick(QuizFactory(lesson=lesson, key="picks"), order=1)
    data = dump(lesson)
    (choices,) = [q["choices"] for q in data["quizzes"][0]["questions"]]
    assert [c.get("partial", False) for c in choices] == [False, True, False]
    assert validate(data) == []
    path = tmp_path / "b.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    import_bundle(path, checks=())
    assert dump(lesson) == data
    # A section edited in the file, the choices not: the file is refused with the code.
    how = next(s for s in data["sections"] if s["key"] == "how")
    how["body"] = how["body"].replace("captured Maduro.", "captured Maduro. He was flown out.")
    codes = [p.code for p in validate(data)]
    assert "evidence_pick_stale" in codes


def test_lms_exports_parse_back_with_per_sentence_fractions(db):
    lesson, _, _, _ = build_article_lesson()
    quiz = QuizFactory(lesson=lesson, shuffle_choices=True)
    add_evidence_pick(quiz, order=1)
    root = ET.fromstring(moodle.export_quiz(quiz).content.encode("utf-8"))
    (element,) = [q for q in root.findall("question") if q.get("type") != "category"]
    assert element.get("type") == "multichoice"
    assert element.find("single").text == "true"
    assert element.find("shuffleanswers").text == "false"  # reading order
    fractions = [float(a.get("fraction")) for a in element.findall("answer")]
    assert fractions == [100, 50, 0]
    exported = gift.export_quiz(quiz)
    _, read = gift_reader.parse(exported.content)
    assert [a.fraction for a in read.answers] == [1.0, 0.5, 0.0]
    assert any("fixed order" in m for m in exported.messages)


def test_the_shipped_lesson_uses_the_kind():
    path = "lessons/bundles/cuba-venezuela-casualties.json"
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    picks = {
        q["key"]: q
        for quiz in data["quizzes"]
        for q in quiz["questions"]
        if q["kind"] == "evidence_pick"
    }
    assert {"ev-limited-info", "ev-audience"} <= set(picks)
    assert any(c.get("partial") for c in picks["ev-audience"]["choices"])


# --- the admin: a teacher authors one ---------------------------------------------------


def _admin_post(quiz, section, evidence, claim=None):
    from tests.quizzes.test_admin import _question_post

    return _question_post(
        quiz,
        "evidence_pick",
        [],
        skill="evidence",
        prompt="Which sentence proves it?",
        section=section.pk,
        evidence=evidence,
        claim=claim.pk if claim else "",
    )


def test_the_question_admin_makes_the_choices_from_the_section(superuser_client):
    lesson, _, sections, claims = build_article_lesson()
    quiz = QuizFactory(lesson=lesson)
    first = sentences(HOW)[0]
    data = _admin_post(quiz, sections[1], first, claim=claims["law-enforcement"])
    response = superuser_client.post(reverse("admin:quizzes_question_add"), data)
    assert response.status_code == 302, response.context and _errors(response)
    question = Question.objects.get()
    assert [(c.text, c.correct, c.partial) for c in question.choices.order_by("order")] == [
        (first, True, False),
        (sentences(HOW)[1], False, True),
        (sentences(HOW)[2], False, False),
    ]
    assert [p.code for p in quiz_content_problems(quiz) if p.code.startswith("evidence")] == []
    # The section edited, the question saved again: its choices follow the text.
    sections[1].body = HOW + " A fourth sentence."
    sections[1].save()
    assert "evidence_pick_stale" in [p.code for p in quiz_content_problems(quiz)]
    url = reverse("admin:quizzes_question_change", args=[question.pk])
    data = _admin_post(quiz, sections[1], first, claim=claims["law-enforcement"])
    ids = list(question.choices.order_by("order").values_list("pk", flat=True))
    data.update({"choices-TOTAL_FORMS": len(ids), "choices-INITIAL_FORMS": len(ids)})
    for i, pk in enumerate(ids):
        data.update({f"choices-{i}-id": pk, f"choices-{i}-question": question.pk})
        data.update({f"choices-{i}-order": i, f"choices-{i}-text": "typed over"})
    response = superuser_client.post(url, data)
    assert response.status_code == 302, _errors(response)
    assert question.choices.count() == 4
    assert [p.code for p in quiz_content_problems(quiz) if p.code.startswith("evidence")] == []


def _errors(response):
    return response.context["adminform"].form.errors if response.context else response


def test_the_question_admin_refuses_half_a_sentence_and_saves_nothing(superuser_client):
    lesson, _, sections, _ = build_article_lesson()
    quiz = QuizFactory(lesson=lesson)
    data = _admin_post(quiz, sections[1], "captured Maduro")
    response = superuser_client.post(reverse("admin:quizzes_question_add"), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors.as_data()
    assert errors["evidence"][0].code == "evidence_pick_not_a_sentence"
    assert "not one whole sentence" in response.text
    assert not Question.objects.exists()


def test_reports_do_not_flag_a_sentence_nobody_picks():
    from reports import stats

    counts = [stats.ChoiceCount(i, f"s{i}", i == 0, n) for i, n in enumerate((15, 5, 0))]
    assert any("Nobody picked" in f for f in stats.item_flags(0.5, counts, n=20))
    assert stats.item_flags(0.5, counts, n=20, kind="evidence_pick") == []


@pytest.mark.parametrize("review_key", ["never", "after_attempt"])
def test_the_result_page_shows_the_key_sentence_only_as_review_options_allow(
    student_client, student, review_key
):
    from quizzes.attempts import submit_attempt

    lesson, _, _, _ = build_article_lesson()
    quiz = QuizFactory(lesson=lesson, published=True, review_key=review_key)
    question = add_evidence_pick(quiz, order=1)
    attempt = start_attempt(quiz=quiz, learner=student)
    wrong = question.choices.get(order=2)
    student_client.post(_url(attempt), {"choice": posted(attempt, question, wrong)})
    submit_attempt(attempt=attempt)
    html = student_client.get(reverse("quizzes:result", args=[attempt.pk])).text
    shown = "Right answer" in html
    assert shown == (review_key == "after_attempt")
    assert ("does not prove the statement" in html) == shown  # the reason comes with the key
