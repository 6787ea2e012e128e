"""The statistics of the teacher reports, pure (no ORM): they take sums and counts and
return figures, so the tests check them against hand-worked data without a database.
`reports.queries` loads the sums with a fixed number of aggregate queries.

Which attempt counts. The overview, the item analysis, alpha and the confusion matrix use
each learner's **latest submitted attempt**, so every learner weighs the same and the
figures describe what the class knows now. The attempt count in the overview and the
learner table cover every submitted attempt. Attempts in progress never count.

Item score. An item's score for a learner is credit × the question's points (an
unanswered question scores 0); the total is the attempt's stored score (the same sum,
stored when the attempt was submitted). Facility is the mean credit (0 to 1).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

# Below this discrimination an item barely separates stronger from weaker learners.
WEAK_DISCRIMINATION = 0.2
HISTOGRAM_BINS = 10

# How many learners a figure needs before it means anything (see "Sample sizes" in
# docs/architecture.md). Discrimination and alpha are correlations: the usual rule of
# thumb in classical item analysis is 30 or more respondents. The standard error of a
# correlation near 0 is about 1/sqrt(n - 3) (Fisher's z), so at n = 30 its 95 % margin is
# still about ±0.38, and at n = 10 about ±0.74: wider than the whole gap between a weak
# (0.2) and a good (0.4) question. Below 30 the pages say so and show no figure.
MIN_LEARNERS_CORRELATION = 30
# A distractor is "non-functioning" when fewer than 5 % of learners pick it (Haladyna &
# Downing, 1993). Below 20 learners 5 % is less than one learner, so "nobody picked it"
# cannot tell a dead distractor from a working one.
MIN_LEARNERS_DISTRACTORS = 20
# "More learners picked a wrong choice than the key" is flagged only when a one-sided
# sign test (learners who picked the key or that distractor, p = 1/2) gives p < 0.05: it
# takes at least 5 to 0, so a handful of learners never triggers it.
SIGN_TEST_P = 0.05


def enough(n: int, minimum: int) -> bool:
    return n >= minimum


def too_few(n: int, minimum: int) -> str:
    """What a page shows instead of a figure the sample cannot support."""
    return f"too few learners (n={n}) for this figure: it needs {minimum} or more"


def sign_test_p(more: int, fewer: int) -> float:
    """One-sided p of `more` or more successes in `more + fewer` fair coin tosses."""
    m = more + fewer
    return sum(math.comb(m, i) for i in range(more, m + 1)) / 2**m if m else 1.0


def mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


@dataclass(frozen=True)
class Bin:
    low: float
    high: float
    count: int

    @property
    def label(self) -> str:
        return f"{self.low:g}–{self.high:g}"


def histogram(
    values: Iterable[float], bins: int = HISTOGRAM_BINS, low: float = 0, high: float = 100
) -> list[Bin]:
    """Counts in `bins` equal bins from `low` to `high`. Each bin holds its lower edge;
    the last also holds `high` (so 100 % falls in 90–100)."""
    width = (high - low) / bins
    counts = [0] * bins
    for v in values:
        if v is None:
            continue
        i = int((v - low) // width)
        counts[min(max(i, 0), bins - 1)] += 1
    return [Bin(low + i * width, low + (i + 1) * width, c) for i, c in enumerate(counts)]


@dataclass(frozen=True)
class TotalSums:
    """Over n learners: the sum of their totals and of the totals squared."""

    n: int
    sum_t: float
    sum_tt: float

    @property
    def variance(self) -> float:
        if not self.n:
            return 0.0
        m = self.sum_t / self.n
        return max(self.sum_tt / self.n - m * m, 0.0)


@dataclass(frozen=True)
class ItemSums:
    """Over the same n learners: sums of one item's credit, its score x (credit × points),
    x², and x × the learner's total."""

    question_id: int
    sum_credit: float = 0.0
    sum_x: float = 0.0
    sum_xx: float = 0.0
    sum_xt: float = 0.0
    answered: int = 0


def facility(item: ItemSums, n: int) -> float | None:
    """Mean credit over the n counted learners (unanswered counts as 0)."""
    return item.sum_credit / n if n else None


