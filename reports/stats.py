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
    """What may be wrong with a question, in a teacher's words."""
    flags = []
    if disc is not None and disc < 0:
        flags.append(
            "Negative discrimination: learners who did well on the rest of the quiz did "
            "worse on this question. Check the key and the wording."
        )
    if n and kind != "matching":
        keys = [c for c in choices if c.correct]
        distractors = [c for c in choices if not c.correct]
        unpicked = [c.label for c in distractors if c.picks == 0]
        if unpicked and kind != "true_false":
            flags.append(
                "Nobody picked "
                + ", ".join(f"“{label}”" for label in unpicked)
                + ": a distractor nobody chooses does no work."
            )
        if keys and distractors:
            top = max(distractors, key=lambda c: c.picks)
            weak = [k for k in keys if k.picks < top.picks]
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
    picks and remembers the questions behind them."""

    sources: dict[int, str]  # id -> name, for every source that appears
    cells: dict[tuple[int, int], int] = field(default_factory=dict)
    questions: dict[tuple[int, int], dict[int, int]] = field(default_factory=dict)

    def add(self, question_id: int, true_id: int, chosen_id: int, count: int) -> None:
        key = (true_id, chosen_id)
        self.cells[key] = self.cells.get(key, 0) + count
        per_q = self.questions.setdefault(key, {})
        per_q[question_id] = per_q.get(question_id, 0) + count

    @property
    def rows(self) -> list[int]:
        return sorted({t for t, _ in self.cells}, key=lambda s: (self.sources.get(s, ""), s))

    @property
    def columns(self) -> list[int]:
        """Every source that is a row or was chosen, in the rows' order, so the diagonal
        (the right answers) lines up."""
        ids = {c for _, c in self.cells} | {t for t, _ in self.cells}
        return sorted(ids, key=lambda s: (self.sources.get(s, ""), s))

    def row_total(self, true_id: int) -> int:
        return sum(v for (t, _), v in self.cells.items() if t == true_id)

    def row_percent(self, true_id: int, chosen_id: int) -> float | None:
        total = self.row_total(true_id)
        return 100 * self.cells.get((true_id, chosen_id), 0) / total if total else None


def build_confusion(picks: Iterable[tuple[int, int, int, int]], names: dict[int, str]) -> Confusion:
    """From (question id, true source id, chosen source id, count) tuples."""
    confusion = Confusion(sources=dict(names))
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
