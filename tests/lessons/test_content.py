"""The shipped lesson: every fact, quote and attribution checkable against the article.

The article itself lives outside the repository, in ../shared/article/; the tests that
compare against it skip with a reason where that folder is absent."""

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings

from bundle.dump import dumps
from bundle.upsert import import_bundle
from bundle.validate import validate
from lessons.models import Claim, Lesson, Section, Source
from quizzes.content_rules import ACT_VERBS, lesson_problems
from quizzes.models import Question, Quiz
from quizzes.validation import CLASSIFICATION_LABELS

BUNDLE = Path(settings.BASE_DIR) / "lessons" / "bundles" / "cuba-venezuela-casualties.json"
ARTICLE = Path(settings.BASE_DIR).parent / "shared" / "article" / "cuba-venezuela-casualties.txt"
CURLY_QUOTE = re.compile(r"“([^”]+)”")


@pytest.fixture(scope="module")
def data():
    return json.loads(BUNDLE.read_text(encoding="utf-8"))


@pytest.fixture
def article():
    if not ARTICLE.exists():
        pytest.skip(f"the article is not here ({ARTICLE}); these checks need ../shared/article/")
    return ARTICLE.read_text(encoding="utf-8")


@pytest.fixture
def lesson(db):
    return import_bundle(BUNDLE).lesson


def _words(text):
    return re.findall(r"[\w’'-]+", text.lower())


def test_the_bundle_is_valid(data):
    assert validate(data, name=BUNDLE.name) == []


def test_the_shipped_file_is_what_export_writes(lesson):
    # The file is canonical: export -> import -> export reproduces it byte for byte.
    assert dumps(lesson) == BUNDLE.read_text(encoding="utf-8")


def test_every_claim_evidence_occurs_in_its_section(lesson):
    for claim in Claim.objects.filter(lesson=lesson).select_related("section"):
        assert claim.evidence in claim.section.body, claim.key


def test_every_question_evidence_occurs_in_its_section(lesson):
    for question in Question.objects.filter(quiz__lesson=lesson).select_related(
        "section", "claim__section"
    ):
        if question.evidence:
            assert question.evidence in question.section.body, question.key
        if question.claim_id:
            assert question.claim.evidence in question.claim.section.body, question.key


def test_every_quoted_phrase_occurs_in_the_article(data, article):
    for claim in data["claims"]:
        if claim["quoted"]:
            assert claim["quoted"] in article, claim["key"]
            assert f"“{claim['quoted']}”" in article, (
                f"{claim['key']}: not a quotation in the article"
            )


def test_quotation_marks_in_the_lesson_are_only_the_articles_own(data, article):
    texts = [s["body"] for s in data["sections"]] + [c["content"] for c in data["claims"]]
    for quiz in data["quizzes"]:
        for q in quiz["questions"]:
            texts += [q["prompt"]] + [c["text"] for c in q["choices"]]
    for text in texts:
        for phrase in CURLY_QUOTE.findall(text):
            assert f"“{phrase}”" in article, phrase


def test_quote_claims_have_quoted_words_and_others_do_not(data):
    for claim in data["claims"]:
        assert bool(claim["quoted"]) == (claim["kind"] == "quote"), claim["key"]


def test_the_reading_is_in_our_own_words(data, article):
    # No run of ten words of the article is copied into the reading.
    source = _words(article)
    runs = {tuple(source[i : i + 10]) for i in range(len(source) - 9)}
    for section in data["sections"]:
        words = _words(section["body"])
        copied = [
            " ".join(words[i : i + 10])
            for i in range(len(words) - 9)
            if tuple(words[i : i + 10]) in runs
        ]
        assert not copied, f"{section['key']}: {copied[0]}"


def test_figures_and_dates_in_the_reading_are_the_articles(data, article):
    for section in data["sections"]:
        for number in re.findall(r"\b\d[\d,.]*\b", section["body"]):
            assert number.rstrip(".,") in article, f"{section['key']}: {number}"


def test_every_source_speaks_in_a_claim(lesson):
    unused = Source.objects.filter(lesson=lesson, claims__isnull=True).values_list("key", flat=True)
    assert list(unused) == []


def test_every_section_has_questions(lesson):
    bare = Section.objects.filter(lesson=lesson, questions__isnull=True).values_list(
        "key", flat=True
    )
    assert list(bare) == []


