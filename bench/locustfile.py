"""Simulated students for `make bench` (run by bench/__main__.py, never by pytest).

BENCH_SCENARIO picks what each user does:
  path      the whole student path, with think time: log in (PBKDF2), read the lesson,
            open the quiz, start, answer every question, review, submit, see the result
  ceiling   a trivial Django view, back to back: the ceiling
  floor     the least logged-in page (session, user, one query, a tiny template): the floor
  lesson, question, answer, result
            one step back to back, by students logged in beforehand (bench/setup_data.py)
Locust reports the figures (--csv); a run is bounded by --run-time and BENCH_MAX_REQUESTS."""

import itertools
import json
import os
import random
import re

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


@events.init.add_listener
def _bound_the_count(environment, **_kwargs):
    """Stop after BENCH_MAX_REQUESTS requests: a run is bounded in count as well as in time."""
    sent = itertools.count(1)

    @environment.events.request.add_listener
    def _count(**_kwargs):
        if next(sent) == MAX_REQUESTS:
            gevent.spawn(environment.runner.quit)


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
        self.round = 0
        self.headers = {}
        if SCENARIO == "path":
            self.log_in()
        else:
            # Logged in beforehand: the saturation runs measure pages, not PBKDF2.
            self.headers = {
                "Cookie": f"sessionid={self.me['session']}; csrftoken={self.me['csrf']}"
            }

    def request(self, method: str, url: str, name: str, status: int, data=None):
        """One step, redirects not followed; any other status than `status` is a failure."""
        with self.client.request(
            method,
            url,
            data=data,
            headers=self.headers,
            name=name,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != status:
                response.failure(f"{name}: expected {status}, got {response.status_code}")
            return response

    def get(self, url: str, name: str, status: int = 200):
        return self.request("GET", url, name, status)

    def post(self, url: str, data: dict, name: str, status: int = 302):
        return self.request("POST", url, name, status, data=data)

    # --- the whole path -------------------------------------------------------------

    def log_in(self):
        form = self.get("/accounts/login/", "01 login form")
        credentials = {"username": self.me["username"], "password": CONFIG["password"]}
        data = {**credentials, "csrfmiddlewaretoken": csrf_from(form.text)}
        self.post("/accounts/login/", data, "02 log in (PBKDF2)")

    def take_quiz(self):
        self.get(f"/lessons/{CONFIG['lesson']}/", "03 lesson page")
        self.wait()
        start = self.get(f"/quizzes/{CONFIG['quiz']}/", "04 quiz start page")
        self.wait()
        token = {"csrfmiddlewaretoken": csrf_from(start.text)}
        started = self.post(f"/quizzes/{CONFIG['quiz']}/attempts/", token, "05 start attempt")
        location = started.headers.get("Location", "")
        if not location.startswith("/attempts/"):
            raise StopUser()  # the quiz's attempt limit is reached: this student is done
        attempt = location.rstrip("/").rsplit("/", 1)[-1]
        self.get(f"/attempts/{attempt}/", "06 resume (redirect)", status=302)
        for number in range(1, len(self.me["answers"]) + 1):
            url = f"/attempts/{attempt}/questions/{number}/"
            page = self.get(url, "07 question page")
            self.wait()
            data = {**answer_from(page.text), "csrfmiddlewaretoken": csrf_from(page.text)}
            self.post(url, data, "08 answer save")
        review = self.get(f"/attempts/{attempt}/review/", "09 review page")
        self.wait()
        token = {"csrfmiddlewaretoken": csrf_from(review.text)}
        self.post(f"/attempts/{attempt}/submit/", token, "10 submit")
        self.get(f"/attempts/{attempt}/result/", "11 result page")

    # --- one step back to back ------------------------------------------------------

    @task
    def step(self):
        me = self.me
        if SCENARIO == "path":
            self.take_quiz()
        elif SCENARIO == "ceiling":
            self.get("/bench/ceiling/", "ceiling (trivial view)")
        elif SCENARIO == "floor":
            self.get("/bench/floor/", "floor (session, user, 1 query)")
        elif SCENARIO == "lesson":
            self.get(f"/lessons/{CONFIG['lesson']}/", "lesson page")
        elif SCENARIO == "result":
            self.get(f"/attempts/{me['result']}/result/", "result page")
        else:
            if self.number == len(me["answers"]):
                self.round += 1
            self.number = self.number % len(me["answers"]) + 1
            url = f"/attempts/{me['attempt']}/questions/{self.number}/"
            if SCENARIO == "question":
                self.get(url, "question page")
            else:
                # Every other round the second choice (or source): each post changes the
                # stored answer, so this step measures a write (the same answer again
                # writes nothing: quizzes/attempts.py).
                answer = me["answers"][self.number - 1]
                if self.round % 2:
                    answer = {name: "2" for name in answer}
                answer = {**answer, "go": "next"}
                self.post(url, {**answer, "csrfmiddlewaretoken": me["csrf"]}, "answer save")
