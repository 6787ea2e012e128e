"""The teacher's side in Chromium: the admin home, the class page, every report page and
the drill-down into one learner's attempt fit a 390 px phone (nothing sticks out
sideways) and have no axe-core violation, at a phone's width and a desktop's."""

from collections import Counter

import pytest
from django.urls import reverse

from classes.models import Assignment, Classroom
from tests.factories import UserFactory, make_teacher
from tests.report_data import T0, build_class_results, take

from .conftest import REPORT, screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}
SERIOUS = {"serious", "critical"}
# Our own pages have no violation of any impact; Django's own pages (the home, the class
# page, the lists) none serious or critical (the class page's inline table has Django's
# empty header cell, a minor one).
OURS = ("report", "learner drill-down")


@pytest.fixture
def teacher_pages(transactional_db, live_server):
    """A class with results, someone in progress, someone not started, and an assignment;
    the pages a teacher opens, by name (the Teachers group: conftest.py)."""
    quiz, learners, _ = build_class_results()
    teacher = make_teacher("ms-phone")
    classroom = Classroom.objects.create(name="Year 10 · Media and the news", teacher=teacher)
    classroom.students.set(learners.values())
    long = UserFactory(
        username="maria-fernanda-gonzalez-rodriguez",
        first_name="María Fernanda",
        last_name="González Rodríguez de la Fuente",
    )
    idle = UserFactory(username="not-yet", first_name="Nadia")
    classroom.students.add(long, idle)
    take(quiz, long, {}, submit=False)
    from datetime import timedelta

    Assignment.objects.create(
        classroom=classroom, quiz=quiz, opens_at=T0, due_at=T0 + timedelta(days=7)
    )
    report = reverse("admin:quizzes_quiz_report", args=[quiz.pk])
    query = f"?classroom={classroom.pk}"
    ana = learners["ana"]
    pages = {
        "admin home": reverse("admin:index"),
        "class page": reverse("admin:classes_classroom_change", args=[classroom.pk]),
        "report overview": report + query,
        "report learners": f"{report}learners/{query}",
        "report items": f"{report}items/{query}",
        "report confusion": f"{report}confusion/{query}",
        "learner drill-down": reverse("admin:quizzes_quiz_report_learner", args=[quiz.pk, ana.pk])
        + query,
        "attempt list": reverse("admin:quizzes_attempt_changelist"),
    }
    return teacher, {name: live_server.url + url for name, url in pages.items()}


def _overflow(page):
    width = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    culprits = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
            .filter(el => !el.closest('.sw-scroll, .sw-sr, .visually-hidden'))
            .slice(0, 6)
            .map(el => `${el.tagName}.${el.className} ` + (el.textContent || '').slice(0, 40))"""
    )
    return width, culprits


@pytest.mark.parametrize("viewport", [PHONE, {"width": 1280, "height": 900}])
def test_teacher_pages_fit_a_phone_and_pass_axe(page, login, axe, teacher_pages, viewport):
    teacher, pages = teacher_pages
    login(teacher)
    page.set_viewport_size(viewport)
    failures, summary = [], []
    for name, url in pages.items():
        response = page.goto(url)
        assert response.ok, (name, response.status)
        too_wide, culprits = _overflow(page)
        if too_wide > 0:
            failures.append(f"{name}: {too_wide}px too wide at {viewport['width']}px: {culprits}")
        violations = axe(page)
        counts = Counter(v["impact"] for v in violations)
        summary.append(
            f"  {name:<20} {viewport['width']}px "
            + (", ".join(f"{i}: {n}" for i, n in sorted(counts.items())) or "no violations")
        )
        failures += [
            f"{name}: {v['impact']} {v['id']}: {v['help']} {v['nodes']}"
            for v in violations
            if name.startswith(OURS) or v["impact"] in SERIOUS
        ]
        if viewport is PHONE:
            screenshot(page, f"teacher-{name.replace(' ', '-')}-390")
    REPORT.append(f"teacher pages at {viewport['width']}px (axe-core):")
    REPORT.extend(summary)
    assert not failures, "\n".join(failures)
