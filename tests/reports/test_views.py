"""The report pages (reports/views.py, routed by reports/admin.py): each page, the CSVs,
who sees what, and query counts at two sizes."""

import csv
import io
import re
from datetime import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from classes.models import Classroom
from lessons.models import Source
from reports import stats
from tests.factories import TeacherFactory, UserFactory, make_teacher
from tests.report_data import add_learners, build_quiz, take

pytestmark = pytest.mark.django_db


def _url(quiz, page="overview", **params):
    if page == "overview":
        url = reverse("admin:quizzes_quiz_report", args=[quiz.pk])
    else:
        url = reverse("admin:quizzes_quiz_report_page", args=[quiz.pk, page])
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"{url}?{query}" if query else url


def _csv(response):
    """The CSV parsed back as Excel would read it: UTF-8 with a byte order mark, and no
    two columns with the same name."""
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(set(table[0])) == len(table[0]), table[0]
    return table


# --- pages and CSVs ----------------------------------------------------------------------


def test_report_pages_render_for_the_teacher(client, data):
    client.force_login(data["teacher"])
    quiz = data["quiz"]
    page = client.get(_url(quiz))
    assert page.status_code == 200
    assert "58.3 %" in page.text and "66.7 %" in page.text
    assert "<svg" in page.text and "latest submitted attempt" in page.text
    # The teacher's stylesheet and the way back to the quiz.
    assert "css/teacher.css" in page.text
    assert f"{quiz.title}</a>\n  &rsaquo; Reports" in page.text
    assert "4 submitted of 4 in your classes" in page.text
    page = client.get(_url(quiz, "items"))
    # 4 learners: too few for discrimination, alpha or the distractor flags
    assert "too few learners (n=4) for this figure" in page.text
    assert "0.63" not in page.text and "0.82" not in page.text
    assert 'class="sw-flag"' not in page.text and "4 submitted of 4" in page.text
    assert "0.75" in page.text  # facility is still shown
    page = client.get(_url(quiz, "learners"))
    assert "Ana" in page.text and "Dan" in page.text
    page = client.get(_url(quiz, "confusion"))
    assert "Díaz-Canel" in page.text and "sw-shade-3" in page.text  # 50 % → shade 3


def test_confusion_cell_lists_the_questions_behind_it(client, data):
    client.force_login(data["teacher"])
    s = data["sources"]
    page = client.get(_url(data["quiz"], "confusion", cell=f"{s['cuba'].pk}-{s['us'].pk}"))
    assert page.status_code == 200
    assert "Said by Díaz-Canel, attributed to Trump" in page.text
    assert "Who said it?" in page.text and "1 pick" in page.text
    assert client.get(_url(data["quiz"], "confusion", cell="x")).status_code == 404


def test_csv_summary_and_histogram(client, data):
    client.force_login(data["teacher"])
    rows = dict(_csv(client.get(_url(data["quiz"], csv="summary")))[1:])
    assert rows["submitted attempts"] == "6"
    assert rows["mean score %"] == "58.3" and rows["median score %"] == "66.7"
    assert rows["median attribution %"] == "50.0"
    assert rows["learners in the class"] == "4"
    hist = _csv(client.get(_url(data["quiz"], csv="histogram")))
    assert hist[0] == ["score band %", "learners (score)", "learners (attribution)"]
    assert hist[1] == ["0–10", "1", "1"] and hist[10] == ["90–100", "1", "1"]
    assert hist[7] == ["60–70", "2", "0"] and hist[6] == ["50–60", "0", "2"]


def test_csv_learners(client, data):
    client.force_login(data["teacher"])
    table = _csv(client.get(_url(data["quiz"], "learners", csv="learners")))
    header, rows = table[0], {row[1]: dict(zip(table[0], row, strict=True)) for row in table[1:]}
    assert header.count("latest attribution %") == 1
    assert rows["ben"]["best %"] == "100.0" and rows["ben"]["best attempt"] == "1"
    assert rows["ben"]["latest %"] == "66.7" and rows["ben"]["latest recall %"] == "100.0"
    assert rows["ben"]["latest minutes"] == "8.0" and rows["ben"]["latest attribution %"] == "50.0"
    assert rows["ana"]["attempts"] == "2"
    # every percentage and minute figure has exactly one decimal
    for row in rows.values():
        for name, value in row.items():
            if value and (name.endswith("%") or name.endswith("minutes")):
                assert re.fullmatch(r"\d+\.\d", value), (name, value)
    # ISO 8601 to the second, with the zone's offset
    first = datetime.fromisoformat(rows["ben"]["first submitted"])
    assert first.tzinfo is not None and first.microsecond == 0
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", rows["ben"]["first submitted"]
    )
    # cleo submitted once and has a retake open
    assert rows["cleo"]["status"] == "submitted; attempt 2 in progress"
    assert {r["status"] for n, r in rows.items() if n != "cleo"} == {"submitted"}


