"""Benchmark the quiz reports: build a 40-question quiz with 1,000 submitted attempts, then
time each report page (and its CSV) as a teacher and as a superuser.

A benchmark, not a test: run it on a scratch database, e.g.

    make bench-reports          (SQLite in a temporary file)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sourcewise_bench make bench-reports

It deletes what it made unless --keep is given."""

from __future__ import annotations

import random
import statistics
import time

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
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
PAGES = [
    ("overview", ""),
    ("overview", "csv=summary"),
    ("learners", ""),
    ("learners", "csv=learners"),
    ("items", ""),
    ("items", "csv=items"),
    ("confusion", ""),
    ("confusion", "csv=confusion"),
]


class Command(BaseCommand):
    help = "Time the quiz reports over N attempts of a Q-question quiz (default 1,000 × 40)."

    def add_arguments(self, parser):
        parser.add_argument("--attempts", type=int, default=1000)
        parser.add_argument("--questions", type=int, default=40)
        parser.add_argument("--repeat", type=int, default=5)
        parser.add_argument("--keep", action="store_true", help="keep the data afterwards")

    def handle(self, *args, attempts, questions, repeat, keep, **options):
        self.cleanup()
        started = time.perf_counter()
        quiz, teacher, classroom, admin = self.build(attempts, questions)
        self.stdout.write(
            f"Built {attempts} submitted attempts of a {questions}-question quiz "
            f"({Response.objects.filter(attempt__quiz=quiz).count()} responses, "
            f"{Selection.objects.filter(response__attempt__quiz=quiz).count()} selections) "
            f"in {time.perf_counter() - started:.1f} s on {connection.vendor}."
        )
        try:
            self.stdout.write(
                "\n| page | as | queries | median ms | min ms | bytes |\n"
                "| --- | --- | ---: | ---: | ---: | ---: |"
            )
            for who, user, query in (
                ("teacher, one class", teacher, f"classroom={classroom.pk}"),
                ("superuser, everyone", admin, ""),
            ):
                client = Client()
                client.force_login(user)
                for page, extra in PAGES:
                    url = (
                        reverse("admin:quizzes_quiz_report", args=[quiz.pk])
                        if page == "overview"
                        else reverse("admin:quizzes_quiz_report_page", args=[quiz.pk, page])
                    )
                    params = "&".join(p for p in (query, extra) if p)
                    url = f"{url}?{params}" if params else url
                    times = []
                    for _ in range(repeat + 1):  # the first run warms caches; not counted
                        with CaptureQueriesContext(connection) as ctx:
                            t = time.perf_counter()
                            response = client.get(url, HTTP_HOST="127.0.0.1")
                            times.append(1000 * (time.perf_counter() - t))
                        assert response.status_code == 200, (url, response.status_code)
                    times = times[1:]
                    name = page + (f" ({extra})" if extra else "")
                    self.stdout.write(
                        f"| {name} | {who} | {len(ctx.captured_queries)} | "
                        f"{statistics.median(times):.0f} | {min(times):.0f} | "
                        f"{len(response.content):,} |"
                    )
        finally:
            if not keep:
                self.cleanup()

    def cleanup(self):
        Lesson.objects.filter(slug=SLUG).delete()
        Classroom.objects.filter(name="Bench class").delete()
        get_user_model().objects.filter(username__startswith=PREFIX).delete()

    @transaction.atomic
    def build(self, n_attempts: int, n_questions: int):
        rng = random.Random(2026)
        User = get_user_model()
        lesson = Lesson.objects.create(slug=SLUG, title="Benchmark lesson", published=True)
        section = Section.objects.create(
            lesson=lesson, key="s", title="Section", body="Somebody said something."
        )
        sides = ["Cuba", "Venezuela", "United States", "Allies"]
        sources = []
        for i in range(12):
            sources.append(
                Source.objects.create(
                    lesson=lesson,
                    key=f"src-{i}",
                    name=f"Source {i:02d}",
                    kind="person",
                    side=sides[i % 4],
                    parent=sources[i - 4] if i >= 8 else None,
                )
            )
        quiz = Quiz.objects.create(
            lesson=lesson, key="bench", title="Benchmark quiz", published=True
        )
        kinds = ["who_said", "single", "true_false", "matching", "multiple"]
        for n in range(n_questions):
            kind = kinds[n % len(kinds)]
            skill = (
                "attribution"
                if kind in ("who_said", "matching")
                else rng.choice(["recall", "perspective", "evidence"])
            )
            claim = None
            if kind == "who_said":
                true = sources[n % 12]
                claim = Claim.objects.create(
                    lesson=lesson,
                    key=f"c{n}",
                    section=section,
                    source=true,
                    cue="said",
                    kind="paraphrase",
                    content="something",
                    evidence="Somebody said something.",
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
                Choice.objects.create(question=q, order=0, source=claim.source, correct=True)
                for i, s in enumerate(others, start=1):
                    Choice.objects.create(question=q, order=i, source=s)
            elif kind == "matching":
                for i, s in enumerate(rng.sample(sources, 4)):
                    Choice.objects.create(
                        question=q, order=i, text=f"Statement {n}.{i}", source=s, correct=i < 3
                    )
            elif kind == "true_false":
                Choice.objects.create(question=q, order=0, text="True", correct=True)
                Choice.objects.create(question=q, order=1, text="False")
            else:
                for i in range(4):
                    Choice.objects.create(
                        question=q,
                        order=i,
                        text=f"Choice {i}",
                        correct=i == 0 or (kind == "multiple" and i == 1),
                    )
        teachers = Group.objects.get(name="Teachers")
        teacher = User.objects.create(username=f"{PREFIX}teacher", is_staff=True)
        teacher.groups.add(teachers)
        admin = User.objects.create(username=f"{PREFIX}admin", is_staff=True, is_superuser=True)
        learners = User.objects.bulk_create(
            User(username=f"{PREFIX}learner-{i:04d}", first_name=f"Learner {i}")
            for i in range(n_attempts)
        )
        classroom = Classroom.objects.create(name="Bench class", teacher=teacher)
        classroom.students.set(learners)

        qs = list(Question.objects.with_key().filter(quiz=quiz))
        keys = {q.id: question_key(q) for q in qs}
        now = timezone.now()
        attempts = Attempt.objects.bulk_create(
            Attempt(
                learner=learner,
                quiz=quiz,
                number=1,
                started_at=now,
                submitted_at=now,
                layout={"questions": [q.id for q in qs]},
            )
            for learner in learners
        )
        responses, picks = [], []
        graded = {}
        for a_index, attempt in enumerate(attempts):
            ability = a_index / n_attempts  # stronger learners answer right more often
            for q in qs:
                choices = list(q.choices.all())
                if rng.random() < 0.05:
                    continue  # left unanswered
                if q.kind == "matching":
                    options = [c.source_id for c in choices]
                    chosen = {
                        c.id: c.source_id
                        if rng.random() < 0.3 + 0.6 * ability
                        else rng.choice(options)
                        for c in choices
                        if c.correct
                    }
                    answer = scoring.Answer(choices=frozenset(chosen), matches=chosen)
                else:
                    right = [c for c in choices if c.correct]
                    wrong = [c for c in choices if not c.correct]
                    if q.kind == "multiple":
                        picked = (
                            right if rng.random() < 0.3 + 0.6 * ability else [right[0], wrong[0]]
                        )
                    else:
                        picked = [
                            right[0] if rng.random() < 0.3 + 0.6 * ability else rng.choice(wrong)
                        ]
                    answer = scoring.Answer(choices=frozenset(c.id for c in picked), matches={})
                credit = scoring.grade(keys[q.id], answer).credit
                graded[(attempt.id, q.id)] = credit
                responses.append(
                    Response(attempt=attempt, question=q, credit=credit, answered_at=now)
                )
                picks.append(answer)
        Response.objects.bulk_create(responses, batch_size=2000)
        Selection.objects.bulk_create(
            (
                Selection(response=r, choice_id=c, source_id=answer.matches.get(c))
                for r, answer in zip(responses, picks, strict=True)
                for c in sorted(answer.choices)
            ),
            batch_size=2000,
        )
        for attempt in attempts:
            attempt.set_total(
                scoring.total((q.skill, q.points, graded.get((attempt.id, q.id), 0.0)) for q in qs)
            )
            attempt.submitted_at = now + timezone.timedelta(minutes=rng.randint(5, 40))
        Attempt.objects.bulk_update(
            attempts, [*Attempt.SCORE_FIELDS, "submitted_at"], batch_size=500
        )
        return quiz, teacher, classroom, admin
