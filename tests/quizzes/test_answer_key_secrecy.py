"""The answer key stays secret (issue 11): the shipped full assessment, taken through the
real views by a fixed rule on the values the page posts, scores no better than chance.

Before, every choice's value was its database id and the bundle listed choices in the
author's order, so always posting the lowest value scored 70.7 %. Now a choice posts its
position in the attempt's own (shuffled) order, and a source of a matching question its
place in name order: a rule on those values picks at random.

The chance bound, per kind: each question a learner answers has a chance `p` of being
right by luck, 1 / the number of choices (r / n for a multiple-choice question, where the
rule ticks one box and r of the n choices are right; 1 / the number of sources offered for
each matching statement). A shuffled question is a fresh draw in every attempt; a question
whose order is fixed (true/false, classification) gives every learner the same outcome, so
it counts once, with the weight of all learners. The figure a rule earns must stay under
the chance expectation plus three standard deviations of that sum (about one in 700 for
an honest coin to exceed). The shuffles are seeded, so the test is deterministic."""

import random
import re
from collections import defaultdict
from io import StringIO
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from lessons.models import Lesson
from quizzes import attempts as attempts_module
from quizzes.models import Attempt, Question, Quiz, Response

pytestmark = pytest.mark.django_db

BUNDLE = Path(settings.BASE_DIR) / "lessons" / "bundles" / "cuba-venezuela-casualties.json"
LEARNERS = 4
Z = 3.0

INPUT = re.compile(r'<input type="(?:radio|checkbox)" name="choice" value="([^"]*)"')
SELECT = re.compile(r'<select name="(match-[^"]+)"[^>]*>(.*?)</select>', re.S)
OPTION = re.compile(r'<option value="([^"]+)"')

RULES = {
    "lowest": lambda values: min(values, key=int),
    "highest": lambda values: max(values, key=int),
    "first": lambda values: values[0],
    "last": lambda values: values[-1],
}


@pytest.fixture
def assessment(monkeypatch):
    call_command("import_lesson", str(BUNDLE), stdout=StringIO())
    # Open to every learner, so the strategy's students need no class.
    Lesson.objects.update(open_to_all=True)
    Quiz.objects.update(open_to_all=True)
    seeds = iter(range(10_000))
    seeded = SimpleNamespace(Random=lambda: random.Random(next(seeds)))
    monkeypatch.setattr(attempts_module, "random", seeded)
    return Quiz.objects.get(key="full-assessment")


def _take(client, quiz, rule) -> Attempt:
    """Start an attempt through the views and answer every question by `rule`, reading
    only what the page shows."""
    assert client.post(reverse("quizzes:attempt_start", args=[quiz.pk])).status_code == 302
    attempt = Attempt.objects.in_progress().get(quiz=quiz)
    for number in range(1, len(attempt.layout["questions"]) + 1):
        url = reverse("quizzes:question", args=[attempt.pk, number])
        html = client.get(url).text
        data = {"go": "next"}
        selects = SELECT.findall(html)
        if selects:
            for name, options in selects:
                data[name] = rule(OPTION.findall(options))
        elif INPUT.findall(html):
            data["choice"] = rule(INPUT.findall(html))
        else:  # a written answer: text, no position to pick by
            data["text"] = "The article names the source."
        assert client.post(url, data).status_code == 302
    client.post(reverse("quizzes:submit", args=[attempt.pk]))
    attempt.refresh_from_db()
    assert attempt.is_submitted
    return attempt


def _outcomes(attempt):
    """(kind, question id, was it right, the chance of that) for every pick of `attempt`."""
    questions = {
        q.id: q for q in Question.objects.with_key(evidence=False).filter(quiz_id=attempt.quiz_id)
    }
    rows = []
    for response in Response.objects.filter(attempt=attempt).prefetch_related("selections__choice"):
        question = questions[response.question_id]
        if question.kind == Question.Kind.WRITTEN:
            continue  # marked by a teacher, not by a key
        choices = list(question.choices.all())
        selections = list(response.selections.all())
        if question.kind == Question.Kind.MATCHING:
            offered = len({c.source_id for c in choices})
            for s in selections:
                rows.append(
                    (
                        question.kind,
                        (question.id, s.choice_id),
                        s.source_id == s.choice.source_id,
                        1 / offered,
                    )
                )
        elif question.kind == Question.Kind.MULTIPLE:
            right = sum(c.correct for c in choices)
            (s,) = selections
            rows.append((question.kind, question.id, s.choice.correct, right / len(choices)))
        else:
            rows.append((question.kind, question.id, response.credit == 1, 1 / len(choices)))
    return rows, questions


