"""quizzes/validation.py: the per-kind rules for a question's choices, each with a code."""

from types import SimpleNamespace

import pytest

from quizzes.models import Question
from quizzes.validation import CLASSIFICATION_LABELS, choice_errors, validate_choices

K = Question.Kind


def _choice(text="", correct=False, source_id=None):
    return SimpleNamespace(text=text, correct=correct, source_id=source_id)


def _question(kind):
    return Question(kind=kind)


@pytest.mark.parametrize(
    ("kind", "choices", "codes"),
    [
        (K.SINGLE, [_choice("a", True), _choice("b")], set()),
        (K.SINGLE, [_choice("a", True)], {"too_few_choices"}),
        (K.SINGLE, [_choice("a"), _choice("b")], {"no_correct_choice"}),
        (K.SINGLE, [_choice("a", True), _choice("b", True)], {"several_correct"}),
        (K.MULTIPLE, [_choice("a", True), _choice("b", True)], set()),
        (K.TRUE_FALSE, [_choice("Yes", True), _choice("No")], {"true_false_labels"}),
        (
            K.CLASSIFICATION,
            [_choice("Fact", True), _choice("Opinion")],
            {"classification_labels"},
        ),
        (
            K.CLASSIFICATION,
            [_choice(t, i == 0) for i, t in enumerate(CLASSIFICATION_LABELS)],
            set(),
        ),
        (
            K.WHO_SAID,
            [_choice(correct=True, source_id=1), _choice("Someone")],
            {"choice_not_a_source"},
        ),
        (
            K.WHO_SAID,
            [_choice(correct=True, source_id=1), _choice(source_id=1)],
            {"duplicate_source"},
        ),
        (K.MATCHING, [_choice("said", True, 1)], {"matching_items"}),
        (
            K.MATCHING,
            [_choice("said", True, 1), _choice("", True, 2), _choice("distractor")],
            {"matching_item_incomplete", "matching_distractor_source"},
        ),
    ],
)
def test_each_choice_rule_has_its_code(kind, choices, codes):
    errors = choice_errors(_question(kind), choices)
    assert {e.code for e in errors} == codes
    # The bundle reads the same rules as text.
    assert validate_choices(_question(kind), choices) == [e.message for e in errors]