def item_variance(item: ItemSums, n: int) -> float:
    if not n:
        return 0.0
    m = item.sum_x / n
    return max(item.sum_xx / n - m * m, 0.0)


def discrimination(item: ItemSums, total: TotalSums) -> float | None:
    """Corrected item–total correlation: Pearson's r between the item's score x and the
    rest of the test R = T − x, from sums (population moments; r does not depend on it).

        cov(x, R) = cov(x, T) − var(x)
        var(R)    = var(T) + var(x) − 2 cov(x, T)

    None when either variance is zero (everyone scored the same): r is undefined."""
    n = total.n
    if n < 2:
        return None
    mx, mt = item.sum_x / n, total.sum_t / n
    var_x = item_variance(item, n)
    cov_xt = item.sum_xt / n - mx * mt
    cov_xr = cov_xt - var_x
    var_r = total.variance + var_x - 2 * cov_xt
    if var_x <= 1e-12 or var_r <= 1e-12:
        return None
    return max(-1.0, min(1.0, cov_xr / math.sqrt(var_x * var_r)))


def cronbach_alpha(items: Sequence[ItemSums], total: TotalSums) -> float | None:
    """α = k/(k−1) · (1 − Σ var(item) / var(total)). None with fewer than two items or
    learners, or when every learner has the same total."""
    k = len(items)
    if k < 2 or total.n < 2 or total.variance <= 1e-12:
        return None
    item_var = sum(item_variance(i, total.n) for i in items)
    return k / (k - 1) * (1 - item_var / total.variance)


def sums_from_matrix(
    credits: Sequence[Sequence[float]], points: Sequence[int]
) -> tuple[list[ItemSums], TotalSums]:
    """The sums the loaders compute in the database, from a learners × items matrix of
    credits (None for unanswered). For tests and for callers that hold raw data."""
    n = len(credits)
    totals = [sum((c or 0) * p for c, p in zip(row, points, strict=True)) for row in credits]
    items = []
    for j, p in enumerate(points):
        xs = [(row[j] or 0) * p for row in credits]
        items.append(
            ItemSums(
                question_id=j,
                sum_credit=sum(row[j] or 0 for row in credits),
                sum_x=sum(xs),
                sum_xx=sum(x * x for x in xs),
                sum_xt=sum(x * t for x, t in zip(xs, totals, strict=True)),
                answered=sum(1 for row in credits if row[j] is not None),
            )
        )
    return items, TotalSums(n, sum(totals), sum(t * t for t in totals))


@dataclass(frozen=True)
class ChoiceCount:
    choice_id: int
    label: str
    correct: bool
    picks: int


def item_flags(
    disc: float | None, choices: Sequence[ChoiceCount], n: int, kind: str = "single"
) -> list[str]:
    """What may be wrong with a question, in a teacher's words; only what n learners can
    show (the minimums above): no flag rests on a figure the sample cannot support."""
    flags = []
    if disc is not None and disc < 0 and enough(n, MIN_LEARNERS_CORRELATION):
        flags.append(
            "Negative discrimination: learners who did well on the rest of the quiz did "
            "worse on this question. Check the key and the wording."
        )
    if n and kind != "matching":
        keys = [c for c in choices if c.correct]
        distractors = [c for c in choices if not c.correct]
        unpicked = [c.label for c in distractors if c.picks == 0]
        # An evidence pick's wrong choices are its section's other sentences, not
        # distractors an author wrote: one nobody picks is no fault of the question.
        written = kind not in ("true_false", "evidence_pick")
        if unpicked and written and enough(n, MIN_LEARNERS_DISTRACTORS):
            flags.append(
                "Nobody picked "
                + ", ".join(f"“{label}”" for label in unpicked)
                + ": a distractor nobody chooses does no work."
            )
        if keys and distractors:
            top = max(distractors, key=lambda c: c.picks)
            weak = [
                k
                for k in keys
                if k.picks < top.picks and sign_test_p(top.picks, k.picks) < SIGN_TEST_P
            ]
            if weak:
                flags.append(
                    f"More learners picked the wrong “{top.label}” ({top.picks}) than the "
                    f"right “{weak[0].label}” ({weak[0].picks}). Is the key right, or is the "
                    "question misleading?"
                )
    return flags


