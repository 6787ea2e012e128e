"""`make bench-reports`: time the quiz reports. Builds a 40-question quiz with 1,000
submitted attempts, then renders each report page (and its CSV) through Django's test
client as a teacher and as a superuser, and prints queries, median and minimum times.

A benchmark, not a test: run it on a scratch database, e.g.

    make bench-reports          (SQLite in a temporary file)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sourcewise_bench make bench-reports

It migrates that database first, and deletes what it made unless --keep is given."""

import argparse
import os
import random
import statistics
import time
import warnings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("HTTPS", "0")  # the test client speaks plain HTTP
# WhiteNoise looks for collected static files, which only `make serve` builds.
warnings.filterwarnings("ignore", "No directory at", UserWarning)

import django

django.setup()

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from classes.models import Classroom
from lessons.models import Claim, Lesson, Section, Source
from quizzes import scoring
from quizzes.attempts import question_key
from quizzes.models import Attempt, Choice, Question, Quiz, Response, Selection

SLUG = "bench-reports"
PREFIX = "bench-"
# Each report page, then its CSV.
CSV = {"overview": "summary", "learners": "learners", "items": "items", "confusion": "confusion"}
PAGES = [(page, extra) for page, name in CSV.items() for extra in ("", f"csv={name}")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--attempts", type=int, default=1000)
    parser.add_argument("--questions", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the data afterwards")
    args = parser.parse_args()
    call_command("migrate", "--noinput", verbosity=0)
    cleanup()
    started = time.perf_counter()
    quiz, teacher, classroom, admin = build(args.attempts, args.questions)
    responses = Response.objects.filter(attempt__quiz=quiz)
    print(
        f"Built {args.attempts} submitted attempts of a {args.questions}-question quiz "
        f"({responses.count()} responses, "
        f"{Selection.objects.filter(response__in=responses).count()} selections) "
        f"in {time.perf_counter() - started:.1f} s on {connection.vendor}.\n"
    )
    print("| page | as | queries | median ms | min ms | bytes |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    try:
        for who, user, query in (
            ("teacher, one class", teacher, f"classroom={classroom.pk}"),
            ("superuser, everyone", admin, ""),
        ):
            client = Client()
            client.force_login(user)
            for page, extra in PAGES:
                name = page + (f" ({extra})" if extra else "")
                params = "&".join(p for p in (query, extra) if p)
                print(f"| {name} | {who} | {time_page(client, quiz, page, params, args.repeat)}")
    finally:
        if not args.keep:
            cleanup()


def time_page(client: Client, quiz: Quiz, page: str, params: str, repeat: int) -> str:
    """The page's queries, median and minimum milliseconds of `repeat` runs, and bytes."""
    if page == "overview":
        url = reverse("admin:quizzes_quiz_report", args=[quiz.pk])
    else:
        url = reverse("admin:quizzes_quiz_report_page", args=[quiz.pk, page])
    url = f"{url}?{params}" if params else url
    times = []
    for _ in range(repeat + 1):  # the first run warms caches; not counted
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url, HTTP_HOST="127.0.0.1")
            times.append(1000 * (time.perf_counter() - start))
        assert response.status_code == 200, (url, response.status_code)
    times = times[1:]
    return (
        f"{len(queries.captured_queries)} | {statistics.median(times):.0f} | "
        f"{min(times):.0f} | {len(response.content):,} |"
    )


def cleanup() -> None:
    Lesson.objects.filter(slug=SLUG).delete()
    Classroom.objects.filter(name="Bench class").delete()
    get_user_model().objects.filter(username__startswith=PREFIX).delete()


@transaction.atomic
def build(n_attempts: int, n_questions: int):
    """The quiz and every learner's submitted attempt, a teacher with their class of all
    the learners, and a superuser."""
    rng = random.Random(2026)
    quiz = build_quiz(rng, n_questions)
    User = get_user_model()
    teacher = User.objects.create(username=f"{PREFIX}teacher", is_staff=True)
    teacher.groups.add(Group.objects.get(name="Teachers"))
    admin = User.objects.create(username=f"{PREFIX}admin", is_staff=True, is_superuser=True)
    learners = User.objects.bulk_create(
        User(username=f"{PREFIX}learner-{i:04d}", first_name=f"Learner {i}")
        for i in range(n_attempts)
    )
    classroom = Classroom.objects.create(name="Bench class", teacher=teacher)
    classroom.students.set(learners)
    build_attempts(rng, quiz, learners)
    return quiz, teacher, classroom, admin


def build_quiz(rng: random.Random, n_questions: int) -> Quiz:
    """Every kind of question in turn (1 to 3 points) over 12 sources on 4 sides."""
    lesson = Lesson.objects.create(slug=SLUG, title="Benchmark lesson", published=True)
    body = "Somebody said something."
    section = Section.objects.create(lesson=lesson, key="s", title="Section", body=body)
    sides = ["Cuba", "Venezuela", "United States", "Allies"]
    sources = []
    for i in range(12):
        parent = sources[i - 4] if i >= 8 else None
        sources.append(
            Source.objects.create(
                lesson=lesson,
                key=f"src-{i}",
                name=f"Source {i:02d}",
                kind="person",
                side=sides[i % 4],
                parent=parent,
            )
        )
    quiz = Quiz.objects.create(lesson=lesson, key="bench", title="Benchmark quiz", published=True)
    kinds = ["who_said", "single", "true_false", "matching", "multiple"]
    for n in range(n_questions):
        kind = kinds[n % len(kinds)]
        attribution = kind in ("who_said", "matching")
        skill = "attribution" if attribution else rng.choice(["recall", "perspective", "evidence"])
        claim = None
        if kind == "who_said":
            claim = Claim.objects.create(
                lesson=lesson,
                key=f"c{n}",
                section=section,
                source=sources[n % 12],
                cue="said",
                kind="paraphrase",
                content="something",
                evidence=body,
            )
        q = Question.objects.create(
            quiz=quiz,
            key=f"q{n}",
            order=n,
            kind=kind,
            skill=skill,
            prompt=f"Question {n}: {kind}?",
            points=1 + n % 3,
            claim=claim,
        )
        if kind == "who_said":
            others = rng.sample([s for s in sources if s != claim.source], 3)
            choices = [Choice(source=claim.source, correct=True)] + [
                Choice(source=s) for s in others
            ]
        elif kind == "matching":
            choices = [
                Choice(text=f"Statement {n}.{i}", source=s, correct=i < 3)
                for i, s in enumerate(rng.sample(sources, 4))
            ]
        elif kind == "true_false":
            choices = [Choice(text="True", correct=True), Choice(text="False")]
        else:
            choices = [
                Choice(text=f"Choice {i}", correct=i == 0 or (kind == "multiple" and i == 1))
                for i in range(4)
            ]
        for order, choice in enumerate(choices):
            choice.question, choice.order = q, order
        Choice.objects.bulk_create(choices)
    return quiz


def pick(rng: random.Random, question, ability: float) -> scoring.Answer:
    """A learner's answer: right more often the stronger the learner."""
    choices = list(question.choices.all())
    if question.kind == "matching":
        options = [c.source_id for c in choices]
        chosen = {
            c.id: c.source_id if rng.random() < 0.3 + 0.6 * ability else rng.choice(options)
            for c in choices
            if c.correct
        }
        return scoring.Answer(choices=frozenset(chosen), matches=chosen)
    right = [c for c in choices if c.correct]
    wrong = [c for c in choices if not c.correct]
    right_now = rng.random() < 0.3 + 0.6 * ability
    if question.kind == "multiple":
        picked = right if right_now else [right[0], wrong[0]]
    else:
        picked = [right[0] if right_now else rng.choice(wrong)]
    return scoring.Answer(choices=frozenset(c.id for c in picked), matches={})


def build_attempts(rng: random.Random, quiz: Quiz, learners: list) -> None:
    """One submitted attempt per learner, about 5 % of the questions left unanswered,
    graded and totalled by the app's own scoring."""
    qs = list(Question.objects.with_key().filter(quiz=quiz))
    keys = {q.id: question_key(q) for q in qs}
    now = timezone.now()
    layout = {"questions": [q.id for q in qs]}
    attempts = Attempt.objects.bulk_create(
        Attempt(
            learner=learner, quiz=quiz, number=1, started_at=now, submitted_at=now, layout=layout
        )
        for learner in learners
    )
    responses, answers, graded = [], [], {}
    for index, attempt in enumerate(attempts):
        for q in qs:
            if rng.random() < 0.05:
                continue  # left unanswered
            answer = pick(rng, q, ability=index / len(attempts))
            credit = graded[(attempt.id, q.id)] = scoring.grade(keys[q.id], answer).credit
            responses.append(Response(attempt=attempt, question=q, credit=credit, answered_at=now))
            answers.append(answer)
    Response.objects.bulk_create(responses, batch_size=2000)
    Selection.objects.bulk_create(
        (
            Selection(response=r, choice_id=c, source_id=answer.matches.get(c))
            for r, answer in zip(responses, answers, strict=True)
            for c in sorted(answer.choices)
        ),
        batch_size=2000,
    )
    for attempt in attempts:
        credit = {q.id: graded.get((attempt.id, q.id), 0.0) for q in qs}
        attempt.set_total(scoring.total((q.skill, q.points, credit[q.id]) for q in qs))
        attempt.submitted_at = now + timezone.timedelta(minutes=rng.randint(5, 40))
    Attempt.objects.bulk_update(attempts, [*Attempt.SCORE_FIELDS, "submitted_at"], batch_size=500)


if __name__ == "__main__":
    main()
