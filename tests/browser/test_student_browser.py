"""A student in a real Chromium: reads a lesson, takes the whole quiz by keyboard,
resumes after closing the page, runs out of time, and every page passes axe-core."""

import itertools
import json
import re
from collections import Counter
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from lessons.models import Lesson
from quizzes.models import Attempt, Question, Quiz, Response
from tests.factories import UserFactory, assign, posted, posted_matches
from tests.scenarios import build_article_quiz

from .conftest import PASSWORD, REPORT, ROOT, screenshot

BUNDLE = ROOT / "lessons" / "bundles" / "cuba-venezuela-casualties.json"

# serialized_rollback: the flush after each test would otherwise also wipe what data
# migrations made (the Teachers group), which later tests rely on.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SERIOUS = {"serious", "critical"}
AXE_VERSION = json.loads((ROOT / "package-lock.json").read_text())["packages"][
    "node_modules/axe-core"
]["version"]


@pytest.fixture
def student(db):
    return UserFactory(username="reader", first_name="Ana")


@pytest.fixture
def quiz(db, student):
    """A small quiz built by factories, one question of each kind: for the mechanics.
    Closed to all, as content is by default, and assigned to the student's class."""
    quiz = build_article_quiz()
    Lesson.objects.filter(pk=quiz.lesson_id).update(open_to_all=False)
    Quiz.objects.filter(pk=quiz.pk).update(open_to_all=False)
    assign(quiz, student)
    quiz.refresh_from_db()
    return quiz


@pytest.fixture
def article_quiz(db, student):
    """The shipped lesson's full assessment, imported as `make run` does, with its
    quizzes assigned to the student's class (the shipped lesson is open to its classes
    only)."""
    call_command("import_lesson", str(BUNDLE), stdout=StringIO())
    assign(Quiz.objects.filter(lesson__slug="cuba-venezuela-casualties"), student)
    return Quiz.objects.get(lesson__slug="cuba-venezuela-casualties", key="full-assessment")


def _url(live_server, path):
    return live_server.url + path


def _start_attempt(page, live_server, quiz):
    page.goto(_url(live_server, quiz.get_absolute_url()))
    page.get_by_role("button", name=re.compile("Start|Resume")).click()
    expect(page.get_by_text("Question 1 of 6")).to_be_visible()
    return Attempt.objects.get(quiz=quiz)


# --- Reading ---------------------------------------------------------------------------


def test_student_reads_the_lesson_with_marks_and_switches_them_off(
    page, live_server, login, student, quiz
):
    login(student)
    lesson = quiz.lesson
    page.goto(_url(live_server, lesson.get_absolute_url()))
    expect(page.get_by_role("heading", level=1)).to_have_text(lesson.title)
    reading = page.locator("#reading")
    tag = reading.locator(".claim-tag", has_text="Donald Trump, quote")
    expect(tag).to_be_visible()
    expect(
        reading.locator("mark.claim-framing", has_text="Washington characterised")
    ).to_be_visible()
    # The voices are grouped by side; the article's own statements are set apart.
    expect(
        page.locator(".side", has=page.get_by_role("heading", name="United States"))
    ).to_contain_text("Donald Trump")
    own = page.locator(".own-statements")
    expect(own).to_contain_text("likely to harden Havana’s stance")
    expect(page.locator(".voices")).not_to_contain_text("The article itself")

    toggle = page.get_by_role("button", name="Source marks: on")
    expect(toggle).to_have_attribute("aria-pressed", "true")
    toggle.click()  # JavaScript switches in place...
    expect(tag).to_be_hidden()
    expect(page.get_by_role("button", name="Source marks: off")).to_have_attribute(
        "aria-pressed", "false"
    )
    expect(reading).to_have_class(re.compile(r"\bmarks-off\b"))
    page.wait_for_load_state("networkidle")
    page.reload()  # ...and the server remembers the choice.
    expect(tag).to_be_hidden()
    expect(page.locator("#reading")).to_have_class(re.compile(r"\bmarks-off\b"))
    # The words are all still there.
    expect(reading).to_contain_text(
        "Washington characterised the mission as a law-enforcement action"
    )


