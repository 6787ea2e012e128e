"""The compact result page in a real Chromium: score first, one line per question with
mistakes first, each opening to its answer, key, feedback and proof; its height at a
desktop and a phone width is measured and bounded."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from quizzes.attempts import save_answer, start_attempt, submit_attempt
from quizzes.models import Question, Quiz
from tests.factories import UserFactory, assign

from .conftest import REPORT, ROOT

BUNDLE = ROOT / "lessons" / "bundles" / "cuba-venezuela-casualties.json"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# The shipped lesson's longest quiz, fully answered (every third answer wrong), with
# everything its review can show (one attempt allowed: key, feedback and proof).
# Before the compact page it was 33,000 px tall at 1280 px and 53,000 px at 390 px.
MAX_HEIGHT = {1280: 5000, 390: 8000}


@pytest.fixture
def student(db):
    return UserFactory(username="reader", first_name="Ana")


@pytest.fixture
def longest_quiz(db, student):
    call_command("import_lesson", str(BUNDLE), stdout=StringIO())
    quizzes = Quiz.objects.filter(lesson__slug="cuba-venezuela-casualties")
    assign(quizzes, student)
    quiz = max(quizzes, key=lambda q: q.questions.count())
    Quiz.objects.filter(pk=quiz.pk).update(max_attempts=1)
    quiz.refresh_from_db()
    return quiz


def answer_everything(quiz, learner, wrong_every=3):
    """Start, answer every question (every `wrong_every`-th one wrong) and submit."""
    attempt = start_attempt(quiz=quiz, learner=learner)
    questions = {q.id: q for q in quiz.questions.prefetch_related("choices__source")}
    for n, qid in enumerate(attempt.layout["questions"]):
        question = questions[qid]
        wrong = n % wrong_every == 0
        choices = list(question.choices.all())
        right = [c for c in choices if c.correct]
        others = [c for c in choices if not c.correct]
        if question.kind == Question.Kind.MATCHING:
            sources = sorted({c.source_id for c in choices if c.source_id})
            matches = {
                item.id: next(s for s in sources if s != item.source_id)
                if wrong
                else item.source_id
                for item in right
            }
            save_answer(attempt=attempt, question=question, choice_ids=matches, matches=matches)
        elif choices:
            picks = others[:1] if wrong and others else right[:1]
            if question.kind == Question.Kind.MULTIPLE and not wrong:
                picks = right
            save_answer(attempt=attempt, question=question, choice_ids=[c.id for c in picks])
    submit_attempt(attempt=attempt)
    return attempt


def _height(page) -> int:
    return page.evaluate("() => document.documentElement.scrollHeight")


def test_the_result_page_fits_and_shows_mistakes_first(
    page, live_server, login, axe, student, longest_quiz
):
    attempt = answer_everything(longest_quiz, student)
    total = longest_quiz.questions.count()
    login(student)
    url = live_server.url + reverse("quizzes:result", args=[attempt.pk])
    heights = {}
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(url)
        expect(page.get_by_role("heading", name="Your result")).to_be_visible()
        heights[width, "mistakes"] = _height(page)
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width
        assert axe(page) == [], width
        page.goto(url + "?show=all")
        expect(page.locator(".answer")).to_have_count(total)
        heights[width, "all"] = _height(page)
        assert axe(page) == [], width
        # Every question opened: the most the page can be.
        page.evaluate(
            "() => document.querySelectorAll('.answer details').forEach(d => d.open = true)"
        )
        heights[width, "all open"] = _height(page)
    REPORT.append(
        f"result page of {longest_quiz.title!r} ({total} questions, every third wrong), "
        "document scrollHeight in px: "
        + ", ".join(f"{w} wide, {what}: {h}" for (w, what), h in heights.items())
    )
    print(REPORT[-1])
    for width, bound in MAX_HEIGHT.items():
        assert heights[width, "mistakes"] <= bound / 2, (width, heights)
        assert heights[width, "all"] <= bound, (width, heights)

    # Score first and largest, then the attribution subscore and the skills.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(url)
    sizes = page.evaluate(
        """() => ['.score-figure', '.headline-figure', '#skills-heading', '#answers-heading']
            .map(s => document.querySelector(s))
            .map(el => [el.getBoundingClientRect().top, parseFloat(getComputedStyle(el).fontSize)])"""
    )
    tops = [top for top, _ in sizes]
    assert tops == sorted(tops)
    assert sizes[0][1] == max(size for _, size in sizes)
    # Only mistakes, in their own order first: wrong before right; none right listed.
    rows = page.locator(".answer")
    outcomes = rows.evaluate_all("els => els.map(el => el.className)")
    assert outcomes and not any(" right" in o and "partly" not in o for o in outcomes)
    # A line opens by keyboard to the answer, the right answer, the feedback and the
    # proof, each once.
    first = rows.first
    first.locator("summary").focus()
    page.keyboard.press("Enter")
    body = first.locator(".answer-body")
    expect(body).to_be_visible()
    text = body.inner_text()
    assert text.count("Right answer") <= 1 and text.count("Why:") == 1
    assert text.count("Read this sentence in the lesson") == 1
    assert not re.search(r"\bWrong\b", text)  # the outcome says it, on the line above
    # The switch is a link: it works without JavaScript too.
    page.get_by_role("link", name=re.compile("^Show all")).click()
    expect(rows).to_have_count(total)
    classes = rows.evaluate_all("els => els.map(el => el.className)")
    first_right = next(i for i, c in enumerate(classes) if c.endswith(" right"))
    assert all(c.endswith(" right") for c in classes[first_right:])  # mistakes first