def test_csv_items_and_choices(client, data):
    client.force_login(data["teacher"])
    table = _csv(client.get(_url(data["quiz"], "items", csv="items")))
    rows = [dict(zip(table[0], row, strict=True)) for row in table[1:]]
    assert [r["facility"] for r in rows] == ["0.75", "0.50", "0.50"]
    # 4 learners: no discrimination, a note saying why, no flag resting on them
    assert [r["discrimination"] for r in rows] == ["", "", ""]
    assert "too few learners (n=4)" in rows[0]["note"]
    assert [r["flags"] for r in rows] == ["", "", ""]
    choices = _csv(client.get(_url(data["quiz"], "items", csv="choices")))
    picks = {(r[1], r[2]): (r[3], r[4], r[5]) for r in choices[1:]}
    assert picks[("q1", "A")] == ("yes", "3", "75.0")
    assert picks[("q1", "C")] == ("no", "0", "0.0")
    assert picks[("q2", "Trump")] == ("no", "1", "25.0")


def test_items_with_enough_learners_show_discrimination_alpha_and_flags(client):
    """30 learners with varied answers: discrimination and alpha are shown, the same as
    reports.stats computes from the learners × items matrix, and the flags come back."""
    teacher = make_teacher("ms-thirty")
    quiz, picks, _ = build_quiz()
    right, wrong = picks["right"], picks["wrong"]
    q1, q2, q3 = list(right)
    classroom = Classroom.objects.create(name="Thirty", teacher=teacher)
    matrix = []
    for i in range(30):
        # Q1 right for i < 20, Q2 right for even i, Q3 right for i < 10 or i % 3 == 0
        row = [i < 20, i % 2 == 0, i < 10 or i % 3 == 0]
        learner = UserFactory(username=f"thirty-{i}")
        classroom.students.add(learner)
        take(
            quiz,
            learner,
            {q: (right[q] if ok else wrong[q]) for q, ok in zip(right, row, strict=True)},
        )
        matrix.append([1.0 if ok else 0.0 for ok in row])
    items, total = stats.sums_from_matrix(matrix, [1, 1, 1])
    client.force_login(teacher)
    page = client.get(_url(quiz, "items"))
    assert "too few learners" not in page.text and "30 submitted of 30" in page.text
    alpha = stats.cronbach_alpha(items, total)
    assert f"{alpha:.2f}" in page.text
    table = _csv(client.get(_url(quiz, "items", csv="items")))
    rows = [dict(zip(table[0], row, strict=True)) for row in table[1:]]
    assert [r["note"] for r in rows] == ["", "", ""]
    for item, row in zip(items, rows, strict=True):
        assert row["discrimination"] == f"{stats.discrimination(item, total):.2f}"
    # nobody picked C (Q1) nor Trump (Q2) of 30 learners: now that is worth saying
    assert "Nobody picked “C”" in rows[0]["flags"] and "Nobody picked “Trump”" in rows[1]["flags"]


def test_csv_confusion_matrix(client, data):
    client.force_login(data["teacher"])
    table = _csv(client.get(_url(data["quiz"], "confusion", csv="confusion")))
    # grouped by side: the row's own side (Cuba) first, then the sides only chosen
    assert table[0] == [
        "true source \\ chosen source",
        "side",
        "Díaz-Canel",
        "Trump",
        "Padrino",
        "total",
        "% confused",
    ]
    assert table[1] == ["Díaz-Canel", "Cuba", "2", "1", "1", "4", "50.0"]


def test_csv_defuses_spreadsheet_formulas(client, data):
    client.force_login(data["teacher"])
    evil = UserFactory(username="=cmd", first_name="=HYPERLINK()")
    data["class"].students.add(evil)
    take(data["quiz"], evil, {})
    table = _csv(client.get(_url(data["quiz"], "learners", csv="learners")))
    assert ["'=HYPERLINK()", "'=cmd"] in [row[:2] for row in table]


def test_csv_defuses_formulas_in_headers_too(client, data):
    """The confusion matrix's header row holds source names: a name beginning with = is
    written as text, in the header as in the rows."""
    source = Source.objects.get(lesson=data["quiz"].lesson, key="trump")
    source.name = '=HYPERLINK("http://evil.example")'
    source.save()
    client.force_login(data["teacher"])
    table = _csv(client.get(_url(data["quiz"], "confusion", csv="confusion")))
    assert '\'=HYPERLINK("http://evil.example")' in table[0]
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in table for cell in row)


