"""The grading rules in quizzes.scoring: pure functions, tested without the database."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizzes import scoring
from quizzes.scoring import Answer, QuestionKey, SourceRef, grade, source_proximity, total

# A small family of sources, as in the article:
# Cuban government <- Cuban presidency <- Díaz-Canel; state media on Cuba's side;
# Washington <- Trump on the United States' side.
GOV = SourceRef(1, "the Cuban government", "Cuba")
PRESIDENCY = SourceRef(2, "the Cuban presidency", "Cuba", parent_id=1)
DIAZ_CANEL = SourceRef(3, "Miguel Díaz-Canel", "Cuba", parent_id=2)
STATE_MEDIA = SourceRef(4, "Cuban state media", "Cuba")
WASHINGTON = SourceRef(5, "Washington", "United States")
TRUMP = SourceRef(6, "Donald Trump", "United States", parent_id=5)
SOURCES = {s.id: s for s in [GOV, PRESIDENCY, DIAZ_CANEL, STATE_MEDIA, WASHINGTON, TRUMP]}


def who_said(true: SourceRef, others=(PRESIDENCY, STATE_MEDIA, WASHINGTON, DIAZ_CANEL, GOV, TRUMP)):
    """A who-said-it key whose choice ids are 100 + source id."""
    choices = {100 + s.id: s.id for s in {true, *others}}
    return QuestionKey(
        kind="who_said", correct=frozenset({100 + true.id}), choice_sources=choices, sources=SOURCES
    )


@pytest.mark.parametrize(
    ("chosen", "true", "credit"),
    [
        (PRESIDENCY, PRESIDENCY, scoring.SAME_SOURCE),
        (DIAZ_CANEL, PRESIDENCY, scoring.PARENT_OR_CHILD),  # a child of the source
        (GOV, PRESIDENCY, scoring.PARENT_OR_CHILD),  # the source's parent
        (DIAZ_CANEL, GOV, scoring.SAME_SIDE),  # a grandchild is only on the same side
        (STATE_MEDIA, PRESIDENCY, scoring.SAME_SIDE),
        (WASHINGTON, PRESIDENCY, scoring.OTHER_SIDE),
        (TRUMP, WASHINGTON, scoring.PARENT_OR_CHILD),
    ],
)
def test_who_said_credit_by_proximity(chosen, true, credit):
    result = grade(who_said(true), Answer(choices=frozenset({100 + chosen.id})))
    assert result.credit == credit
    assert result.reason.startswith(f"You chose {chosen.name}:")


def test_weights_fall_with_distance():
    assert (
        scoring.SAME_SOURCE > scoring.PARENT_OR_CHILD > scoring.SAME_SIDE > scoring.OTHER_SIDE == 0
    )


def test_who_said_reason_explains_part_credit():
    result = grade(who_said(PRESIDENCY), Answer(choices=frozenset({100 + DIAZ_CANEL.id})))
    assert result.reason == (
        "You chose Miguel Díaz-Canel: Miguel Díaz-Canel speaks for the Cuban presidency, "
        "the source, so 50% credit."
    )
    result = grade(who_said(PRESIDENCY), Answer(choices=frozenset({100 + WASHINGTON.id})))
    assert result.reason == (
        "You chose Washington: Washington (United States) is on another side from the source, "
        "the Cuban presidency (Cuba), so no credit."
    )


def test_who_said_without_a_pick_earns_nothing():
    assert grade(who_said(GOV), Answer()).credit == 0


@pytest.mark.parametrize(
    ("picked", "credit"),
    [
        ({1, 2}, 1.0),  # both right answers
        ({1}, 0.5),  # one of two
        ({1, 2, 3}, 0.5),  # a wrong pick cancels a right one
        ({1, 3}, 0.0),
        ({3, 4}, 0.0),  # never below zero
        (set(), 0.0),
    ],
)
def test_multiple_choice_right_minus_wrong_over_right(picked, credit):
    key = QuestionKey(kind="multiple", correct=frozenset({1, 2}))
    assert grade(key, Answer(choices=frozenset(picked))).credit == credit


@pytest.mark.parametrize("kind", ["single", "true_false", "classification"])
def test_single_answer_kinds_are_all_or_nothing(kind):
    key = QuestionKey(kind=kind, correct=frozenset({7}))
    assert grade(key, Answer(choices=frozenset({7}))).credit == 1
    assert grade(key, Answer(choices=frozenset({8}))).credit == 0
    assert grade(key, Answer()).credit == 0


def test_matching_averages_item_credit():
    # Three statements: by the presidency, by Trump, by state media.
    key = QuestionKey(
        kind="matching",
        correct=frozenset({11, 12, 13}),
        items={11: PRESIDENCY.id, 12: TRUMP.id, 13: STATE_MEDIA.id},
        choice_sources={11: PRESIDENCY.id, 12: TRUMP.id, 13: STATE_MEDIA.id, 14: WASHINGTON.id},
        sources=SOURCES,
    )
    exact = Answer(matches={11: PRESIDENCY.id, 12: TRUMP.id, 13: STATE_MEDIA.id})
    assert grade(key, exact).credit == 1
    # Presidency right (1), Trump → Washington, his parent (0.5), state media → Trump (0).
    mixed = Answer(matches={11: PRESIDENCY.id, 12: WASHINGTON.id, 13: TRUMP.id})
    result = grade(key, mixed)
    assert result.credit == pytest.approx(1.5 / 3)
    assert result.reason == (
        "You matched 1 of 3 statements to their exact source and 1 to a close one (part credit): 50% credit."
    )
    assert grade(key, Answer(matches={11: PRESIDENCY.id})).credit == pytest.approx(1 / 3)


def test_total_sums_points_and_orders_attribution_first():
    result = total(
        [
            ("recall", 1, 1.0),
            ("attribution", 2, 0.5),
            ("perspective", 1, 0.0),
            ("attribution", 1, 1.0),
        ]
    )
    assert (result.points, result.max_points) == (3.0, 5)
    assert [s.skill for s in result.subscores] == ["attribution", "perspective", "recall"]
    assert result.subscore("attribution").points == 2.0
    assert result.subscore("attribution").percent == pytest.approx(200 / 3)
    assert result.subscore("evidence") is None


def test_total_of_nothing_is_zero_percent():
    assert total([]).percent == 0


# --- Properties --------------------------------------------------------------------


@st.composite
def source_families(draw):
    """Up to 8 sources on up to 3 sides; each parent comes before its child (no cycles)."""
    n = draw(st.integers(2, 8))
    sources = []
    for i in range(n):
        parent = draw(st.none() | st.integers(0, i - 1)) if i else None
        side = draw(st.sampled_from(["Cuba", "United States", "Havana's allies"]))
        if parent is not None:
            side = sources[parent].side
        sources.append(
            SourceRef(i + 1, f"Source {i + 1}", side, None if parent is None else parent + 1)
        )
    return {s.id: s for s in sources}


def _distance(chosen: SourceRef, true: SourceRef) -> int:
    if chosen.id == true.id:
        return 0
    if true.id == chosen.parent_id or chosen.id == true.parent_id:
        return 1
    return 2 if chosen.side == true.side else 3


@st.composite
def keys_and_answers(draw):
    kind = draw(
        st.sampled_from(
            ["single", "true_false", "classification", "multiple", "who_said", "matching"]
        )
    )
    sources = draw(source_families())
    ids = list(sources)
    if kind in ("who_said", "matching"):
        choice_sources = {100 + sid: sid for sid in ids}
        if kind == "who_said":
            correct = frozenset({draw(st.sampled_from(list(choice_sources)))})
            key = QuestionKey(
                kind=kind, correct=correct, choice_sources=choice_sources, sources=sources
            )
            answer = Answer(
                choices=frozenset(draw(st.lists(st.sampled_from(list(choice_sources)), max_size=1)))
            )
        else:
            items = draw(
                st.dictionaries(st.integers(1, 20), st.sampled_from(ids), min_size=1, max_size=5)
            )
            key = QuestionKey(
                kind=kind,
                correct=frozenset(items),
                items=items,
                choice_sources=choice_sources,
                sources=sources,
            )
            answer = Answer(
                matches=draw(st.dictionaries(st.sampled_from(list(items)), st.sampled_from(ids)))
            )
        return key, answer
    choice_ids = list(range(1, draw(st.integers(2, 6)) + 1))
    if kind == "multiple":
        correct = frozenset(draw(st.sets(st.sampled_from(choice_ids), min_size=1)))
        picked = frozenset(draw(st.sets(st.sampled_from(choice_ids))))
    else:
        correct = frozenset({draw(st.sampled_from(choice_ids))})
        picked = frozenset(draw(st.lists(st.sampled_from(choice_ids), max_size=1)))
    return QuestionKey(kind=kind, correct=correct), Answer(choices=picked)


def _is_key(key: QuestionKey, answer: Answer) -> bool:
    if key.kind == "matching":
        return dict(answer.matches) == dict(key.items)
    return answer.choices == key.correct


@given(keys_and_answers())
def test_credit_is_always_between_0_and_1(case):
    key, answer = case
    assert 0 <= grade(key, answer).credit <= 1


@given(keys_and_answers())
def test_full_credit_exactly_when_the_answer_is_the_key(case):
    key, answer = case
    assert (grade(key, answer).credit == 1) == _is_key(key, answer)


@given(keys_and_answers())
def test_the_key_itself_earns_full_credit(case):
    key, _ = case
    answer = Answer(matches=key.items) if key.kind == "matching" else Answer(choices=key.correct)
    assert grade(key, answer).credit == 1


@given(source_families(), st.data())
def test_a_closer_source_never_earns_less(sources, data):
    true, a, b = (sources[data.draw(st.sampled_from(list(sources)))] for _ in range(3))
    credit_a, _ = source_proximity(a, true)
    credit_b, _ = source_proximity(b, true)
    if _distance(a, true) < _distance(b, true):
        assert credit_a >= credit_b
    if _distance(a, true) == _distance(b, true):
        assert credit_a == credit_b


@given(
    st.lists(st.tuples(st.sampled_from(scoring.SKILL_ORDER), st.integers(1, 5), st.floats(0, 1)))
)
def test_total_equals_the_sum_of_its_responses(graded):
    result = total(graded)
    assert result.points == pytest.approx(sum(points * credit for _, points, credit in graded))
    assert result.max_points == sum(points for _, points, _ in graded)
    assert sum(s.points for s in result.subscores) == pytest.approx(result.points)
    assert 0 <= result.percent <= 100


def test_reason_reads_a_leading_the_in_lower_case():
    gov = SourceRef(1, "The Cuban government (Havana)", "Cuba")
    media = SourceRef(2, "Cuban state media", "Cuba", parent_id=1)
    officials = SourceRef(3, "U.S. officials", "United States")
    key = QuestionKey(
        kind="who_said",
        correct=frozenset({11}),
        choice_sources={11: 1, 12: 2, 13: 3},
        sources={1: gov, 2: media, 3: officials},
    )
    assert grade(key, Answer(choices=frozenset({12}))).reason == (
        "You chose Cuban state media: Cuban state media speaks for the Cuban government (Havana), "
        "the source, so 50% credit."
    )
    assert grade(key, Answer(choices=frozenset({11}))).reason == (
        "You chose the Cuban government (Havana): the Cuban government (Havana) is the source, so full credit."
    )
