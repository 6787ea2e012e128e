"""Teacher analytics for one quiz: overview, learners, item analysis, reliability and the
attribution confusion matrix.

Two layers:
- Pure statistics (no ORM): they take sums and counts and return figures, so the tests
  check them against hand-worked data without a database.
- Loaders: a fixed number of aggregate queries over the submitted attempts of a set of
  learners, whatever the number of attempts, feeding the pure layer.

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
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, F, FloatField, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Cast

from .attempts import questions_with_key
from .models import Attempt, Question, Quiz, Response, Selection

# Below this discrimination an item barely separates stronger from weaker learners.
WEAK_DISCRIMINATION = 0.2
HISTOGRAM_BINS = 10

# ---------------------------------------------------------------------------------------
# Pure statistics
# ---------------------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------------------
# Loaders: aggregate queries over submitted attempts
# ---------------------------------------------------------------------------------------


def submitted_attempts(quiz: Quiz, learners: QuerySet | None) -> QuerySet:
    """The quiz's submitted attempts, of `learners` (a queryset of users) or of everyone."""
    qs = Attempt.objects.submitted().filter(quiz=quiz)
    if learners is not None:
        qs = qs.filter(learner_id__in=learners.values("id"))
    return qs


def counted_attempts(quiz: Quiz, learners: QuerySet | None) -> QuerySet:
    """Each learner's latest submitted attempt (see the module docstring)."""
    latest = (
        Attempt.objects.submitted()
        .filter(quiz_id=OuterRef("quiz_id"), learner_id=OuterRef("learner_id"))
        .order_by("-number")
        .values("id")[:1]
    )
    return submitted_attempts(quiz, learners).filter(id=Subquery(latest))


@dataclass
class Overview:
    attempts: int
    learners: int
    mean: float | None
    median: float | None
    histogram: list[Bin]
    attribution_mean: float | None
    attribution_median: float | None
    attribution_histogram: list[Bin]
    has_attribution: bool


def overview(quiz: Quiz, learners: QuerySet | None = None) -> Overview:
    """Two queries: the attempt count, and the counted attempts' percentages."""
    attempts = submitted_attempts(quiz, learners).count()
    rows = list(counted_attempts(quiz, learners).values_list("percent", "attribution_percent"))
    percents = [p for p, _ in rows if p is not None]
    attribution = [a for _, a in rows if a is not None]
    return Overview(
        attempts=attempts,
        learners=len(rows),
        mean=mean(percents),
        median=median(percents),
        histogram=histogram(percents),
        attribution_mean=mean(attribution),
        attribution_median=median(attribution),
        attribution_histogram=histogram(attribution),
        has_attribution=bool(attribution),
    )


@dataclass
class LearnerRow:
    learner_id: int
    name: str
    username: str
    attempts: int
    best_percent: float | None
    best_number: int
    latest_percent: float | None
    latest_number: int
    latest_attribution: float | None
    latest_subscores: dict
    latest_time: timedelta | None
    best_time: timedelta | None
    first_submitted_at: datetime | None = None

    def subscore_percent(self, skill: str) -> float | None:
        s = self.latest_subscores.get(skill)
        return 100 * s["points"] / s["max"] if s and s.get("max") else None


def learner_rows(quiz: Quiz, learners: QuerySet | None = None) -> list[LearnerRow]:
    """One query: every submitted attempt with its learner; best and latest per learner.
    The best attempt is the highest percentage (the earlier one on a tie)."""
    attempts = (
        submitted_attempts(quiz, learners)
        .order_by("learner_id", "number")
        .values_list(
            "learner_id",
            "learner__username",
            "learner__first_name",
            "learner__last_name",
            "number",
            "percent",
            "attribution_percent",
            "subscores",
            "started_at",
            "submitted_at",
        )
    )
    by_learner: dict[int, list[tuple]] = defaultdict(list)
    for row in attempts:
        by_learner[row[0]].append(row)
    rows = []
    for learner_id, items in by_learner.items():
        latest = items[-1]
        best = max(items, key=lambda r: (r[5] if r[5] is not None else -1, -r[4]))
        _, username, first, last, *_ = latest
        rows.append(
            LearnerRow(
                learner_id=learner_id,
                name=f"{first} {last}".strip() or username,
                username=username,
                attempts=len(items),
                best_percent=best[5],
                best_number=best[4],
                latest_percent=latest[5],
                latest_number=latest[4],
                latest_attribution=latest[6],
                latest_subscores=latest[7] or {},
                latest_time=latest[9] - latest[8],
                best_time=best[9] - best[8],
                first_submitted_at=items[0][9],
            )
        )
    rows.sort(key=lambda r: (r.name.lower(), r.username))
    return rows


