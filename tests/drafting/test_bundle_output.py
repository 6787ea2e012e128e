"""The draft as a lesson bundle: valid, all unpublished, keys made from names, and
accepted by import_lesson."""

import io
import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from bundle.validate import validate
from drafting import draft_from_text
from drafting.bundle import KEY_MAX, Keys, slug
from lessons.models import Claim, Lesson, Source
from quizzes.models import Question
from quizzes.validation import CLASSIFICATION_LABELS

FIXTURES = Path(__file__).parent / "fixtures"
KEY_RULE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def fixture_bundles():
    for path in sorted(FIXTURES.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        yield path.stem, text, draft_from_text(text, title=f"Draft: {path.stem}").to_bundle()


@given(st.text(max_size=120))
def test_a_slug_follows_the_key_rule_for_any_name(name):
    key = slug(name)
    assert KEY_RULE.fullmatch(key) and len(key) <= KEY_MAX


def test_slugs_read_like_the_name():
    assert slug("President Miguel Díaz-Canel") == "president-miguel-diaz-canel"
    assert slug("Cuba’s Mourning and Messaging") == "cubas-mourning-and-messaging"
    assert slug("—") == "item"


def test_keys_are_unique_within_a_list_and_stay_within_the_limit():
    keys = Keys(("the-article",))
    made = [keys.make("The article"), keys.make("x" * 80), keys.make("x" * 80), keys.make("")]
    assert made[0] == "the-article-2"
    assert len(set(made)) == 4
    assert all(KEY_RULE.fullmatch(k) and len(k) <= KEY_MAX for k in made)


@pytest.mark.parametrize("name, text, data", list(fixture_bundles()))
def test_every_fixture_draft_is_a_valid_unpublished_bundle(name, text, data):
    assert validate(data, name=name) == []
    assert data["lesson"]["published"] is False
    assert all(quiz["published"] is False for quiz in data["quizzes"])
    for items in (data["sources"], data["sections"], data["claims"]):
        keys = [item["key"] for item in items]
        assert len(set(keys)) == len(keys)
        assert all(KEY_RULE.fullmatch(k) for k in keys)
    # The reading is the article's own paragraphs, word for word.
    for section in data["sections"]:
        for paragraph in section["body"].split("\n\n"):
            assert paragraph in text


def test_each_source_has_its_own_placeholder_side_so_no_partial_credit_is_guessed():
    [(_, _, data)] = [b for b in fixture_bundles() if b[0] == "school-lunches"]
    sides = [s["side"] for s in data["sources"]]
    assert len(set(sides)) == len(sides)


def test_classification_choices_use_the_installed_quiz_labels():
    [(_, _, data)] = [b for b in fixture_bundles() if b[0] == "election-board"]
    questions = [q for quiz in data["quizzes"] for q in quiz["questions"]]
    cls = [q for q in questions if q["kind"] == "classification"]
    assert cls and all(tuple(c["text"] for c in q["choices"]) == CLASSIFICATION_LABELS for q in cls)


@pytest.mark.django_db
def test_import_lesson_accepts_the_draft(tmp_path):
    path = tmp_path / "draft.json"
    text = (FIXTURES / "port-strike.txt").read_text(encoding="utf-8")
    data = draft_from_text(text, title="Dockworkers vote", outlet="The Saltmere Echo").to_bundle()
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    call_command("import_lesson", str(path), stdout=io.StringIO())
    lesson = Lesson.objects.get(slug="dockworkers-vote")
    assert not lesson.published and lesson.article_publisher == "The Saltmere Echo"
    assert Source.objects.filter(lesson=lesson).count() == len(data["sources"])
    assert Claim.objects.filter(section__lesson=lesson).count() == len(data["claims"])
    assert Question.objects.filter(quiz__lesson=lesson, quiz__published=False).count() == sum(
        len(q["questions"]) for q in data["quizzes"]
    )


@pytest.mark.django_db
def test_the_verbatim_article_and_its_link_are_kept_in_the_lesson(tmp_path):
    text = (FIXTURES / "port-strike.txt").read_text(encoding="utf-8")
    d = draft_from_text(text, title="Dockworkers", url="https://example.org/p")
    assert d.source_text == text
    data = d.to_bundle()
    assert data["lesson"]["source_text"] == text
    assert data["lesson"]["article"]["url"] == "https://example.org/p"
    assert "https://example.org/p" not in data["lesson"]["article"]["note"]
    path = tmp_path / "draft.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    call_command("import_lesson", str(path), stdout=io.StringIO())
    lesson = Lesson.objects.get(slug=data["lesson"]["slug"])
    assert lesson.source_text == text  # verbatim, in the database
    assert lesson.article_url == "https://example.org/p"


pieces = st.sampled_from(
    [
        "The mayor said",
        "Officials, including Dr. Ana Ruiz,",
        "told reporters",
        "according to police",
        "“We will act.",
        "”",
        '"',
        "Heading Line\n\n",
        "\n\n",
        "he said.",
        "characterised the plan as",
        "a disaster",
        "U.S.",
        "2.5 per cent",
        "appointed the chief",
        ",",
        ".",
        "—",
        "<p>",
        "</p>",
        "&amp;",
        "Díaz-Canel",
        "the Cuban president",
        "x" * 60,
    ]
)


@settings(max_examples=80, deadline=None)
@given(st.lists(pieces, min_size=1, max_size=30).map(" ".join))
def test_any_text_gives_a_clear_refusal_or_a_bundle_the_format_accepts(text):
    from drafting import DraftError

    try:
        d = draft_from_text(text, title="Random text")
    except DraftError as error:
        assert error.code in {"empty", "no_sentences"}
        return
    assert validate(d.to_bundle(), name="random") == []
