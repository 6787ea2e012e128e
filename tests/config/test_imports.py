"""The import direction: lessons <- quizzes <- classes <- reports."""

import pytest

pytestmark = pytest.mark.django_db


def test_quizzes_and_lessons_never_import_classes():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = [
        str(path.relative_to(root))
        for app in ("lessons", "quizzes")
        for path in (root / app).rglob("*.py")
        if "from classes" in path.read_text() or "import classes" in path.read_text()
    ]
    assert offenders == []
