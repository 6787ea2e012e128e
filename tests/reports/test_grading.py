"""reports/grading.py and its routes in reports/admin.py: a teacher overrides one of their
students' responses from the drill-down and re-grades a question; someone else's
students are a 404, a user without the permission a 403, bad input a clear message, and
nothing changes; the reports, the CSV and the student's result page show the change."""

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from classes.models import Classroom
from quizzes.models import Attempt, Choice, GradeChange, Response
from tests.factories import TeacherFactory, UserFactory, make_teacher
from tests.report_data import build_quiz, take

pytestmark = pytest.mark.django_db


def _override_url(response):
    return reverse("admin:quizzes_response_override", args=[response.pk])


def _regrade_url(quiz, question):
    return reverse("admin:quizzes_quiz_regrade", args=[quiz.pk, question.pk])


def _cleo(data):
    """Cleo's submitted attempt (Trump on the who-said-it question: 0 of 1) and that answer."""
    attempt = Attempt.objects.submitted().get(learner=data["learners"]["cleo"])
    q2 = data["quiz"].questions.get(key="q2")
    return attempt, Response.objects.get(attempt=attempt, question=q2)


def _state():
    return (
        list(Attempt.objects.order_by("pk").values_list("pk", *Attempt.SCORE_FIELDS)),
        list(Response.objects.order_by("pk").values_list("pk", "credit")),
        GradeChange.objects.count(),
    )


def test_the_drill_down_links_each_answer_to_its_override(client, data):
    attempt, response = _cleo(data)
    client.force_login(data["teacher"])
    url = reverse("admin:quizzes_quiz_report_learner", args=[data["quiz"].pk, attempt.learner_id])
    page = client.get(url)
    assert _override_url(response) in page.text
    open_response = Response.objects.get(attempt__learner=attempt.learner, attempt__number=2)
    page = client.get(f"{url}?attempt=2")  # in progress: no override links
    assert page.status_code == 200 and _override_url(open_response) not in page.text


def test_override_from_the_drill_down_recomputes_and_is_audited(client, data):
    attempt, response = _cleo(data)
    client.force_login(data["teacher"])
    page = client.get(_override_url(response))
    assert page.status_code == 200
    assert "Who said it?" in page.text and "Trump" in page.text and "0 of 1 point" in page.text
    sent = client.post(_override_url(response), {"points": "1", "reason": "Trump quoted it too."})
    assert sent.status_code == 302
    assert sent["Location"].endswith(f"?attempt={attempt.number}")
    attempt.refresh_from_db()
    assert (attempt.score, attempt.attribution_percent) == (3, 100)
    change = GradeChange.objects.get()
    assert change.changed_by == data["teacher"] and change.reason == "Trump quoted it too."
    drill = client.get(sent["Location"])
    assert "3 of 3 points (100.0 %)" in drill.text
    assert "Grade override" in drill.text and "Trump quoted it too." in drill.text
    # the audit's own admin lists it
    audit = client.get(reverse("admin:quizzes_gradechange_changelist"))
    assert audit.status_code == 200 and "Trump quoted it too." in audit.text


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"points": "2", "reason": "why"}, "worth 1 point"),
        ({"points": "-0.5", "reason": "why"}, "cannot be negative"),
        ({"points": "one", "reason": "why"}, "as a number"),
        ({"points": "", "reason": "why"}, "Enter the points"),
        ({"points": "1", "reason": ""}, "Say why"),
        ({"points": "1", "reason": "x" * 501}, "500 characters"),
    ],
)
def test_bad_input_is_a_clear_message_and_changes_nothing(client, data, body, message):
    _, response = _cleo(data)
    client.force_login(data["teacher"])
    before = _state()
    page = client.post(_override_url(response), body)
    assert page.status_code == 400 and message in page.text
    assert _state() == before


def test_an_attempt_in_progress_cannot_be_overridden(client, data):
    attempt = Attempt.objects.in_progress().get(learner=data["learners"]["cleo"])
    response = attempt.responses.get()
    client.force_login(data["teacher"])
    assert "still in progress" in client.get(_override_url(response)).text
    before = _state()
    page = client.post(_override_url(response), {"points": "1", "reason": "early"})
    assert page.status_code == 400 and "still in progress" in page.text
    assert _state() == before


def test_another_teachers_student_is_a_404_and_nothing_changes(client, data):
    _, response = _cleo(data)
    q1 = data["quiz"].questions.get(key="q1")
    client.force_login(make_teacher("mr-other"))
    before = _state()
    assert client.get(_override_url(response)).status_code == 404
    assert client.post(_override_url(response), {"points": "1", "reason": "x"}).status_code == 404
    # the re-grade covers only their own (no) students
    assert client.post(_regrade_url(data["quiz"], q1), {"note": ""}).status_code == 302
    assert _state() == before


def test_staff_without_the_permission_get_a_403(client, data):
    _, response = _cleo(data)
    staff = TeacherFactory(username="staff-only", is_superuser=False)
    staff.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_response", "view_attempt", "view_quiz"])
    )
    Classroom.objects.create(name="Theirs", teacher=staff).students.add(data["learners"]["cleo"])
    client.force_login(staff)
    before = _state()
    assert client.post(_override_url(response), {"points": "1", "reason": "x"}).status_code == 403
    assert _state() == before


