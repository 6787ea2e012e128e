"""The benchmark's data: the shipped lesson, N students, and for the saturation runs a
session and an attempt per student made directly, so that those runs measure pages, not
PBKDF2. `python -m bench.setup_data OUT.json N`, with the bench settings (bench/__main__.py
runs it); bench/inprocess.py uses its functions."""

import io
import json
import sys
from pathlib import Path

import django

django.setup()

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.middleware.csrf import _get_new_csrf_string
from django.utils.module_loading import import_string

from lessons.models import Lesson
from quizzes.attempts import start_attempt, submit_attempt
from quizzes.models import Attempt, Question, Quiz

ROOT = Path(__file__).resolve().parent.parent
BUNDLES = sorted((ROOT / "lessons" / "bundles").glob("*.json"))
PASSWORD = "bench-student-pass"


def load_lesson() -> Quiz:
    """The shipped lesson, imported (again: importing is idempotent), and the quiz with the
    most questions among those students can see."""
    call_command("import_lesson", *map(str, BUNDLES), stdout=io.StringIO())
    quiz = Quiz.objects.visible().annotate(n=Count("questions")).order_by("-n").first()
    # Open to every learner, so the bench's students need no class (the gate: classes/access.py).
    Lesson.objects.filter(pk=quiz.lesson_id).update(open_to_all=True)
    Quiz.objects.filter(pk=quiz.pk).update(open_to_all=True)
    quiz.open_to_all = True
    return quiz


def make_students(count: int) -> list:
    User = get_user_model()
    names = [f"bench-student-{i:04d}" for i in range(count)]
    password = make_password(PASSWORD)  # hashed once: creating N users stays fast
    User.objects.bulk_create([User(username=n) for n in names], ignore_conflicts=True)
    User.objects.filter(username__in=names).update(password=password)
    return list(User.objects.filter(username__in=names).order_by("username"))


def answer_for(question: Question, choice_order: list) -> dict:
    """The form data of a valid answer to `question`, as the question page would post it:
    positions, not ids (quizzes/forms.py): the first choice shown, or for matching the
    first source listed for every statement. `choice_order` is the attempt's order."""
    if question.kind == Question.Kind.MATCHING:
        items = sum(1 for c in question.choices.all() if c.correct)
        return {f"match-{n}": "1" for n in range(1, items + 1)}
    return {"choice": "1"}


def questions_of(quiz: Quiz) -> dict:
    return {q.id: q for q in Question.objects.with_key(evidence=False).filter(quiz=quiz)}


def make_session(user) -> str:
    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def main(out: Path, students: int) -> None:
    with transaction.atomic():
        quiz = load_lesson()
        users = make_students(students)
        Attempt.objects.filter(learner__in=users).delete()  # every run starts alike
    questions = questions_of(quiz)
    prepared = []
    for user in users:
        # One attempt submitted (for the result page) and one in progress (for the question
        # page and the answer save) per student, made through the real functions.
        done = submit_attempt(attempt=start_attempt(quiz=quiz, learner=user))
        current = start_attempt(quiz=quiz, learner=user)
        layout = current.layout
        prepared.append(
            {
                "username": user.username,
                "session": make_session(user),
                "csrf": _get_new_csrf_string(),
                "attempt": current.pk,
                "result": done.pk,
                "answers": [
                    answer_for(questions[q], layout["choices"][str(q)]) for q in layout["questions"]
                ],
            }
        )
    data = {"lesson": quiz.lesson.slug, "quiz": quiz.pk, "questions": len(questions)}
    out.write_text(json.dumps({**data, "password": PASSWORD, "students": prepared}))
    print(
        f"bench data: quiz {quiz.pk} “{quiz.title}”, {len(questions)} questions, {students} students"
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]))
