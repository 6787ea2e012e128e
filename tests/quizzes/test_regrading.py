"""quizzes/regrading.py: a teacher's grade override of one response and the re-grade of
a question after its key changed: the stored totals and subscores follow, every change
is audited, bad input changes nothing, the rescore is announced once committed, and a
re-grade's query count does not grow with its responses."""

from functools import partial

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quizzes.models import Attempt, Choice, GradeChange, Response
from quizzes.regrading import (
    REGRADE_REASON,
    GradeError,
    override_response,
    regrade_preview,
    regrade_question,
)
from quizzes.signals import attempt_rescored
from tests.factories import UserFactory, make_teacher
from tests.report_data import add_learners, build_class_results, build_quiz, take

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    quiz, learners, sources = build_class_results()
    q1, q2, q3 = quiz.questions.order_by("order")
    return {"quiz": quiz, "learners": learners, "q": (q1, q2, q3), "teacher": make_teacher("t")}


def _latest(learner, quiz):
    return Attempt.objects.submitted().filter(learner=learner, quiz=quiz).order_by("-number")[0]


def _response(attempt, question):
    return Response.objects.get(attempt=attempt, question=question)


def _state():
    """Everything an override or re-grade may write."""
    return (
        list(Attempt.objects.order_by("pk").values_list("pk", *Attempt.SCORE_FIELDS)),
        list(Response.objects.order_by("pk").values_list("pk", "credit")),
        GradeChange.objects.count(),
    )


@pytest.fixture
def rescored():
    sent = []

    def listen(sender, attempt_ids, **kwargs):
        sent.append((sender, attempt_ids))

    attempt_rescored.connect(listen)
    yield sent
    attempt_rescored.disconnect(listen)


def test_an_override_recomputes_total_percent_attribution_and_subscores(world):
    cleo, q2 = world["learners"]["cleo"], world["q"][1]
    attempt = _latest(cleo, world["quiz"])  # 1 0 1: Trump on Q2 (attribution)
    assert (attempt.score, attempt.attribution_percent) == (2, 50)
    change = override_response(
        response=_response(attempt, q2),
        user=world["teacher"],
        points="0.5",
        reason="Trump repeated the claim; half credit.",
    )
    attempt.refresh_from_db()
    assert attempt.score == 2.5 and attempt.max_score == 3
    assert attempt.percent == pytest.approx(250 / 3)
    assert attempt.attribution_percent == 75  # (0.5 + 1) of 2
    assert attempt.subscores == {
        "attribution": {"points": 1.5, "max": 2.0},
        "recall": {"points": 1.0, "max": 1.0},
    }
    assert _response(attempt, q2).credit == 0.5
    # The audit: who, when, before, after, why.
    assert change.kind == GradeChange.Kind.OVERRIDE
    assert change.changed_by == world["teacher"] and change.changed_at is not None
    assert (change.credit_before, change.credit_after, change.question_points) == (0, 0.5, 1)
    assert (change.points_before, change.points_after) == (0, 0.5)
    assert change.reason == "Trump repeated the claim; half credit."


def test_override_points_are_of_the_questions_points(world):
    q1 = world["q"][0]
    q1.points = 4
    q1.save()
    dan = world["learners"]["dan"]
    attempt = _latest(dan, world["quiz"])
    change = override_response(
        response=_response(attempt, q1), user=world["teacher"], points="3", reason="close"
    )
    attempt.refresh_from_db()
    assert change.credit_after == 0.75 and change.points_after == 3
    assert attempt.subscores["recall"] == {"points": 3.0, "max": 4.0}


@pytest.mark.parametrize(
    ("points", "reason", "code"),
    [
        ("1.5", "too much", "above_max"),
        ("-1", "negative", "negative"),
        ("abc", "words", "not_a_number"),
        ("nan", "not finite", "not_a_number"),
        ("0.333", "precise", "too_precise"),
        ("1", "", "no_reason"),
        ("1", "   ", "no_reason"),
        ("1", "x" * 501, "reason_too_long"),
    ],
)
def test_bad_input_changes_nothing_with_a_coded_message(world, points, reason, code):
    attempt = _latest(world["learners"]["dan"], world["quiz"])
    response = _response(attempt, world["q"][0])
    before = _state()
    with pytest.raises(GradeError) as refused:
        override_response(response=response, user=world["teacher"], points=points, reason=reason)
    assert refused.value.code == code and refused.value.message
    assert _state() == before


def test_a_response_of_an_attempt_in_progress_is_refused(world):
    cleo = world["learners"]["cleo"]
    open_attempt = Attempt.objects.in_progress().get(learner=cleo, quiz=world["quiz"])
    before = _state()
    with pytest.raises(GradeError) as refused:
        override_response(
            response=_response(open_attempt, world["q"][0]),
            user=world["teacher"],
            points="1",
            reason="early",
        )
    assert refused.value.code == "in_progress"
    assert _state() == before


