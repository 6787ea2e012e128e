"""What each page costs the application alone: Django's test client in one process, no
HTTP, no load generator, production settings (DEBUG off), and without the test
environment's template instrumentation (which copies every context). The pages: the
ceiling and the floor (bench/urls.py), the lesson page from the cache and rendered anew
(the cache emptied before each request), the question page, the answer save (a changed
answer each time: the write), the same answer posted again (the form's post after the
autosave; `answer-hinted`: with the script's hint that it saved it), the autosave, and the
result page (cached, and rendered anew).

    DATABASE_URL=... python -m bench.inprocess [--profile PAGE] [--repeat 5 --n 100]
    DATABASE_URL=... python -m bench.inprocess --sessions   # each session engine in turn

Uses the database named by DATABASE_URL (a scratch SQLite file in /tmp otherwise); it
must be migrated with the lesson imported (`make bench` leaves it so). Prints the best
mean in milliseconds of `repeat` runs of `n` requests per page, and each page's queries.
"""

import argparse
import cProfile
import os
import pstats
import subprocess
import sys
import time

ENGINES = {
    "db": "django.contrib.sessions.backends.db",
    "cached_db": "django.contrib.sessions.backends.cached_db",
    "signed_cookies": "django.contrib.sessions.backends.signed_cookies",
}

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("HTTPS", "0")
os.environ.setdefault("SECRET_KEY", "bench-inprocess-only-" + "x" * 40)
os.environ.setdefault("STATIC_MANIFEST", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")

import django

django.setup()

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--n", type=int, default=100)
    parser.add_argument(
        "--profile", choices=["floor", "lesson", "question", "answer", "answer-same", "result"]
    )
    parser.add_argument("--queries", action="store_true", help="print each page's SQL")
    parser.add_argument(
        "--cpu",
        action="store_true",
        help="time the process's CPU (time.process_time), not the wall clock: on a machine "
        "other work keeps busy, waiting for a core is left out (SQLite's work is counted, "
        "being in the process; a PostgreSQL server's is not)",
    )
    parser.add_argument("--pages", default="", help="comma-separated pages to time (all: empty)")
    parser.add_argument(
        "--sessions", action="store_true", help="run once per session engine (a process each)"
    )
    args = parser.parse_args()
    if args.sessions:
        for name, engine in ENGINES.items():
            print(f"== sessions: {name} ({engine})", flush=True)
            argv = [a for a in sys.argv[1:] if a != "--sessions"]
            env = {**os.environ, "BENCH_SESSION_ENGINE": engine}
            subprocess.run([sys.executable, "-m", "bench.inprocess", *argv], env=env, check=True)
        return 0
    from django.conf import settings
    from django.core.cache import cache

    print(f"session engine: {settings.SESSION_ENGINE}")

    from bench.setup_data import answer_for, load_lesson, make_students, questions_of
    from quizzes.attempts import start_attempt, submit_attempt
    from quizzes.models import Attempt

    quiz = load_lesson()
    (user,) = make_students(1)
    Attempt.objects.filter(learner=user).delete()
    done = start_attempt(quiz=quiz, learner=user)
    keys = questions_of(quiz)
    for n, other in enumerate(done.layout["questions"][:20], start=1):  # a result to show
        client0 = Client()
        client0.force_login(user)
        client0.post(
            reverse("quizzes:question", args=[done.pk, n]),
            answer_for(keys[other], done.layout["choices"][str(other)]),
        )
    submit_attempt(attempt=done)
    attempt = start_attempt(quiz=quiz, learner=user)
    ids = attempt.layout["questions"]
    # A single-choice-like question in the middle, as most of the quiz is.
    number = next(n for n, qid in enumerate(ids, start=1) if n > 3 and keys[qid].kind == "single")
    qid = ids[number - 1]
    data = answer_for(keys[qid], attempt.layout["choices"][str(qid)])
    for n, other in enumerate(ids[:3], start=1):  # some answers so far
        client0 = Client()
        client0.force_login(user)
        client0.post(
            reverse("quizzes:question", args=[attempt.pk, n]),
            answer_for(keys[other], attempt.layout["choices"][str(other)]),
        )
    client = Client()
    client.force_login(user)
    url = reverse("quizzes:question", args=[attempt.pk, number])
    lesson_url = quiz.lesson.get_absolute_url()
    result_url = reverse("quizzes:result", args=[done.pk])
    fetch = {"HTTP_X_REQUESTED_WITH": "fetch", "HTTP_ACCEPT": "application/json"}
    flip = iter(__import__("itertools").cycle(["1", "2"]))

    def changed_answer():
        return client.post(url, {"choice": next(flip), "go": "next"})

    def autosave():
        return client.post(url, {"choice": next(flip)}, **fetch)

    def result_rendered():
        cache.clear()  # the result rendered anew, as before the cache
        return client.get(result_url)

    def lesson_rendered():
        cache.clear()  # the reading rendered anew, as before the cache
        return client.get(lesson_url)

    steps = {
        "ceiling": lambda: client.get("/bench/ceiling/"),
        "floor": lambda: client.get("/bench/floor/"),
        "lesson": lambda: client.get(lesson_url),
        "lesson-uncached": lesson_rendered,
        "question": lambda: client.get(url),
        "answer": changed_answer,
        "answer-same": lambda: client.post(url, {**data, "go": "next"}),
        "answer-hinted": lambda: client.post(url, {**data, "go": "next", "autosaved": "1"}),
        "autosave": autosave,
        "result": lambda: client.get(result_url),
        "result-uncached": result_rendered,
    }
    expected = {"answer": 302, "answer-same": 302, "answer-hinted": 302}
    if args.pages:
        steps = {name: steps[name] for name in args.pages.split(",")}
    for name, step in steps.items():
        with CaptureQueriesContext(connection) as q:
            r = step()
        assert r.status_code == expected.get(name, 200), (name, r.status_code)
        print(f"{name:15} {len(q.captured_queries)} queries, {len(r.content)} bytes")
        if args.queries:
            for s in q.captured_queries:
                print("    ", s["sql"][:200])
    if args.profile:
        step = steps[args.profile]
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.n):
            step()
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
        return 0
    best = {}
    for name, step in steps.items():
        for _ in range(10):
            step()
        best[name] = min(_timed(step, args.n, args.cpu) for _ in range(args.repeat))
        ratio = f", page / floor {best['floor'] / best[name]:.2f}" if "floor" in best else ""
        what = "CPU" if args.cpu else "wall"
        print(
            f"{name:15} {best[name] * 1000:.2f} ms {what} "
            f"(best mean of {args.repeat} × {args.n}){ratio}"
        )
    return 0


def _timed(step, n: int, cpu: bool = False) -> float:
    clock = time.process_time if cpu else time.perf_counter
    start = clock()
    for _ in range(n):
        step()
    return (clock() - start) / n


if __name__ == "__main__":
    sys.exit(main())
