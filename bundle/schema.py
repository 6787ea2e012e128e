"""The shape of a `sourcewise.lesson/1` bundle (docs/lesson-bundle.md), each field once.

An `Item` is one kind of JSON object: the model it maps onto and its fields, in the order
export writes them. A field names the model field it is stored in, and its checks come
from that model field: its type, null, blank, choices, max_length and validators. So a
key is what the model's key fields accept (`lessons.models.validate_key`, Django's slug
rule, 50 characters), in a bundle as in the admin. Validation (bundle/validate.py),
import (bundle/upsert.py) and export (bundle/dump.py) all read these declarations.

What the models do not say, this module does: integers in a bundle are at least 1 (the
database's check constraints say so too), `objectives` is a list of lines, `article`
groups the lesson's `article_*` fields, and a question must name its section.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from lessons.models import Claim, Lesson, Section, Source
from quizzes.models import Choice, Question, Quiz, RubricLevel

from .values import json_type, show  # noqa: F401  (validate.py imports them from here)

FORMAT = "sourcewise.lesson/1"

# PositiveIntegerField's limit on every database Django supports (SQLite's is larger).
INT_MAX = 2_147_483_647

# A problem with one value: (the rest of a sentence, a code), e.g.
# ('"points" must be at least 1, not 0', "min_value"). None when the value is fine.
ValueProblem = tuple[str, str] | None


def _validator_codes(model_field: models.Field, value: Any) -> list[ValidationError]:
    try:
        model_field.run_validators(value)
    except ValidationError as error:
        return error.error_list
    return []


@dataclass(frozen=True)
class Column:
    """A member of a JSON object, stored in the model field of the same name."""

    name: str
    # Set by Item: the model field, from which every check below is derived.
    model_field: models.Field = field(default=None, compare=False, repr=False)
    # An optional member may be missing (it then stores the model field's default) and is
    # written only when it holds something else, so bundles from before it was added
    # stay unchanged.
    optional: bool = False

    def bind(self, model: type[models.Model]) -> Column:
        return replace(self, model_field=model._meta.get_field(self.name))

    def check(self, value: Any) -> ValueProblem:
        f = self.model_field
        if value is None and f.null:
            return None
        if isinstance(f, models.BooleanField):
            if not isinstance(value, bool):
                return f"must be true or false, not {show(value)}", "wrong_type"
            return None
        if isinstance(f, models.IntegerField):
            return check_count(value)
        if f.choices:
            allowed = [str(choice) for choice, _ in f.flatchoices]
            if not isinstance(value, str) or value not in allowed:
                return f"must be one of {', '.join(allowed)}, not {show(value)}", "invalid_choice"
            return None
        if isinstance(f, models.SlugField):
            return check_key(f, value)
        if not isinstance(value, str):
            return f"must be a string, not {json_type(value)}", "wrong_type"
        if not value and not f.blank:
            return "must not be empty", "blank"
        for error in _validator_codes(f, value):
            if error.code == "max_length":
                limit = error.params["limit_value"]
                return f"is too long: {len(value)} characters, at most {limit}", "max_length"
            return error.messages[0], error.code or "invalid"
        return None

    def to_model(self, value: Any, refs: dict) -> dict[str, Any]:
        if value is None and self.optional:  # missing from the bundle: the field's default
            value = self.model_field.get_default()
        return {self.name: value}

    def from_model(self, row: models.Model) -> Any:
        return getattr(row, self.name)

    def is_default(self, value: Any) -> bool:
        """Whether an optional member holding `value` is left out of an export."""
        return value == self.model_field.get_default()


def check_count(value: Any) -> ValueProblem:
    if isinstance(value, bool) or not isinstance(value, int):
        return f"must be a whole number, not {show(value)}", "wrong_type"
    if value < 1:
        return f"must be at least 1, not {value}", "min_value"
    if value > INT_MAX:
        return f"must be at most {INT_MAX}, not {value}", "max_value"
    return None


def check_key(key_field: models.Field, value: Any) -> ValueProblem:
    """A key, by the rules of the model's key field (its validators and max_length)."""
    if not isinstance(value, str):
        return f"must be a key (a string), not {json_type(value)}", "wrong_type"
    codes = {error.code for error in _validator_codes(key_field, value)}
    if codes == {"max_length"}:
        limit = key_field.max_length
        return f"is too long for a key: {len(value)} characters, at most {limit}", "max_length"
    if codes or not value:
        return (
            f"must be a key (lowercase letters and digits, joined by single hyphens), "
            f"not {show(value)}",
            "invalid_key",
        )
    return None