@dataclass
class ItemRow:
    number: int
    question: Question
    answered: int
    facility: float | None
    discrimination: float | None
    choices: list[ChoiceCount]
    flags: list[str]


@dataclass
class ItemAnalysis:
    learners: int
    items: list[ItemRow]
    alpha: float | None


def _selection_counts(counted: QuerySet, kinds: Sequence[str] | None = None) -> QuerySet:
    """Picks grouped by question, choice and (for matching) the chosen source."""
    qs = Selection.objects.filter(response__attempt_id__in=counted.values("id"))
    if kinds is not None:
        qs = qs.filter(response__question__kind__in=kinds)
    return qs.values_list("response__question_id", "choice_id", "source_id").annotate(n=Count("id"))


def item_analysis(quiz: Quiz, learners: QuerySet | None = None) -> ItemAnalysis:
    """Five queries: questions and their choices (2), the totals, per-item sums, picks."""
    questions = questions_with_key(quiz)
    counted = counted_attempts(quiz, learners)
    agg = counted.aggregate(
        n=Count("id"),
        sum_t=Sum("score"),
        sum_tt=Sum(F("score") * F("score"), output_field=FloatField()),
    )
    total = TotalSums(agg["n"] or 0, agg["sum_t"] or 0.0, agg["sum_tt"] or 0.0)
    x = Cast(F("credit") * F("question__points"), FloatField())
    sums = {
        row["question_id"]: ItemSums(
            question_id=row["question_id"],
            sum_credit=row["sc"] or 0.0,
            sum_x=row["sx"] or 0.0,
            sum_xx=row["sxx"] or 0.0,
            sum_xt=row["sxt"] or 0.0,
            answered=row["answered"],
        )
        for row in Response.objects.filter(attempt_id__in=counted.values("id"))
        .values("question_id")
        .annotate(
            answered=Count("id"),
            sc=Sum("credit"),
            sx=Sum(x),
            sxx=Sum(x * x),
            sxt=Sum(x * F("attempt__score"), output_field=FloatField()),
        )
    }
    picks: dict[int, int] = defaultdict(int)
    for _qid, choice_id, _source, count in _selection_counts(counted):
        picks[choice_id] += count
    items, all_sums = [], []
    for number, question in enumerate(questions, start=1):
        s = sums.get(question.id, ItemSums(question.id))
        all_sums.append(s)
        disc = discrimination(s, total)
        choices = [
            ChoiceCount(c.id, c.label, c.correct, picks.get(c.id, 0))
            for c in question.choices.all()
        ]
        items.append(
            ItemRow(
                number=number,
                question=question,
                answered=s.answered,
                facility=facility(s, total.n),
                discrimination=disc,
                choices=choices,
                flags=item_flags(disc, choices, total.n, question.kind),
            )
        )
    return ItemAnalysis(learners=total.n, items=items, alpha=cronbach_alpha(all_sums, total))


@dataclass
class ConfusionReport:
    matrix: Confusion
    questions: dict[int, Question]


def confusion_report(quiz: Quiz, learners: QuerySet | None = None) -> ConfusionReport:
    """Three queries: questions with choices (2) and the picks of who-said-it and matching
    questions. For who said it, the true source is the key's source and the chosen one the
    picked choice's; for matching, each item (a choice) carries the true source and the
    selection the chosen one."""
    K = Question.Kind
    questions = {q.id: q for q in questions_with_key(quiz) if q.kind in (K.WHO_SAID, K.MATCHING)}
    names, choice_source, key_source = {}, {}, {}
    for q in questions.values():
        for c in q.choices.all():
            if c.source_id:
                names[c.source_id] = c.source.name
                choice_source[c.id] = c.source_id
        keys = [c.source_id for c in q.choices.all() if c.correct]
        key_source[q.id] = keys[0] if len(keys) == 1 else None
    picks = []
    counted = counted_attempts(quiz, learners)
    for qid, choice_id, source_id, count in _selection_counts(counted, [K.WHO_SAID, K.MATCHING]):
        question = questions.get(qid)
        if question is None:
            continue
        if question.kind == K.MATCHING:
            picks.append((qid, choice_source.get(choice_id), source_id, count))
        else:
            picks.append((qid, key_source.get(qid), choice_source.get(choice_id), count))
    return ConfusionReport(matrix=build_confusion(picks, names), questions=questions)
