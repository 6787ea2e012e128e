"""Grading rules, as pure functions on plain data: no ORM, no request.

Every response earns a credit from 0 to 1; points = credit × the question's points.

- Single choice, true/false, classification: full credit for the key, none otherwise.
- Multiple choice: (right picks − wrong picks) / number of right answers, never below 0.
- Who said it and matching: credit by how close the chosen source is to the true one
  (see `source_proximity`): the same source earns full credit, its parent or child part
  credit, another source on the same side less, a source on another side none. A
  matching question averages the credit of its items.
- Evidence pick: full credit for the proving sentence (the key); part credit
  (`SAME_CLAIM`) for a sentence that is the evidence of the question's claim but does not
  prove the statement itself (a choice marked `partial`); none for any other sentence.
- Short written answer: the credit of the rubric level a teacher marked it at; none
  until it is marked (the attempt awaits marking meanwhile).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

SAME_SOURCE = 1.0
PARENT_OR_CHILD = 0.5
SAME_SIDE = 0.25
OTHER_SIDE = 0.0
# Evidence pick: another sentence of the same claim shows where the claim is, not the proof.
SAME_CLAIM = 0.5

SKILL_ORDER = ("attribution", "perspective", "evidence", "recall")


@dataclass(frozen=True)
class SourceRef:
    id: int
    name: str
    side: str
    parent_id: int | None = None


@dataclass(frozen=True)
class LevelRef:
    """A rubric level of a written question: its name and credit (0 to 1)."""

    id: int
    name: str
    credit: float


@dataclass(frozen=True)
class QuestionKey:
    """What grading needs to know about a question.

    `correct` holds the ids of the right choices. For matching, `items` maps each item
    (choice id) to the id of the source that made the statement."""

    kind: str
    points: int = 1
    correct: frozenset[int] = frozenset()
    choice_sources: Mapping[int, int] = field(default_factory=dict)
    items: Mapping[int, int] = field(default_factory=dict)
    sources: Mapping[int, SourceRef] = field(default_factory=dict)
    partial: frozenset[int] = frozenset()  # evidence pick: the claim's other sentences
    levels: Mapping[int, LevelRef] = field(default_factory=dict)


@dataclass(frozen=True)
class Answer:
    choices: frozenset[int] = frozenset()
    matches: Mapping[int, int] = field(default_factory=dict)
    text: str = ""
    level: int | None = None  # a written answer's marked rubric level


@dataclass(frozen=True)
class Credit:
    credit: float
    reason: str


@dataclass(frozen=True)
class Subscore:
    skill: str
    points: float
    max_points: float

    @property
    def percent(self) -> float:
        return 100 * self.points / self.max_points if self.max_points else 0.0


@dataclass(frozen=True)
class Total:
    points: float
    max_points: float
    subscores: tuple[Subscore, ...]

    @property
    def percent(self) -> float:
        return 100 * self.points / self.max_points if self.max_points else 0.0

    def subscore(self, skill: str) -> Subscore | None:
        return next((s for s in self.subscores if s.skill == skill), None)


def _mid(name: str) -> str:
    """A source's name inside a sentence: "The Cuban presidency" reads "the Cuban presidency"."""
    return "the" + name[3:] if name.startswith("The ") else name


def source_proximity(chosen: SourceRef, true: SourceRef) -> tuple[float, str]:
    """Credit for naming `chosen` when `true` made the claim, and why, in one phrase."""
    c, t = _mid(chosen.name), _mid(true.name)
    if chosen.id == true.id:
        return SAME_SOURCE, f"{c} is the source"
    if chosen.parent_id == true.id:
        return PARENT_OR_CHILD, f"{c} speaks for {t}, the source"
    if true.parent_id == chosen.id:
        return PARENT_OR_CHILD, f"the source, {t}, speaks for {c}"
    if chosen.side == true.side:
        return (
            SAME_SIDE,
            f"{c} is on the same side ({true.side}) as the source, {t}, but did not say it",
        )
    return OTHER_SIDE, f"{c} ({chosen.side}) is on another side from the source, {t} ({true.side})"


def _fraction(credit: float) -> str:
    if credit >= 1:
        return "full credit"
    if credit <= 0:
        return "no credit"
    return f"{credit:.0%} credit"