def test_sections_follow_the_article_and_add_one_on_the_article_itself(data):
    assert [s["key"] for s in data["sections"]] == [
        "cuba-confirms-losses",
        "how-the-casualties-occurred",
        "cubas-mourning-and-messaging",
        "venezuelas-response",
        "international-reactions",
        "implications-for-relations",
        "human-and-political-fallout",
        "looking-ahead",
        "the-article-as-a-source",
    ]


def test_the_voices_the_article_names_are_sources(lesson):
    names = " ".join(Source.objects.filter(lesson=lesson).values_list("name", flat=True))
    for voice in [
        "Díaz-Canel",
        "Trump",
        "Padrino",
        "Rodríguez",
        "China, Russia and Iran",
        "Analysts",
        "Critics",
        "Families",
        "state media",
        "Western governments",
    ]:
        assert voice.lower() in names.lower(), voice
    assert Source.objects.filter(lesson=lesson, kind=Source.Kind.ARTICLE).count() == 1


def test_persons_speak_for_a_body(lesson):
    for person in Source.objects.filter(lesson=lesson, kind=Source.Kind.PERSON):
        assert person.parent_id, person.key


def test_the_article_states_things_on_its_own_authority(lesson):
    own = Claim.objects.filter(lesson=lesson, kind=Claim.Kind.UNATTRIBUTED)
    assert own.count() >= 10
    assert set(own.values_list("source__kind", flat=True)) == {Source.Kind.ARTICLE}
    assert (
        not Claim.objects.filter(lesson=lesson, source__kind=Source.Kind.ARTICLE)
        .exclude(kind=Claim.Kind.UNATTRIBUTED)
        .exists()
    )


def test_quizzes_cover_the_skills_and_kinds(lesson):
    questions = Question.objects.filter(quiz__lesson=lesson)
    assert questions.count() >= 40
    skills = Counter(questions.values_list("skill", flat=True))
    assert set(skills) == set(Question.Skill.values)
    assert skills["attribution"] + skills["perspective"] >= questions.count() / 2
    assert set(questions.values_list("kind", flat=True)) == set(Question.Kind.values)


def test_every_explanation_names_its_section(lesson):
    for question in Question.objects.filter(quiz__lesson=lesson).select_related("section"):
        assert question.explanation, question.key
        assert question.section.title in question.explanation, question.key


def test_attribution_questions_refer_to_their_claim_and_offer_real_sources(lesson):
    for question in Question.objects.filter(
        quiz__lesson=lesson, kind=Question.Kind.WHO_SAID
    ).prefetch_related("choices__source"):
        assert question.claim_id, question.key
        choices = list(question.choices.all())
        assert all(c.source_id for c in choices), question.key
        assert [c.source_id for c in choices if c.correct] == [question.claim.source_id], (
            question.key
        )
        # A distractor is never the key's own parent or child: each question has one defensible answer.
        key = next(c.source for c in choices if c.correct)
        for choice in choices:
            if not choice.correct:
                assert choice.source.parent_id != key.pk and key.parent_id != choice.source_id, (
                    question.key
                )


def test_lesson_says_where_its_facts_come_from(lesson):
    assert lesson.objective_list
    assert "report" in lesson.article_note.lower()
    assert lesson.published
    assert Lesson.objects.count() == 1


# --- Second edition (issue 13): the content rules, and the judgement calls they cannot see.

SIDES = {
    "Condemns or criticises the operation",
    "Defends the operation",
    "Position on the operation not stated",
    "The article itself",
}


def test_the_shipped_lesson_passes_every_content_rule(lesson, article):
    assert [str(p) for p in lesson_problems(lesson, article)] == []


SHIPPED = sorted((Path(settings.BASE_DIR) / "lessons" / "bundles").glob("*.json"))


def test_the_glob_finds_the_shipped_bundles():
    assert BUNDLE in SHIPPED


@pytest.mark.django_db
@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_every_shipped_bundle_passes_the_content_rules(path):
    # The import runs the content rules too, and would refuse the bundle on any problem.
    shipped = import_bundle(path).lesson
    assert [str(p) for p in lesson_problems(shipped)] == []
    # The rules that compare with the article, where the bundle's article is at hand.
    text = ARTICLE.parent / f"{shipped.slug}.txt"
    if text.exists():
        assert [str(p) for p in lesson_problems(shipped, text.read_text(encoding="utf-8"))] == []