def test_a_class_that_is_not_a_number_is_404_not_500(client, data):
    client.force_login(data["teacher"])
    for value in ("abc", "1e9", "9" * 30, "-1"):
        for page in ("overview", "learners"):
            assert client.get(_url(data["quiz"], page, classroom=value)).status_code == 404


# --- who sees what -----------------------------------------------------------------------


def test_a_teacher_sees_only_their_own_students(client, data):
    other = make_teacher("mr-other")
    outsider = UserFactory(username="zed-outsider", first_name="Zed")
    Classroom.objects.create(name="10C", teacher=other).students.add(outsider)
    take(data["quiz"], outsider, {})
    client.force_login(data["teacher"])
    page = client.get(_url(data["quiz"], "learners"))
    assert "zed-outsider" not in page.text and "ana" in page.text
    table = _csv(client.get(_url(data["quiz"], "learners", csv="learners")))
    assert "zed-outsider" not in {row[1] for row in table}
    assert "10C" not in client.get(_url(data["quiz"])).text  # not offered as a filter
    # the other teacher sees only Zed
    client.force_login(other)
    table = _csv(client.get(_url(data["quiz"], "learners", csv="learners")))
    assert [row[1] for row in table[1:]] == ["zed-outsider"]


def test_another_teachers_class_is_404(client, data):
    other = make_teacher("mr-other")
    client.force_login(other)
    for page in ("overview", "learners", "items", "confusion"):
        assert client.get(_url(data["quiz"], page, classroom=data["class"].pk)).status_code == 404
    assert client.get(_url(data["quiz"], classroom=999999)).status_code == 404


def test_filter_by_class(client, data):
    teacher = data["teacher"]
    small = Classroom.objects.create(name="Set 2", teacher=teacher)
    small.students.add(data["learners"]["dan"])
    client.force_login(teacher)
    rows = dict(_csv(client.get(_url(data["quiz"], classroom=small.pk, csv="summary")))[1:])
    assert rows["learners counted (latest attempt each)"] == "1" and rows["mean score %"] == "0.0"


def test_superuser_sees_everyone(client, data, admin_user):
    outsider = UserFactory(username="zed-outsider")
    take(data["quiz"], outsider, {})
    client.force_login(admin_user)
    table = _csv(client.get(_url(data["quiz"], "learners", csv="learners")))
    assert {row[1] for row in table[1:]} == {"ana", "ben", "cleo", "dan", "zed-outsider"}


def test_staff_without_the_teachers_group_gets_403(client, data):
    client.force_login(TeacherFactory(username="bare-staff"))
    assert client.get(_url(data["quiz"])).status_code == 403


