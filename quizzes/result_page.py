"""How the result page lays an attempt out: the score first, then one line per question,
mistakes first; by default only the mistakes and the written answers (which carry the
teacher's mark and comment, or await them) are listed, `?show=all` lists every
question (a link, so it works without JavaScript). Each line opens (a <details>
element) to the answer, the right answer, the feedback and the proof, each once;
what the review options allow is `review_for`'s to say, not this module's."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from .results import ReviewRow
from .review import Review

SHOW_ALL = "all"
OUTCOMES = ("wrong", "partly right", "unanswered", "awaiting marking", "right")


@dataclass
class QuestionList:
    rows: list[ReviewRow]  # the rows to list, in the order to list them
    total: int
    counts: dict[str, int]  # by outcome, when the review shows which answers were right
    show_all: bool
    mistakes: int
    written: int = 0  # written answers, listed with the mistakes

    @property
    def hidden(self) -> int:
        return self.total - len(self.rows)

    @property
    def can_narrow(self) -> bool:
        """A "mistakes only" switch is worth offering."""
        return self.show_all and 0 < self.mistakes + self.written < self.total


def question_list(rows: list[ReviewRow], review: Review, show: str | None) -> QuestionList:
    """Mistakes first (wrong, partly right, unanswered, in the quiz's order within each);
    only them unless `show` is "all", or there are none, or the review does not tell
    right from wrong (then every question, in the quiz's order)."""
    total = len(rows)
    if not review.correctness:
        return QuestionList(rows, total, {}, True, 0)
    counts = Counter(r.outcome for r in rows)
    mistakes = sum(1 for r in rows if r.is_mistake)
    rank = {o: i for i, o in enumerate(OUTCOMES)}
    ordered = sorted(rows, key=lambda r: (rank.get(r.outcome, 0), r.number))
    written = sum(1 for r in rows if r.is_written and not r.is_mistake)
    show_all = show == SHOW_ALL or mistakes + written == 0
    listed = ordered if show_all else [r for r in ordered if r.is_mistake or r.is_written]
    counted = {o: counts[o] for o in OUTCOMES if counts[o]}
    return QuestionList(listed, total, counted, show_all, mistakes, written)
