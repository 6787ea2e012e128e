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
from quizzes.models import Question

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
        "Supreme Court",
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