def test_students_and_anonymous_are_sent_to_the_admin_login(client, data):
    assert client.get(_url(data["quiz"])).status_code == 302
    client.force_login(data["learners"]["ana"])
    response = client.get(_url(data["quiz"], "items"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_unknown_report_page_is_404(client, data):
    client.force_login(data["teacher"])
    assert client.get(_url(data["quiz"], "nonsense")).status_code == 404


# --- query counts ------------------------------------------------------------------------

PAGES = [
    ("overview", {}),
    ("overview", {"csv": "summary"}),
    ("learners", {}),
    ("learners", {"csv": "learners"}),
    ("items", {}),
    ("items", {"csv": "items"}),
    ("confusion", {}),
    ("confusion", {"csv": "confusion"}),
]


@pytest.mark.parametrize(("page", "params"), PAGES)
def test_report_query_count_does_not_grow_with_attempts(client, page, params):
    """The same number of queries for 2 learners (4 attempts) as for 12 (24 attempts and
    some in progress). Per page: session, user, the user's permissions (2), the quiz, the
    teacher's classes (6 in all), then the report's own queries: overview 2 and the class
    size (9), items 5 and on the page the class size (12, CSV 11), confusion 3 (9); learners: the submitted
    attempts, the attempts in progress, the class list and, with a class chosen, its
    assignment of the quiz (10, the CSV too)."""
    teacher = make_teacher("counting")
    quiz, picks, _ = build_quiz()
    classroom = Classroom.objects.create(name="Counted", teacher=teacher)
    client.force_login(teacher)
    counts = []
    for extra in (2, 10):
        add_learners(quiz, picks, extra, prefix=f"n{extra}-")
        for i in range(extra // 2):  # some in progress, some not started
            take(quiz, UserFactory(username=f"n{extra}-open{i}"), {}, submit=False)
            UserFactory(username=f"n{extra}-idle{i}")
        classroom.students.set(UserFactory._meta.model.objects.filter(username__contains="-"))
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(_url(quiz, page, classroom=classroom.pk, **params))
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    expected = {"overview": 9, "learners": 10, "items": 11 if params else 12, "confusion": 9}[page]
    assert counts[0] == expected, counts


def test_learners_report_marks_late_submissions_and_lists_who_has_not_submitted(client, data):
    from datetime import timedelta

    from classes.models import Assignment
    from tests.report_data import T0

    # Due 30 minutes after T0: ana, ben, cleo and dan first submitted 2 to 10 minutes
    # after T0 (on time); eve never submitted; finn submitted a day late.
    Assignment.objects.create(
        classroom=data["class"],
        quiz=data["quiz"],
        opens_at=T0 - timedelta(days=1),
        due_at=T0 + timedelta(minutes=30),
    )
    eve = UserFactory(username="eve", first_name="Eve")
    finn = UserFactory(username="finn", first_name="Finn")
    data["class"].students.add(eve, finn)
    take(data["quiz"], finn, {}, start=T0 + timedelta(days=1))
    client.force_login(data["teacher"])
    page = client.get(_url(data["quiz"], "learners", classroom=data["class"].pk))
    assert "5 submitted</strong> of 6 · 0 in progress · 1 not started" in page.text
    assert "<td>not started</td>" in page.text and "Eve" in page.text
    assert page.text.count('class="sw-late">late') == 1
    table = _csv(
        client.get(_url(data["quiz"], "learners", classroom=data["class"].pk, csv="learners"))
    )
    late = {row[1]: row[-1] for row in table[1:]}
    assert late == {"ana": "no", "ben": "no", "cleo": "no", "dan": "no", "eve": "", "finn": "yes"}
    status = {row[1]: row[2] for row in table[1:]}
    assert status["eve"] == "not started" and status["finn"] == "submitted"
    # without a class chosen there is no due date, so no lateness
    table = _csv(client.get(_url(data["quiz"], "learners", csv="learners")))
    assert {row[-1] for row in table[1:]} == {""}


def test_reports_count_the_attempt_the_quiz_says(client, data):
    # Ben's best attempt (100 %) is his first; his latest is 66.7 %.
    client.force_login(data["teacher"])
    quiz = data["quiz"]
    latest = dict(_csv(client.get(_url(quiz, csv="summary")))[1:])
    assert "learners counted (latest attempt each)" in latest
    quiz.counted_attempt = "best"
    quiz.save()
    best = dict(_csv(client.get(_url(quiz, csv="summary")))[1:])
    assert best["learners counted (best attempt each)"] == "4"
    # The CSV gives percentages to one decimal.
    assert float(best["mean score %"]) == pytest.approx(
        float(latest["mean score %"]) + (100 - 200 / 3) / 4, abs=0.1
    )
    page = client.get(_url(quiz))
    assert "best submitted attempt" in page.text and "latest submitted attempt" not in page.text


def test_the_shipped_quizzes_with_three_learners_flag_nothing(client, settings):
    """The case that filed the issue: the shipped lesson's quizzes taken by 3 learners
    flagged 41 of 56 questions and showed α = 0.96. Now: no flag, no α, and the page
    says why."""
    from pathlib import Path

    from bundle.upsert import import_bundle
    from quizzes.attempts import save_answer, start_attempt, submit_attempt
    from quizzes.models import Question

    bundle = Path(settings.BASE_DIR) / "lessons" / "bundles" / "cuba-venezuela-casualties.json"
    lesson = import_bundle(bundle).lesson
    lesson.quizzes.update(open_to_all=True)  # the learners need no assignment here
    teacher = make_teacher("ms-three")
    classroom = Classroom.objects.create(name="Three", teacher=teacher)
    client.force_login(teacher)
    for quiz in lesson.quizzes.all():
        for i in range(3):
            learner = UserFactory(username=f"three-{quiz.pk}-{i}")
            classroom.students.add(learner)
            attempt = start_attempt(quiz=quiz, learner=learner)
            for n, question in enumerate(Question.objects.with_key().filter(quiz=quiz)):
                choices = list(question.choices.all())
                if question.kind == Question.Kind.MATCHING or not choices:
                    continue
                pick = choices[(i + n) % len(choices)]
                save_answer(attempt=attempt, question=question, choice_ids=[pick.pk])
            submit_attempt(attempt=attempt)
        page = client.get(_url(quiz, "items", classroom=classroom.pk))
        assert page.status_code == 200
        assert page.context["flagged"] == 0 and 'class="sw-flag"' not in page.text
        assert "too few learners (n=3) for this figure" in page.text
        assert "3 submitted of " in page.text
