"""Keyboard and focus on the question pages: each puts focus on the question's first
input (or, once its feedback is shown, on the way forward), so the shipped warm-up takes
a few keys per question; the matching selects show whole source names on a phone."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from quizzes.models import Attempt, Question, Quiz
from tests.factories import UserFactory, assign, posted, posted_matches

from .conftest import REPORT, ROOT

BUNDLE = ROOT / "lessons" / "bundles" / "cuba-venezuela-casualties.json"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Keys per question of the warm-up (answer, see its feedback, move on): before focus was
# put on the question, 13 to 26 (176 for the quiz), most of them Tabs to reach the first
# choice and the button. Now a question with one input takes its arrows, Enter and Enter.
MAX_KEYS_ONE_INPUT = 5
ONE_INPUT = {"single", "true_false", "who_said", "classification"}


@pytest.fixture
def student(db):
    return UserFactory(username="reader", first_name="Ana")


@pytest.fixture
def shipped(db, student):
    call_command("import_lesson", str(BUNDLE), stdout=StringIO())
    quizzes = Quiz.objects.filter(lesson__slug="cuba-venezuela-casualties")
    assign(quizzes, student)
    return quizzes


class Keys:
    """A keyboard user who knows the right answer and presses as few keys as the page
    lets them: Tab to what they need when it is not focused already."""

    def __init__(self, page):
        self.page = page
        self.count = self.tabs = 0

    def press(self, key):
        self.count += 1
        self.tabs += key == "Tab"
        self.page.keyboard.press(key)

    def active(self, js: str):
        return self.page.evaluate(f"() => {{ const el = document.activeElement; return {js}; }}")

    def tab_to(self, predicate_js: str, limit=60):
        for _ in range(limit):
            if self.active(f"!!el && ({predicate_js})"):
                return
            self.press("Tab")
        raise AssertionError(f"Tab never reached {predicate_js}")

    def submit(self, key="Enter"):
        """Press a key that should move to another page; wait for it."""
        with self.page.expect_navigation():
            self.press(key)

    def forward(self, label: str):
        self.tab_to(f"el.tagName === 'BUTTON' && el.textContent.trim() === {label!r}")
        self.submit()


def _answer(keys: Keys, attempt, question):
    rank = {cid: i for i, cid in enumerate(attempt.layout["choices"][str(question.id)])}
    choices = sorted(question.choices.all(), key=lambda c: rank[c.id])
    right = [c for c in choices if c.correct]
    if question.kind == Question.Kind.MATCHING:
        fields = posted_matches(attempt, question, {item: item.source for item in right})
        for name, value in fields.items():
            keys.tab_to(f"el.id === 'id_{name}'")
            for _ in range(40):
                if keys.active("el.value") == value:
                    break
                keys.press("ArrowDown")
        return
    if question.kind == Question.Kind.MULTIPLE:
        for value in posted(attempt, question, *right):
            keys.tab_to(f"el.type === 'checkbox' && el.value === '{value}'")
            keys.press("Space")
        return
    (target,) = posted(attempt, question, right[0])
    keys.tab_to("el.type === 'radio'")
    for _ in range(len(choices)):
        if keys.active("el.value") == target:
            break
        keys.press("ArrowDown")  # moves and chooses
    if not keys.active("el.checked"):
        keys.press("Space")


def _save(keys: Keys, label: str):
    """Enter saves from a radio, a checkbox or a select (the form's first button, the
    way forward); where the browser does not submit on Enter, Tab to the button."""
    try:
        keys.submit()
    except PlaywrightError:
        keys.forward(label)


def test_the_warm_up_by_keyboard_takes_a_few_keys_per_question(
    page, live_server, login, student, shipped
):
    quiz = min(shipped, key=lambda q: q.questions.count())
    assert quiz.feedback == Quiz.Feedback.IMMEDIATE
    login(student)
    page.goto(live_server.url + quiz.get_absolute_url())
    keys = Keys(page)
    keys.forward("Start the quiz")
    start_keys = keys.count
    attempt = Attempt.objects.get(quiz=quiz, learner=student)
    by_id = {q.id: q for q in quiz.questions.prefetch_related("choices__source")}
    order = [by_id[qid] for qid in attempt.layout["questions"]]
    per_question = []
    page.set_default_timeout(3000)
    for number, question in enumerate(order, start=1):
        expect(page.locator("#progress-label")).to_contain_text(f"Question {number} of")
        # On load, focus is on the question's first input (or its checked one).
        page.wait_for_function(
            "() => document.activeElement.name === 'choice'"
            " || document.activeElement.id.startsWith('id_match-')"
        )
        before, tabs = keys.count, keys.tabs
        _answer(keys, attempt, question)
        last = number == len(order)
        _save(keys, "Save and review" if last else "Save and next")
        # Feedback after each answer: the page shows it with focus on the way forward,
        # which the feedback describes.
        expect(page.locator(".feedback .badge")).to_have_text(re.compile("Right"))
        assert keys.active("el.tagName === 'BUTTON' && !!el.getAttribute('aria-describedby')")
        keys.forward("Review and submit" if last else "Next question")
        per_question.append((question, keys.count - before, keys.tabs - tabs))
    expect(page.get_by_role("heading", name="Review your answers")).to_be_visible()
    before = keys.count
    keys.forward("Submit attempt")
    expect(page.get_by_role("heading", name="Your result")).to_be_visible()
    REPORT.append(
        f"keys to take {quiz.title!r} by keyboard: {keys.count} in all; start {start_keys}, "
        f"submit {keys.count - before}; per question: "
        + ", ".join(
            f"{n}. {q.get_kind_display()} {k} ({t} Tab)"
            for n, (q, k, t) in enumerate(per_question, start=1)
        )
    )
    print(REPORT[-1])
    attempt.refresh_from_db()
    assert attempt.percent == 100
    for question, k, tabs in per_question:
        if question.kind in ONE_INPUT:
            assert k <= MAX_KEYS_ONE_INPUT and tabs == 0, (question.prompt, k)
        else:  # at most a Tab per select or checkbox (each its own stop), to the last button
            assert tabs <= question.choices.count(), (question.prompt, tabs)
    assert keys.count - before == 1  # the review page: Enter on "Submit attempt"


def test_matching_selects_show_whole_source_names_on_a_phone(
    page, live_server, login, axe, student, shipped
):
    quiz = max(shipped, key=lambda q: q.questions.count())
    login(student)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + quiz.get_absolute_url())
    page.get_by_role("button", name=re.compile("Start")).click()
    attempt = Attempt.objects.get(quiz=quiz, learner=student)
    kinds = dict(Question.objects.filter(quiz=quiz).values_list("id", "kind"))
    number = next(
        n
        for n, qid in enumerate(attempt.layout["questions"], start=1)
        if kinds[qid] == Question.Kind.MATCHING
    )
    page.goto(live_server.url + reverse("quizzes:question", args=[attempt.pk, number]))
    expect(page.locator(".match select").first).to_be_visible()
    # Each option's text, in the select's own font, fits in the select beside its arrow.
    cut = page.evaluate(
        """() => {
            const ctx = document.createElement('canvas').getContext('2d');
            const cut = [];
            for (const select of document.querySelectorAll('.match select')) {
                const cs = getComputedStyle(select);
                ctx.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
                const room = select.clientWidth - parseFloat(cs.paddingLeft)
                    - parseFloat(cs.paddingRight) - 20;  // the arrow
                for (const o of select.options) {
                    const w = ctx.measureText(o.text).width;
                    if (w > room) cut.push(`${o.text}: ${Math.round(w)} > ${Math.round(room)}`);
                }
            }
            return cut;
        }"""
    )
    assert cut == []
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    assert axe(page) == []


def test_without_javascript_focus_starts_on_the_question(browser, live_server, login, shipped):
    quiz = min(shipped, key=lambda q: q.questions.count())
    learner = UserFactory(username="nojs")
    assign(quiz, learner, name="No script class")
    context = browser.new_context(java_script_enabled=False)
    login(learner, context)
    page = context.new_page()
    page.goto(live_server.url + quiz.get_absolute_url())
    page.get_by_role("button", name=re.compile("Start")).click()
    expect(page.locator("#progress-label")).to_contain_text("Question 1 of")
    page.wait_for_function("() => document.activeElement.id === 'prompt'")
    page.keyboard.press("Tab")  # one Tab to the choices
    assert page.evaluate("() => document.activeElement.name") == "choice"
    context.close()
