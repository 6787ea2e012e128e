"""A grade override and a re-grade in Chromium: the teacher changes one answer's grade
from the drill-down, fixes a question's key and re-grades it, sees both in the audit,
and the student sees the adjusted score with the reasons. No axe-core violation on the
new pages (the override, the re-grade) nor on the student's result page."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from classes.models import Classroom
from quizzes.models import Attempt, Choice
from tests.factories import make_teacher
from tests.report_data import build_class_results

from .conftest import REPORT

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _no_violations(axe, page, name):
    violations = axe(page)
    REPORT.append(f"  {name:<24} axe-core: {len(violations)} violation(s)")
    assert violations == [], (name, violations)


def test_teacher_overrides_and_regrades_and_the_student_sees_it(
    page, browser, live_server, login, axe
):
    quiz, learners, _ = build_class_results()
    teacher = make_teacher("ms-grades")
    Classroom.objects.create(name="9B", teacher=teacher).students.set(learners.values())
    cleo = learners["cleo"]
    attempt = Attempt.objects.submitted().get(learner=cleo)  # 2 of 3: Trump on question 2
    login(teacher)

    # The override, from the drill-down.
    drill = reverse("admin:quizzes_quiz_report_learner", args=[quiz.pk, cleo.pk])
    page.goto(live_server.url + drill)
    page.get_by_role("link", name="Change the grade of question 2").click()
    page.wait_for_url("**/override/")
    _no_violations(axe, page, "override page")
    page.get_by_label("New points (0 to 1)").fill("2")
    page.get_by_label("Reason").fill("Trump repeated it; full credit.")
    page.get_by_role("button", name="Change the grade").click()
    expect(page.get_by_text("enter 0 to 1")).to_be_visible()  # refused, with a message
    _no_violations(axe, page, "override page, refused")
    page.get_by_label("New points (0 to 1)").fill("1")
    page.get_by_role("button", name="Change the grade").click()
    page.wait_for_url(f"**{drill}?attempt=1")
    expect(page.get_by_text("3 of 3 points (100.0 %)")).to_be_visible()
    history = page.get_by_role("table").filter(has_text="Changes to this attempt's grades")
    assert "Trump repeated it; full credit." in history.inner_text()

    # The key of question 1 is fixed (B is right), then question 1 is re-graded.
    q1 = quiz.questions.get(key="q1")
    Choice.objects.filter(question=q1).update(correct=False)
    Choice.objects.filter(question=q1, text="B").update(correct=True)
    page.goto(live_server.url + reverse("admin:quizzes_quiz_report_page", args=[quiz.pk, "items"]))
    page.get_by_role("link", name="Re-grade question 1").click()
    page.wait_for_url("**/regrade/**")
    _no_violations(axe, page, "re-grade page")
    page.get_by_label("Note for the audit and the students (optional)").fill("B: 32 killed.")
    page.get_by_role("button", name="Re-grade responses to this question").click()
    page.wait_for_url("**/report/items/**")
    expect(page.get_by_text("7 of 7 responses changed")).to_be_visible()
    page.goto(live_server.url + reverse("admin:quizzes_quiz_regrade", args=[quiz.pk, q1.pk]))
    audit = page.get_by_role("table").filter(has_text="Answers changed by re-grades")
    assert audit.inner_text().count("re-grade after key change: B: 32 killed.") == 7

    # The student's result page.
    student = browser.new_context()
    login(cleo, student)
    result = student.new_page()
    result.goto(live_server.url + reverse("quizzes:result", args=[attempt.pk]))
    changes = result.get_by_role("region", name="Changes to your score")
    text = changes.inner_text()
    assert "Adjusted by your teacher" in text and "0 → 1 of 1 point" in text
    assert "Trump repeated it; full credit." in text
    assert "Re-graded after the answer key was corrected" in text and "1 → 0" in text
    expect(result.get_by_text("2 of 3 points")).to_be_visible()  # 3, less question 1
    _no_violations(axe, result, "result with changes")
    student.close()