def multiple_choice_credit(correct: frozenset[int], picked: frozenset[int]) -> float:
    if not correct:
        return 0.0
    right = len(picked & correct)
    wrong = len(picked - correct)
    return max(0.0, (right - wrong) / len(correct))


AWAITING_MARKING = "Awaiting marking by your teacher: no credit until it is marked."


def written_credit(key: QuestionKey, answer: Answer) -> Credit:
    """A written answer earns its marked level's credit; nothing until it is marked."""
    if not answer.text:
        return Credit(0.0, "Not answered: no credit.")
    level = key.levels.get(answer.level) if answer.level is not None else None
    if level is None:
        return Credit(0.0, AWAITING_MARKING)
    credit = max(0.0, min(1.0, level.credit))
    return Credit(credit, f"Your teacher marked it “{level.name}”: {_fraction(credit)}.")


def grade(key: QuestionKey, answer: Answer) -> Credit:
    """Credit for one answer to one question, with a one-sentence reason."""
    if key.kind == "written":
        return written_credit(key, answer)
    if key.kind == "multiple":
        right = len(answer.choices & key.correct)
        wrong = len(answer.choices - key.correct)
        credit = multiple_choice_credit(key.correct, answer.choices)
        return Credit(
            credit,
            f"You picked {right} of the {len(key.correct)} right answers and {wrong} wrong "
            f"one{'s' if wrong != 1 else ''}; each wrong pick cancels a right one: "
            f"{_fraction(credit)}.",
        )
    if key.kind == "who_said":
        if len(answer.choices) != 1:
            return Credit(0.0, "No source was chosen: no credit.")
        (picked,) = answer.choices
        true_choice = next(iter(key.correct), None)
        if picked not in key.choice_sources or true_choice not in key.choice_sources:
            return Credit(0.0, "That choice is not a source of this question: no credit.")
        chosen = key.sources[key.choice_sources[picked]]
        true = key.sources[key.choice_sources[true_choice]]
        credit, why = source_proximity(chosen, true)
        return Credit(credit, f"You chose {_mid(chosen.name)}: {why}, so {_fraction(credit)}.")
    if key.kind == "matching":
        if not key.items:
            return Credit(0.0, "This question has no items: no credit.")
        total = 0.0
        exact = close = 0
        for item, true_id in key.items.items():
            chosen_id = answer.matches.get(item)
            if chosen_id is None or chosen_id not in key.sources:
                continue
            credit, _ = source_proximity(key.sources[chosen_id], key.sources[true_id])
            total += credit
            exact += credit == SAME_SOURCE
            close += 0 < credit < SAME_SOURCE
        credit = total / len(key.items)
        return Credit(
            credit,
            f"You matched {exact} of {len(key.items)} statements to their exact source"
            + (f" and {close} to a close one (part credit)" if close else "")
            + f": {_fraction(credit)}.",
        )
    if key.kind == "evidence_pick":
        if len(answer.choices) != 1:
            return Credit(0.0, "No sentence was chosen: no credit.")
        if answer.choices == key.correct:
            return Credit(1.0, "That sentence proves the statement: full credit.")
        if answer.choices <= key.partial - key.correct:
            return Credit(
                SAME_CLAIM,
                "That sentence belongs to the same claim but does not prove the statement: "
                f"{_fraction(SAME_CLAIM)}.",
            )
        return Credit(0.0, "That sentence does not prove the statement: no credit.")
    # single choice, true/false, classification
    if len(answer.choices) != 1:
        return Credit(0.0, "No answer was given: no credit.")
    if answer.choices == key.correct:
        return Credit(1.0, "That is the right answer: full credit.")
    return Credit(0.0, "That is not the right answer: no credit.")


def total(graded: Iterable[tuple[str, int, float]]) -> Total:
    """Sum (skill, points, credit) triples into a total and a subscore per skill,
    attribution first."""
    points: dict[str, float] = {}
    maxima: dict[str, float] = {}
    for skill, question_points, credit in graded:
        points[skill] = points.get(skill, 0.0) + question_points * credit
        maxima[skill] = maxima.get(skill, 0.0) + question_points
    order = {skill: i for i, skill in enumerate(SKILL_ORDER)}
    subscores = tuple(
        Subscore(skill, points[skill], maxima[skill])
        for skill in sorted(maxima, key=lambda s: (order.get(s, len(order)), s))
    )
    return Total(sum(points.values()), sum(maxima.values()), subscores)
