"""Prepare the benchmark's database: the shipped lesson (or a realistic 40-question quiz
when no bundle is there), N students, and for the saturation runs a logged-in session and
an attempt per student made directly, so that those runs measure pages, not PBKDF2.

Run by bench/__main__.py as `python -m bench.setup_data OUT.json` with the bench settings."""

import json
import sys
from pathlib import Path

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import (  # noqa: E402
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    get_user_model,  # noqa: E402
)
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command, get_commands  # noqa: E402
from django.db import transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.middleware.csrf import _get_new_csrf_string  # noqa: E402
from django.utils.module_loading import import_string  # noqa: E402

from lessons.models import Claim, Lesson, Section, Source  # noqa: E402
from quizzes.attempts import start_attempt, submit_attempt  # noqa: E402
from quizzes.models import Attempt, Choice, Question, Quiz  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BUNDLES = sorted((ROOT / "lessons" / "bundles").glob("*.json"))
PASSWORD = "bench-student-pass"
BENCH_SLUG = "bench-cuba-venezuela"
QUESTIONS = 40

SECTIONS = [
    (
        "Cuba confirms losses",
        "Havana confirmed that 32 Cuban nationals were killed during the "
        "US operation in Venezuela that captured Nicolás Maduro.",
    ),
    (
        "How the casualties occurred",
        "Cuban officials said the dead were members of a security "
        "detail; the article does not say who fired first.",
    ),
    (
        "Mourning and messaging",
        "Cuban state media described the dead as heroes, and the "
        "government declared days of national mourning.",
    ),
    (
        "Venezuela's response",
        "Venezuela's government denounced the operation as an act of "
        "aggression against its sovereignty.",
    ),
    (
        "International reactions",
        "China, Russia and Iran condemned the operation; some Western "
        "governments expressed concern about the precedent.",
    ),
    (
        "Cuban-Venezuelan relations",
        "Analysts argue that the deaths expose how deeply Cuba "
        "was involved in protecting Venezuela's leadership.",
    ),
    (
        "Human and political fallout",
        "Families of the fallen appealed for the return of the "
        "bodies; critics of Havana questioned the official account.",
    ),
    (
        "Looking ahead",
        "The article expects the episode to strain relations between Havana and "
        "Washington for months.",
    ),
]
SOURCES = [
    ("cuban-government", "The Cuban government", "institution", "Cuba"),
    ("diaz-canel", "Miguel Díaz-Canel", "person", "Cuba"),
    ("cuban-state-media", "Cuban state media", "media", "Cuba"),
    ("washington", "Washington", "institution", "United States"),
    ("trump", "Donald Trump", "person", "United States"),
    ("venezuelan-government", "Venezuela's government", "institution", "Venezuela"),
    ("padrino", "Vladimir Padrino", "person", "Venezuela"),
    ("allies", "China, Russia and Iran", "group", "Havana's allies"),
    ("western", "Some Western governments", "group", "Western governments"),
    ("analysts", "Analysts", "unnamed", "Independent voices"),
]


def build_lesson() -> Quiz:
    """A published lesson like the shipped one: 8 sections, 10 sources, 8 claims and a
    40-question quiz of single-choice (4 choices) and true/false questions."""
    lesson = Lesson.objects.create(
        slug=BENCH_SLUG,
        title="Cuba confirms 32 nationals killed in Venezuela (benchmark copy)",
        summary="Who said what about the US operation that captured Nicolás Maduro.",
        objectives="Tell who said what.\nTell a quote from a paraphrase.",
        published=True,
    )
    sources = [
        Source.objects.create(lesson=lesson, key=k, name=n, kind=kind, side=side)
        for k, n, kind, side in SOURCES
    ]
    sections = [
        Section.objects.create(lesson=lesson, key=f"s{i}", order=i, title=t, body=b * 6)
        for i, (t, b) in enumerate(SECTIONS)
    ]
    for i, section in enumerate(sections):
        Claim.objects.create(
            lesson=lesson,
            section=section,
            source=sources[i % len(sources)],
            key=f"c{i}",
            order=i,
            cue="said",
            kind=Claim.Kind.PARAPHRASE,
            content=section.body[:80],
            evidence=SECTIONS[i][1][:60],
        )
    quiz = Quiz.objects.create(
        lesson=lesson, key="assessment", title="Full assessment", published=True
    )
    skills = list(Question.Skill.values)
    for n in range(QUESTIONS):
        true_false = n % 4 == 3
        question = Question.objects.create(
            quiz=quiz,
            key=f"q{n}",
            order=n,
            section=sections[n % len(sections)],
            kind=Question.Kind.TRUE_FALSE if true_false else Question.Kind.SINGLE,
            skill=skills[n % len(skills)],
            points=1 + n % 2,
            prompt=f"Question {n + 1}: who characterised the operation this way, and how?",
            explanation=f"See the section “{SECTIONS[n % len(SECTIONS)][0]}”.",
        )
        texts = ["True", "False"] if true_false else [s.name for s in sources[n % 6 : n % 6 + 4]]
        Choice.objects.bulk_create(
            Choice(question=question, order=i, text=t, correct=i == 0, feedback=f"Feedback on {t}.")
            for i, t in enumerate(texts)
        )
    return quiz


def load_lesson() -> Quiz:
    if BUNDLES and "import_lesson" in get_commands():
        for bundle in BUNDLES:
            call_command("import_lesson", str(bundle), verbosity=0)
        return (
            Quiz.objects.filter(published=True, lesson__published=True)
            .annotate(n=Count("questions"))
            .order_by("-n")
            .first()
        )
    existing = Quiz.objects.filter(lesson__slug=BENCH_SLUG, key="assessment").first()
    return existing or build_lesson()


def make_students(count: int) -> list:
    User = get_user_model()
    names = [f"bench-student-{i:04d}" for i in range(count)]
    password = make_password(PASSWORD)  # hashed once: creating N users stays fast
    User.objects.bulk_create(
        [User(username=n, password=password) for n in names], ignore_conflicts=True
    )
    User.objects.filter(username__in=names).update(password=password)
    return list(User.objects.filter(username__in=names).order_by("username"))


def answer_for(question: Question, choice_order: list) -> dict:
    """The form data of a valid answer to `question`, as the question page would post it."""
    if question.kind == Question.Kind.MATCHING:
        return {f"match-{c.id}": str(c.source_id) for c in question.choices.all() if c.correct}
    return {"choice": str(choice_order[0])}


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
    keys = {q.id: q for q in Question.objects.with_key(evidence=False).filter(quiz=quiz)}
    prepared = []
    for user in users:
        # One attempt in progress (for the question and answer runs) and one submitted
        # (for the result run), per student, made through the real functions.
        done = start_attempt(quiz=quiz, learner=user)
        submit_attempt(attempt=done)
        current = start_attempt(quiz=quiz, learner=user)
        answers = [
            answer_for(keys[q], current.layout["choices"][str(q)])
            for q in current.layout["questions"]
        ]
        prepared.append(
            {
                "username": user.username,
                "session": make_session(user),
                "csrf": _get_new_csrf_string(),
                "attempt": current.pk,
                "result": done.pk,
                "answers": answers,
            }
        )
    out.write_text(
        json.dumps(
            {
                "lesson": quiz.lesson.slug,
                "quiz": quiz.pk,
                "questions": quiz.questions.count(),
                "password": PASSWORD,
                "students": prepared,
            }
        )
    )
    print(
        f"bench data: quiz {quiz.pk} “{quiz.title}” with {quiz.questions.count()} questions, "
        f"{len(users)} students"
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]))
