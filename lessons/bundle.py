"""The lesson bundle format, `sourcewise.lesson/1`: one JSON file that holds a whole lesson.

The format is specified in docs/lesson-bundle.md. The public API:

    load(source, *, name=None) -> dict
        Read a bundle from a path or an open file (a dict passes through).
    validate(data, *, name="bundle") -> list[str]
        Every problem of a bundle, as "<file>: <item>: <problem>"; no database access.
    import_bundle(path_or_file, *, name=None) -> ImportResult
        Validate, then create or update the lesson in one transaction; raises BundleError.
    dump(lesson) -> dict, dumps(lesson) -> str
        The lesson as a bundle; dumps() gives the exact bytes an export writes.

Why the quizzes are a "part". DESIGN says `lessons` never imports `quizzes`, yet a bundle
holds the lesson's quizzes. This module owns the format: the envelope, the lesson, its
sources, sections and claims, the rules for checking items and the order of writing. An
app that owns a top-level list of the bundle registers a `Part` (validate, check removals,
write, dump) from its own `bundle` module: quizzes/bundle.py registers `quizzes`. Those
modules are found the way the admin finds `admin.py` files, with
`autodiscover_modules("bundle")`, so this module names no other app and the dependency
runs one way: quizzes builds on lessons. Without the quizzes app a bundle that has
quizzes is refused for an unknown key instead of silently losing them. The management
commands live in lessons/management/commands/ because, through this module, they handle
the whole bundle.

An import validates everything before its first write. Then, in one transaction, it
matches rows by their keys (choices, which have no keys, by position within their
question), saves a row only where a value differs, and deletes the rows whose keys left
the bundle last. A deletion that would destroy learners' answers is refused before
anything is written.
"""

from __future__ import annotations

import difflib
import json
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.db import models, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.module_loading import autodiscover_modules

from .models import Claim, Lesson, Section, Source

FORMAT = "sourcewise.lesson/1"

KEY_MAX_LENGTH = Source._meta.get_field("key").max_length
KEY_PATTERN = re.compile(r"[a-z0-9-]+")
# PositiveIntegerField's limit on every database Django supports.
INT_MAX = 2_147_483_647

CREATED, UPDATED, UNCHANGED, DELETED = "created", "updated", "unchanged", "deleted"


