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


# Each app may import only the apps below it: lessons <- quizzes <- classes <- reports.
LAYERS = ["lessons", "quizzes", "classes", "reports"]


@pytest.mark.parametrize("app", LAYERS[:-1])
def test_an_app_never_imports_an_app_above_it(app):
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    above = LAYERS[LAYERS.index(app) + 1 :]
    pattern = re.compile(rf"^\s*(from|import) ({'|'.join(above)})\b", re.M)
    offenders = [
        str(path.relative_to(root))
        for path in (root / app).rglob("*.py")
        if pattern.search(path.read_text())
    ]
    assert offenders == []
