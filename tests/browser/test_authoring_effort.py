"""Effort (issue 12): a teacher, in a real Chromium, goes from a pasted three-sentence
article with two quoted sources to a published, assigned quiz; a student of the class
takes it. The test counts the teacher's page loads and form submissions and asserts the
budget (at most 12 page loads, no key typed); the new admin pages pass axe-core."""

import re
from collections import Counter
from urllib.parse import parse_qsl

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from classes.models import Assignment, Classroom
from lessons.models import Lesson
from quizzes.models import Attempt
from tests.factories import UserFactory, make_teacher, posted

from .conftest import REPORT, screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SERIOUS = {"serious", "critical"}
# Written for this test: three sentences, two quoted sources and the article's own voice.
ARTICLE = (
    "The city council approved a new footbridge over the river on Monday. "
    "“The bridge will open in May,” said Mayor Ana Ruiz. "
    "The engineer Tom Baker warned that “the budget is already stretched.”"
)
MAX_TEACHER_LOADS = 12


class Tally:
    """Page loads and form submissions. A page load is a navigation of the page's main
    frame (a link, a form, a redirect's end, Back); Back may restore the page from the
    browser's cache without a 'load' event, so the 'load' events are counted too, for the
    report. A form submission is a navigation that POSTs; the names of the fields each form
    sent are kept (to show no key was typed)."""

    def __init__(self, page):
        self.page = page
        self.navigations, self.load_events, self.forms, self.fields = 0, 0, 0, []
        page.on("framenavigated", self._navigated)
        page.on("load", self._load)
        page.on("request", self._request)

    @property
    def loads(self) -> int:
        return max(self.navigations, self.load_events)

    def _navigated(self, frame):
        if frame == self.page.main_frame:
            self.navigations += 1

    def _load(self, _page):
        self.load_events += 1

    def _request(self, request):
        if request.is_navigation_request() and request.method == "POST":
            self.forms += 1
            body = request.post_data or ""
            if "multipart/form-data" in (request.headers.get("content-type") or ""):
                self.fields += re.findall(r'name="([^"]+)"', body)
            else:
                self.fields += [name for name, _ in parse_qsl(body, keep_blank_values=True)]


def _serious(violations):
    return [
        f"{v['impact']} {v['id']}: {v['help']} {v['nodes']}"
        for v in violations
        if v["impact"] in SERIOUS
    ]


