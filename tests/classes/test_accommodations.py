"""Accommodations and a student's own dates (classes/accommodations.py), applied by the
gate (classes/access.py) to the server's deadline, the attempt limit and the assignment's
window; edited by the teacher on the class's and the assignment's admin pages."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from classes.models import Accommodation, Assignment, AssignmentOverride
from lessons.gate import gate
from quizzes.attempts import (
    AttemptClosed,
    NoAttemptsLeft,
    QuizUnavailable,
    save_answer,
    start_attempt,
    submit_attempt,
)
from tests.factories import LessonFactory, QuizFactory, UserFactory, make_single_question

pytestmark = pytest.mark.django_db


def _quiz(class_a, title="Timed quiz", **kwargs):
    """A quiz open to no one but class A, with two questions, assigned and open now."""
    quiz = QuizFactory(
        lesson=LessonFactory(open_to_all=False), open_to_all=False, title=title, **kwargs
    )
    make_single_question(quiz, order=1)
    make_single_question(quiz, order=2, prompt="Who confirmed the figure?")
    now = timezone.now()
    Assignment.objects.create(
        classroom=class_a,
        quiz=quiz,
        opens_at=now - timedelta(hours=1),
        due_at=now + timedelta(days=1),
    )
    return quiz


@pytest.fixture
def classmate(class_a):
    mate = UserFactory(username="classmate")
    class_a.students.add(mate)
    return mate


def _right(question):
    return question.choices.get(correct=True)


def _save_at(attempt, minutes):
    question = attempt.quiz.questions.order_by("order").first()
    return save_answer(
        attempt=attempt,
        question=question,
        choice_ids=[_right(question).id],
        now=attempt.started_at + timedelta(minutes=minutes),
    )


# --- extra time: the server's deadline --------------------------------------------------------


def test_a_factor_of_one_and_a_half_gives_a_ten_minute_quiz_fifteen_minutes(
    class_a, student, classmate
):
    quiz = _quiz(class_a, time_limit_minutes=10)
    Accommodation.objects.create(
        classroom=class_a, learner=student, quiz=quiz, time_factor=Decimal("1.5")
    )
    start = timezone.now()
    mine = start_attempt(quiz=quiz, learner=student, now=start)
    theirs = start_attempt(quiz=quiz, learner=classmate, now=start)
    assert mine.deadline == start + timedelta(minutes=15)
    assert theirs.deadline == start + timedelta(minutes=10)
    # After 12 minutes: accepted for the student with extra time, refused for the other.
    assert _save_at(mine, 12).credit == 1
    with pytest.raises(AttemptClosed) as refused:
        _save_at(theirs, 12)
    assert refused.value.code == "time_up"
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert not mine.is_submitted and theirs.is_submitted
    # And the extended deadline holds too: at 15 minutes it is over.
    with pytest.raises(AttemptClosed):
        _save_at(mine, 15)


def test_extra_minutes_add_after_the_factor_and_the_class_wide_one_covers_every_quiz(
    class_a, student
):
    quiz = _quiz(class_a, time_limit_minutes=10)
    Accommodation.objects.create(
        classroom=class_a, learner=student, time_factor=Decimal("2"), extra_minutes=5
    )
    start = timezone.now()
    assert start_attempt(quiz=quiz, learner=student, now=start).deadline == start + timedelta(
        minutes=25
    )


def test_the_quizs_own_accommodation_replaces_the_class_wide_one(class_a, student):
    quiz = _quiz(class_a, time_limit_minutes=10)
    other = _quiz(class_a, title="Other quiz", time_limit_minutes=10)
    Accommodation.objects.create(classroom=class_a, learner=student, time_factor=Decimal("2"))
    Accommodation.objects.create(classroom=class_a, learner=student, quiz=quiz, extra_minutes=3)
    assert gate().quiz_access(student, quiz).time_allowed(10) == timedelta(minutes=13)
    assert gate().quiz_access(student, other).time_allowed(10) == timedelta(minutes=20)


def test_an_accommodation_counts_only_in_its_own_class(class_a, class_b, student, other_student):
    quiz = _quiz(class_a, time_limit_minutes=10)
    # The other student has extra time in class B, which is not given this quiz.
    class_a.students.add(other_student)
    Accommodation.objects.create(classroom=class_b, learner=other_student, time_factor=Decimal("3"))
    assert gate().quiz_access(other_student, quiz).time_allowed(10) == timedelta(minutes=10)
    # Nor does the student's accommodation help their classmate.
    Accommodation.objects.create(classroom=class_a, learner=student, time_factor=Decimal("3"))
    assert gate().quiz_access(other_student, quiz).time_allowed(10) == timedelta(minutes=10)


def test_extra_time_never_runs_past_the_quizs_closing_time(class_a, student):
    now = timezone.now()
    quiz = _quiz(class_a, time_limit_minutes=10, closes_at=now + timedelta(minutes=12))
    Accommodation.objects.create(classroom=class_a, learner=student, time_factor=Decimal("2"))
    assert start_attempt(quiz=quiz, learner=student, now=now).deadline == quiz.closes_at


def test_the_start_page_tells_the_student_their_time_and_attempts(client, class_a, student):
    quiz = _quiz(class_a, time_limit_minutes=10, max_attempts=2)
    Accommodation.objects.create(
        classroom=class_a, learner=student, time_factor=Decimal("1.5"), extra_attempts=1
    )
    client.force_login(student)
    page = client.get(reverse("quizzes:start", args=[quiz.pk]))
    assert "15 minutes for you (extra time; the quiz's limit is 10)" in page.text
    assert page.context["attempts_left"] == 3


# --- extra attempts ----------------------------------------------------------------------------


def test_extra_attempts_are_allowed_beyond_the_quizs_limit(class_a, student, classmate):
    quiz = _quiz(class_a, max_attempts=1)
    Accommodation.objects.create(classroom=class_a, learner=student, quiz=quiz, extra_attempts=1)
    for learner in (student, classmate):
        submit_attempt(attempt=start_attempt(quiz=quiz, learner=learner))
    with pytest.raises(NoAttemptsLeft):
        start_attempt(quiz=quiz, learner=classmate)
    second = start_attempt(quiz=quiz, learner=student)
    assert second.number == 2
    submit_attempt(attempt=second)
    with pytest.raises(NoAttemptsLeft) as refused:
        start_attempt(quiz=quiz, learner=student)
    assert "all 2 attempts" in refused.value.message


# --- a student's own dates ------------------------------------------------------------------


def test_a_later_due_date_lets_that_student_alone_start_after_the_class_due_date(
    client, class_a, student, classmate
):
    quiz = _quiz(class_a)
    now = timezone.now()
    assignment = Assignment.objects.get(quiz=quiz)
    assignment.due_at = now - timedelta(hours=1)
    assignment.opens_at = now - timedelta(days=2)
    assignment.save()
    AssignmentOverride.objects.create(
        assignment=assignment, learner=student, due_at=now + timedelta(days=2)
    )
    access = gate().quiz_access(student, quiz)
    assert access.allowed and not access.late and access.due_at == now + timedelta(days=2)
    assert start_attempt(quiz=quiz, learner=student).late is False
    with pytest.raises(QuizUnavailable) as refused:
        start_attempt(quiz=quiz, learner=classmate)
    assert refused.value.code == "past_due"
    # My work shows the student their own due date, and the attempt they started.
    client.force_login(student)
    page = client.get(reverse("classes:work"))
    (item,) = page.context["items"]
    assert item.due_at == now + timedelta(days=2) and item.status == "in_progress"


def test_a_later_opening_date_holds_that_student_back(class_a, student, classmate):
    quiz = _quiz(class_a)
    assignment = Assignment.objects.get(quiz=quiz)
    AssignmentOverride.objects.create(
        assignment=assignment, learner=student, opens_at=timezone.now() + timedelta(hours=2)
    )
    assert gate().quiz_access(student, quiz).code == "assignment_not_open"
    assert gate().lessons_for(student).filter(pk=quiz.lesson_id).exists() is False
    assert gate().quiz_access(classmate, quiz).allowed
    assert gate().lessons_for(classmate).filter(pk=quiz.lesson_id).exists()


# --- bad input: a clear message, nothing saved -------------------------------------------------


def _errors(exc):
    return {field: [e.code for e in errors] for field, errors in exc.error_dict.items()}


def test_the_models_refuse_what_makes_no_sense(class_a, class_b, student, other_student):
    quiz = _quiz(class_a)
    unassigned = QuizFactory()
    cases = [
        (
            Accommodation(classroom=class_a, learner=student, time_factor=Decimal("0.5")),
            "time_factor",
        ),
        (Accommodation(classroom=class_a, learner=other_student, extra_minutes=5), "learner"),
        (
            Accommodation(classroom=class_a, learner=student, quiz=unassigned, extra_attempts=1),
            "quiz",
        ),
        (Accommodation(classroom=class_a, learner=student), "time_factor"),
    ]
    for accommodation, field in cases:
        with pytest.raises(ValidationError) as refused:
            accommodation.full_clean()
        assert field in refused.value.error_dict, accommodation
    assignment = Assignment.objects.get(quiz=quiz)
    with pytest.raises(ValidationError) as refused:
        AssignmentOverride(
            assignment=assignment, learner=other_student, due_at=timezone.now()
        ).full_clean()
    assert _errors(refused.value)["learner"] == ["not_in_class"]
    with pytest.raises(ValidationError) as refused:
        AssignmentOverride(assignment=assignment, learner=student).full_clean()
    assert _errors(refused.value)["due_at"] == ["no_date"]
    with pytest.raises(ValidationError) as refused:
        AssignmentOverride(
            assignment=assignment, learner=student, due_at=assignment.opens_at - timedelta(hours=1)
        ).full_clean()
    assert _errors(refused.value)["due_at"] == ["due_before_open"]


def _class_form(classroom, student, **rows):
    form = {
        "name": classroom.name,
        "students": [student.pk],
        "assignments-TOTAL_FORMS": 0,
        "assignments-INITIAL_FORMS": 0,
        "accommodations-TOTAL_FORMS": len(rows.get("rows", [])),
        "accommodations-INITIAL_FORMS": 0,
    }
    for i, row in enumerate(rows.get("rows", [])):
        defaults = {"time_factor": "1", "extra_minutes": "0", "extra_attempts": "0"}
        for key, value in {**defaults, **row}.items():
            form[f"accommodations-{i}-{key}"] = value
    return form


def test_the_teacher_gives_extra_time_on_the_class_page(teacher_client, class_a, student):
    quiz = _quiz(class_a, time_limit_minutes=10)
    url = reverse("admin:classes_classroom_change", args=[class_a.pk])
    page = teacher_client.get(url)
    assert page.status_code == 200 and "Every quiz of the class" in page.text
    form = _class_form(
        class_a, student, rows=[{"learner": student.pk, "quiz": quiz.pk, "time_factor": "1.5"}]
    )
    assert teacher_client.post(url, form).status_code == 302
    accommodation = Accommodation.objects.get()
    assert (accommodation.learner, accommodation.quiz, accommodation.time_factor) == (
        student,
        quiz,
        Decimal("1.5"),
    )


@pytest.mark.parametrize(
    "row, message",
    [
        ({"time_factor": "0.5"}, "The time factor is at least 1"),
        ({"time_factor": "1"}, "This changes nothing"),
        ({"learner": "other", "time_factor": "2"}, "Select a valid choice"),
        ({"quiz": "unassigned", "time_factor": "2"}, "Select a valid choice"),
        ({"extra_minutes": "-5"}, "greater than or equal to 0"),
        ({"time_factor": "abc"}, "Enter a number"),
    ],
)
def test_bad_input_on_the_class_page_saves_nothing(
    teacher_client, class_a, student, other_student, row, message
):
    quiz = _quiz(class_a, time_limit_minutes=10)
    unassigned = QuizFactory()
    row = {"learner": student.pk, "quiz": quiz.pk, **row}
    row["learner"] = other_student.pk if row["learner"] == "other" else row["learner"]
    row["quiz"] = unassigned.pk if row["quiz"] == "unassigned" else row["quiz"]
    url = reverse("admin:classes_classroom_change", args=[class_a.pk])
    response = teacher_client.post(url, _class_form(class_a, student, rows=[row]))
    assert response.status_code == 200 and message in response.text
    assert not Accommodation.objects.exists()


def test_two_rows_for_the_same_student_and_quiz_are_refused(teacher_client, class_a, student):
    quiz = _quiz(class_a)
    rows = [{"learner": student.pk, "quiz": quiz.pk, "extra_attempts": "1"}] * 2
    url = reverse("admin:classes_classroom_change", args=[class_a.pk])
    response = teacher_client.post(url, _class_form(class_a, student, rows=rows))
    assert response.status_code == 200 and "keep one" in response.text
    Accommodation.objects.create(classroom=class_a, learner=student, quiz=quiz, extra_attempts=1)
    response = teacher_client.post(url, _class_form(class_a, student, rows=rows[:1]))
    assert response.status_code == 200 and "already has an accommodation" in response.text
    assert Accommodation.objects.count() == 1


def test_the_teacher_gives_one_student_their_own_due_date(teacher_client, class_a, student):
    quiz = _quiz(class_a)
    assignment = Assignment.objects.get(quiz=quiz)
    url = reverse("admin:classes_assignment_change", args=[assignment.pk])
    form = {
        "classroom": class_a.pk,
        "quiz": quiz.pk,
        "opens_at": timezone.localtime(assignment.opens_at).strftime("%d/%m/%Y %H:%M"),
        "due_at": timezone.localtime(assignment.due_at).strftime("%d/%m/%Y %H:%M"),
        "late_policy": "refuse",
        "overrides-TOTAL_FORMS": 1,
        "overrides-INITIAL_FORMS": 0,
        "overrides-0-learner": student.pk,
        "overrides-0-due_at": "25/12/2030 14:30",
    }
    response = teacher_client.post(url, {**form, "overrides-0-due_at": "24/12/2020 14:30"})
    assert response.status_code == 200 and "The due date must come after" in response.text
    assert not AssignmentOverride.objects.exists()
    assert teacher_client.post(url, form).status_code == 302
    override = AssignmentOverride.objects.get()
    assert override.learner == student and override.opens_at is None
    assert override.due_at.isoformat() == "2030-12-25T14:30:00+00:00"


# --- scoping ------------------------------------------------------------------------------------


def test_a_teacher_sees_and_edits_only_their_own_students(
    teacher_client, class_a, class_b, student, other_student
):
    _quiz(class_a)
    theirs = QuizFactory(title="Their quiz")
    their_assignment = Assignment.objects.create(
        classroom=class_b,
        quiz=theirs,
        opens_at=timezone.now(),
        due_at=timezone.now() + timedelta(days=1),
    )
    page = teacher_client.get(reverse("admin:classes_classroom_change", args=[class_a.pk]))
    assert student.username in page.text and other_student.username not in page.text
    for url in (
        reverse("admin:classes_classroom_change", args=[class_b.pk]),
        reverse("admin:classes_assignment_change", args=[their_assignment.pk]),
    ):
        assert teacher_client.get(url).status_code == 404
        assert teacher_client.post(url, {}).status_code == 404
    mine = Assignment.objects.get(classroom=class_a)
    page = teacher_client.get(reverse("admin:classes_assignment_change", args=[mine.pk]))
    options = re.findall(r'name="overrides-0-learner".*?</select>', page.text, re.S)[0]
    assert student.username in options and other_student.username not in options


# --- query counts -----------------------------------------------------------------------------


@pytest.mark.parametrize("others", [2, 12])
def test_the_gate_asks_one_query_whatever_the_number_of_accommodations(class_a, student, others):
    quiz = _quiz(class_a, time_limit_minutes=10)
    assignment = Assignment.objects.get(quiz=quiz)
    Accommodation.objects.create(classroom=class_a, learner=student, time_factor=Decimal("1.5"))
    Accommodation.objects.create(classroom=class_a, learner=student, quiz=quiz, extra_minutes=4)
    AssignmentOverride.objects.create(
        assignment=assignment, learner=student, due_at=timezone.now() + timedelta(days=3)
    )
    for n in range(others):
        mate = UserFactory(username=f"mate-{n}")
        class_a.students.add(mate)
        Accommodation.objects.create(classroom=class_a, learner=mate, extra_attempts=1)
        Accommodation.objects.create(
            classroom=class_a, learner=mate, quiz=quiz, extra_minutes=n + 1
        )
        AssignmentOverride.objects.create(
            assignment=assignment, learner=mate, due_at=timezone.now() + timedelta(days=2)
        )
    with CaptureQueriesContext(connection) as queries:
        access = gate().quiz_access(student, quiz)
    assert len(queries) == 1
    assert access.allowed and access.time_allowed(10) == timedelta(minutes=14)
    assert access.due_at > timezone.now() + timedelta(days=2, hours=23)


def test_the_learners_report_judges_lateness_by_the_students_own_due_date(
    teacher_client, class_a, student, classmate
):
    import csv
    import io

    quiz = _quiz(class_a)
    assignment = Assignment.objects.get(quiz=quiz)
    now = timezone.now()
    Assignment.objects.filter(pk=assignment.pk).update(
        opens_at=now - timedelta(days=2),
        due_at=now - timedelta(hours=1),
        late_policy=Assignment.LatePolicy.ALLOW_LATE,
    )
    AssignmentOverride.objects.create(
        assignment=assignment, learner=student, due_at=now + timedelta(days=1)
    )
    for learner in (student, classmate):
        submit_attempt(attempt=start_attempt(quiz=quiz, learner=learner))
    url = reverse("admin:quizzes_quiz_report_page", args=[quiz.pk, "learners"])
    response = teacher_client.get(f"{url}?classroom={class_a.pk}&csv=learners")
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    late = {row[1]: dict(zip(table[0], row, strict=True))["late"] for row in table[1:]}
    assert late == {student.username: "no", classmate.username: "yes"}
