"""reports/queries.py: every figure against the hand-computed class of
tests/report_data.py, straight from the database."""

import math

import pytest

from reports import queries as reports
from tests.factories import UserFactory
from tests.report_data import build_quiz

pytestmark = pytest.mark.django_db


def test_overview_figures(data):
    o = reports.overview(data["quiz"])
    assert o.attempts == 6  # cleo's attempt in progress is left out
    assert o.learners == 4
    assert o.mean == pytest.approx((100 + 200 / 3 + 200 / 3 + 0) / 4)
    assert o.median == pytest.approx(200 / 3)
    assert [b.count for b in o.histogram] == [1, 0, 0, 0, 0, 0, 2, 0, 0, 1]
    assert o.attribution_mean == pytest.approx(50) and o.attribution_median == pytest.approx(50)
    assert [b.count for b in o.attribution_histogram] == [1, 0, 0, 0, 0, 2, 0, 0, 0, 1]


def test_learner_rows_best_latest_subscores_and_time(data):
    rows = {r.username: r for r in reports.learner_rows(data["quiz"])}
    assert set(rows) == {"ana", "ben", "cleo", "dan"}
    ana, ben, cleo, dan = rows["ana"], rows["ben"], rows["cleo"], rows["dan"]
    assert (ana.attempts, ana.best_number, ana.best_percent, ana.latest_number) == (2, 2, 100, 2)
    assert (ben.best_number, ben.best_percent, ben.latest_number) == (1, 100, 2)
    assert ben.latest_percent == pytest.approx(200 / 3)
    assert ben.subscore_percent("attribution") == pytest.approx(50)
    assert ben.subscore_percent("recall") == pytest.approx(100)
    assert ben.latest_time.total_seconds() == 8 * 60 and ben.best_time.total_seconds() == 3 * 60
    assert cleo.attempts == 1 and cleo.latest_time.total_seconds() == 10 * 60
    assert dan.latest_percent == 0 and dan.subscore_percent("attribution") == 0


def test_item_analysis_facility_discrimination_alpha_and_picks(data):
    analysis = reports.item_analysis(data["quiz"])
    assert analysis.learners == 4
    q1, q2, q3 = analysis.items
    assert [q1.facility, q2.facility, q3.facility] == [0.75, 0.5, 0.5]
    assert q1.discrimination == pytest.approx(math.sqrt(2 / 3))
    assert q2.discrimination == pytest.approx(1 / math.sqrt(11))
    assert q3.discrimination == pytest.approx(1 / math.sqrt(11))
    assert analysis.alpha == pytest.approx(12 / 19)
    assert [(c.label, c.picks) for c in q1.choices] == [("A", 3), ("B", 1), ("C", 0)]
    assert [(c.label, c.picks) for c in q2.choices] == [
        ("Díaz-Canel", 2),
        ("Trump", 1),
        ("Padrino", 1),
    ]
    assert [(c.label, c.picks) for c in q3.choices] == [("True", 2), ("False", 2)]
    # Nobody picked C, but 4 learners are too few for that to say anything (20 needed).
    assert q1.flags == [] and q2.flags == [] and q3.flags == []


def test_confusion_matrix(data):
    result = reports.confusion_report(data["quiz"])
    m, s = result.matrix, data["sources"]
    cuba, us, ven = s["cuba"].pk, s["us"].pk, s["ven"].pk
    assert m.rows == [cuba]
    assert m.cells == {(cuba, cuba): 2, (cuba, us): 1, (cuba, ven): 1}
    assert m.row_percent(cuba, cuba) == 50 and m.row_percent(cuba, us) == 25


def test_confusion_matrix_reads_matching_items_and_chosen_sources():
    from quizzes.attempts import save_answer, start_attempt, submit_attempt
    from quizzes.models import Question
    from tests.factories import ChoiceFactory, QuestionFactory

    quiz, _, s = build_quiz()
    matching = QuestionFactory(
        quiz=quiz, order=4, key="q4", kind=Question.Kind.MATCHING, skill=Question.Skill.ATTRIBUTION
    )
    by_cuba = ChoiceFactory(question=matching, text="We mourn", source=s["cuba"], correct=True)
    by_us = ChoiceFactory(question=matching, text="Law enforcement", source=s["us"], correct=True)
    ChoiceFactory(question=matching, text="", source=s["ven"])
    learner = UserFactory()
    attempt = start_attempt(quiz=quiz, learner=learner)
    # item said by Cuba → matched to the US; item said by the US → matched to the US
    save_answer(
        attempt=attempt,
        question=matching,
        matches={by_cuba.pk: s["us"].pk, by_us.pk: s["us"].pk},
    )
    submit_attempt(attempt=attempt)
    m = reports.confusion_report(quiz).matrix
    assert m.cells == {(s["cuba"].pk, s["us"].pk): 1, (s["us"].pk, s["us"].pk): 1}
    assert m.questions[(s["cuba"].pk, s["us"].pk)] == {matching.pk: 1}


def test_a_report_with_no_attempts_has_no_figures():
    quiz, _, _ = build_quiz()
    o = reports.overview(quiz)
    assert (o.attempts, o.learners, o.mean, o.median) == (0, 0, None, None)
    analysis = reports.item_analysis(quiz)
    assert analysis.alpha is None and all(i.facility is None for i in analysis.items)
    assert reports.learner_rows(quiz) == []
