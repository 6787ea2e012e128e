"""The marking queue (reports/marking.py): a teacher marks the written answers of their own
students from one admin page, unmarked first; marking records who and when, may be
redone, and recomputes the attempt; the reports count an attempt only once it is marked."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from classes.models import Classroom
from quizzes.attempts import save_answer, start_attempt, submit_attempt
from quizzes.models import Attempt, Response, RubricLevel
from quizzes.signals import attempt_rescored
from reports import learners as roster
from reports import queries
from reports.scope import scope_for
from tests.factories import (
    QuizFactory,
    UserFactory,
    make_single_question,
    make_teacher,
    make_written_question,
)

pytestmark = pytest.mark.django_db

QUEUE = "admin:quizzes_response_marking"


@pytest.fixture
def world():
    """Ms Lee's class (ana, ben) and Mr Ortiz's class (zoe), each with a submitted
    attempt at a quiz of one single choice and one written question."""
    quiz = QuizFactory(title="In your own words")
    single = make_single_question(quiz, order=1)
    written = make_written_question(quiz, order=2)
    lee, ortiz = make_teacher("ms-lee"), make_teacher("mr-ortiz")
    mine = Classroom.objects.create(name="10A", teacher=lee)
    theirs = Classroom.objects.create(name="10B", teacher=ortiz)
    learners = {}
    for name, classroom in (("ana", mine), ("ben", mine), ("zoe", theirs)):
        learner = UserFactory(username=name, first_name=name.title())
        classroom.students.add(learner)
        learners[name] = learner
        _take(quiz, single, written, learner, f"{name.title()} says Havana confirmed it.")
    return {
        "quiz": quiz,
        "written": written,
        "lee": lee,
        "ortiz": ortiz,
        "class": mine,
        "learners": learners,
    }


def _take(quiz, single, written, learner, text):
    attempt = start_attempt(quiz=quiz, learner=learner)
    save_answer(attempt=attempt, question=single, choice_ids=[single.choices.get(correct=True).pk])
    save_answer(attempt=attempt, question=written, text=text)
    return submit_attempt(attempt=attempt)


def _response(world, name):
    return Response.objects.get(attempt__learner=world["learners"][name], question=world["written"])


def _level(world, name):
    return RubricLevel.objects.get(question=world["written"], name=name).pk


def test_the_queue_lists_only_the_teachers_own_students_unmarked_first(client, world):
    client.force_login(world["lee"])
    page = client.get(reverse(QUEUE))
    assert page.status_code == 200
    assert "Ana says" in page.text and "Ben says" in page.text
    assert "Zoe says" not in page.text  # Mr Ortiz's student
    assert "2 written answers awaiting marking" in page.text
    client.force_login(world["ortiz"])
    page = client.get(reverse(QUEUE))
    assert "Zoe says" in page.text and "Ana says" not in page.text


def test_marking_from_the_queue_records_who_and_when_and_rescores(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world["lee"])
    ana = _response(world, "ana")
    sent = []

    def listen(sender, attempt_ids, **kwargs):
        sent.append(attempt_ids)

    attempt_rescored.connect(listen)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            reply = client.post(
                reverse(QUEUE),
                {f"level-{ana.pk}": _level(world, "Mastery"), f"comment-{ana.pk}": "Clear."},
            )
    finally:
        attempt_rescored.disconnect(listen)
    assert reply.status_code == 302
    ana.refresh_from_db()
    assert (ana.level.name, ana.comment, ana.marked_by) == ("Mastery", "Clear.", world["lee"])
    attempt = ana.attempt
    attempt.refresh_from_db()
    assert not attempt.awaiting_marking and attempt.percent == 100
    assert sent == [[attempt.pk]]
    # Unmarked first: Ana's marked answer leaves the default view, stays under "all".
    page = client.get(reverse(QUEUE))
    assert "Ana says" not in page.text and "Ben says" in page.text
    everything = client.get(reverse(QUEUE) + "?show=all").text
    assert everything.index("Ben says") < everything.index("Ana says")
    assert "marked “Mastery” by" in everything
    # Marked again, lower.
    client.post(reverse(QUEUE) + "?show=all", {f"level-{ana.pk}": _level(world, "Beginning")})
    attempt.refresh_from_db()
    assert attempt.percent == pytest.approx(100 / 3)


def test_another_teacher_cannot_mark_my_students_answers(client, world):
    client.force_login(world["ortiz"])
    ana, zoe = _response(world, "ana"), _response(world, "zoe")
    reply = client.post(
        reverse(QUEUE),
        {f"level-{zoe.pk}": _level(world, "Mastery"), f"level-{ana.pk}": _level(world, "Mastery")},
    )
    assert reply.status_code == 400
    assert "are not your students" in reply.text
    assert not Response.objects.filter(level__isnull=False).exists()  # not even Zoe's


def test_bad_posts_change_nothing_and_say_why(client, world):
    client.force_login(world["lee"])
    ana = _response(world, "ana")
    for data, words in [
        ({f"level-{ana.pk}": "nonsense"}, "not one of its rubric"),
        ({f"level-{ana.pk}": "999999"}, "rubric; nothing was marked"),
        ({f"level-{ana.pk}": "", f"comment-{ana.pk}": "Nice."}, "A comment needs a level"),
        (
            {f"level-{ana.pk}": _level(world, "Mastery"), f"comment-{ana.pk}": "x" * 2001},
            "the limit is 2,000",
        ),
        ({"level-99999999999999999999": "1"}, "not your students"),
    ]:
        reply = client.post(reverse(QUEUE), data)
        assert reply.status_code in (400, 302), data
        if reply.status_code == 400:
            assert words in reply.text, data
        else:  # an over-long field name is no field of the page: ignored, nothing marked
            assert words == "not your students"
    assert not Response.objects.filter(level__isnull=False).exists()


def test_a_student_and_a_teacher_without_the_permission_cannot_open_the_queue(
    client, world, student
):
    client.force_login(student)
    assert client.get(reverse(QUEUE)).status_code == 302  # to the admin's login
    staff = UserFactory(username="staff-only", is_staff=True)
    client.force_login(staff)
    assert client.get(reverse(QUEUE)).status_code == 403


def test_a_class_the_teacher_does_not_teach_is_a_404(client, world):
    other = Classroom.objects.get(name="10B")
    client.force_login(world["lee"])
    assert client.get(reverse(QUEUE) + f"?classroom={other.pk}").status_code == 404
    page = client.get(reverse(QUEUE) + f"?classroom={world['class'].pk}")
    assert page.status_code == 200 and "Ana says" in page.text


def test_reports_count_an_attempt_only_once_it_is_marked(client, world):
    quiz, lee = world["quiz"], world["lee"]
    scope = scope_for(lee, None)
    assert queries.overview(quiz, scope.learners).learners == 0
    rows = {r.username: r for r in roster.roster(quiz, scope)}
    assert rows["ana"].status == roster.AWAITING and rows["ana"].status_text == "awaiting marking"
    client.force_login(lee)
    learners_page = client.get(
        reverse("admin:quizzes_quiz_report_page", args=[quiz.pk, "learners"])
    )
    assert "awaiting marking" in learners_page.text
    drill = client.get(
        reverse("admin:quizzes_quiz_report_learner", args=[quiz.pk, world["learners"]["ana"].pk])
    )
    assert "awaiting marking" in drill.text and "Ana says Havana confirmed it." in drill.text

    ana = _response(world, "ana")
    client.post(reverse(QUEUE), {f"level-{ana.pk}": _level(world, "Emerging")})
    overview = queries.overview(quiz, scope.learners)
    assert overview.learners == 1 and overview.mean == pytest.approx(200 / 3)
    rows = {r.username: r for r in roster.roster(quiz, scope)}
    assert rows["ana"].status == roster.SUBMITTED and rows["ben"].status == roster.AWAITING
    items = queries.item_analysis(quiz, scope.learners)
    assert items.learners == 1


def test_a_marked_learner_with_a_new_attempt_awaiting_is_counted_by_the_marked_one(world):
    quiz, written = world["quiz"], world["written"]
    ana = world["learners"]["ana"]
    response = _response(world, "ana")
    from quizzes.written import Mark, mark_answers

    mark_answers(
        marks=[Mark(response.pk, _level(world, "Mastery"))],
        marker=world["lee"],
        allowed=Response.objects.all(),
    )
    single = quiz.questions.get(kind="single")
    _take(quiz, single, written, ana, "A second try.")
    counted = Attempt.objects.filter(quiz=quiz, learner=ana).counted()
    assert [a.number for a in counted] == [1]
    rows = {r.username: r for r in roster.roster(quiz, scope_for(world["lee"], None))}
    assert rows["ana"].status_text == "submitted; attempt 2 awaiting marking"


def _queue_queries(client, world, extra):
    quiz, written = world["quiz"], world["written"]
    single = quiz.questions.get(kind="single")
    for i in range(extra):
        learner = UserFactory(username=f"extra-{i}")
        world["class"].students.add(learner)
        _take(quiz, single, written, learner, f"Extra answer {i}.")
        other = QuizFactory(title=f"Another {i}")
        why = make_written_question(other, prompt=f"Why {i}?")
        attempt = start_attempt(quiz=other, learner=learner)
        save_answer(attempt=attempt, question=why, text=f"Because {i}.")
        submit_attempt(attempt=attempt)
    client.force_login(world["lee"])
    with CaptureQueriesContext(connection) as queries_run:
        page = client.get(reverse(QUEUE) + "?show=all")
    assert page.status_code == 200
    assert page.text.count('class="sw-mark"') == 2 + 2 * extra
    return len(queries_run)


def test_the_queue_query_count_does_not_grow_with_answers(client, world):
    small = _queue_queries(client, world, 0)
    large = _queue_queries(client, world, 6)
    print(f"\nmarking queue queries: {small} (2 answers), {large} (14 answers)")
    assert small == large
