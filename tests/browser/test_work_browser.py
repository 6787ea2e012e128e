"""My work in a real Chromium: the student's home after login, at a desktop and a phone
width, with no axe-core violation, and its next actions reached by keyboard."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from classes.models import Assignment
from quizzes.models import Quiz
from tests.factories import AttemptFactory, UserFactory, assign
from tests.scenarios import build_article_lesson, build_article_quiz

from .conftest import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def student(db):
    user = UserFactory(username="reader", first_name="Ana")
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def work(db, student):
    """Four quizzes of one lesson, each where a week leaves one: in progress, not
    started, submitted with a score, and not open yet."""
    lesson = build_article_lesson()[0]
    quizzes = {
        title: build_article_quiz(lesson=lesson, title=title, open_to_all=False)
        for title in ("Going", "Fresh", "Done", "Next week")
    }
    now = timezone.now()
    classroom = assign([quizzes[t] for t in ("Going", "Fresh", "Done")], student, name="9B")
    Assignment.objects.create(
        classroom=classroom,
        quiz=quizzes["Next week"],
        opens_at=now + timedelta(days=7),
        due_at=now + timedelta(days=9),
    )
    AttemptFactory(learner=student, quiz=quizzes["Going"], number=1)
    AttemptFactory(learner=student, quiz=quizzes["Done"], number=1, submitted_at=now, percent=75.0)
    Quiz.objects.update(open_to_all=False)
    return quizzes


def test_my_work_is_the_home_and_reads_on_a_phone(page, live_server, axe, student, work):
    # Logging in lands on My work.
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("Username").fill("reader")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")
    assert page.url.endswith(reverse("classes:work"))
    expect(page.get_by_role("link", name="My work")).to_be_visible()  # in the nav
    items = page.locator(".work-item")
    expect(items).to_have_count(4)
    expect(items.nth(0)).to_contain_text("In progress")
    expect(items.nth(1)).to_contain_text("Not started")
    expect(items.nth(2)).to_contain_text("Not open yet")
    expect(items.nth(3)).to_contain_text("Submitted: 75%")
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 800})
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width
        assert axe(page) == [], width
    # The first thing to do is the first action: Tab to it, Enter.
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.textContent.trim()") == "Continue":
            break
    page.keyboard.press("Enter")
    expect(page.locator("#progress-label")).to_contain_text("Question 1 of")
    # The old address still works.
    page.goto(live_server.url + reverse("classes:mine"))
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")


def test_nothing_to_do_is_said_plainly(page, live_server, login, axe, student):
    assign([], student, name="Empty class")
    login(student)
    page.goto(live_server.url + reverse("classes:work"))
    expect(page.get_by_text(re.compile("^Nothing to do right now."))).to_be_visible()
    assert axe(page) == []