def test_marks_switch_without_javascript(browser, live_server, login, student, quiz):
    context = browser.new_context(java_script_enabled=False)
    login(student, context)
    page = context.new_page()
    page.goto(_url(live_server, quiz.lesson.get_absolute_url()))
    tag = page.locator(".claim-tag", has_text="Donald Trump, quote")
    expect(tag).to_be_visible()
    page.get_by_role("button", name="Source marks: on").click()
    expect(page).to_have_url(re.compile(r"/lessons/[^/?]+/(#reading)?$"))
    expect(tag).to_be_hidden()
    page.get_by_role("button", name="Source marks: off").click()
    expect(tag).to_be_visible()
    context.close()


# --- The whole quiz by keyboard --------------------------------------------------------


def _focus(page, predicate_js: str, *, limit=80, key="Tab"):
    """Press Tab until the focused element satisfies `predicate_js` (a JS expression on `el`)."""
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate(
            f"() => {{ const el = document.activeElement; return !!el && ({predicate_js}); }}"
        ):
            return
    raise AssertionError(f"Tab never reached an element where {predicate_js}")


def _focus_button(page, text):
    _focus(page, f"el.tagName === 'BUTTON' && el.textContent.trim() === {text!r}")


def _answer_by_keyboard(page, attempt, question: Question):
    # The attempt fixes the order of the choices (they may be shuffled): follow it.
    rank = {cid: i for i, cid in enumerate(attempt.layout["choices"][str(question.id)])}
    choices = sorted(question.choices.all(), key=lambda c: rank[c.id])
    right = [c for c in choices if c.correct]
    # The page posts positions, not ids (quizzes/forms.py): find each by what it posts.
    if question.kind == Question.Kind.MATCHING:
        fields = posted_matches(attempt, question, {item: item.source for item in right})
        for name, value in fields.items():
            _focus(page, f"el.id === 'id_{name}'")
            for _ in range(40):
                if page.evaluate("() => document.activeElement.value") == value:
                    break
                page.keyboard.press("ArrowDown")
            assert page.evaluate("() => document.activeElement.value") == value
        return
    if question.kind == Question.Kind.MULTIPLE:
        for value in posted(attempt, question, *right):
            _focus(page, f"el.type === 'checkbox' && el.value === '{value}'")
            page.keyboard.press("Space")
        return
    # A radio group: Tab enters it, arrow keys move (and choose), Space chooses.
    (target,) = posted(attempt, question, right[0])
    _focus(page, "el.type === 'radio'")
    for _ in range(len(choices)):
        if page.evaluate("() => document.activeElement.value") == target:
            break
        page.keyboard.press("ArrowDown")
    assert page.evaluate("() => document.activeElement.value") == target
    page.keyboard.press("Space")


