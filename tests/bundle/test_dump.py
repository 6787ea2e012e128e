"""Export (bundle/dump.py): the documented format, byte for byte."""

import json

import pytest

from bundle.dump import dump, dumps
from bundle.upsert import import_bundle
from tests.bundle.sample import (
    BUNDLE,
    MODELS,
    bundle,
    delete_lesson,
    write,
)

pytestmark = pytest.mark.django_db


def test_dumps_writes_the_documented_format(tmp_path):
    result = import_bundle(write(tmp_path, BUNDLE))

    text = dumps(result.lesson)

    assert text == json.dumps(BUNDLE, indent=2, ensure_ascii=False) + "\n"
    assert "“fair to all”" in text  # UTF-8 as is, not \u escapes


def test_export_then_import_into_an_empty_database_then_export_gives_the_same_bytes(tmp_path):
    data = bundle()
    # Written out of export order: import must not depend on it, export must restore it.
    data["sources"].reverse()
    lesson = import_bundle(write(tmp_path, data)).lesson
    first = dumps(lesson)
    delete_lesson(lesson)
    assert not any(model.objects.exists() for model in MODELS)

    lesson = import_bundle(write(tmp_path, first, "export.json")).lesson

    assert dumps(lesson) == first


def test_dump_gives_the_bundle_as_a_dict(tmp_path):
    lesson = import_bundle(write(tmp_path, BUNDLE)).lesson

    assert dump(lesson) == BUNDLE
