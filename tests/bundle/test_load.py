"""Reading a bundle file (bundle/load.py): bad bytes give a BundleError, never a crash."""

import json

import pytest

from bundle.errors import BundleError
from bundle.upsert import import_bundle
from lessons.models import Lesson
from tests.bundle.sample import (
    BUNDLE,
    write,
)

pytestmark = pytest.mark.django_db


def test_import_refuses_broken_json_with_its_line_and_column(tmp_path):
    path = write(tmp_path, '{\n  "format": "sourcewise.lesson/1"\n  "lesson": {}\n}', "bad.json")

    with pytest.raises(BundleError) as refused:
        import_bundle(path)

    assert refused.value.problems == [
        "bad.json: not valid JSON: Expecting ',' delimiter (line 3, column 3)"
    ]
    assert not Lesson.objects.exists()


def test_import_refuses_a_key_given_twice_in_one_object(tmp_path):
    text = json.dumps(BUNDLE, indent=2, ensure_ascii=False).replace(
        '"cue": "called",', '"cue": "called",\n      "cue": "said",', 1
    )

    with pytest.raises(BundleError) as refused:
        import_bundle(write(tmp_path, text, "bad.json"))

    assert refused.value.problems == ['bad.json: claim "mayor-fair": key "cue" appears twice']
    assert not Lesson.objects.exists()