def test_full_article_quiz_by_keyboard_only(page, live_server, student, article_quiz):
    quiz = article_quiz
    # One attempt allowed, so its result is the last and shows the explanations (the
    # shipped quiz allows three and keeps the right answers for after the last).
    Quiz.objects.filter(pk=quiz.pk).update(max_attempts=1)
    # Its written question waits for a teacher's marking (test_written_browser.py).
    Question.objects.filter(quiz=quiz, kind=Question.Kind.WRITTEN).delete()
    # Log in through the form, by keyboard.
    page.goto(_url(live_server, quiz.get_absolute_url()))
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    page.keyboard.type("reader")  # the username field has autofocus
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(quiz.title)

    _focus_button(page, "Start the quiz")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Question 1 of", exact=False)).to_be_visible()
    attempt = Attempt.objects.get(quiz=quiz, learner=student)
    by_id = {q.id: q for q in quiz.questions.prefetch_related("choices")}
    order = [by_id[qid] for qid in attempt.layout["questions"]]
    total = len(order)
    for number, question in enumerate(order, start=1):
        expect(page.locator("#progress-label")).to_contain_text(f"Question {number} of {total}")
        expect(page.get_by_role("heading", level=1)).to_have_text(question.prompt)
        _answer_by_keyboard(page, attempt, question)
        last = number == total
        _focus_button(page, "Save and review" if last else "Save and next")
        page.keyboard.press("Enter")
        if not last:
            expect(page.locator("#progress-label")).to_contain_text(
                f"Question {number + 1} of {total}"
            )

    expect(page.get_by_role("heading", name="Review your answers")).to_be_visible()
    expect(page.get_by_text("You have answered every question.")).to_be_visible()
    _focus_button(page, "Submit attempt")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Your result")).to_be_visible()
    points = sum(q.points for q in order)
    expect(page.locator(".score")).to_contain_text(f"{points} of {points} points (100%)")
    expect(page.locator(".headline-figure")).to_have_text("100%")
    expect(page.locator(".answer .badge", has_text="Right")).to_have_count(total)
    # Each explanation links to the sentence in the lesson that proves it (inside each
    # question's closed line): open the first line and follow its link, by keyboard.
    links = page.locator(".answer a", has_text=re.compile("^Read this sentence in the lesson"))
    expect(links).to_have_count(total)
    href = links.first.get_attribute("href")
    anchor = href.split("#", 1)[1]
    _focus(page, "el.tagName === 'SUMMARY' && !!el.closest('.answer')", limit=200)
    page.keyboard.press("Enter")
    _focus(page, f"el.tagName === 'A' && el.getAttribute('href') === {href!r}", limit=200)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(f"#{re.escape(anchor)}$"))
    expect(page.locator(f"[id='{anchor}']")).to_have_count(1)
    attempt.refresh_from_db()
    assert attempt.is_submitted and attempt.percent == 100


# --- Resume and autosave ---------------------------------------------------------------


def test_resume_after_closing_the_page(context, live_server, login, student, quiz):
    login(student)
    page = context.new_page()
    attempt = _start_attempt(page, live_server, quiz)
    first = quiz.questions.get(order=1)
    right = first.choices.get(correct=True)
    page.get_by_label(right.text, exact=True).check()
    page.get_by_role("button", name="Save and next").click()
    expect(page.get_by_text("Question 2 of 6")).to_be_visible()
    page.close()

    page = context.new_page()
    page.goto(_url(live_server, quiz.get_absolute_url()))
    page.get_by_role("link", name="Resume attempt 1").click()
    # The first unanswered question...
    expect(page.get_by_text("Question 2 of 6")).to_be_visible()
    page.get_by_role("button", name="Previous question").click()
    # ...and the earlier answer is still chosen.
    expect(page.get_by_label(right.text, exact=True)).to_be_checked()
    assert Response.objects.filter(attempt=attempt, question=first).count() == 1


def test_javascript_saves_the_choice_before_any_button(context, live_server, login, student, quiz):
    login(student)
    page = context.new_page()
    attempt = _start_attempt(page, live_server, quiz)
    question = quiz.questions.get(order=1)
    wrong = question.choices.filter(correct=False).first()
    page.get_by_label(wrong.text, exact=True).check()
    expect(page.locator("[data-save-status]")).to_have_text("✓ Your answer is saved.")
    expect(page.locator("[data-answered-count]")).to_have_text("1")
    page.close()  # no button pressed

    response = Response.objects.get(attempt=attempt, question=question)
    assert [s.choice_id for s in response.selections.all()] == [wrong.id]
    page = context.new_page()
    page.goto(_url(live_server, f"/attempts/{attempt.pk}/questions/1/"))
    expect(page.get_by_label(wrong.text, exact=True)).to_be_checked()