def test_a_fixed_rule_on_the_posted_values_scores_at_chance(client, assessment, capsys):
    figures = {}
    for rule_name, rule in RULES.items():
        per_kind = defaultdict(list)
        percents = []
        for n in range(LEARNERS):
            learner = get_user_model().objects.create_user(f"{rule_name}-{n}", password="x")
            client.force_login(learner)
            attempt = _take(client, assessment, rule)
            percents.append(attempt.percent)
            rows, questions = _outcomes(attempt)
            assert len({r[1] for r in rows if r[0] != "matching"}) == sum(
                q.kind not in ("matching", "written") for q in questions.values()
            )
            for kind, unit, right, p in rows:
                q = questions[unit[0] if isinstance(unit, tuple) else unit]
                per_kind[kind].append((unit, right, p, q.shuffles_choices(assessment)))
        for kind, picks in per_kind.items():
            observed = sum(right for _, right, _, _ in picks)
            expected = sum(p for _, _, p, _ in picks)
            # Independent units: every pick of a shuffled question; once per fixed one.
            variance = sum(p * (1 - p) for _, _, p, shuffled in picks if shuffled)
            fixed = {unit: p for unit, _, p, shuffled in picks if not shuffled}
            variance += sum(LEARNERS**2 * p * (1 - p) for p in fixed.values())
            bound = expected + Z * variance**0.5
            figures[(rule_name, kind)] = (observed / len(picks), expected / len(picks))
            assert observed <= bound, (rule_name, kind, observed, expected, bound)
        figures[(rule_name, "whole quiz %")] = (sum(percents) / len(percents), None)
    with capsys.disabled():
        print("\nrule     kind            right   chance")
        for (rule_name, kind), (rate, chance) in sorted(figures.items()):
            chance_text = f"{chance:6.1%}" if chance is not None else "      "
            shown = f"{rate:6.1%}" if chance is not None else f"{rate:5.1f}%"
            print(f"{rule_name:8} {kind:15} {shown} {chance_text}")
    # Every kind of the shipped assessment was taken (but written answers: text, no
    # choice whose position could tell anything; teachers mark them).
    kinds = {k.value for k in Question.Kind} - {Question.Kind.WRITTEN}
    assert {kind for _, kind in figures} >= kinds | {"whole quiz %"}
    # And a whole attempt stays near chance (about a third), far from the 70.7 % of ids.
    for rule_name in RULES:
        assert figures[(rule_name, "whole quiz %")][0] < 50, rule_name


def test_no_page_or_reply_carries_a_database_id(client, assessment):
    learner = get_user_model().objects.create_user("looker", password="x")
    client.force_login(learner)
    client.post(reverse("quizzes:attempt_start", args=[assessment.pk]))
    attempt = Attempt.objects.in_progress().get(quiz=assessment)
    ids = {str(i) for i in assessment.questions.values_list("choices__id", flat=True)}
    ids |= {str(i) for i in assessment.lesson.sources.values_list("id", flat=True)}
    for number in range(1, len(attempt.layout["questions"]) + 1):
        html = client.get(reverse("quizzes:question", args=[attempt.pk, number])).text
        form = html[html.index('id="answer-form"') : html.index("</form>")]
        values = set(re.findall(r'(?:value|for|id|name)="([^"]+)"', form))
        values |= set(re.findall(r'data-[a-z-]+="([^"]*)"', form))
        inputs = INPUT.findall(form) + [
            v for _, o in SELECT.findall(form) for v in OPTION.findall(o)
        ]
        # Every posted value is a small position, not an id.
        assert all(1 <= int(v) <= 10 for v in inputs), inputs
        assert not any(v in ids and int(v) > 10 for v in values)