@dataclass
class Confusion:
    """Rows: the true source; columns: the source learners chose. Each cell counts the
    picks and remembers the questions behind them.

    Order: sources are grouped by their side (`sides`), and within a side the most
    confused first (the largest share of the row's picks off the diagonal); the groups
    come in the same order, most confused first. Columns follow the rows, so the
    diagonal (the right answers) lines up; a source only ever chosen joins its side's
    group after the rows."""

    sources: dict[int, str]  # id -> name, for every source that appears
    cells: dict[tuple[int, int], int] = field(default_factory=dict)
    questions: dict[tuple[int, int], dict[int, int]] = field(default_factory=dict)
    sides: dict[int, str] = field(default_factory=dict)  # id -> side ("" when unknown)

    def add(self, question_id: int, true_id: int, chosen_id: int, count: int) -> None:
        key = (true_id, chosen_id)
        self.cells[key] = self.cells.get(key, 0) + count
        per_q = self.questions.setdefault(key, {})
        per_q[question_id] = per_q.get(question_id, 0) + count

    def side(self, source_id: int) -> str:
        return self.sides.get(source_id, "")

    def confusion_rate(self, true_id: int) -> float:
        """The share of the row's picks that went to another source (0 to 1)."""
        total = self.row_total(true_id)
        return 1 - self.cells.get((true_id, true_id), 0) / total if total else 0.0

    def _name(self, s: int) -> tuple[str, int]:
        return (self.sources.get(s, ""), s)

    @property
    def groups(self) -> list[tuple[str, list[int], list[int]]]:
        """(side, its rows, its columns), in display order."""
        row_ids = {t for t, _ in self.cells}
        col_ids = row_ids | {c for _, c in self.cells}
        by_side: dict[str, list[int]] = {}
        for s in col_ids:
            by_side.setdefault(self.side(s), []).append(s)
        groups = []
        for side, ids in by_side.items():
            rows = sorted(
                (s for s in ids if s in row_ids),
                key=lambda s: (-self.confusion_rate(s), *self._name(s)),
            )
            others = sorted((s for s in ids if s not in row_ids), key=self._name)
            wrong = sum(self.row_total(s) * self.confusion_rate(s) for s in rows)
            picks = sum(self.row_total(s) for s in rows)
            rate = wrong / picks if picks else -1.0
            groups.append((rate, side, rows, rows + others))
        groups.sort(key=lambda g: (-g[0], g[1]))
        return [(side, rows, cols) for _, side, rows, cols in groups]

    @property
    def rows(self) -> list[int]:
        return [s for _, rows, _ in self.groups for s in rows]

    @property
    def columns(self) -> list[int]:
        """Every source that is a row or was chosen, grouped like the rows."""
        return [s for _, _, cols in self.groups for s in cols]

    def row_total(self, true_id: int) -> int:
        return sum(v for (t, _), v in self.cells.items() if t == true_id)

    def row_percent(self, true_id: int, chosen_id: int) -> float | None:
        total = self.row_total(true_id)
        return 100 * self.cells.get((true_id, chosen_id), 0) / total if total else None


def build_confusion(
    picks: Iterable[tuple[int, int, int, int]],
    names: dict[int, str],
    sides: dict[int, str] | None = None,
) -> Confusion:
    """From (question id, true source id, chosen source id, count) tuples; `sides` gives
    each source's side, for the grouping."""
    confusion = Confusion(sources=dict(names), sides=dict(sides or {}))
    for question_id, true_id, chosen_id, count in picks:
        if true_id is None or chosen_id is None:
            continue
        confusion.add(question_id, true_id, chosen_id, count)
    return confusion


def shade(percent: float | None) -> int:
    """0 to 5, for the cell's background: darker where more of the row's picks fall."""
    if not percent:
        return 0
    return min(5, 1 + int(percent // 20))