def test_the_post_after_an_autosave_says_so_and_writes_nothing(
    context, live_server, login, student, quiz
):
    """The script saved the choice; "Save and next" then posts it with `autosaved=1`,
    and the server, having checked, leaves the stored answer as it is."""
    login(student)
    page = context.new_page()
    attempt = _start_attempt(page, live_server, quiz)
    question = quiz.questions.get(order=1)
    wrong, right = (
        question.choices.filter(correct=False).first(),
        question.choices.get(correct=True),
    )
    page.get_by_label(wrong.text, exact=True).check()
    expect(page.locator("[data-save-status]")).to_have_text("✓ Your answer is saved.")
    saved = Response.objects.get(attempt=attempt, question=question)
    posts = []
    page.on("request", lambda r: posts.append(r.post_data or "") if r.method == "POST" else None)
    page.get_by_role("button", name="Save and next").click()
    expect(page.get_by_text("Question 2 of 6")).to_be_visible()
    assert any("autosaved=1" in body for body in posts), posts
    again = Response.objects.get(attempt=attempt, question=question)
    assert (again.pk, again.answered_at) == (saved.pk, saved.answered_at)

    # Back on the question, another choice: saved by the script, then kept by the post.
    page.get_by_role("button", name="Previous question").click()
    expect(page.get_by_label(wrong.text, exact=True)).to_be_checked()
    page.get_by_label(right.text, exact=True).check()
    expect(page.locator("[data-save-status]")).to_have_text("✓ Your answer is saved.")
    page.get_by_role("button", name="Save and next").click()
    expect(page.get_by_text("Question 2 of 6")).to_be_visible()
    changed = Response.objects.get(attempt=attempt, question=question)
    assert [s.choice_id for s in changed.selections.all()] == [right.id]


def test_autosave_of_a_matching_question(context, live_server, login, student, quiz):
    login(student)
    page = context.new_page()
    attempt = _start_attempt(page, live_server, quiz)
    page.goto(_url(live_server, f"/attempts/{attempt.pk}/questions/5/"))
    question = quiz.questions.get(order=5)
    item = question.choices.filter(correct=True).first()
    ((_, value),) = posted_matches(attempt, question, {item: item.source}).items()
    page.get_by_label(item.text).select_option(value)
    expect(page.locator("[data-save-status]")).to_have_text("✓ Your answer is saved.")
    response = Response.objects.get(attempt=attempt, question__order=5)
    assert {s.choice_id: s.source_id for s in response.selections.all()} == {
        item.id: item.source_id
    }


# --- Immediate feedback ----------------------------------------------------------------


def test_immediate_feedback_locks_the_answer_even_after_a_double_click(
    context, live_server, login, student, article_quiz
):
    login(student)
    page = context.new_page()
    warm_up = Quiz.objects.get(lesson=article_quiz.lesson, key="warm-up")
    page.goto(_url(live_server, warm_up.get_absolute_url()))
    page.get_by_role("button", name="Start the quiz").click()
    attempt = Attempt.objects.get(quiz=warm_up, learner=student)
    question = Question.objects.get(pk=attempt.layout["questions"][0])
    wrong = question.choices.filter(correct=False).first()
    right = question.choices.get(correct=True)
    page.locator(f"input[value='{posted(attempt, question, wrong)[0]}']").check()
    errors = []
    page.on("response", lambda r: r.status >= 500 and errors.append(r.url))
    page.get_by_role("button", name="Save and next").dblclick()
    feedback = page.locator(".feedback")
    expect(feedback).to_contain_text("Wrong")
    expect(feedback).to_contain_text(f"Right answer: {right.label}")
    expect(feedback).to_contain_text("cannot be changed")
    for radio in page.locator("input[name=choice]").all():
        expect(radio).to_be_disabled()
    assert not errors
    assert Response.objects.get(attempt=attempt, question=question).credit == 0


# --- A timed quiz that runs out --------------------------------------------------------