@dataclass(frozen=True)
class Ref(Column):
    """A foreign key, written as the key of the row it points at (null where the model
    allows it, unless `required`)."""

    label: str = ""  # how a message names the row pointed at; default: its item's noun
    required: bool = False

    @property
    def target(self) -> type[models.Model]:
        return self.model_field.related_model

    def check(self, value: Any) -> ValueProblem:
        if value is None and self.model_field.null and not self.required:
            return None
        return check_key(self.target._meta.get_field("key"), value)

    def to_model(self, value: Any, refs: dict) -> dict[str, Any]:
        return {self.name: refs[self.target][value] if value is not None else None}

    def from_model(self, row: models.Model) -> Any:
        if getattr(row, self.model_field.attname) is None:
            return None
        return getattr(row, self.name).key


@dataclass(frozen=True)
class Lines(Column):
    """A list of one-line strings, stored one per line in a text field."""

    noun: str = ""  # how a message names one line: "objective 2 …"
    read: str = ""  # the model's property that gives the stored lines back as a list

    def check_line(self, value: Any) -> str | None:
        if not isinstance(value, str):
            return f"must be a string, not {json_type(value)}"
        if value.splitlines() != [value.strip()]:  # the lines splitlines() gives back
            return "must be one line of text without spaces around it"
        return None

    def to_model(self, value: list[str] | None, refs: dict) -> dict[str, Any]:
        return {self.name: "\n".join(value or [])}

    def from_model(self, row: models.Model) -> list[str]:
        return getattr(row, self.read)

    def is_default(self, value: Any) -> bool:
        return not value


@dataclass(frozen=True)
class Group:
    """An object whose keys are columns with a common prefix: `article.title` is stored
    in `article_title`."""

    name: str
    prefix: str
    names: tuple[str, ...]
    fields: tuple[Column, ...] = ()
    optional_names: tuple[str, ...] = ()  # members that may be missing, written when set

    def bind(self, model: type[models.Model]) -> Group:
        columns = (
            Column(name, model._meta.get_field(self.prefix + name), name in self.optional_names)
            for name in self.names
        )
        return replace(self, fields=tuple(columns))

    def to_model(self, value: dict, refs: dict) -> dict[str, Any]:
        return {self.prefix + name: value.get(name, "") for name in self.names}

    def from_model(self, row: models.Model) -> dict[str, Any]:
        values = {name: getattr(row, self.prefix + name) for name in self.names}
        return {n: v for n, v in values.items() if v or n not in self.optional_names}


@dataclass(frozen=True)
class Fraction(Column):
    """A number from 0 to 1 (a rubric level's credit)."""

    def check(self, value: Any) -> ValueProblem:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return f"must be a number from 0 to 1, not {show(value)}", "wrong_type"
        if not 0 <= value <= 1:
            return f"must be from 0 to 1, not {value}", "out_of_range"
        return None


@dataclass(frozen=True)
class Children:
    """A list of items that belong to this row; `name` is the model's reverse accessor
    (Quiz.questions, Question.choices); an optional one may be missing, written when not empty."""

    name: str
    item: Item
    optional: bool = False