class BundleError(Exception):
    """A bundle that cannot be imported. `problems` holds one message per problem."""

    def __init__(self, problems: Iterable[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


# ---------------------------------------------------------------------------
# Checks of one value. Each returns None when the value is fine, or the rest of a
# sentence that starts with the key's name: `"points" must be at least 1, not 0`.

Check = Callable[[Any], "str | None"]


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _show(value: Any) -> str:
    """A value as a message quotes it: scalars as JSON, containers by their type."""
    if value is None or isinstance(value, str | int | float):
        return json.dumps(value, ensure_ascii=False)
    return _json_type(value)


def text(model: type[models.Model], field_name: str) -> Check:
    """A string that fits `model.field_name`: not empty unless the field may be blank,
    no longer than its max_length (PostgreSQL enforces it; SQLite would not)."""
    model_field = model._meta.get_field(field_name)

    def check(value):
        if not isinstance(value, str):
            return f"must be a string, not {_json_type(value)}"
        if not value and not model_field.blank:
            return "must not be empty"
        if model_field.max_length and len(value) > model_field.max_length:
            return f"is too long: {len(value)} characters, at most {model_field.max_length}"
        return None

    return check


def key(value: Any) -> str | None:
    if not isinstance(value, str):
        return f"must be a key (a string), not {_json_type(value)}"
    if not KEY_PATTERN.fullmatch(value):
        return f"must be a key (lowercase letters, digits and hyphens), not {_show(value)}"
    if len(value) > KEY_MAX_LENGTH:
        return f"is too long for a key: {len(value)} characters, at most {KEY_MAX_LENGTH}"
    return None


def key_or_null(value: Any) -> str | None:
    return None if value is None else key(value)


def boolean(value: Any) -> str | None:
    if not isinstance(value, bool):
        return f"must be true or false, not {_show(value)}"
    return None


def positive_int(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return f"must be a whole number, not {_show(value)}"
    if value < 1:
        return f"must be at least 1, not {value}"
    if value > INT_MAX:
        return f"must be at most {INT_MAX}, not {value}"
    return None


def positive_int_or_null(value: Any) -> str | None:
    return None if value is None else positive_int(value)


def one_of(choices: Iterable[str]) -> Check:
    allowed = list(choices)

    def check(value):
        if value not in allowed or not isinstance(value, str):
            return f"must be one of {', '.join(allowed)}, not {_show(value)}"
        return None

    return check


def a_list(value: Any) -> str | None:
    if not isinstance(value, list):
        return f"must be a list, not {_json_type(value)}"
    return None


def an_object(value: Any) -> str | None:
    if not isinstance(value, dict):
        return f"must be an object, not {_json_type(value)}"
    return None


# ---------------------------------------------------------------------------
# The shape of the lesson's side of a bundle. The order of the keys here is the order
# export writes them in, and the order of the tables in docs/lesson-bundle.md.

TOP_FIELDS: dict[str, Check] = {
    "format": lambda v: None,  # checked first, on its own
    "lesson": an_object,
    "sources": a_list,
    "sections": a_list,
    "claims": a_list,
}
LESSON_FIELDS: dict[str, Check] = {
    "slug": key,
    "title": text(Lesson, "title"),
    "summary": text(Lesson, "summary"),
    "objectives": a_list,
    "article": an_object,
    "published": boolean,
}
ARTICLE_FIELDS: dict[str, Check] = {
    name: text(Lesson, f"article_{name}")
    for name in ("title", "publisher", "byline", "date", "note")
}
SOURCE_FIELDS: dict[str, Check] = {
    "key": key,
    "name": text(Source, "name"),
    "kind": one_of(Source.Kind.values),
    "parent": key_or_null,
    "side": text(Source, "side"),
    "description": text(Source, "description"),
    "aliases": a_list,  # optional: written only when not empty, [] when missing
}
OPTIONAL_SOURCE_FIELDS = ("aliases",)
SECTION_FIELDS: dict[str, Check] = {
    "key": key,
    "title": text(Section, "title"),
    "body": text(Section, "body"),
}
CLAIM_FIELDS: dict[str, Check] = {
    "key": key,
    "section": key,
    "source": key,
    "cue": text(Claim, "cue"),
    "kind": one_of(Claim.Kind.values),
    "content": text(Claim, "content"),
    "quoted": text(Claim, "quoted"),
    "evidence": text(Claim, "evidence"),
}


def _where(noun: str, item: Any, position: int, within: str = "") -> str:
    """How a message names an item: by its key when it has one, else by its position."""
    label = (
        f'{noun} "{item["key"]}"'
        if isinstance(item, dict) and isinstance(item.get("key"), str) and item["key"]
        else f"{noun} #{position}"
    )
    return f"{within} {label}" if within else label


class Checker:
    """Collects the problems of one bundle. Parts use it to check their own items, and
    read `sources`, `sections` and `claims` (key -> the item as written, which may hold
    badly typed values: those are reported already) to check their references."""

    def __init__(self, name: str):
        self.name = name
        self.problems: list[str] = []
        self.sources: dict[str, dict] = {}
        self.sections: dict[str, dict] = {}
        self.claims: dict[str, dict] = {}

    def report(self, where: str, problem: str) -> None:
        self.problems.append(
            f"{self.name}: {where}: {problem}" if where else f"{self.name}: {problem}"
        )

    def check_object(
        self, value: Any, fields: dict[str, Check], where: str, optional: Iterable[str] = ()
    ) -> dict:
        """Check an object's keys and values; return the fields whose values are fine.
        A name in `optional` may be missing."""
        if not isinstance(value, dict):
            self.report(where, f"must be an object, not {_json_type(value)}")
            return {}
        for name in getattr(value, "repeated_names", ()):
            self.report(where, f'key "{name}" appears twice')
        for name in value:
            if name not in fields:
                hint = difflib.get_close_matches(name, fields, n=1)
                suggestion = f' (did you mean "{hint[0]}"?)' if hint else ""
                self.report(where, f'unknown key "{name}"{suggestion}')
        fine = {}
        for name, check in fields.items():
            if name not in value:
                if name not in optional:
                    self.report(where, f'missing key "{name}"')
                continue
            problem = check(value[name])
            if problem:
                self.report(where, f'"{name}" {problem}')
            else:
                fine[name] = value[name]
        return fine

    def check_items(
        self,
        items: list,
        noun: str,
        fields: dict[str, Check],
        within: str = "",
        optional: Iterable[str] = (),
    ) -> list[tuple[str, dict]]:
        """Check a list of keyed objects; return (where, fine fields) for each, and report
        keys used twice."""
        checked = []
        first_use: dict[str, str] = {}
        for position, item in enumerate(items, start=1):
            where = _where(noun, item, position, within)
            fine = self.check_object(item, fields, where, optional)
            item_key = item.get("key") if isinstance(item, dict) else None
            if isinstance(item_key, str):
                if item_key in first_use:
                    self.report(where, f"duplicate key: {first_use[item_key]} has it too")
                    continue
                first_use[item_key] = f"{noun} #{position}"
            checked.append((where, fine))
        return checked


@dataclass(frozen=True)
class Refs:
    """The lesson's saved rows by key, for parts to point at."""

    sources: dict[str, Source]
    sections: dict[str, Section]
    claims: dict[str, Claim]


@dataclass(frozen=True)
class Removals:
    """The lesson's rows whose keys are gone from the bundle, about to be deleted."""

    sources: list[Source]
    sections: list[Section]
    claims: list[Claim]


class Tally:
    """How many rows of each kind an import created, updated, deleted or left alone."""

    STATUSES = (CREATED, UPDATED, DELETED, UNCHANGED)

    def __init__(self):
        self.counts: dict[str, Counter] = {}

    def add(self, label: str, status: str, n: int = 1) -> None:
        self.counts.setdefault(label, Counter())[status] += n

    @property
    def changed(self) -> bool:
        return any(c[CREATED] or c[UPDATED] or c[DELETED] for c in self.counts.values())

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {
            label: {status: counter[status] for status in self.STATUSES}
            for label, counter in self.counts.items()
        }


@dataclass(frozen=True)
class Part:
    """A top-level list of the bundle that another app owns.

    validate(items, checker)                   report problems; no database access
    check_removals(lesson, items, removals, checker)
                                               report rows that must not be deleted
    write(lesson, items, refs, tally)          create, update and delete the part's rows
    dump(lesson) -> list                       the part's items, in export order
    """

    key: str
    validate: Callable[[list, Checker], None]
    check_removals: Callable[[Lesson, list, Removals, Checker], None]
    write: Callable[[Lesson, list, Refs, Tally], None]
    dump: Callable[[Lesson], list]


_parts: dict[str, Part] = {}


def register(part: Part) -> None:
    """Add a part to the format; called by an app's `bundle` module when it is imported."""
    _parts[part.key] = part


def parts() -> list[Part]:
    autodiscover_modules("bundle")
    return list(_parts.values())


# ---------------------------------------------------------------------------
# Reading


class _JSONObject(dict):
    """A JSON object that remembers the names it held twice (json keeps only the last)."""

    repeated_names: tuple[str, ...] = ()


def _object_from_pairs(pairs: list[tuple[str, Any]]) -> _JSONObject:
    obj = _JSONObject(pairs)
    seen = Counter(name for name, _ in pairs)
    repeated = tuple(name for name, n in seen.items() if n > 1)
    if repeated:
        obj.repeated_names = repeated
    return obj


def _default_name(source: Any) -> str:
    if isinstance(source, str | os.PathLike):
        return Path(source).name
    file_name = getattr(source, "name", None)
    if isinstance(file_name, str) and file_name:
        return Path(file_name).name
    return "bundle"


def load(source: dict | str | os.PathLike | IO, *, name: str | None = None) -> dict:
    """Parse a bundle from a path or an open file; a dict is returned as it is.

    Raises BundleError for a file that cannot be read or is not JSON (with its line and
    column). The result is not validated yet: see validate()."""
    if isinstance(source, dict):
        return source
    name = name or _default_name(source)
    try:
        is_path = isinstance(source, str | os.PathLike)
        raw = Path(source).read_bytes() if is_path else source.read()
    except OSError as error:
        raise BundleError([f"{name}: cannot read the file: {error.strerror or error}"]) from error
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise BundleError(
                [f"{name}: not UTF-8 text (byte {error.start + 1} cannot be decoded)"]
            ) from error
    try:
        return json.loads(raw, object_pairs_hook=_object_from_pairs)
    except json.JSONDecodeError as error:
        raise BundleError(
            [f"{name}: not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})"]
        ) from error


# ---------------------------------------------------------------------------
# Validating


def _parent_cycles(parents: dict[str, str]) -> list[list[str]]:
    """Each cycle among the sources' parents once, as the keys along it. `parents` maps a
    source's key to its parent's key."""
    cycles, settled = [], set()
    for start in parents:
        path: list[str] = []
        node = start
        while node in parents and node not in settled and node not in path:
            path.append(node)
            node = parents[node]
        if node in path:
            cycles.append(path[path.index(node) :] + [node])
        settled.update(path)
    return cycles


def validate(data: Any, *, name: str = "bundle") -> list[str]:
    """Every problem of a bundle, each as "<name>: <item>: <problem>"; [] when it is fine.

    Checks shapes, types, keys, references, parents, evidence and each part's rules. It
    does not look at the database: import_bundle() checks removals against it."""
    ck = Checker(name)
    if not isinstance(data, dict):
        ck.report("", f"a bundle must be a JSON object, not {_json_type(data)}")
        return ck.problems
    if "format" not in data:
        ck.report("", f'missing key "format" (it must be "{FORMAT}")')
        return ck.problems
    if data["format"] != FORMAT:
        # Another version may mean anything: its other problems would only be noise.
        ck.report("", f'"format" must be "{FORMAT}", not {_show(data["format"])}')
        return ck.problems

    the_parts = parts()
    top = ck.check_object(data, TOP_FIELDS | {p.key: a_list for p in the_parts}, "")

    if "lesson" in top:
        lesson = ck.check_object(top["lesson"], LESSON_FIELDS, "lesson")
        if "article" in lesson:
            ck.check_object(lesson["article"], ARTICLE_FIELDS, "lesson.article")
        for position, objective in enumerate(lesson.get("objectives", []), start=1):
            if not isinstance(objective, str):
                ck.report(
                    "lesson", f"objective {position} must be a string, not {_json_type(objective)}"
                )
            elif not objective.strip() or "\n" in objective or objective != objective.strip():
                ck.report(
                    "lesson",
                    f"objective {position} must be one line of text without spaces around it",
                )

    sources = ck.check_items(
        top.get("sources", []), "source", SOURCE_FIELDS, optional=OPTIONAL_SOURCE_FIELDS
    )
    ck.check_items(top.get("sections", []), "section", SECTION_FIELDS)
    claims = ck.check_items(top.get("claims", []), "claim", CLAIM_FIELDS)
    # Items are known by any string key, even a badly spelt one, so that a bad key is
    # reported once and not again by everything that refers to it.
    ck.sources = {item["key"]: item for item in _keyed(top.get("sources", []))}
    ck.sections = {item["key"]: item for item in _keyed(top.get("sections", []))}
    ck.claims = {item["key"]: item for item in _keyed(top.get("claims", []))}

    for where, source in sources:
        for position, alias in enumerate(source.get("aliases", []), start=1):
            if not isinstance(alias, str) or not alias.strip() or "\n" in alias:
                ck.report(where, f"alias {position} must be one line of text")
        parent = source.get("parent")
        if parent is not None and parent not in ck.sources:
            ck.report(where, f'parent source "{parent}" not found')
    parents = {k: v.get("parent") for k, v in ck.sources.items()}
    for cycle in _parent_cycles({k: p for k, p in parents.items() if isinstance(p, str)}):
        ck.report(f'source "{cycle[0]}"', f"its parents form a cycle: {' → '.join(cycle)}")

    for where, claim in claims:
        check_reference(ck, where, "source", claim.get("source"), ck.sources)
        section = check_reference(ck, where, "section", claim.get("section"), ck.sections)
        check_evidence(ck, where, claim.get("evidence"), section)
        if claim.get("kind") == Claim.Kind.QUOTE and claim.get("quoted") == "":
            ck.report(where, 'a quote needs the quoted words: "quoted" is empty')

    for part in the_parts:
        if part.key in top:
            part.validate(top[part.key], ck)
    return ck.problems


def _keyed(items: list) -> list[dict]:
    return [i for i in items if isinstance(i, dict) and isinstance(i.get("key"), str)]


def check_reference(ck: Checker, where: str, noun: str, ref: Any, known: dict) -> dict | None:
    """Report a reference to a missing item; return the item when it exists."""
    if not isinstance(ref, str):
        return None  # missing or of the wrong type: already reported
    if ref not in known:
        ck.report(where, f'{noun} "{ref}" not found')
        return None
    return known[ref] if isinstance(known[ref], dict) else None


def check_evidence(ck: Checker, where: str, evidence: Any, section: dict | None) -> None:
    """Report evidence that does not occur word for word in its section's body."""
    if not isinstance(evidence, str) or not evidence or section is None:
        return
    body = section.get("body")
    if isinstance(body, str) and evidence not in body:
        ck.report(where, f'evidence not found in section "{section["key"]}"')


# ---------------------------------------------------------------------------
# Writing


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


def _parents_first(sources: list[dict]) -> list[dict]:
    by_key = {s["key"]: s for s in sources}
    ordered: list[dict] = []
    placed: set[str] = set()

    def place(source):
        if source["key"] in placed:
            return
        placed.add(source["key"])
        if source["parent"] is not None:
            place(by_key[source["parent"]])
        ordered.append(source)

    for source in sources:
        place(source)
    return ordered


def _lesson_values(data: dict) -> dict:
    lesson, article = data["lesson"], data["lesson"]["article"]
    return {
        "slug": lesson["slug"],
        "title": lesson["title"],
        "summary": lesson["summary"],
        "objectives": "\n".join(lesson["objectives"]),
        "article_title": article["title"],
        "article_publisher": article["publisher"],
        "article_byline": article["byline"],
        "article_date": article["date"],
        "article_note": article["note"],
        "published": lesson["published"],
    }


@dataclass
class ImportResult:
    name: str
    lesson: Lesson
    status: str  # CREATED, UPDATED or UNCHANGED: the lesson as a whole
    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    def summary(self) -> str:
        lines = [f'{self.name}: lesson "{self.lesson.slug}" {self.status}']
        for label, counter in self.counts.items():
            if label == "lesson":
                continue
            done = ", ".join(f"{n} {status}" for status, n in counter.items() if n)
            lines.append(f"  {label}: {done or 'none'}")
        return "\n".join(lines)


def import_bundle(path_or_file: Any, *, name: str | None = None) -> ImportResult:
    """Import one bundle (a path, an open file, or anything load() takes): create the
    lesson or update it in place by its keys, all in one transaction.

    Raises BundleError, having written nothing, when the bundle has any problem or when
    it would delete rows that learners have answered."""
    name = name or _default_name(path_or_file)
    data = load(path_or_file, name=name)
    problems = validate(data, name=name)
    if problems:
        raise BundleError(problems)
    with transaction.atomic():
        return _write(data, name)


def _write(data: dict, name: str) -> ImportResult:
    ck = Checker(name)
    tally = Tally()
    the_parts = parts()
    # Lock the lesson's row: two imports of one lesson run one after the other instead
    # of interleaving their deletions.
    lesson = Lesson.objects.select_for_update().filter(slug=data["lesson"]["slug"]).first()
    old_sources = {s.key: s for s in lesson.sources.all()} if lesson else {}
    old_sections = {s.key: s for s in lesson.sections.all()} if lesson else {}
    old_claims = {c.key: c for c in lesson.claims.all()} if lesson else {}
    removals = Removals(
        sources=_gone(old_sources, data["sources"]),
        sections=_gone(old_sections, data["sections"]),
        claims=_gone(old_claims, data["claims"]),
    )
    if lesson is not None:
        for part in the_parts:
            part.check_removals(lesson, data[part.key], removals, ck)
        if ck.problems:
            raise BundleError(ck.problems)

    lesson, lesson_status = upsert(lesson, Lesson, _lesson_values(data))
    tally.add("lesson", lesson_status)

    sources: dict[str, Source] = {}
    position = {item["key"]: order for order, item in enumerate(data["sources"])}
    for item in _parents_first(data["sources"]):
        values = {
            "lesson": lesson,
            "key": item["key"],
            "order": position[item["key"]],
            "name": item["name"],
            "kind": item["kind"],
            "parent": sources[item["parent"]] if item["parent"] else None,
            "side": item["side"],
            "description": item["description"],
            "aliases": "\n".join(item.get("aliases", [])),
        }
        sources[item["key"]], status = upsert(old_sources.get(item["key"]), Source, values)
        tally.add("sources", status)

    sections: dict[str, Section] = {}
    for order, item in enumerate(data["sections"]):
        values = {
            "lesson": lesson,
            "key": item["key"],
            "order": order,
            "title": item["title"],
            "body": item["body"],
        }
        sections[item["key"]], status = upsert(old_sections.get(item["key"]), Section, values)
        tally.add("sections", status)

    claims: dict[str, Claim] = {}
    for order, item in enumerate(data["claims"]):
        values = {
            "lesson": lesson,
            "key": item["key"],
            "order": order,
            "section": sections[item["section"]],
            "source": sources[item["source"]],
            "cue": item["cue"],
            "kind": item["kind"],
            "content": item["content"],
            "quoted": item["quoted"],
            "evidence": item["evidence"],
        }
        claims[item["key"]], status = upsert(old_claims.get(item["key"]), Claim, values)
        tally.add("claims", status)

    refs = Refs(sources=sources, sections=sections, claims=claims)
    for part in the_parts:
        part.write(lesson, data[part.key], refs, tally)

    # Last, once nothing in the bundle points at them any more.
    for label, rows in (
        ("claims", removals.claims),
        ("sections", removals.sections),
        ("sources", removals.sources),
    ):
        for row in rows:
            try:
                row.delete()
            except (ProtectedError, RestrictedError) as error:
                # A safety net: parts refuse the removals they know of before writing.
                others = getattr(error, "protected_objects", None) or error.restricted_objects
                raise BundleError(
                    [
                        f'{name}: {label[:-1]} "{row.key}": cannot be removed: '
                        f"{len(others)} other row(s) still refer to it"
                    ]
                ) from error
            tally.add(label, DELETED)

    if tally.changed and lesson_status == UNCHANGED:
        lesson.save(update_fields=["updated_at"])
        lesson_status = UPDATED
        tally.counts["lesson"] = Counter({UPDATED: 1})
    return ImportResult(name=name, lesson=lesson, status=lesson_status, counts=tally.as_dict())


def _gone(old: dict[str, models.Model], items: list[dict]) -> list:
    keep = {item["key"] for item in items}
    return [row for row_key, row in old.items() if row_key not in keep]


# ---------------------------------------------------------------------------
# Writing out


def dump(lesson: Lesson) -> dict:
    """The lesson as a bundle, keys in the documented order, every list in its order."""
    data: dict[str, Any] = {
        "format": FORMAT,
        "lesson": {
            "slug": lesson.slug,
            "title": lesson.title,
            "summary": lesson.summary,
            "objectives": lesson.objective_list,
            "article": {
                "title": lesson.article_title,
                "publisher": lesson.article_publisher,
                "byline": lesson.article_byline,
                "date": lesson.article_date,
                "note": lesson.article_note,
            },
            "published": lesson.published,
        },
        "sources": [
            {
                "key": source.key,
                "name": source.name,
                "kind": source.kind,
                "parent": source.parent.key if source.parent_id else None,
                "side": source.side,
                "description": source.description,
                **({"aliases": source.alias_list} if source.alias_list else {}),
            }
            for source in lesson.sources.select_related("parent").order_by("order", "id")
        ],
        "sections": [
            {"key": section.key, "title": section.title, "body": section.body}
            for section in lesson.sections.order_by("order", "id")
        ],
        "claims": [
            {
                "key": claim.key,
                "section": claim.section.key,
                "source": claim.source.key,
                "cue": claim.cue,
                "kind": claim.kind,
                "content": claim.content,
                "quoted": claim.quoted,
                "evidence": claim.evidence,
            }
            for claim in lesson.claims.select_related("section", "source").order_by("order", "id")
        ],
    }
    for part in parts():
        data[part.key] = part.dump(lesson)
    return data


def dumps(lesson: Lesson) -> str:
    """The bundle file's text: two-space indents, UTF-8 as is, a final newline."""
    return json.dumps(dump(lesson), indent=2, ensure_ascii=False) + "\n"