@pytest.fixture
def timed_quiz(quiz, student):
    timed = build_article_quiz(lesson=quiz.lesson, title="One-minute check", time_limit_minutes=1)
    Quiz.objects.filter(pk=timed.pk).update(open_to_all=False)
    assign(timed, student)
    timed.refresh_from_db()
    return timed


def test_server_refuses_a_late_answer_and_shows_the_result(
    browser, live_server, login, student, timed_quiz
):
    # Without JavaScript, so only the server decides.
    context = browser.new_context(java_script_enabled=False)
    login(student, context)
    page = context.new_page()
    page.goto(_url(live_server, timed_quiz.get_absolute_url()))
    expect(page.get_by_text("1 minute, counted from when you start")).to_be_visible()
    page.get_by_role("button", name="Start the quiz").click()
    expect(page.get_by_text("Time is up at")).to_be_visible()
    attempt = Attempt.objects.get(quiz=timed_quiz)
    # The clock runs out while the student is on the page.
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(seconds=1))
    right = timed_quiz.questions.get(order=1).choices.get(correct=True)
    page.get_by_label(right.text, exact=True).check()
    page.get_by_role("button", name="Save and next").click()
    expect(page.get_by_role("heading", name="Your result")).to_be_visible()
    expect(page.locator(".messages")).to_contain_text("came too late and was not saved")
    expect(page.locator(".submitted")).to_contain_text("when time ran out")
    attempt.refresh_from_db()
    assert attempt.is_submitted and not attempt.responses.exists()
    context.close()


def test_countdown_reaches_zero_and_the_page_moves_to_the_result(
    page, live_server, login, student, timed_quiz
):
    login(student)
    attempt = _start_attempt(page, live_server, timed_quiz)
    expect(page.locator("[data-countdown]")).to_have_text(re.compile(r"Time left: 0:[0-5]\d"))
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() + timedelta(seconds=3))
    page.reload()
    expect(page.locator("[data-countdown]")).to_have_text(re.compile(r"Time left: 0:0[0-3]"))
    expect(page.get_by_role("heading", name="Your result")).to_be_visible(timeout=10_000)
    attempt.refresh_from_db()
    assert attempt.is_submitted


# --- axe-core and screenshots ----------------------------------------------------------


def _student_pages(page, live_server, login, student, quiz):
    """Visit every student page; yield (name, page) at each."""
    page.goto(_url(live_server, "/accounts/login/"))
    yield "login", page
    login(student)
    page.goto(_url(live_server, "/"))
    yield "lesson list", page
    page.goto(_url(live_server, reverse("classes:work")))
    yield "my classes", page
    page.goto(_url(live_server, quiz.lesson.get_absolute_url()))
    yield "lesson", page
    page.goto(_url(live_server, quiz.get_absolute_url()))
    yield "quiz start", page
    page.get_by_role("button", name=re.compile("Start|Resume")).click()
    expect(page.locator("#progress-label")).to_contain_text("Question 1 of")
    attempt = Attempt.objects.get(quiz=quiz, learner=student, submitted_at__isnull=True)
    kinds = dict(Question.objects.filter(quiz=quiz).values_list("id", "kind"))
    numbers = {}
    for number, qid in enumerate(attempt.layout["questions"], start=1):
        numbers.setdefault(kinds[qid], number)
    for kind, number in numbers.items():
        page.goto(_url(live_server, f"/attempts/{attempt.pk}/questions/{number}/"))
        yield f"question ({Question.Kind(kind).label.lower()})", page
    page.goto(_url(live_server, f"/attempts/{attempt.pk}/review/"))
    yield "review", page
    # Answer a few one-answer questions, right and wrong, so the result shows each outcome.
    one_answer = [
        n
        for n, qid in enumerate(attempt.layout["questions"], start=1)
        if kinds[qid] in ("single", "true_false", "who_said", "classification")
    ][:3]
    for number, correct in zip(one_answer, (True, False, True), strict=True):
        page.goto(_url(live_server, f"/attempts/{attempt.pk}/questions/{number}/"))
        qid = attempt.layout["questions"][number - 1]
        question = Question.objects.get(pk=qid)
        choice = question.choices.filter(correct=correct).first()
        page.locator(f"input[value='{posted(attempt, question, choice)[0]}']").check()
        expect(page.locator("[data-save-status]")).to_have_text("✓ Your answer is saved.")
    page.goto(_url(live_server, f"/attempts/{attempt.pk}/review/"))
    page.get_by_role("button", name="Submit attempt").click()
    expect(page.get_by_role("heading", name="Your result")).to_be_visible()
    yield "result", page


