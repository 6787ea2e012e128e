"""Simulated students for `make bench` (run by bench/__main__.py, never by pytest).

BENCH_SCENARIO picks the user class's behaviour:
  path      the whole student path, with think time: log in (PBKDF2), read the lesson,
            open the quiz, start, answer every question, review, submit, see the result
  ceiling   a trivial Django view, back to back: the ceiling
  lesson, question, answer, result
            one step back to back, by students logged in beforehand (bench/setup_data.py)
Every run is bounded by Locust's --run-time and by BENCH_MAX_REQUESTS."""

import itertools
import json
import os
import random
import re
import time

import gevent
from locust import FastHttpUser, between, constant, events, task
from locust.exception import StopUser

with open(os.environ["BENCH_CONFIG"]) as config_file:
    CONFIG = json.load(config_file)
SCENARIO = os.environ.get("BENCH_SCENARIO", "path")
MAX_REQUESTS = int(os.environ.get("BENCH_MAX_REQUESTS", "300000"))
THINK = tuple(float(x) for x in os.environ.get("BENCH_THINK", "1,3").split(","))

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CHOICE_INPUT = re.compile(r'name="choice" value="(\d+)"')
MATCH_SELECT = re.compile(r'<select name="(match-\d+)"[^>]*>(.*?)</select>', re.S)
OPTION = re.compile(r'<option value="(\d+)"')

_next_student = itertools.count()
_sent = itertools.count(1)
_samples: list = []  # (step name, milliseconds, failed, seconds since the start)
_clock = {}


@events.init.add_listener
def _on_init(environment, **_kwargs):
    _clock["environment"] = environment


@events.test_start.add_listener
def _on_start(**_kwargs):
    _clock["start"] = time.time()


@events.spawning_complete.add_listener
def _on_spawned(**_kwargs):
    _clock["spawned"] = time.time() - _clock.get("start", time.time())


@events.request.add_listener
def _on_request(name, response_time, exception, **_kwargs):
    at = time.time() - _clock.get("start", time.time())
    _samples.append((name, response_time, exception is not None, at))
    if next(_sent) == MAX_REQUESTS:  # the run is bounded in count as well as in time
        gevent.spawn(_clock["environment"].runner.quit)


@events.quitting.add_listener
def _write_samples(**_kwargs):
    """Every request's time, for exact percentiles (bench/__main__.py reads the file)."""
    out = os.environ.get("BENCH_SAMPLES")
    if out:
        elapsed = time.time() - _clock.get("start", time.time())
        with open(out, "w") as f:
            json.dump(
                {"seconds": elapsed, "spawned": _clock.get("spawned", 0), "samples": _samples}, f
            )


def csrf_from(html: str) -> str:
    found = CSRF_INPUT.search(html)
    if not found:
        raise ValueError("no CSRF token in the page")
    return found.group(1)


def answer_from(html: str) -> dict:
    """Form data answering the question page: a random choice, or a source per item."""
    data = {"go": "next"}
    choices = CHOICE_INPUT.findall(html)
    if choices:
        data["choice"] = random.choice(choices)
    for name, options in MATCH_SELECT.findall(html):
        values = OPTION.findall(options)
        if values:
            data[name] = random.choice(values)
    return data


class Student(FastHttpUser):
    wait_time = between(*THINK) if SCENARIO == "path" else constant(0)

    def on_start(self):
        self.me = CONFIG["students"][next(_next_student) % len(CONFIG["students"])]
        self.number = 0
        if SCENARIO == "path":
            self.log_in()
        else:
            # Logged in beforehand: the saturation runs measure pages, not PBKDF2.
            self.headers = {
                "Cookie": f"sessionid={self.me['session']}; csrftoken={self.me['csrf']}"
            }

    # --- the whole path -------------------------------------------------------------

    def expect(self, response, status: int, step: str):
        if response.status_code != status:
            response.failure(f"{step}: expected {status}, got {response.status_code}")
            return False
        return True

    def get(self, url: str, name: str, status: int = 200):
        with self.client.get(url, name=name, allow_redirects=False, catch_response=True) as r:
            self.expect(r, status, name)
            return r

    def post(self, url: str, data: dict, name: str, status: int = 302):
        with self.client.post(
            url, data=data, name=name, allow_redirects=False, catch_response=True
        ) as r:
            self.expect(r, status, name)
            return r

    def log_in(self):
        form = self.get("/accounts/login/", "01 login form")
        self.post(
            "/accounts/login/",
            {
                "username": self.me["username"],
                "password": CONFIG["password"],
                "csrfmiddlewaretoken": csrf_from(form.text),
            },
            "02 log in (PBKDF2)",
        )

    def take_quiz(self):
        self.get(f"/lessons/{CONFIG['lesson']}/", "03 lesson page")
        self.wait()
        start = self.get(f"/quizzes/{CONFIG['quiz']}/", "04 quiz start page")
        self.wait()
        started = self.post(
            f"/quizzes/{CONFIG['quiz']}/attempts/",
            {"csrfmiddlewaretoken": csrf_from(start.text)},
            "05 start attempt",
        )
        location = started.headers.get("Location", "")
        if not location.startswith("/attempts/"):
            # The quiz's attempt limit is reached: the app refuses, rightly; this student
            # is done.
            raise StopUser()
        attempt = location.rstrip("/").rsplit("/", 1)[-1]
        self.get(f"/attempts/{attempt}/", "06 resume (redirect)", status=302)
        for number in range(1, len(self.me["answers"]) + 1):
            url = f"/attempts/{attempt}/questions/{number}/"
            page = self.get(url, "07 question page")
            self.wait()
            data = answer_from(page.text)
            data["csrfmiddlewaretoken"] = csrf_from(page.text)
            self.post(url, data, "08 answer save")
        review = self.get(f"/attempts/{attempt}/review/", "09 review page")
        self.wait()
        self.post(
            f"/attempts/{attempt}/submit/",
            {"csrfmiddlewaretoken": csrf_from(review.text)},
            "10 submit",
        )
        self.get(f"/attempts/{attempt}/result/", "11 result page")

    # --- one step back to back ------------------------------------------------------

    def next_number(self) -> int:
        self.number = self.number % len(self.me["answers"]) + 1
        return self.number

    @task
    def step(self):
        if SCENARIO == "path":
            self.take_quiz()
        elif SCENARIO == "ceiling":
            self.client.get("/bench/ceiling/", name="ceiling (trivial view)")
        elif SCENARIO == "lesson":
            self.steady_get(f"/lessons/{CONFIG['lesson']}/", "lesson page")
        elif SCENARIO == "question":
            url = f"/attempts/{self.me['attempt']}/questions/{self.next_number()}/"
            self.steady_get(url, "question page")
        elif SCENARIO == "answer":
            number = self.next_number()
            with self.client.post(
                f"/attempts/{self.me['attempt']}/questions/{number}/",
                data={
                    **self.me["answers"][number - 1],
                    "go": "next",
                    "csrfmiddlewaretoken": self.me["csrf"],
                },
                headers=self.headers,
                name="answer save",
                allow_redirects=False,
                catch_response=True,
            ) as r:
                self.expect(r, 302, "answer save")
        elif SCENARIO == "result":
            self.steady_get(f"/attempts/{self.me['result']}/result/", "result page")

    def steady_get(self, url: str, name: str):
        with self.client.get(
            url, headers=self.headers, name=name, allow_redirects=False, catch_response=True
        ) as r:
            self.expect(r, 200, name)
