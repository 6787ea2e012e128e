"""The declarations of the format (bundle/schema.py): each model field once, checks taken
from the model fields."""

import pytest

from bundle.schema import CHOICE, CLAIM, LESSON, QUESTION, QUIZ, SECTION, SOURCE, Children, Group
from lessons.models import Source

# Model fields a bundle does not carry, and why.
NOT_IN_A_BUNDLE = {
    "id": "databases' own; items are known by their keys",
    "order": "the item's position in its list",
    "updated_at": "set by every save",
    "opens_at": "a teacher sets it per class; an import leaves it alone",
    "closes_at": "likewise",
    "owner": "who edits it in this school's workspace; an import gives it none or the importer",
    "open_to_all": "who may take it is a school's decision, not the content's",
    "archived": "a school's record-keeping: an import leaves it alone",
}


def stored_fields(item):
    """The model fields an item's declarations write, one entry per declaration."""
    for f in item.fields:
        if isinstance(f, Group):
            yield from (f.prefix + name for name in f.names)
        elif not isinstance(f, Children):
            yield f.model_field.name


@pytest.mark.parametrize("item", [LESSON, SOURCE, SECTION, CLAIM, QUIZ, QUESTION, CHOICE])
def test_every_model_field_is_in_the_bundle_once_or_left_out_on_purpose(item):
    model_fields = {f.name for f in item.model._meta.concrete_fields}
    declared = list(stored_fields(item))

    assert len(declared) == len(set(declared))
    assert set(declared) | {item.within} | set(NOT_IN_A_BUNDLE) >= model_fields
    assert set(declared) <= model_fields


def test_field_checks_come_from_the_model_fields():
    by_name = {f.name: f for f in SOURCE.fields}
    name_field = Source._meta.get_field("name")

    assert by_name["name"].check("x" * name_field.max_length) is None
    assert by_name["name"].check("x" * (name_field.max_length + 1))[1] == "max_length"
    assert by_name["description"].check("") is None  # blank=True on the model
    assert by_name["side"].check("")[1] == "blank"
    assert by_name["kind"].check(Source.Kind.MEDIA.value) is None
    assert by_name["kind"].check("press")[1] == "invalid_choice"
    assert by_name["parent"].check(None) is None  # null=True on the model
    assert by_name["key"].check("a--b")[1] == "invalid_key"
