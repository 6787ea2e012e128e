"""The teacher reports' loaders: a fixed number of aggregate queries over the submitted
attempts of a set of learners (None: everyone), whatever the number of attempts, feeding
the pure statistics of `reports.stats`. Which attempts count: `AttemptQuerySet.counted`
(each learner's latest or best submitted attempt, as the quiz's `counted_attempt` says);
the attempt counts cover every submitted one. Only fully marked attempts are read: one
awaiting the marking of a written answer counts once it is marked (`_submitted`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, F, FloatField, QuerySet, Sum
from django.db.models.functions import Cast

from quizzes.models import Attempt, Question, Quiz, Response, Selection

from .stats import (
    Bin,
    ChoiceCount,
    Confusion,
    ItemSums,
    TotalSums,
    build_confusion,
    cronbach_alpha,
    discrimination,
    facility,
    histogram,
    item_flags,
    mean,
    median,
)


def _submitted(quiz: Quiz, learners: QuerySet | None) -> QuerySet:
    """The submitted attempts the reports read: fully marked ones only (an attempt with a
    written answer awaiting marking counts once it is marked: `AttemptQuerySet.marked`)."""
    return Attempt.objects.marked().filter(quiz=quiz).of_learners(learners)


def _counted(quiz: Quiz, learners: QuerySet | None) -> QuerySet:
    """The attempts the figures count: one per learner, by the quiz's setting."""
    return _submitted(quiz, learners).counted(quiz.counted_attempt)


def counted_label(quiz: Quiz) -> str:
    """Which attempt a report counts, in a word: "latest" or "best"."""
    return "best" if quiz.counted_attempt == Quiz.Counted.BEST else "latest"


def counting_rule(quiz: Quiz) -> str:
    return (
        f"Each learner counts once, with their {counted_label(quiz)} submitted attempt "
        "(the quiz's “reports count” setting). Attempts in progress or awaiting marking "
        "are left out."
    )


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
    counted: str = "latest"  # which attempt of each learner the figures count


def overview(quiz: Quiz, learners: QuerySet | None = None) -> Overview:
    """Two queries: the attempt count, and the counted attempts' percentages."""
    attempts = _submitted(quiz, learners).count()
    rows = list(_counted(quiz, learners).values_list("percent", "attribution_percent"))
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
        counted=counted_label(quiz),
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
        _submitted(quiz, learners)
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
    questions = list(Question.objects.with_key().filter(quiz=quiz))
    counted = _counted(quiz, learners)
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
    questions = {
        q.id: q
        for q in Question.objects.with_key().filter(quiz=quiz)
        if q.kind in (K.WHO_SAID, K.MATCHING)
    }
    names, sides, choice_source, key_source = {}, {}, {}, {}
    for q in questions.values():
        for c in q.choices.all():
            if c.source_id:
                names[c.source_id] = c.source.name
                sides[c.source_id] = c.source.side
                choice_source[c.id] = c.source_id
        keys = [c.source_id for c in q.choices.all() if c.correct]
        key_source[q.id] = keys[0] if len(keys) == 1 else None
    picks = []
    counted = _counted(quiz, learners)
    for qid, choice_id, source_id, count in _selection_counts(counted, [K.WHO_SAID, K.MATCHING]):
        question = questions.get(qid)
        if question is None:
            continue
        if question.kind == K.MATCHING:
            picks.append((qid, choice_source.get(choice_id), source_id, count))
        else:
            picks.append((qid, key_source.get(qid), choice_source.get(choice_id), count))
    return ConfusionReport(matrix=build_confusion(picks, names, sides), questions=questions)