def _more_states(page, live_server, quiz):
    """The reading with its marks off, and a question showing its feedback (the warm-up
    quiz gives feedback after each answer)."""
    lesson_url = _url(live_server, quiz.lesson.get_absolute_url())
    page.goto(lesson_url)
    page.get_by_role("button", name="Source marks: on").click()
    expect(page.locator("#reading")).to_have_class(re.compile(r"\bmarks-off\b"))
    yield "lesson (marks off)", page
    page.get_by_role("button", name="Source marks: off").click()
    expect(page.locator("#reading")).to_have_class(re.compile(r"\bmarks-on\b"))
    warm_up = Quiz.objects.get(lesson=quiz.lesson, key="warm-up")
    page.goto(_url(live_server, warm_up.get_absolute_url()))
    page.get_by_role("button", name=re.compile("Start")).click()
    page.locator("input[type=radio]").first.check()
    page.locator(".nav-buttons .button").first.click()
    expect(page.locator(".feedback .badge")).to_be_visible()
    yield "question with its feedback", page


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_violation_on_any_student_page(
    page, live_server, login, axe, student, article_quiz, scheme
):
    page.emulate_media(color_scheme=scheme)
    failures, summary = [], []
    pages = itertools.chain(
        _student_pages(page, live_server, login, student, article_quiz),
        _more_states(page, live_server, article_quiz),
    )
    for name, at in pages:
        violations = axe(at)
        counts = Counter(v["impact"] for v in violations)
        summary.append(
            f"  {name:<28} "
            + (
                ", ".join(f"{impact}: {n}" for impact, n in sorted(counts.items()))
                or "no violations"
            )
        )
        failures += [
            f"{name}: {v['impact']} {v['id']} — {v['help']} {v['nodes']}"
            for v in violations
            if v["impact"] in SERIOUS
        ]
    REPORT.append(f"axe-core {AXE_VERSION}, {scheme} scheme: violations by impact per page")
    REPORT.extend(summary)
    print("\n".join(REPORT[-len(summary) - 1 :]))
    assert not failures, "\n".join(failures)


def test_screenshots_at_phone_and_desktop_widths(page, live_server, login, student, article_quiz):
    saved = []
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        for name, at in _student_pages(page, live_server, login, student, article_quiz):
            if name in ("lesson", "question (matching)", "question (who said it)", "result"):
                slug = name.replace(" ", "-").replace("(", "").replace(")", "")
                saved.append(screenshot(at, f"{slug}-{width}"))
                # Nothing may stick out sideways at either width.
                overflow = at.evaluate(
                    "() => document.documentElement.scrollWidth - window.innerWidth"
                )
                culprits = at.evaluate(
                    """() => [...document.querySelectorAll('body *')]
                        .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
                        .slice(0, 5)
                        .map(el => `${el.tagName}.${el.className} `
                                   + el.textContent.slice(0, 40))"""
                )
                assert overflow <= 0, f"{name} at {width}px is {overflow}px too wide: {culprits}"
                # A screenshot of a page that is not finished is worse than none.
                assert at.locator("h1").count() == 1
        # A fresh attempt for the second width.
        Attempt.objects.filter(learner=student).delete()
    REPORT.append("screenshots:")
    REPORT.extend(f"  {p.relative_to(ROOT)}" for p in saved)
    assert all(p.exists() and p.stat().st_size > 5000 for p in saved)
