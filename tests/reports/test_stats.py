"""The report statistics as pure functions: no database. Hand computations in comments."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reports import stats as r

# The 4 learners × 3 items of tests/report_data.py (credits; every item 1 point).
MATRIX = [
    [1, 1, 1],  # T = 3
    [1, 1, 0],  # T = 2
    [1, 0, 1],  # T = 2
    [0, 0, 0],  # T = 0
]


def test_mean_and_median():
    assert r.mean([100, 200 / 3, 200 / 3, 0]) == pytest.approx(58.3333, abs=1e-4)
    assert r.median([100, 200 / 3, 200 / 3, 0]) == pytest.approx(66.6667, abs=1e-4)
    assert r.median([1, 3, 2]) == 2
    assert r.mean([]) is None and r.median([]) is None


def test_histogram_bins_hold_their_lower_edge_and_the_last_holds_100():
    bins = r.histogram([0, 9.99, 10, 55, 90, 100, None])
    assert [b.count for b in bins] == [2, 1, 0, 0, 0, 1, 0, 0, 0, 2]
    assert bins[0].label == "0–10" and bins[-1].label == "90–100"
    assert sum(b.count for b in bins) == 6


def test_total_variance_by_hand():
    items, total = r.sums_from_matrix(MATRIX, [1, 1, 1])
    # T = [3, 2, 2, 0]: ΣT = 7, ΣT² = 17, var = 17/4 − (7/4)² = 1.1875
    assert (total.n, total.sum_t, total.sum_tt) == (4, 7, 17)
    assert total.variance == pytest.approx(1.1875)


def test_facility_is_mean_credit():
    items, total = r.sums_from_matrix(MATRIX, [1, 1, 1])
    assert [r.facility(i, total.n) for i in items] == [0.75, 0.5, 0.5]


def test_discrimination_is_the_corrected_item_total_correlation_by_hand():
    items, total = r.sums_from_matrix(MATRIX, [1, 1, 1])
    # Q1: x = [1,1,1,0], R = [2,1,1,0]: cov .25, var x .1875, var R .5 → √(2/3)
    assert r.discrimination(items[0], total) == pytest.approx(math.sqrt(2 / 3))
    # Q2: x = [1,1,0,0], R = [2,1,2,0]: cov .125, var x .25, var R .6875 → 1/√11
    assert r.discrimination(items[1], total) == pytest.approx(1 / math.sqrt(11))
    assert r.discrimination(items[2], total) == pytest.approx(1 / math.sqrt(11))


def test_discrimination_matches_a_direct_pearson_correlation():
    matrix = [[1, 0.5, 0, 1], [0, 1, 1, 0.25], [1, 1, 0, 0], [0.5, 0, 1, 1], [1, 1, 1, 1]]
    points = [1, 2, 1, 3]
    items, total = r.sums_from_matrix(matrix, points)
    for j in range(4):
        x = [row[j] * points[j] for row in matrix]
        rest = [
            sum(c * p for c, p in zip(row, points, strict=True)) - xi
            for row, xi in zip(matrix, x, strict=True)
        ]
        mx, mr = sum(x) / 5, sum(rest) / 5
        cov = sum((a - mx) * (b - mr) for a, b in zip(x, rest, strict=True))
        expected = cov / math.sqrt(sum((a - mx) ** 2 for a in x) * sum((b - mr) ** 2 for b in rest))
        assert r.discrimination(items[j], total) == pytest.approx(expected)


def test_negative_discrimination_by_hand():
    # Item 3 is right only for the two weakest: x = [0,0,1,1], R = [2,2,0,0]
    # cov = E[xR] − E[x]E[R] = 0 − .5·1 = −.5; var x .25; var R 1 → r = −1
    items, total = r.sums_from_matrix([[1, 1, 0], [1, 1, 0], [0, 0, 1], [0, 0, 1]], [1, 1, 1])
    assert r.discrimination(items[2], total) == pytest.approx(-1.0)


def test_discrimination_is_undefined_when_everyone_scores_the_same_on_the_item():
    items, total = r.sums_from_matrix([[1, 1], [1, 0], [1, 1]], [1, 1])
    assert r.discrimination(items[0], total) is None


def test_cronbach_alpha_by_hand():
    items, total = r.sums_from_matrix(MATRIX, [1, 1, 1])
    # α = 3/2 · (1 − (.1875 + .25 + .25) / 1.1875) = 12/19
    assert r.cronbach_alpha(items, total) == pytest.approx(12 / 19)


def test_cronbach_alpha_of_perfectly_consistent_items_is_one():
    items, total = r.sums_from_matrix([[1, 1], [0, 0], [1, 1], [0, 0]], [1, 1])
    # var items .25 each, T = [2,0,2,0] var 1: α = 2 · (1 − .5) = 1
    assert r.cronbach_alpha(items, total) == pytest.approx(1.0)


def test_cronbach_alpha_needs_two_items_and_varied_totals():
    items, total = r.sums_from_matrix([[1], [0]], [1])
    assert r.cronbach_alpha(items, total) is None
    items, total = r.sums_from_matrix([[1, 0], [0, 1]], [1, 1])
    assert r.cronbach_alpha(items, total) is None


def test_unanswered_counts_as_zero_credit():
    items, total = r.sums_from_matrix([[1, None], [0, 1]], [1, 1])
    assert items[1].answered == 1
    assert r.facility(items[1], total.n) == 0.5


def _choices(*picks, correct=0):
    return [r.ChoiceCount(i, f"c{i}", i == correct, n) for i, n in enumerate(picks)]


def test_flags_a_distractor_nobody_picks_from_20_learners():
    flags = r.item_flags(0.5, _choices(15, 5, 0), n=20)
    assert len(flags) == 1 and "Nobody picked “c2”" in flags[0]
    # below 20 learners, 5 % is less than one learner: nobody picking it says nothing
    assert r.item_flags(0.5, _choices(14, 5, 0), n=19) == []
    assert r.item_flags(0.5, _choices(3, 1, 0), n=4) == []


def test_flags_a_key_fewer_pick_than_a_distractor_beyond_chance():
    flags = r.item_flags(0.1, _choices(1, 9, 0), n=10)
    assert len(flags) == 1 and "wrong “c1” (9)" in flags[0] and "right “c0” (1)" in flags[0]
    # 3 to 1 is what chance gives a quarter of the time: no flag
    assert r.item_flags(0.1, _choices(1, 3, 1), n=5) == []


def test_sign_test_by_hand():
    assert r.sign_test_p(5, 0) == 1 / 32  # the fewest that clear p < 0.05
    assert r.sign_test_p(4, 0) == 1 / 16
    assert r.sign_test_p(9, 1) == pytest.approx(11 / 1024)
    assert r.sign_test_p(3, 1) == pytest.approx(5 / 16)
    assert r.sign_test_p(0, 0) == 1.0


def test_flags_negative_discrimination_from_30_learners():
    flags = r.item_flags(-0.3, _choices(20, 5, 5), n=30)
    assert len(flags) == 1 and flags[0].startswith("Negative discrimination")
    # 29 learners: a correlation that loose is no evidence of anything
    assert r.item_flags(-0.3, _choices(19, 5, 5), n=29) == []


def test_too_few_says_how_many_and_how_many_are_needed():
    assert r.too_few(3, r.MIN_LEARNERS_CORRELATION) == (
        "too few learners (n=3) for this figure: it needs 30 or more"
    )
    assert not r.enough(29, r.MIN_LEARNERS_CORRELATION) and r.enough(30, 30)


def test_a_sound_question_has_no_flags():
    assert r.item_flags(0.4, _choices(30, 10, 10), n=50) == []
    # a true/false question has one distractor; nobody picking it is no fault
    assert r.item_flags(0.4, _choices(40, 0), n=40, kind="true_false") == []
    # nothing to say before anyone answers
    assert r.item_flags(None, _choices(0, 0, 0), n=0) == []


def test_confusion_is_grouped_by_side_most_confused_first():
    names = {1: "Alpha", 2: "Beta", 3: "Gamma", 4: "Delta", 5: "Epsilon"}
    sides = {1: "Cuba", 2: "Cuba", 3: "United States", 4: "United States", 5: "Venezuela"}
    m = r.build_confusion(
        [
            (10, 1, 1, 9),  # Alpha: 1 of 10 confused (10 %)
            (10, 1, 3, 1),
            (11, 2, 2, 1),  # Beta: 3 of 4 confused (75 %)
            (11, 2, 1, 3),
            (12, 3, 3, 2),  # Gamma: 2 of 4 confused (50 %)
            (12, 3, 5, 2),
            (13, 4, 4, 4),  # Delta: never confused
        ],
        names,
        sides,
    )
    # Cuba: 4 of 14 picks confused (29 %); United States: 2 of 8 (25 %)
    assert [side for side, _, _ in m.groups] == ["Cuba", "United States", "Venezuela"]
    assert m.rows == [2, 1, 3, 4]  # within a side, the most confused first
    # columns follow the rows; Epsilon, only ever chosen, joins its own side's group
    assert m.columns == [2, 1, 3, 4, 5]
    assert m.confusion_rate(2) == 0.75 and m.confusion_rate(4) == 0


def test_confusion_counts_row_percentages_and_questions():
    names = {1: "Díaz-Canel", 2: "Trump", 3: "Padrino"}
    m = r.build_confusion(
        [
            (10, 1, 1, 2),
            (10, 1, 2, 1),
            (11, 1, 2, 1),
            (10, 1, 3, 0),
            (11, 2, 2, 3),
            (12, None, 1, 5),
        ],
        names,
    )
    assert m.cells[(1, 1)] == 2 and m.cells[(1, 2)] == 2 and m.cells[(2, 2)] == 3
    assert m.row_total(1) == 4
    # row Díaz-Canel: 2 of 4 right (50 %), 2 of 4 to Trump (50 %)
    assert m.row_percent(1, 1) == 50 and m.row_percent(1, 2) == 50 and m.row_percent(1, 3) == 0
    assert m.questions[(1, 2)] == {10: 1, 11: 1}
    assert m.rows == [1, 2]  # no sides given: one group, the most confused (Díaz-Canel) first
    assert m.row_percent(3, 1) is None  # no row for a source nobody had to name


def test_shade_grows_with_the_share():
    assert [r.shade(p) for p in (None, 0, 5, 25, 50, 79, 100)] == [0, 0, 1, 2, 3, 4, 5]


# --- properties ------------------------------------------------------------------------------

credits = st.sampled_from([0.0, 0.25, 0.5, 1.0, None])


@st.composite
def matrices(draw):
    k = draw(st.integers(2, 6))
    n = draw(st.integers(2, 12))
    rows = draw(st.lists(st.lists(credits, min_size=k, max_size=k), min_size=n, max_size=n))
    points = draw(st.lists(st.integers(1, 3), min_size=k, max_size=k))
    return rows, points


def _pearson(a, b):
    n = len(a)
    ma, mb = sum(a) / n, sum(b) / n
    sab = sum((x - ma) * (y - mb) for x, y in zip(a, b, strict=True))
    saa = sum((x - ma) ** 2 for x in a)
    sbb = sum((y - mb) ** 2 for y in b)
    if saa < 1e-9 or sbb < 1e-9:
        return None
    return sab / math.sqrt(saa * sbb)


@settings(max_examples=200, deadline=None)
@given(matrices())
def test_discrimination_from_sums_is_the_direct_correlation_with_the_rest(data):
    rows, points = data
    items, total = r.sums_from_matrix(rows, points)
    for j, item in enumerate(items):
        x = [(row[j] or 0) * points[j] for row in rows]
        rest = [
            sum((c or 0) * p for c, p in zip(row, points, strict=True)) - xj
            for row, xj in zip(rows, x, strict=True)
        ]
        expected = _pearson(x, rest)
        got = r.discrimination(item, total)
        # credits are multiples of 1/4, so a variance is either 0 or clearly above it
        if expected is None:
            assert got is None
        else:
            assert got == pytest.approx(expected, abs=1e-6)
            assert -1 <= got <= 1


@settings(max_examples=200, deadline=None)
@given(matrices())
def test_alpha_is_at_most_one_and_facility_within_0_and_1(data):
    rows, points = data
    items, total = r.sums_from_matrix(rows, points)
    alpha = r.cronbach_alpha(items, total)
    assert alpha is None or alpha <= 1 + 1e-9
    assert all(0 <= r.facility(i, total.n) <= 1 for i in items)
