"""The commands import_lesson and export_lesson (bundle/management/commands/)."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from bundle.dump import dumps
from bundle.upsert import import_bundle
from lessons.models import Lesson
from tests.bundle.sample import (
    BUNDLE,
    bundle,
    write,
)

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------------------
# The commands


def test_import_lesson_reports_what_it_created_and_updated(tmp_path):
    path = write(tmp_path, BUNDLE)
    out = StringIO()

    call_command("import_lesson", str(path), stdout=out)
    call_command("import_lesson", str(path), stdout=out)

    text = out.getvalue()
    assert f'{path}: lesson "city-budget" created\n  sources: 4 created\n' in text
    assert f'{path}: lesson "city-budget" unchanged\n  sources: 4 unchanged\n' in text
    assert "  choices: 17 created" in text


def test_import_lesson_writes_nothing_when_any_file_is_bad(tmp_path):
    good = write(tmp_path, BUNDLE, "good.json")
    other = bundle()
    other["lesson"]["slug"] = "other"
    other["claims"][0]["evidence"] = "Not in the text."
    bad = write(tmp_path, other, "bad.json")

    with pytest.raises(CommandError) as failed:
        call_command("import_lesson", str(good), str(bad), stdout=StringIO())

    # CommandError is how a command fails: manage.py prints it to stderr and exits with 1.
    assert failed.value.returncode == 1
    assert f'{bad}: claim "mayor-fair": evidence not found in section "budget"' in str(failed.value)
    assert not Lesson.objects.exists()


def test_export_lesson_writes_the_bundle_to_stdout(tmp_path):
    lesson = import_bundle(write(tmp_path, BUNDLE)).lesson
    out = StringIO()

    call_command("export_lesson", "city-budget", stdout=out)

    assert out.getvalue() == dumps(lesson)


def test_export_lesson_writes_the_bundle_to_the_file_given_with_o(tmp_path):
    lesson = import_bundle(write(tmp_path, BUNDLE)).lesson
    target = tmp_path / "out.json"

    call_command("export_lesson", "city-budget", "-o", str(target), stdout=StringIO())

    assert target.read_bytes() == dumps(lesson).encode("utf-8")


def test_export_lesson_refuses_an_unknown_slug():
    with pytest.raises(CommandError, match='No lesson with the slug "nowhere"'):
        call_command("export_lesson", "nowhere")
