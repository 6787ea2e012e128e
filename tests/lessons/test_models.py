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
