"""`make run`/`make serve` and every restart leave teachers' edits and students' work
alone: the commands the Makefile runs at start, run again after a superuser edits the
shipped quiz, a teacher duplicates and edits it, and a student attempts it."""

import re
import shlex
import subprocess
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from lessons.models import Lesson
from quizzes.attempts import save_answer, start_attempt, submit_attempt
from quizzes.models import Attempt, Question, Quiz

from .subprocesses import ROOT

pytestmark = pytest.mark.django_db


def _make_dry_run(target: str) -> str:
    result = subprocess.run(
        ["make", "--no-print-directory", "-n", target],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def _start_commands() -> list[list[str]]:
    """The manage.py commands `make run` runs before serving, as the Makefile has them."""
    commands = []
    for line in _make_dry_run("run").splitlines():
        if "manage.py" not in line:
            continue
        args = shlex.split(line.split("manage.py", 1)[1])
        if args[0] != "runserver":
            commands.append(args)
    return commands


def _restart(commands) -> str:
    out = StringIO()
    for args in commands:
        call_command(*args, stdout=out)
    return out.getvalue()


def test_the_makefile_loads_the_shipped_lessons_create_only_in_run_and_serve():
    commands = _start_commands()
    loads = [c for c in commands if c[0] == "import_lesson"]
    assert loads and all("--create-only" in c for c in loads)
    serve = _make_dry_run("serve")
    assert re.search(r"manage\.py import_lesson --create-only lessons/bundles/\S+\.json", serve)
    assert "manage.py migrate --noinput" in serve


def test_a_restart_changes_and_loses_nothing(settings, teacher, superuser):
    settings.DEBUG = True  # the demo commands of `make run` are for development
    commands = _start_commands()
    first = _restart(commands)
    assert "created" in first
    lesson = Lesson.objects.get(slug="cuba-venezuela-casualties")
    shipped = Quiz.objects.get(lesson=lesson, key="warm-up")

    # A superuser edits the shipped quiz (teachers may not: it is nobody's).
    shipped.title = "Warm-up, as our school runs it"
    shipped.save()
    question = Question.objects.filter(quiz=shipped).order_by("order").first()
    question.prompt = "Edited prompt: " + question.prompt
    question.save()
    # A teacher duplicates the shipped lesson into their own and edits the copy's quiz.
    client = Client()
    client.force_login(teacher)
    client.post(
        reverse("admin:lessons_lesson_changelist"),
        {"action": "duplicate_lessons", "_selected_action": [lesson.pk]},
    )
    copy = Lesson.objects.get(owner=teacher)
    copied_quiz = copy.quizzes.get(key="warm-up")
    copied_quiz.title = "My own warm-up"
    copied_quiz.save()
    # The demo student, in the demo class, attempts the shipped quiz.
    from django.contrib.auth import get_user_model

    student = get_user_model().objects.get(username="student")
    attempt = start_attempt(quiz=shipped, learner=student)
    first_question = Question.objects.with_key(evidence=False).get(pk=attempt.question_ids()[0])
    right = [c.id for c in first_question.choices.all() if c.correct][:1]
    save_answer(attempt=attempt, question=first_question, choice_ids=right)
    submit_attempt(attempt=attempt)
    attempt.refresh_from_db()
    before = {
        "quizzes": sorted(Quiz.objects.values_list("id", "title", "published", "owner_id")),
        "questions": sorted(Question.objects.values_list("id", "prompt")),
        "lessons": sorted(Lesson.objects.values_list("id", "slug", "title", "owner_id")),
        "attempts": sorted(Attempt.objects.values_list("id", "score", "submitted_at")),
    }

    second = _restart(commands)

    assert "skipped: exists" in second
    after = {
        "quizzes": sorted(Quiz.objects.values_list("id", "title", "published", "owner_id")),
        "questions": sorted(Question.objects.values_list("id", "prompt")),
        "lessons": sorted(Lesson.objects.values_list("id", "slug", "title", "owner_id")),
        "attempts": sorted(Attempt.objects.values_list("id", "score", "submitted_at")),
    }
    assert after == before
    shipped.refresh_from_db()
    assert shipped.title == "Warm-up, as our school runs it"
    assert Quiz.objects.get(pk=copied_quiz.pk).title == "My own warm-up"
    assert Attempt.objects.get(pk=attempt.pk).score == attempt.score > 0


def test_create_only_reports_what_it_skipped_and_writes_nothing(tmp_path):
    bundle = ROOT / "lessons" / "bundles" / "cuba-venezuela-casualties.json"
    out = StringIO()
    call_command("import_lesson", "--create-only", str(bundle), stdout=out)
    assert "created" in out.getvalue()
    lesson = Lesson.objects.get(slug="cuba-venezuela-casualties")
    Lesson.objects.filter(pk=lesson.pk).update(title="Edited")
    out = StringIO()
    call_command("import_lesson", "--create-only", str(bundle), stdout=out)
    assert f'lesson "{lesson.slug}" skipped: exists' in out.getvalue()
    assert Lesson.objects.get(pk=lesson.pk).title == "Edited"