def test_the_shipped_lesson_passes_the_rules_that_need_no_article(lesson):
    # What an import or a publish can check, where the article is not at hand.
    assert [str(p) for p in lesson_problems(lesson)] == []


def test_sides_are_positions_on_the_operation_and_the_reading_says_so(lesson):
    assert set(Source.objects.filter(lesson=lesson).values_list("side", flat=True)) == SIDES
    reading = " ".join(Section.objects.filter(lesson=lesson).values_list("body", flat=True))
    assert "a side is the position a voice takes on the U.S. operation" in reading
    assert "a side is the position" in lesson.article_note


def test_a_voice_that_speaks_for_a_body_is_on_the_bodys_side(lesson):
    for source in Source.objects.filter(lesson=lesson, parent__isnull=False).select_related(
        "parent"
    ):
        assert source.side == source.parent.side, source.key


def test_actors_that_say_nothing_are_not_sources(lesson):
    # The Supreme Court appointed, loyalists and critics opposed, people debated: the
    # article reports acts and states of affairs and gives none of them words.
    keys = set(Source.objects.filter(lesson=lesson).values_list("key", flat=True))
    assert not keys & {"venezuela-supreme-court", "maduro-loyalists", "international-critics"}
    assert "us-debate" not in keys
    debates = Claim.objects.filter(
        lesson=lesson, key__in=["article-us-debates", "article-cuba-debates"]
    )
    assert list(debates.values_list("source__kind", flat=True)) == [Source.Kind.ARTICLE] * 2
    for claim in Claim.objects.filter(lesson=lesson).exclude(source__kind=Source.Kind.ARTICLE):
        assert not set(claim.cue.lower().split()) & ACT_VERBS, claim.key


def test_no_label_or_date_the_article_does_not_give(lesson):
    # The article says "Officials" and "State media and government channels", not "Cuban".
    names = dict(Source.objects.filter(lesson=lesson).values_list("key", "name"))
    assert "Cuban" not in names["officials"] and "Cuban" not in names["state-media"]
    assert lesson.article_date == ""  # the file gives no publication date
    assert "January 2026" not in lesson.summary


def test_the_reading_makes_no_claim_about_the_page(data):
    text = " ".join(s["body"] for s in data["sections"]) + data["lesson"]["article"]["note"]
    # A text cannot show whether a page had links; it can say what the report cites.
    assert not re.search(r"\b(no|or|any) links\b", text.lower())


def test_classification_uses_the_exclusive_scheme_once_per_quiz(lesson):
    for quiz in Quiz.objects.filter(lesson=lesson).prefetch_related("questions__choices"):
        questions = [q for q in quiz.questions.all() if q.kind == Question.Kind.CLASSIFICATION]
        assert questions, quiz.key
        for label in CLASSIFICATION_LABELS:
            assert label in quiz.description, (quiz.key, label)
        for question in questions:
            assert [c.text for c in question.choices.all()] == list(CLASSIFICATION_LABELS)
            assert not any(label in question.prompt for label in CLASSIFICATION_LABELS)
            # No "close" that earns nothing: each wrong class says why it is wrong.
            assert not any("Close" in c.feedback for c in question.choices.all()), question.key


def test_every_modelled_voice_is_a_right_answer(lesson):
    keyed = set(
        Question.objects.filter(
            quiz__lesson=lesson,
            kind__in=[Question.Kind.WHO_SAID, Question.Kind.MATCHING],
            choices__correct=True,
        ).values_list("choices__source__key", flat=True)
    )
    assert keyed == set(Source.objects.filter(lesson=lesson).values_list("key", flat=True))


def test_the_deeper_questions_are_there(data):
    keys = {q["key"] for quiz in data["quizzes"] for q in quiz["questions"]}
    # Reporting verbs, the 32 moving into the article's voice, the article's own framing,
    # claims with no source, the byline.
    assert {
        "verb-confirmed",
        "verb-asserting",
        "figure-32-moves",
        "own-framing-law",
        "own-framing-regime",
        "unsourced-check",
        "unsourced-what",
        "byline-tells",
        "byline-first-hand",
    } <= keys


def test_always_choosing_the_first_option_is_no_strategy(data):
    for quiz in data["quizzes"]:
        firsts = [q["choices"][0]["correct"] for q in quiz["questions"] if q["choices"]]
        assert sum(firsts) <= len(firsts) / 2, quiz["key"]