def test_from_a_pasted_article_to_a_quiz_a_student_takes(browser, live_server, axe, login):
    teacher = make_teacher("ms-ruiz")
    student = UserFactory(username="pupil", first_name="Pia")
    classroom = Classroom.objects.create(name="Year 9 · News", teacher=teacher)
    classroom.students.add(student)
    url = live_server.url

    # --- The teacher ----------------------------------------------------------------
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    login(teacher, context)
    page = context.new_page()
    teacher_tally = Tally(page)
    accessibility = {}

    page.goto(url + reverse("admin:index"))
    lessons = reverse("admin:lessons_lesson_changelist")
    page.locator(f"#content-main a[href='{lessons}']").first.click()
    page.get_by_role("link", name="New lesson from an article").click()
    expect(page.get_by_role("heading", name="New lesson from an article")).to_be_visible()
    accessibility["new lesson from an article"] = axe(page)
    page.get_by_label("Lesson title").fill("A new footbridge")
    page.get_by_label("The article's text").fill(ARTICLE)
    page.get_by_label("Outlet").fill("The Riverside Post")
    page.get_by_role("button", name="Draft the lesson").click()

    expect(page.get_by_role("heading", name=re.compile("^Review the draft"))).to_be_visible()
    lesson = Lesson.objects.get()
    assert not lesson.published and lesson.source_text == ARTICLE
    expect(page.locator("mark", has_text="said Mayor Ana Ruiz")).to_be_visible()
    accessibility["draft review"] = axe(page)
    screenshot(page, "draft-review")
    # Keep one who-said-it and one true/false question; drop the others (clicks only).
    kept = {"Who said it": 0, "True or false": 0}
    cards = page.locator(
        "section.sw-card", has=page.locator("h3", has_text=re.compile("^Question"))
    )
    for n in range(cards.count()):
        card = cards.nth(n)
        kind = card.locator("h3").inner_text().split("·", 1)[1].strip()
        if kind in kept and not kept[kind]:
            kept[kind] = 1
            continue
        card.get_by_label("Drop").check()
    assert kept == {"Who said it": 1, "True or false": 1}
    page.get_by_role("button", name="Save and preview the quiz").click()

    expect(page.get_by_role("heading", name=re.compile("^Preview"))).to_be_visible()
    expect(page.locator("section.sw-card")).to_have_count(2)
    page.go_back()  # back to the review page, to publish
    page.get_by_role("button", name="Publish the lesson and its quiz").click()
    expect(page.get_by_text("are published")).to_be_visible()
    page.get_by_role("link", name=re.compile("^Assign .* to a class")).click()
    expect(page.get_by_label("Classroom")).to_have_value(str(classroom.pk))
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    lesson.refresh_from_db()
    quiz = lesson.quizzes.get()
    assert lesson.published and quiz.published
    assert Assignment.objects.filter(classroom=classroom, quiz=quiz).exists()
    assert sorted(quiz.questions.values_list("kind", flat=True)) == ["true_false", "who_said"]
    typed_keys = [f for f in teacher_tally.fields if re.search(r"(^|-)(slug|key)$", f)]
    assert typed_keys == []
    assert teacher_tally.loads <= MAX_TEACHER_LOADS, teacher_tally.loads
    context.close()

    # --- The student ----------------------------------------------------------------
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    login(student, context)
    page = context.new_page()
    student_tally = Tally(page)
    page.goto(url + reverse("classes:work"))
    page.get_by_role("link", name=quiz.title).click()
    page.get_by_role("button", name=re.compile("Start")).click()
    attempt = Attempt.objects.get(quiz=quiz, learner=student)
    questions = {q.id: q for q in quiz.questions.prefetch_related("choices")}
    for number, qid in enumerate(attempt.layout["questions"], start=1):
        expect(page.locator("#progress-label")).to_contain_text(f"Question {number} of 2")
        key = next(c for c in questions[qid].choices.all() if c.correct)
        # The page posts positions in the attempt's own order, never ids.
        (value,) = posted(attempt, questions[qid], key)
        page.locator(f"input[value='{value}']").check()
        page.get_by_role(
            "button", name="Save and review" if number == 2 else "Save and next"
        ).click()
    page.get_by_role("button", name="Submit attempt").click()
    expect(page.get_by_role("heading", name="Your result")).to_be_visible()
    attempt.refresh_from_db()
    assert attempt.is_submitted and attempt.percent == 100
    context.close()

    # --- The figures -----------------------------------------------------------------
    REPORT.append(
        f"authoring effort: teacher {teacher_tally.loads} page loads ({teacher_tally.navigations} "
        f"navigations, {teacher_tally.load_events} load events), {teacher_tally.forms} "
        f"form submissions, 0 keys typed; student {student_tally.loads} page loads, "
        f"{student_tally.forms} form submissions"
    )
    for name, violations in accessibility.items():
        counts = Counter(v["impact"] for v in violations)
        REPORT.append(
            f"  axe-core on {name}: "
            + (", ".join(f"{i}: {n}" for i, n in sorted(counts.items())) or "no violations")
        )
    failures = [f"{name}: {line}" for name, v in accessibility.items() for line in _serious(v)]
    assert not failures, "\n".join(failures)


def test_a_bad_paste_shows_its_error_in_the_browser_and_passes_axe(page, live_server, axe, login):
    teacher = make_teacher("mr-baker")
    login(teacher)
    page.goto(live_server.url + reverse("drafting:new_lesson"))
    page.get_by_label("Lesson title").fill("Nothing")
    page.get_by_label("The article's text").fill("2024 — 31 — 17.5 %")
    page.get_by_role("button", name="Draft the lesson").click()
    expect(page.get_by_role("alert")).to_contain_text("Nothing was saved")
    expect(page.locator(".errorlist")).to_contain_text("No sentences found")
    assert Lesson.objects.count() == 0
    failures = _serious(axe(page))
    assert not failures, "\n".join(failures)
