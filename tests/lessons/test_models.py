"""lessons/models.py: a source's parent and a claim's evidence, refused with a code."""

import pytest
from django.core.exceptions import ValidationError

from lessons.models import Claim
from tests.factories import ClaimFactory, SourceFactory

pytestmark = pytest.mark.django_db


def _codes(obj) -> dict[str, set[str]]:
    with pytest.raises(ValidationError) as refused:
        obj.clean()
    return {field: {e.code for e in errors} for field, errors in refused.value.error_dict.items()}


def test_a_sources_parent_is_of_the_same_lesson_and_never_its_own_ancestor():
    parent = SourceFactory()
    child = SourceFactory(lesson=parent.lesson, parent=parent)
    child.clean()  # a sound parent passes
    assert _codes(SourceFactory.build(parent=SourceFactory())) == {"parent": {"other_lesson"}}
    parent.parent = child
    assert _codes(parent) == {"parent": {"parent_cycle"}}


def test_a_claims_evidence_is_in_its_section_and_a_quote_has_its_words():
    claim = ClaimFactory()
    claim.clean()  # the factory's claim is sound
    claim.evidence = "Words the section does not have."
    claim.kind = Claim.Kind.QUOTE
    claim.quoted = ""
    assert _codes(claim) == {
        "evidence": {"evidence_not_in_section"},
        "quoted": {"quote_without_words"},
    }


# --- keys made from names ---------------------------------------------------------------


def test_make_key_slugifies_and_keeps_keys_unique():
    from lessons.models import make_key, validate_key

    assert make_key("President Miguel Díaz-Canel", []) == "president-miguel-diaz-canel"
    assert make_key("The news", ["the-news"]) == "the-news-2"
    assert make_key("The news", ["the-news", "the-news-2"]) == "the-news-3"
    assert make_key("“¿?” __ —", [], fallback="claim") == "claim"
    long = make_key("Who said the operation was a law-enforcement action and not a war?", [])
    assert len(long) <= 40 and long.startswith("who-said-the-operation")
    for key in ("the-news-3", long):
        validate_key(key)


@pytest.mark.django_db
def test_an_item_saved_without_a_key_gets_one_unique_in_its_lesson():
    from tests.factories import LessonFactory, SectionFactory

    lesson = LessonFactory()
    first = SectionFactory(lesson=lesson, key="", title="What happened")
    second = SectionFactory(lesson=lesson, key="", title="What happened")
    elsewhere = SectionFactory(key="", title="What happened")
    assert (first.key, second.key, elsewhere.key) == (
        "what-happened",
        "what-happened-2",
        "what-happened",
    )
    source = SourceFactory(lesson=lesson, key="", name="Washington")
    assert source.key == "washington"
    assert ClaimFactory(section=first, key="", content="32 were killed.").key == "32-were-killed"


@pytest.mark.django_db
def test_a_claim_naming_another_lessons_source_or_section_is_refused():
    claim = ClaimFactory()
    claim.source = SourceFactory()  # of another lesson
    with pytest.raises(ValidationError) as refused:
        claim.full_clean()
    assert refused.value.error_dict["source"][0].code == "other_lesson"
    claim.refresh_from_db()
    from tests.factories import SectionFactory

    claim.section = SectionFactory()
    with pytest.raises(ValidationError) as refused:
        claim.full_clean()
    assert refused.value.error_dict["section"][0].code == "other_lesson"