def test_a_student_cannot_reach_the_pages(client, data):
    _, response = _cleo(data)
    client.force_login(data["learners"]["cleo"])
    sent = client.post(_override_url(response), {"points": "1", "reason": "mine"})
    assert sent.status_code == 302 and "/admin/login/" in sent["Location"]
    assert GradeChange.objects.count() == 0


def _csv_rows(response):
    text = response.content.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    return {row[1]: dict(zip(table[0], row, strict=True)) for row in table[1:]}


def test_the_reports_and_csv_show_the_override(client, data):
    _, response = _cleo(data)
    client.force_login(data["teacher"])
    learners_url = reverse("admin:quizzes_quiz_report_page", args=[data["quiz"].pk, "learners"])
    assert _csv_rows(client.get(learners_url + "?csv=learners"))["cleo"]["latest %"] == "66.7"
    client.post(_override_url(response), {"points": "1", "reason": "fair"})
    rows = _csv_rows(client.get(learners_url + "?csv=learners"))
    assert rows["cleo"]["latest %"] == "100.0"
    assert rows["cleo"]["latest attribution %"] == "100.0"
    overview = client.get(reverse("admin:quizzes_quiz_report", args=[data["quiz"].pk]))
    # mean of 100, 66.67, 100, 0 (was 58.33)
    assert "66.7" in overview.text


def test_regrade_page_previews_then_regrades_with_a_note(client, data):
    quiz = data["quiz"]
    q1 = quiz.questions.get(key="q1")
    Choice.objects.filter(question=q1).update(correct=False)
    Choice.objects.filter(question=q1, text="B").update(correct=True)
    client.force_login(data["teacher"])
    items = client.get(reverse("admin:quizzes_quiz_report_page", args=[quiz.pk, "items"]))
    assert _regrade_url(quiz, q1) in items.text
    page = client.get(_regrade_url(quiz, q1))
    assert page.status_code == 200 and "Would change" in page.text
    sent = client.post(
        _regrade_url(quiz, q1) + f"?classroom={data['class'].pk}", {"note": "B was right."}
    )
    assert sent.status_code == 302
    assert sent["Location"].endswith(f"items/?classroom={data['class'].pk}#item-{q1.pk}")
    dan = Attempt.objects.submitted().get(learner=data["learners"]["dan"])
    assert dan.score == 1
    changes = GradeChange.objects.filter(kind=GradeChange.Kind.REGRADE)
    assert changes.count() == 7  # six submitted attempts and cleo's attempt in progress
    assert {c.reason for c in changes} == {"re-grade after key change: B was right."}
    assert "B was right." in client.get(_regrade_url(quiz, q1)).text


def test_regrade_of_a_question_of_another_quiz_is_a_404(client, data):
    other = build_quiz()[0]
    client.force_login(data["teacher"])
    question = other.questions.first()
    assert client.get(_regrade_url(data["quiz"], question)).status_code == 404
    assert client.post(_regrade_url(data["quiz"], question), {}).status_code == 404


def test_the_student_sees_the_adjusted_score_and_the_reason(client, data):
    attempt, response = _cleo(data)
    client.force_login(data["teacher"])
    client.post(_override_url(response), {"points": "1", "reason": "Trump quoted it too."})
    client.force_login(data["learners"]["cleo"])
    page = client.get(reverse("quizzes:result", args=[attempt.pk]))
    assert "Adjusted by your teacher" in page.text
    assert "0 → 1 of 1 point" in page.text and "Trump quoted it too." in page.text
    assert "3 of 3 points" in page.text


def test_no_adjustment_is_shown_while_the_score_is_hidden(client, data):
    attempt, response = _cleo(data)
    quiz = data["quiz"]
    quiz.review_score = quiz.Review.NEVER
    quiz.save()
    client.force_login(data["teacher"])
    client.post(_override_url(response), {"points": "1", "reason": "Trump quoted it too."})
    client.force_login(data["learners"]["cleo"])
    page = client.get(reverse("quizzes:result", args=[attempt.pk]))
    assert page.status_code == 200
    assert "Adjusted by your teacher" not in page.text and "Trump quoted it too." not in page.text


def test_override_and_regrade_pages_query_count_does_not_grow(client, data):
    quiz = data["quiz"]
    q1 = quiz.questions.get(key="q1")
    _, response = _cleo(data)
    client.force_login(data["teacher"])
    counts = []
    for size in (1, 5):
        for i in range(size):
            learner = UserFactory(username=f"more-{size}-{i}")
            data["class"].students.add(learner)
            take(quiz, learner, {q1: q1.choices.get(text="B")})
        GradeChange.objects.create(
            response=response,
            kind=GradeChange.Kind.OVERRIDE,
            credit_before=0,
            credit_after=0,
            question_points=1,
            reason="pin",
        )
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(_override_url(response)).status_code == 200
            assert client.get(_regrade_url(quiz, q1)).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