@dataclass(frozen=True)
class Item:
    """One kind of object in a bundle. `within` is the model's foreign key to the row
    that holds the list (None for the lesson); items are matched to existing rows by
    `key`, or by position when they have none (choices)."""

    model: type[models.Model]
    noun: str
    plural: str
    within: str | None
    fields: tuple[Column | Group | Children, ...]
    key: str | None = "key"

    @classmethod
    def of(cls, model, noun, plural, within, *fields, key="key") -> Item:
        bound = tuple(
            f if isinstance(f, Children) else (Column(f) if isinstance(f, str) else f).bind(model)
            for f in fields
        )
        return cls(model, noun, plural, within, bound, key)

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.fields]

    @property
    def children(self) -> list[Children]:
        return [f for f in self.fields if isinstance(f, Children)]

    @property
    def refs(self) -> list[Ref]:
        return [f for f in self.fields if isinstance(f, Ref)]

    def values(self, entry: dict, refs: dict) -> dict[str, Any]:
        """The model field values of a valid entry; `refs` maps a model and a key to the
        row already saved under that key."""
        values: dict[str, Any] = {}
        for f in self.fields:
            if not isinstance(f, Children):
                values.update(f.to_model(entry.get(f.name), refs))
        return values


# The items, each model field listed once, in the order export writes them.

LESSON = Item.of(
    Lesson,
    "lesson",
    "lesson",
    None,
    "slug",
    "title",
    "summary",
    Lines("objectives", noun="objective", read="objective_list"),
    Group(
        "article",
        "article_",
        ("title", "publisher", "byline", "date", "url", "note"),
        optional_names=("url",),
    ),
    "published",
    Column("source_text", optional=True),
    key="slug",
)
SOURCE = Item.of(
    Source,
    "source",
    "sources",
    "lesson",
    "key",
    "name",
    "kind",
    Ref("parent", label="parent source"),
    "side",
    "description",
    Lines("aliases", noun="alias", read="alias_list", optional=True),
)
SECTION = Item.of(Section, "section", "sections", "lesson", "key", "title", "body")
CLAIM = Item.of(
    Claim,
    "claim",
    "claims",
    "lesson",
    "key",
    Ref("section"),
    Ref("source"),
    "cue",
    "kind",
    "content",
    "quoted",
    "evidence",
)
CHOICE = Item.of(
    Choice,
    "choice",
    "choices",
    "question",
    "text",
    "correct",
    Ref("source"),
    "feedback",
    Column("partial", optional=True),
    key=None,
)
LEVEL = Item.of(
    RubricLevel, "level", "levels", "question", "name", "description", Fraction("credit"), key=None
)
QUESTION = Item.of(
    Question,
    "question",
    "questions",
    "quiz",
    "key",
    "kind",
    "skill",
    "prompt",
    "explanation",
    "points",
    Column("fixed_order", optional=True),
    Ref("section", required=True),
    Ref("claim"),
    "evidence",
    Children("choices", CHOICE),
    Children("levels", LEVEL, optional=True),
)
QUIZ = Item.of(
    Quiz,
    "quiz",
    "quizzes",
    "lesson",
    "key",
    "title",
    "description",
    "published",
    "max_attempts",
    "time_limit_minutes",
    "shuffle_questions",
    "shuffle_choices",
    "feedback",
    Column("review_score", optional=True),
    Column("review_correctness", optional=True),
    Column("review_key", optional=True),
    Column("review_feedback", optional=True),
    Column("counted_attempt", optional=True),
    Children("questions", QUESTION),
)

# The lists at the top level of a bundle, beside "format" and "lesson", in export order.
LISTS: dict[str, Item] = {item.plural: item for item in (SOURCE, SECTION, CLAIM, QUIZ)}
TOP_NAMES = ("format", "lesson", *LISTS)

# The item of each model a list holds (what a Ref points at, what a deletion counts).
ITEMS_BY_MODEL = {i.model: i for i in (SOURCE, SECTION, CLAIM, QUIZ, QUESTION, CHOICE, LEVEL)}
