"""Reading a bundle file (bundle/load.py): bad bytes give a BundleError, never a crash."""

import json

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bundle.errors import BundleError
from bundle.upsert import import_bundle
from lessons.models import Lesson
from tests.bundle.sample import (
    BUNDLE,
    bundle,
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


def refusal(tmp_path, raw: bytes):
    path = tmp_path / "bad.json"
    path.write_bytes(raw)
    with pytest.raises(BundleError) as refused:
        import_bundle(path)
    assert not Lesson.objects.exists()
    [problem] = refused.value.problems
    return problem


def with_text(field_value: str) -> bytes:
    """BUNDLE with its first claim's content replaced by `field_value`, a JSON literal."""
    text = json.dumps(BUNDLE, indent=2, ensure_ascii=False)
    text = text.replace('"The budget is fair to everyone."', field_value, 1)
    return text.encode("utf-8")


def test_load_refuses_bytes_that_are_not_utf8(tmp_path):
    problem = refusal(tmp_path, with_text('"caf\xe9"').replace("é".encode(), b"\xe9"))

    assert problem.code == "not_utf8"
    assert problem.startswith("bad.json: not UTF-8 text (byte ")


@pytest.mark.parametrize("depth", [25, 100_000])
def test_load_refuses_nesting_no_bundle_has(tmp_path, depth):
    problem = refusal(tmp_path, b"[" * depth + b"]" * depth)

    assert problem.code == "too_deep"
    assert "nested too deeply: a bundle has at most 20 levels" in problem


def test_load_refuses_a_nul_character_the_database_cannot_store(tmp_path):
    problem = refusal(tmp_path, with_text('"fair\\u0000"'))

    assert problem.code == "nul"
    assert problem.startswith("bad.json: claims[0].content: contains a NUL character")


@pytest.mark.parametrize(
    ("literal", "where"),
    [('"fair \\ud83d"', "claims[0].content"), ('"fair", "\\udc00": 1', "claims[0]")],
    ids=["in a value", "in a name"],
)
def test_load_refuses_an_unpaired_surrogate(tmp_path, literal, where):
    problem = refusal(tmp_path, with_text(literal))

    assert problem.code == "unpaired_surrogate"
    assert problem.startswith(f"bad.json: {where}: ")
    problem.encode("utf-8")  # the message itself can be printed and stored


def test_load_takes_a_character_written_as_a_surrogate_pair(tmp_path):
    path = tmp_path / "pair.json"
    path.write_bytes(with_text('"fair \\ud83d\\ude00"'))

    lesson = import_bundle(path).lesson

    assert lesson.claims.get(key="mayor-fair").content == "fair 😀"


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "1" * 5000])
def test_load_refuses_numbers_json_does_not_have(tmp_path, literal):
    problem = refusal(tmp_path, with_text(literal))

    assert problem.code == "not_json"
    assert problem.startswith("bad.json: not valid JSON: ")


def test_load_refuses_a_file_it_cannot_read(tmp_path):
    with pytest.raises(BundleError) as refused:
        import_bundle(tmp_path / "missing.json")

    assert refused.value.codes == ["unreadable"]
    assert refused.value.problems[0].startswith("missing.json: cannot read the file: ")


def test_the_admin_upload_refuses_unstorable_text_with_a_message(client, teacher):
    teacher.groups.add(Group.objects.get(name="Teachers"))
    client.force_login(teacher)
    upload = SimpleUploadedFile("nul.json", with_text('"\\u0000"'), "application/json")

    response = client.post(reverse("admin:lessons_lesson_import"), {"file": upload})

    assert response.status_code == 400
    assert "nul.json: claims[0].content: contains a NUL character" in response.text
    assert not Lesson.objects.exists()


def test_a_bundle_given_as_a_dict_is_checked_for_unstorable_text_too():
    data = bundle()
    data["sections"][0]["title"] = "The budget\x00"

    with pytest.raises(BundleError) as refused:
        import_bundle(data)

    assert refused.value.codes == ["nul"]
    assert refused.value.problems[0].startswith("bundle: sections[0].title: ")
    assert not Lesson.objects.exists()
