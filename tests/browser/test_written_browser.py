"""A short written answer in Chromium: the student writes it and submits, and the result
says "awaiting marking"; the teacher marks it from the marking queue in the admin; the
student then sees the mark and the comment. axe-core finds no violation on the queue
page nor on the result, before and after marking."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from classes.models import Classroom
from quizzes.models import Attempt, Response
from tests.factories import QuizFactory, TeacherFactory, UserFactory, make_written_question

from .conftest import REPORT

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ANSWER = "Havana confirmed it: the article says the Cuban government “confirmed” the deaths."


def _teacher():
    """A teacher with the permissions the Teachers group gives for marking (a browser
    test's flush may have emptied the group)."""
    from django.contrib.auth.models import Permission

    teacher = TeacherFactory(username="ms-marking", first_name="Lee")
    teacher.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="quizzes",
            codename__in=["mark_response", "view_response", "view_attempt", "view_quiz"],
        )
    )
    return teacher


def _no_violations(axe, page, name):
    violations = axe(page)
    REPORT.append(f"{name}: {len(violations)} violation(s)")
    assert violations == [], (name, violations)


def test_a_written_answer_is_marked_from_the_queue_and_the_student_sees_the_mark(
    browser, live_server, login, axe
):
    quiz = QuizFactory(title="In your own words")
    Quiz = type(quiz)
    Quiz.objects.filter(pk=quiz.pk).update(
        review_score="after_attempt",
        review_correctness="after_attempt",
        review_key="after_attempt",
        review_feedback="after_attempt",
    )
    question = make_written_question(quiz, prompt="How do you know who said this?")
    student = UserFactory(username="writer", first_name="Ana")
    teacher = _teacher()
    Classroom.objects.create(name="10A", teacher=teacher).students.add(student)

    # The student writes, submits and is told the answer awaits marking.
    learner = browser.new_context()
    login(student, learner)
    page = learner.new_page()
    page.goto(live_server.url + quiz.get_absolute_url())
    page.get_by_role("button", name=re.compile("Start")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(question.prompt)
    page.get_by_label("Your answer").fill(ANSWER)
    page.get_by_role("button", name="Save and review").click()
    page.get_by_role("button", name="Submit attempt").click()
    expect(page.get_by_role("heading", name="Your result")).to_be_visible()
    expect(page.locator("[data-awaiting-marking]").first).to_contain_text("Awaiting marking")
    expect(page.locator(".written-text")).to_have_text(ANSWER)
    _no_violations(axe, page, "result, awaiting marking")
    attempt = Attempt.objects.get(quiz=quiz, learner=student)
    assert attempt.awaiting_marking

    # The teacher marks it from the queue.
    staff = browser.new_context()
    login(teacher, staff)
    admin = staff.new_page()
    admin.goto(live_server.url + reverse("admin:quizzes_response_marking"))
    expect(admin.get_by_text("1 written answer awaiting marking")).to_be_visible()
    expect(admin.locator(".sw-written")).to_have_text(ANSWER)
    _no_violations(axe, admin, "marking queue")
    admin.set_viewport_size({"width": 390, "height": 844})  # a phone: nothing sideways
    assert admin.evaluate("() => document.documentElement.scrollWidth") <= 390
    admin.set_viewport_size({"width": 1280, "height": 800})
    admin.get_by_label(re.compile("^Mastery")).check()
    admin.get_by_label(re.compile("^Comment for the student")).fill(
        "Well sourced: you quoted the cue."
    )
    admin.get_by_role("button", name="Save marks").click()
    expect(admin.get_by_text("Saved 1 mark; 1 attempt score updated.")).to_be_visible()
    expect(admin.get_by_text("Nothing to mark")).to_be_visible()
    response = Response.objects.get(attempt=attempt)
    assert response.level.name == "Mastery" and response.marked_by == teacher

    # The student sees the mark, the comment and the score.
    page.reload()
    expect(page.locator("[data-awaiting-marking]")).to_have_count(0)
    expect(page.locator(".written-mark")).to_contain_text("Your teacher's mark: Mastery")
    expect(page.locator(".written-comment")).to_contain_text("Well sourced: you quoted the cue.")
    expect(page.locator(".score")).to_contain_text("2 of 2 points (100%)")
    _no_violations(axe, page, "result, marked")
    learner.close()
    staff.close()