def test_override_announces_the_rescore_on_commit(
    world, rescored, django_capture_on_commit_callbacks
):
    attempt = _latest(world["learners"]["dan"], world["quiz"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        override_response(
            response=_response(attempt, world["q"][0]), user=None, points="1", reason="ok"
        )
    assert rescored == []  # not before the commit
    for callback in callbacks:
        callback()
    assert rescored == [(Attempt, [attempt.pk])]


def _fix_key(question, right_text):
    """The teacher's fix: `right_text` becomes the only right choice."""
    Choice.objects.filter(question=question).update(correct=False)
    Choice.objects.filter(question=question, text=right_text).update(correct=True)


def test_regrade_after_a_key_change_recomputes_and_audits(
    world, rescored, django_capture_on_commit_callbacks
):
    quiz, learners, (q1, _, _) = world["quiz"], world["learners"], world["q"]
    _fix_key(q1, "B")  # B was right after all: dan (B) gains, ana/ben/cleo (A) lose
    preview = regrade_preview(q1, None)
    assert (preview.changed, preview.kept) == (preview.responses, 0)
    with django_capture_on_commit_callbacks(execute=True):
        result = regrade_question(
            question=q1, user=world["teacher"], learners=None, note="The article says 32."
        )
    assert result.changed == result.responses == preview.changed
    dan = _latest(learners["dan"], quiz)
    ana = _latest(learners["ana"], quiz)
    assert (dan.score, dan.subscores["recall"]["points"]) == (1, 1)
    assert (ana.score, ana.percent) == (2, pytest.approx(200 / 3))
    change = GradeChange.objects.get(response__attempt=dan, response__question=q1)
    assert change.kind == GradeChange.Kind.REGRADE and change.changed_by == world["teacher"]
    assert (change.credit_before, change.credit_after) == (0, 1)
    assert change.reason == f"{REGRADE_REASON}: The article says 32."
    # Every submitted attempt changed; cleo's attempt in progress got the new credit but
    # has no score to announce.
    assert len(rescored) == 1 and rescored[0][0] is Attempt
    assert set(rescored[0][1]) == set(Attempt.objects.submitted().values_list("pk", flat=True))
    cleo_open = Attempt.objects.in_progress().get(learner=learners["cleo"])
    assert _response(cleo_open, q1).credit == 1  # she picked B, now the key
    assert cleo_open.pk not in rescored[0][1]
    # A second re-grade finds nothing to change.
    again = regrade_question(question=q1, user=None, learners=None)
    assert again.changed == 0 and again.attempts_rescored == []


def test_an_override_survives_a_regrade(world):
    quiz, learners, (q1, _, _) = world["quiz"], world["learners"], world["q"]
    dan = _latest(learners["dan"], quiz)
    override_response(response=_response(dan, q1), user=None, points="0.5", reason="partly")
    _fix_key(q1, "C")  # nobody picked C: every A loses; dan's override stays
    result = regrade_question(question=q1, user=None, learners=None)
    assert result.kept == 1
    assert _response(dan, q1).credit == 0.5
    assert not GradeChange.objects.filter(
        response__attempt=dan, kind=GradeChange.Kind.REGRADE
    ).exists()


def test_regrade_covers_only_the_learners_given(world):
    quiz, learners, (q1, _, _) = world["quiz"], world["learners"], world["q"]
    _fix_key(q1, "B")
    only = type(learners["dan"]).objects.filter(pk=learners["dan"].pk)
    result = regrade_question(question=q1, user=None, learners=only)
    assert result.changed == 1
    assert _latest(learners["ana"], quiz).score == 3  # untouched


def test_regrade_query_count_does_not_grow_with_responses():
    quiz, picks, _ = build_quiz()
    q1 = next(iter(picks["right"]))
    counts = []
    for i, size in enumerate((2, 8)):
        add_learners(quiz, picks, size, prefix=f"s{size}-")
        _fix_key(q1, "B" if i == 0 else "A")  # every response changes, each time
        with CaptureQueriesContext(connection) as ctx:
            result = regrade_question(question=q1, user=None, learners=None)
        assert result.changed == result.responses > 0
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


def test_a_learner_without_the_question_answered_keeps_no_credit(world):
    """A re-grade recomputes the responses there are; an unanswered question stays 0."""
    quiz, (q1, _, _) = world["quiz"], world["q"]
    late = UserFactory(username="late")
    take(quiz, late, {})
    _fix_key(q1, "B")
    regrade_question(question=q1, user=None, learners=None)
    assert _latest(late, quiz).score == 0


# --- races, with real threads against PostgreSQL (tests/quizzes/test_attempts_concurrency.py)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row-lock races need PostgreSQL (SQLite serialises every writer)",
)
def test_concurrent_overrides_and_a_regrade_leave_one_consistent_score():
    from tests.quizzes.test_attempts_concurrency import race

    quiz, learners, _ = build_class_results(prefix="race-")
    q1, q2, _ = quiz.questions.order_by("order")
    for round_ in range(3):
        dan = _latest(learners["dan"], quiz)  # 0 0 0
        _fix_key(q1, "B" if round_ % 2 == 0 else "A")
        target = _response(dan, q2)
        outcomes = race(
            partial(override_response, response=target.pk, user=None, points="1", reason="a"),
            partial(override_response, response=target.pk, user=None, points="0.5", reason="b"),
            partial(regrade_question, question=q1.pk, user=None, learners=None),
        )
        assert not any(isinstance(o, BaseException) for o in outcomes), outcomes
        for attempt in Attempt.objects.submitted().filter(quiz=quiz):
            credits = dict(attempt.responses.values_list("question_id", "credit"))
            assert attempt.score == pytest.approx(sum(credits.values())), attempt
        # the later of the two overrides is the one stored, and each entry's "before" is
        # the one before it's "after": they ran one after the other, under the row lock
        chain = list(GradeChange.objects.overrides().filter(response__attempt=dan).order_by("id"))
        assert _response(dan, q2).credit == chain[-1].credit_after
        for earlier, later in zip(chain, chain[1:], strict=False):
            assert later.credit_before == earlier.credit_after
