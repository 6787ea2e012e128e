"""Extra time in a real Chromium: a student with 1.5× on a 10-minute quiz sees a
15-minute countdown and still answers after the 10 minutes everyone else has; the time
zone page and the class page with its accommodations have no axe-core violation."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from classes.models import Accommodation
from quizzes.models import Attempt, Quiz
from tests.factories import UserFactory, assign, make_teacher
from tests.scenarios import build_article_quiz

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def student(db):
    return UserFactory(username="extra-time", first_name="Bea")


@pytest.fixture
def timed(db, student):
    quiz = build_article_quiz(title="Ten-minute check", time_limit_minutes=10)
    Quiz.objects.filter(pk=quiz.pk).update(open_to_all=False)
    classroom = assign(quiz, student, teacher=make_teacher("accommodating"))
    Accommodation.objects.create(
        classroom=classroom, learner=student, quiz=quiz, time_factor=Decimal("1.5")
    )
    quiz.refresh_from_db()
    return quiz


def _violations(axe, page):
    return [f"{v['impact']} {v['id']}: {v['help']} {v['nodes']}" for v in axe(page)]


def test_extra_time_extends_the_countdown_and_the_servers_deadline(
    page, live_server, login, axe, student, timed
):
    login(student)
    page.goto(live_server.url + timed.get_absolute_url())
    expect(page.get_by_text("15 minutes for you (extra time")).to_be_visible()
    assert _violations(axe, page) == []
    page.get_by_role("button", name="Start the quiz").click()
    expect(page.locator("[data-countdown]")).to_have_text(re.compile(r"Time left: 1[45]:\d\d"))
    attempt = Attempt.objects.get(quiz=timed, learner=student)
    assert attempt.deadline == attempt.started_at + timedelta(minutes=15)
    # Eleven minutes later (the attempt's clock moved back): past the quiz's 10 minutes,
    # within the student's 15.
    started = timezone.now() - timedelta(minutes=11)
    Attempt.objects.filter(pk=attempt.pk).update(
        started_at=started, deadline=started + timedelta(minutes=15)
    )
    page.reload()
    expect(page.locator("[data-countdown]")).to_have_text(re.compile(r"Time left: [34]:\d\d"))
    right = timed.questions.get(order=1).choices.get(correct=True)
    page.get_by_label(right.text, exact=True).check()
    page.get_by_role("button", name="Save and next").click()
    expect(page.get_by_text(re.compile(r"Question 2 of \d+"))).to_be_visible()
    attempt.refresh_from_db()
    assert not attempt.is_submitted
    assert attempt.responses.get().credit == 1


def test_the_time_zone_page_and_the_class_page_pass_axe(
    page, live_server, login, axe, student, timed
):
    login(student)
    page.goto(live_server.url + reverse("accounts:time_zone"))
    page.get_by_label("Time zone").select_option("America/New_York")
    page.get_by_role("button", name="Save my time zone").click()
    expect(page.get_by_text("Your time zone is saved")).to_be_visible()
    expect(
        page.get_by_text(re.compile(r"Now it is \d+ \w+ \d{4}, \d\d:\d\d E[SD]T"))
    ).to_be_visible()
    assert _violations(axe, page) == []
    classroom = Accommodation.objects.get().classroom
    login(classroom.teacher)
    page.goto(live_server.url + reverse("admin:classes_classroom_change", args=[classroom.pk]))
    expect(page.get_by_text("Every quiz of the class").first).to_be_attached()
    assert _violations(axe, page) == []
