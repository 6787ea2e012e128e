"""Every problem of a bundle, without the database: validate(data, name=...) -> [Problem].

A walk over the declarations of bundle/schema.py checks every object's names and values;
then the rules that need more than one value: references between items, the sources'
parents, evidence, quotes, and the choices of each kind of question
(`quizzes.validation.validate_choices`, the rule the admin applies). Removals are checked
against the database at import (bundle/upsert.py).
"""

from __future__ import annotations

import difflib
from types import SimpleNamespace
from typing import Any

from django.core.exceptions import ValidationError

from lessons.models import Claim, Section, Source
from quizzes.evidence_pick import PickChoice, pick_problems
from quizzes.models import Question
from quizzes.validation import validate_choices

from .errors import Problem
from .schema import (
    CHOICE,
    FORMAT,
    ITEMS_BY_MODEL,
    LESSON,
    LISTS,
    TOP_NAMES,
    Children,
    Group,
    Item,
    Lines,
    json_type,
    show,
)


def label(item: Item, entry: Any, position: int, within: str = "") -> str:
    """How a message names an item: by its key when it has one, else by its position."""
    key = entry.get(item.key) if item.key and isinstance(entry, dict) else None
    if isinstance(key, str) and key:
        name = f"{item.noun} {show(key)}"
    else:  # by position: "choice 2", or "source #3" for a keyed item without a usable key
        name = f"{item.noun} {position}" if not item.key else f"{item.noun} #{position}"
    return f"{within} {name}" if within else name


class Checker:
    """Collects the problems of one bundle. `known` maps a model to the bundle's items of
    it by key, as written (even badly spelt keys: a bad key is reported once, not again by
    everything that refers to it)."""

    def __init__(self, name: str):
        self.name = name
        self.problems: list[Problem] = []
        self.known: dict[type, dict[str, Any]] = {}

    def report(self, where: str, message: str, code: str) -> None:
        self.problems.append(Problem.at(self.name, where, message, code))

    def check_names(self, value: dict, names, where: str) -> None:
        """Report names given twice in an object, and names the format does not have."""
        for name in getattr(value, "repeated_names", ()):
            self.report(where, f"key {show(name)} appears twice", "repeated_name")
        for name in value:
            if name not in names:
                hint = difflib.get_close_matches(name, names, n=1)
                suggestion = f" (did you mean {show(hint[0])}?)" if hint else ""
                self.report(where, f"unknown key {show(name)}{suggestion}", "unknown_key")

    def check_object(self, value: Any, fields, where: str) -> dict | None:
        """Check an object's names and values; return the fields whose values are fine
        (for a Children field: each item's fine fields, None for an item with problems
        that leave nothing to check further). None when `value` is not an object."""
        if not isinstance(value, dict):
            self.report(where, f"must be an object, not {json_type(value)}", "wrong_type")
            return None
        self.check_names(value, [f.name for f in fields], where)
        fine = {}
        for f in fields:
            if f.name not in value:
                if not getattr(f, "optional", False):
                    self.report(where, f"missing key {show(f.name)}", "missing_key")
            elif (checked := self.check_field(f, value[f.name], where)) is not _BAD:
                fine[f.name] = checked
        return fine

    def check_field(self, f, value: Any, where: str) -> Any:
        if isinstance(f, Group):
            return self.check_object(value, f.fields, f"{where}.{f.name}") or _BAD
        if isinstance(f, Children | Lines) and not isinstance(value, list):
            self.report(where, f'"{f.name}" must be a list, not {json_type(value)}', "wrong_type")
            return _BAD
        if isinstance(f, Children):
            return self.check_items(f.item, value, within=where)
        if isinstance(f, Lines):
            problems = [(n, f.check_line(line)) for n, line in enumerate(value, start=1)]
            for n, problem in problems:
                if problem:
                    self.report(where, f"{f.noun} {n} {problem}", "invalid_line")
            return value if not any(p for _, p in problems) else _BAD
        problem = f.check(value)
        if problem:
            self.report(where, f'"{f.name}" {problem[0]}', problem[1])
            return _BAD
        return value

    def check_items(self, item: Item, entries: list, within: str = "") -> list[dict | None]:
        """Check a list of items with their rules; return each one's fine fields, None for
        one that is not an object or whose key an earlier item has."""
        checked: list[dict | None] = []
        first_use: dict[str, str] = {}
        for position, entry in enumerate(entries, start=1):
            where = label(item, entry, position, within)
            fine = self.check_object(entry, item.fields, where)
            key = entry.get(item.key) if item.key and isinstance(entry, dict) else None
            if isinstance(key, str):
                if key in first_use:
                    self.report(
                        where, f"duplicate key: {first_use[key]} has it too", "duplicate_key"
                    )
                    checked.append(None)
                    continue
                first_use[key] = f"{item.noun} #{position}"
            if fine is not None:
                self.check_rules(item, where, fine)
            checked.append(fine)
        return checked

    def find(self, model, key: Any) -> dict | None:
        """The bundle's item of `model` with this key; None when there is none (or the
        key is null or of the wrong type: all of which are reported elsewhere)."""
        found = self.known.get(model, {}).get(key) if isinstance(key, str) else None
        return found if isinstance(found, dict) else None

    def check_rules(self, item: Item, where: str, fine: dict) -> None:
        for ref in item.refs:
            key = fine.get(ref.name)
            if isinstance(key, str) and key not in self.known.get(ref.target, {}):
                noun = ref.label or ITEMS_BY_MODEL[ref.target].noun
                self.report(where, f"{noun} {show(key)} not found", "not_found")
        for rule in RULES.get(item.model, ()):
            rule(self, where, fine)


