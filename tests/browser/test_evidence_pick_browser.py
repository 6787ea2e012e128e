"""An evidence-pick question in Chromium: with JavaScript the student clicks a sentence in
the text (and the arrow keys move between sentences); without it, a radio button per
sentence. Both post positions; the page passes axe-core with no violation either way."""

import re

import pytest
from playwright.sync_api import expect

from quizzes.models import Attempt, Response
from tests.factories import QuizFactory, UserFactory, assign
from tests.scenarios import HOW, add_evidence_pick, build_article_lesson

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

FIRST, SECOND, THIRD = (
    "U.S. special forces struck military facilities in Caracas & captured Maduro.",
    "While Washington characterised the mission as a law-enforcement action, "
    "the combat was intense.",
    "Trump stated third-party losses were “a lot” but asserted there were no U.S. deaths.",
)


def _start(page, live_server, quiz):
    page.goto(live_server.url + quiz.get_absolute_url())
    page.get_by_role("button", name=re.compile("Start|Resume")).click()
    expect(page.get_by_text("Question 1 of 1")).to_be_visible()


def _submit(page):
    page.get_by_role("button", name="Save and review").click()
    page.get_by_role("button", name="Submit attempt").click()
    expect(page.get_by_role("heading", name="Your result")).to_be_visible()


def test_evidence_pick_by_click_with_javascript_and_by_radio_without(
    browser, context, live_server, login, axe
):
    assert HOW.startswith(FIRST)
    lesson, _, _, _ = build_article_lesson()
    quiz = QuizFactory(lesson=lesson, published=True, open_to_all=False)
    add_evidence_pick(quiz, order=1)
    clicker, keyboardless = UserFactory(username="clicker"), UserFactory(username="plain")
    assign(quiz, clicker, keyboardless)

    # With JavaScript: the text is what one clicks; the buttons are out of sight.
    login(clicker)
    page = context.new_page()
    _start(page, live_server, quiz)
    text = page.locator("[data-evidence-pick]")
    expect(text).to_have_class(re.compile(r"\bis-enhanced\b"))
    radios = page.locator("input[name=choice]")
    page.get_by_text(THIRD).click()
    expect(radios.nth(2)).to_be_checked()
    expect(page.locator("[data-save-status]")).to_have_text("✓ Your answer is saved.")
    # By keyboard: the checked sentence has the focus; the arrow keys move the choice.
    page.keyboard.press("ArrowUp")
    expect(radios.nth(1)).to_be_checked()
    page.keyboard.press("ArrowUp")
    expect(radios.nth(0)).to_be_checked()
    expect(page.locator("[data-save-status]")).to_have_text("✓ Your answer is saved.")
    assert axe(page) == []
    _submit(page)
    attempt = Attempt.objects.get(learner=clicker)
    assert Response.objects.get(attempt=attempt).credit == 1.0

    # Without JavaScript: a radio button before each sentence, the same form.
    plain = browser.new_context(java_script_enabled=False)
    login(keyboardless, plain)
    page = plain.new_page()
    _start(page, live_server, quiz)
    expect(page.locator("[data-evidence-pick]")).not_to_have_class(re.compile("is-enhanced"))
    radio = page.get_by_role("radio", name=SECOND)
    expect(radio).to_be_visible()
    radio.check()
    _submit(page)
    attempt = Attempt.objects.get(learner=keyboardless)
    assert Response.objects.get(attempt=attempt).credit == 0.5  # the claim's sentence
    plain.close()

    # axe-core needs script to run, which that context has not: the same page as it
    # stands without JavaScript is the page whose own script never loads.
    unenhanced = context.new_page()
    unenhanced.route("**/js/quiz.js", lambda route: route.abort())
    second = QuizFactory(lesson=lesson, published=True)
    add_evidence_pick(second, order=1)
    _start(unenhanced, live_server, second)
    expect(unenhanced.locator("[data-evidence-pick]")).not_to_have_class(re.compile("is-enhanced"))
    unenhanced.get_by_role("radio", name=SECOND).check()
    assert axe(unenhanced) == []
