"""Importing a bundle: import_bundle(path_or_file, *, name=None, checks=None) -> ImportResult.

Everything is validated before the first write (bundle/validate.py). Then, in one
transaction, the import matches rows by their keys (choices, which have no keys, by
position within their question), refuses before writing anything to remove a row that
learners' answers hang on, saves a row only where a value differs, deletes the rows whose
keys left the bundle last, and runs the content checks (CONTENT_CHECKS) on the saved
lesson: a problem from any of them undoes the whole import of a lesson that reaches
students, and is kept as a warning (`ImportResult.warnings`) on a draft, which cannot be
published until it is fixed.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.db.models import Count, ProtectedError, RestrictedError

from lessons.models import Lesson, Source
from lessons.signals import deferred_bumps
from quizzes.content_rules import lesson_problems
from quizzes.models import Choice, Question, Quiz, RubricLevel

from .errors import BundleError, Problem
from .load import default_name, load
from .schema import ITEMS_BY_MODEL, LESSON, LISTS, Item
from .validate import label, validate

CREATED, UPDATED, UNCHANGED, DELETED = "created", "updated", "unchanged", "deleted"
SKIPPED = "skipped: exists"  # create_only, and the lesson's slug is taken: nothing written

# A content check looks at the lesson as saved, inside the import's transaction, and
# reports what is wrong with report(where, message, code), e.g.
# report('claim "trump-a-lot"', "no reporting verb in its evidence", "no_cue").
# Any report refuses the import of a lesson that reaches students (it, or one of its
# quizzes, is published); a draft imports with them as warnings. import_bundle runs these
# unless given `checks=`.
Report = Callable[[str, str, str], None]
ContentCheck = Callable[[Lesson, Report], None]


def content_rules(lesson: Lesson, report: Report) -> None:
    """The content rules of quizzes/content_rules.py, over the lesson and its quizzes (the
    article's text is not in a bundle: the rules that compare with it do not run here)."""
    for problem in lesson_problems(lesson):
        if problem.question is not None:
            where = f'quiz "{problem.quiz.key}" question "{problem.question.key}"'
        elif problem.quiz is not None:
            where = f'quiz "{problem.quiz.key}"'
        else:
            where = problem.where
        report(where, problem.message, problem.code)


CONTENT_CHECKS: list[ContentCheck] = [content_rules]

# The rows learners' answers hang on: an import never removes one that has any.
ANSWERS: dict[type[models.Model], tuple[str, str]] = {
    Quiz: ("attempts", "learners have made {n} attempt(s) at it"),
    Question: ("responses", "learners have answered it ({n} response(s))"),
    Choice: ("selections", "learners have chosen it ({n} time(s))"),
    Source: ("selections", "learners have matched statements to it ({n} time(s))"),
    RubricLevel: ("responses", "teachers have marked {n} written answer(s) with it"),
}


class Tally:
    """How many rows of each kind an import created, updated, deleted or left alone."""

    STATUSES = (CREATED, UPDATED, DELETED, UNCHANGED)

    def __init__(self):
        self.counts: dict[str, Counter] = {}

    def add(self, rows: str, status: str, n: int = 1) -> None:
        self.counts.setdefault(rows, Counter())[status] += n

    @property
    def changed(self) -> bool:
        return any(c[CREATED] or c[UPDATED] or c[DELETED] for c in self.counts.values())

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {
            rows: {status: counter[status] for status in self.STATUSES}
            for rows, counter in self.counts.items()
        }


@dataclass
class ImportResult:
    name: str
    lesson: Lesson
    status: str  # CREATED, UPDATED, UNCHANGED or SKIPPED: the lesson as a whole
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    # Content problems of a lesson that nothing publishes yet (a draft): kept, not refused;
    # publishing is refused until they are fixed (quizzes.authoring.publish).
    warnings: list = field(default_factory=list)

    def summary(self) -> str:
        lines = [f'{self.name}: lesson "{self.lesson.slug}" {self.status}']
        for rows, counter in self.counts.items():
            if rows == "lesson":
                continue
            done = ", ".join(f"{n} {status}" for status, n in counter.items() if n)
            lines.append(f"  {rows}: {done or 'none'}")
        if self.warnings:
            lines.append(f"  to fix before publishing ({len(self.warnings)}):")
            lines.extend(f"    {problem}" for problem in self.warnings)
        return "\n".join(lines)


def _reaches_students(lesson: Lesson) -> bool:
    return lesson.published or lesson.quizzes.filter(published=True).exists()


def import_bundle(
    path_or_file: Any,
    *,
    name: str | None = None,
    checks: Iterable[ContentCheck] | None = None,
    create_only: bool = False,
    owner=None,
) -> ImportResult:
    """Import one bundle (a path, an open file, or anything load() takes): create the
    lesson or update it in place by its keys, all in one transaction.

    `create_only`: a lesson whose slug exists is left as it is (status SKIPPED), so
    loading the shipped lessons at every start never undoes a teacher's edits.
    `owner`: who imports; a new lesson and its quizzes are theirs, and an existing lesson
    they may not edit (`Lesson.objects.editable_by`) is refused (code "not_yours"). No
    owner (the command line): the lesson is nobody's (read-only for teachers).

    Raises BundleError, having written nothing, when the bundle has any problem, when it
    would remove rows that learners have answered, or when a content check reports one."""
    name = name or default_name(path_or_file)
    data = load(path_or_file, name=name)
    problems = validate(data, name=name)
    if problems:
        raise BundleError(problems)
    # The children's saves do not each move the lesson's content version (lessons/signals.py):
    # run() saves the lesson once, when anything changed, deletions included.
    with transaction.atomic(), deferred_bumps():
        return _Import(data, name, create_only=create_only, owner=owner).run(
            CONTENT_CHECKS if checks is None else checks
        )


def upsert(obj: models.Model | None, model: type[models.Model], values: dict) -> tuple[Any, str]:
    """Create a row, or update `obj` only where a value differs; return it and its status.

    Unlike update_or_create(), an unchanged row is not saved, so importing the same
    bundle twice changes nothing, not even auto_now timestamps."""
    if obj is None:
        return model.objects.create(**values), CREATED
    changed = []
    for name, value in values.items():
        model_field = model._meta.get_field(name)
        if model_field.is_relation:
            same = getattr(obj, model_field.attname) == (value.pk if value is not None else None)
        else:
            same = getattr(obj, name) == value
        if not same:
            setattr(obj, name, value)
            changed.append(name)
    if not changed:
        return obj, UNCHANGED
    obj.save(update_fields=changed)
    return obj, UPDATED


@dataclass
class _Entry:
    """An item of the bundle, the row it updates (None: a new row) and its own items."""

    entry: dict
    order: int
    old: models.Model | None
    children: dict[str, list[_Entry]]


class _Import:
    def __init__(self, data: dict, name: str, *, create_only: bool = False, owner=None):
        self.data, self.name = data, name
        self.create_only, self.owner = create_only, owner
        self.problems: list[Problem] = []
        self.tally = Tally()
        # model -> id of the row holding the list -> its rows, in order
        self.old: dict[type, dict[int, list]] = defaultdict(lambda: defaultdict(list))
        self.removals: list[tuple[Item, models.Model, str]] = []

    def report(self, where: str, message: str, code: str) -> None:
        self.problems.append(Problem.at(self.name, where, message, code))

    def run(self, checks: Iterable[ContentCheck]) -> ImportResult:
        # Lock the lesson's row: two imports of one lesson run one after the other instead
        # of interleaving their deletions.
        slug = self.data["lesson"]["slug"]
        old_lesson = Lesson.objects.select_for_update().filter(slug=slug).first()
        if old_lesson is not None and self.create_only:
            return ImportResult(self.name, old_lesson, SKIPPED, {})
        mine = self.owner is None or old_lesson is None or old_lesson.is_editable_by(self.owner)
        if not mine:
            self.report(
                f'lesson "{slug}"',
                "a lesson with this slug exists and is not yours to change; "
                "change the slug to import it as a lesson of your own",
                "not_yours",
            )
            self._raise_problems()
        if old_lesson is not None:
            for item in LISTS.values():
                self._load(item, old_lesson, item.within)
        plan = {
            list_name: self._match(item, self._old_of(item, old_lesson), self.data[list_name])
            for list_name, item in LISTS.items()
        }
        self._refuse_removing_answers()
        self._raise_problems()

        values = LESSON.values(self.data["lesson"], {})
        if old_lesson is None and self.owner is not None:
            values["owner"] = self.owner
        lesson, lesson_status = upsert(old_lesson, Lesson, values)
        self.tally.add("lesson", lesson_status)
        refs: dict[type, dict[str, models.Model]] = defaultdict(dict)
        for list_name, item in LISTS.items():
            self._write(item, plan[list_name], lesson, refs)
        # Last, once nothing in the bundle points at them any more; the deepest first.
        for item, row, where in reversed(self.removals):
            self._delete(item, row, where)

        if lesson_status == UPDATED or (self.tally.changed and lesson_status == UNCHANGED):
            # The content version (lessons/signals.py). A save with update_fields moves
            # auto_now only when it is listed, so the lesson's own update did not move it.
            lesson.save(update_fields=["updated_at"])
            lesson_status = UPDATED
            self.tally.counts["lesson"] = Counter({UPDATED: 1})
        for check in checks:
            check(lesson, self.report)
        warnings = []
        if self.problems and not _reaches_students(lesson):
            # A draft: its problems are the teacher's to fix before anything is published.
            warnings, self.problems = self.problems, []
        self._raise_problems()  # and so roll back everything above
        return ImportResult(self.name, lesson, lesson_status, self.tally.as_dict(), warnings)

    def _raise_problems(self) -> None:
        if self.problems:
            raise BundleError(self.problems)

    def _load(self, item: Item, lesson: Lesson, path: str) -> None:
        """Read the lesson's rows of `item` and of its children, one query each."""
        rows = item.model.objects.filter(**{path: lesson}).order_by("order", "id")
        holder = item.model._meta.get_field(item.within).attname
        for row in rows:
            self.old[item.model][getattr(row, holder)].append(row)
        for child in item.children:
            self._load(child.item, lesson, f"{child.item.within}__{path}")

    def _old_of(self, item: Item, holder: models.Model | None) -> list:
        return self.old[item.model].get(holder.pk, []) if holder is not None else []

    def _match(self, item: Item, old_rows: list, entries: list, within: str = "") -> list:
        """Pair each entry with the row it updates, and note the rows to remove."""
        if item.key:
            by_key = {getattr(row, item.key): row for row in old_rows}
            pairs = [(entry, by_key.pop(entry[item.key], None)) for entry in entries]
            gone = [(row, label(item, {item.key: k}, 0, within)) for k, row in by_key.items()]
        else:
            pairs = [
                (entry, old_rows[n] if n < len(old_rows) else None)
                for n, entry in enumerate(entries)
            ]
            gone = [
                (row, label(item, None, n, within))
                for n, row in enumerate(old_rows[len(entries) :], start=len(entries) + 1)
            ]
        matched = []
        for order, (entry, old) in enumerate(pairs):
            where = label(item, entry, order + 1, within)
            children = {
                child.name: self._match(
                    child.item, self._old_of(child.item, old), entry.get(child.name, []), where
                )
                for child in item.children
            }
            matched.append(_Entry(entry, order, old, children))
        self.removals.extend((item, row, where) for row, where in gone)
        return matched

    def _refuse_removing_answers(self) -> None:
        removing: dict[type, list[tuple[models.Model, str]]] = defaultdict(list)
        for item, row, where in self.removals:
            removing[item.model].append((row, where))
        for model, (relation, message) in ANSWERS.items():
            if not removing[model]:
                continue
            answered = dict(
                model.objects.filter(pk__in=[row.pk for row, _ in removing[model]])
                .annotate(n=Count(relation))
                .filter(n__gt=0)
                .values_list("pk", "n")
            )
            for row, where in removing[model]:
                if row.pk in answered:
                    n = answered[row.pk]
                    self.report(where, f"cannot be removed: {message.format(n=n)}", "answered")

    def _write(self, item: Item, entries: list[_Entry], holder: models.Model, refs) -> None:
        for e in _referenced_first(item, entries):
            values = {item.within: holder, "order": e.order, **item.values(e.entry, refs)}
            if e.old is None and item.model is Quiz and holder.owner_id:
                values["owner"] = holder.owner  # a new quiz is its lesson owner's
            row, status = upsert(e.old, item.model, values)
            self.tally.add(item.plural, status)
            if item.key:
                refs[item.model][e.entry[item.key]] = row
            for child in item.children:
                self._write(child.item, e.children[child.name], row, refs)

    def _delete(self, item: Item, row: models.Model, where: str) -> None:
        try:
            _, deleted = row.delete()
        except (ProtectedError, RestrictedError) as error:
            # A safety net: the removals learners' answers forbid are refused before writing.
            others = getattr(error, "protected_objects", None) or error.restricted_objects
            raise BundleError(
                [
                    Problem.at(
                        self.name,
                        where,
                        f"cannot be removed: {len(others)} other row(s) still refer to it",
                        "still_referenced",
                    )
                ]
            ) from error
        for model_label, n in deleted.items():
            if n and model_label in _PLURALS:
                self.tally.add(_PLURALS[model_label], DELETED, n)


def _referenced_first(item: Item, entries: list[_Entry]) -> list[_Entry]:
    """Entries in an order that writes a row before any row of the same list that points
    at it (a source before the sources it is the parent of)."""
    own = [ref.name for ref in item.refs if ref.target is item.model]
    if not own:
        return entries
    by_key = {e.entry[item.key]: e for e in entries}
    ordered: list[_Entry] = []
    placed: set[str] = set()

    def place(e: _Entry) -> None:
        if e.entry[item.key] in placed:
            return
        placed.add(e.entry[item.key])
        for name in own:
            if e.entry[name] is not None:
                place(by_key[e.entry[name]])
        ordered.append(e)

    for e in entries:
        place(e)
    return ordered


# How a deletion's count per model (Django's "app.Model" labels) is tallied.
_PLURALS = {model._meta.label: item.plural for model, item in ITEMS_BY_MODEL.items()}