_BAD = object()  # a field whose value has a problem (reported)


def validate(data: Any, *, name: str = "bundle") -> list[Problem]:
    """Every problem of a bundle, each as "<name>: <item>: <problem>"; [] when it is fine."""
    ck = Checker(name)
    if not isinstance(data, dict):
        ck.report("", f"a bundle must be a JSON object, not {json_type(data)}", "wrong_type")
        return ck.problems
    if "format" not in data:
        ck.report("", f'missing key "format" (it must be "{FORMAT}")', "format")
        return ck.problems
    if data["format"] != FORMAT:
        # Another version may mean anything: its other problems would only be noise.
        ck.report("", f'"format" must be "{FORMAT}", not {show(data["format"])}', "format")
        return ck.problems

    ck.known = {
        item.model: {
            entry["key"]: entry
            for entry in data.get(list_name, [])
            if isinstance(entry, dict) and isinstance(entry.get("key"), str)
        }
        for list_name, item in LISTS.items()
        if isinstance(data.get(list_name), list)
    }
    ck.check_names(data, TOP_NAMES, "")
    for name in TOP_NAMES[1:]:
        if name not in data:
            ck.report("", f"missing key {show(name)}", "missing_key")
        elif name == "lesson":
            ck.check_object(data["lesson"], LESSON.fields, "lesson")
        else:
            ck.check_field(Children(name, LISTS[name]), data[name], "")
    if isinstance(data.get("sources"), list):
        _check_parent_cycles(ck)
    return ck.problems


def _check_parent_cycles(ck: Checker) -> None:
    """Report each cycle among the sources' parents once, as the keys along it."""
    parents = {
        key: source.get("parent")
        for key, source in ck.known.get(Source, {}).items()
        if isinstance(source.get("parent"), str)
    }
    settled: set[str] = set()
    for start in parents:
        path: list[str] = []
        node = start
        while node in parents and node not in settled and node not in path:
            path.append(node)
            node = parents[node]
        if node in path:
            cycle = path[path.index(node) :] + [node]
            ck.report(
                f"source {show(cycle[0])}",
                f"its parents form a cycle: {' → '.join(cycle)}",
                "parent_cycle",
            )
        settled.update(path)


# ---------------------------------------------------------------------------
# Rules of one item that need more than one of its values, or other items.


def evidence_in_section(ck: Checker, where: str, entry: dict) -> None:
    """Evidence must occur word for word in the body of the item's section."""
    evidence = entry.get("evidence")
    section = ck.find(Section, entry.get("section"))
    if not isinstance(evidence, str) or not evidence or section is None:
        return
    body = section.get("body")
    if isinstance(body, str) and evidence not in body:
        ck.report(
            where, f"evidence not found in section {show(entry['section'])}", "evidence_not_found"
        )


def quote_has_words(ck: Checker, where: str, claim: dict) -> None:
    if claim.get("kind") == Claim.Kind.QUOTE and claim.get("quoted") == "":
        ck.report(where, 'a quote needs the quoted words: "quoted" is empty', "quote_without_words")


def question_fits_its_kind(ck: Checker, where: str, question: dict) -> None:
    """A who-said question names its claim; choices follow the rules of the kind."""
    kind = question.get("kind")
    if kind is None:
        return  # unknown or missing: already reported, and the rules depend on it
    if kind == Question.Kind.WHO_SAID and "claim" in question and question["claim"] is None:
        ck.report(where, "a who_said question needs a claim", "who_said_without_claim")
    choices = question.get("choices")
    required = {f.name for f in CHOICE.fields if not getattr(f, "optional", False)}
    if choices is None or any(
        c is None or not required <= set(c) <= set(CHOICE.names) for c in choices
    ):
        return  # a choice is malformed: its problems are reported, the rules would guess
    claim = ck.find(Claim, question.get("claim"))
    like_choices = [
        SimpleNamespace(
            text=c["text"],
            correct=c["correct"],
            source_id=c["source"],
            partial=c.get("partial", False),
        )
        for c in choices
    ]
    if kind == Question.Kind.EVIDENCE_PICK:
        section = ck.find(Section, question.get("section"))
        for code, message in pick_problems(
            title=str(section.get("title", "")) if section else "",
            body=section.get("body") if section and isinstance(section.get("body"), str) else None,
            evidence=question.get("evidence") or "",
            claim_evidence=(claim or {}).get("evidence") or "",
            choices=[PickChoice(c.text, c.correct, c.partial) for c in like_choices],
        ):
            ck.report(where, message, code)
    for problem in validate_choices(_question_like(kind, claim, ck), like_choices):
        if isinstance(problem, ValidationError):
            ck.report(where, problem.messages[0], problem.code or "choices")
        else:
            ck.report(where, str(problem), "choices")


def _question_like(kind: str, claim: dict | None, ck: Checker) -> SimpleNamespace:
    """What validate_choices reads of a Question, taken from the bundle: source keys
    stand in for source ids. The claim is left out when its own source is missing
    (already reported), so that the who-said rule does not report it again."""
    question = SimpleNamespace(
        kind=kind, get_kind_display=lambda: Question.Kind(kind).label, claim_id=None, claim=None
    )
    source_key = claim.get("source") if claim is not None else None
    sources = ck.known.get(Source, {})
    if isinstance(source_key, str) and source_key in sources:
        question.claim_id = claim["key"]
        question.claim = SimpleNamespace(
            source_id=source_key, source=SimpleNamespace(name=sources[source_key].get("name"))
        )
    return question


RULES = {
    Claim: (evidence_in_section, quote_has_words),
    Question: (evidence_in_section, question_fits_its_kind),
}
