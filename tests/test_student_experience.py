"""The student's pages without a browser: the marked reading and its switch, the
background autosave, the deadline, the result's links to the evidence, and what the
pages must never carry (inline styles or scripts, the key before submission)."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lessons.views import MARKS_SESSION_KEY
from quizzes.attempts import save_answer, start_attempt, submit_attempt
from quizzes.models import Attempt, Quiz, Response

from .factories import ClaimFactory, SectionFactory
from .scenarios import build_article_lesson, build_article_quiz

pytestmark = pytest.mark.django_db

FETCH = {"HTTP_X_REQUESTED_WITH": "fetch", "HTTP_ACCEPT": "application/json"}


@pytest.fixture
def quiz():
    return build_article_quiz()


def _lesson_url(lesson):
    return reverse("lessons:detail", args=[lesson.slug])


def _q(attempt, n):
    return reverse("quizzes:question", args=[attempt.pk, n])


# --- The reading -----------------------------------------------------------------------


def test_lesson_marks_every_claim_with_its_source_and_kind(student_client, quiz):
    html = student_client.get(_lesson_url(quiz.lesson)).text
    for claim in quiz.lesson.claims.all():
        assert f'id="claim-{claim.key}"' in html
    assert (
        '<mark class="claim claim-framing">'
        "Washington characterised the mission as a law-enforcement action</mark>" in html
    )
    assert "Donald Trump, quote" in html
    assert "Cuban officials, quote" in html
    assert "the article&#x27;s own statement" in html
    # "&" in the body is escaped, never raw.
    assert "Caracas &amp; captured" in html
    assert 'class="reading marks-on"' in html


def test_voices_are_grouped_by_side_and_own_statements_set_apart(student_client, quiz):
    html = student_client.get(_lesson_url(quiz.lesson)).text
    voices = html[html.index('id="voices-heading"') : html.index('id="own-heading"')]
    sides = re.findall(r'<h3 class="side-name" id="side-\d+">([^<]+)</h3>', voices)
    assert sides == ["Cuba", "United States", "Independent voices"]
    us = voices[voices.index(">United States<") : voices.index(">Independent voices<")]
    assert "Donald Trump" in us and "Washington" in us and "Cuban government" not in us
    assert "The article itself" not in voices
    own = html[html.index('id="own-heading"') :]
    assert "likely to harden Havana’s stance" in own.replace("&#x27;", "’")
    assert 'href="#claim-likely-deepen"' in own


def test_marks_switch_is_remembered_in_the_session(student_client, quiz):
    url = _lesson_url(quiz.lesson)
    response = student_client.post(url, {"marks": "off"})
    assert response.status_code == 302
    assert response["Location"] == url + "#reading"
    assert student_client.session[MARKS_SESSION_KEY] == "off"
    html = student_client.get(url).text
    assert 'class="reading marks-off"' in html
    assert 'aria-pressed="false"' in html and 'name="marks" value="on"' in html
    # The anchors stay, so links from results still land on the sentence.
    assert 'id="claim-a-lot"' in html
    student_client.post(url, {"marks": "on"})
    assert 'class="reading marks-on"' in student_client.get(url).text


def test_marks_switch_from_script_answers_204(student_client, quiz):
    response = student_client.post(_lesson_url(quiz.lesson), {"marks": "off"}, **FETCH)
    assert response.status_code == 204
    assert student_client.session[MARKS_SESSION_KEY] == "off"


def test_unknown_marks_value_changes_nothing(student_client, quiz):
    response = student_client.get(_lesson_url(quiz.lesson), {"marks": "<script>"})
    assert response.status_code == 200
    assert MARKS_SESSION_KEY not in student_client.session
    assert "<script>" not in response.text.replace(
        '<script src="/static/js/lesson.js" defer></script>', ""
    )


def test_lesson_page_query_count_does_not_grow_with_claims(
    student_client, django_assert_num_queries
):
    lesson, sources, sections, claims = build_article_lesson()
    url = _lesson_url(lesson)
    with CaptureQueriesContext(connection) as small:
        student_client.get(url)
    for i in range(20):
        ClaimFactory(
            section=SectionFactory(lesson=lesson, body=f"Analysts said {i}."),
            lesson=lesson,
            source=sources["analysts"],
            evidence=f"Analysts said {i}.",
        )
    # session, user, lesson, sources, sections, claims, quizzes
    with django_assert_num_queries(len(small.captured_queries)):
        student_client.get(url)
    assert len(small.captured_queries) == 7


# --- Autosave from the script --------------------------------------------------------------


def test_autosave_saves_and_reveals_nothing_of_the_key(student_client, student, quiz):
    attempt = start_attempt(quiz=quiz, learner=student)
    question = quiz.questions.get(order=1)
    wrong = question.choices.filter(correct=False).first()
    response = student_client.post(_q(attempt, 1), {"choice": wrong.id}, **FETCH)
    assert response.status_code == 200
    assert response.json() == {"saved": True, "answered": 1}
    saved = Response.objects.get(attempt=attempt, question=question)
    assert [s.choice_id for s in saved.selections.all()] == [wrong.id]
    # Choosing again replaces the answer; the reply is the same whether right or wrong.
    right = question.choices.get(correct=True)
    assert student_client.post(_q(attempt, 1), {"choice": right.id}, **FETCH).json() == {
        "saved": True,
        "answered": 1,
    }
    assert [s.choice_id for s in saved.selections.all()] == [right.id]


def test_autosave_of_matching_and_multiple(student_client, student, quiz):
    attempt = start_attempt(quiz=quiz, learner=student)
    multiple = quiz.questions.get(order=2)
    picks = [c.id for c in multiple.choices.all()[:2]]
    assert student_client.post(_q(attempt, 2), {"choice": picks}, **FETCH).json()["saved"] is True
    matching = quiz.questions.get(order=5)
    item = matching.choices.filter(correct=True).first()
    reply = student_client.post(_q(attempt, 5), {f"match-{item.id}": item.source_id}, **FETCH)
    assert reply.json() == {"saved": True, "answered": 2}


def test_autosave_refuses_a_foreign_choice_with_a_message(student_client, student, quiz):
    attempt = start_attempt(quiz=quiz, learner=student)
    other = quiz.questions.get(order=2).choices.first()
    reply = student_client.post(_q(attempt, 1), {"choice": other.id}, **FETCH)
    assert reply.status_code == 400
    assert reply.json()["saved"] is False and "not one of this question" in reply.json()["error"]
    assert not Response.objects.exists()


def test_autosave_with_nothing_chosen_saves_nothing(student_client, student, quiz):
    attempt = start_attempt(quiz=quiz, learner=student)
    reply = student_client.post(_q(attempt, 1), {}, **FETCH)
    assert reply.status_code == 200
    assert reply.json()["saved"] is False and reply.json()["answered"] == 0
    assert "nothing was saved" in reply.json()["note"]
    assert not Response.objects.exists()


def test_autosave_after_submit_is_refused_with_the_result_address(student_client, student, quiz):
    attempt = start_attempt(quiz=quiz, learner=student)
    submit_attempt(attempt=attempt)
    choice = quiz.questions.get(order=1).choices.first()
    reply = student_client.post(_q(attempt, 1), {"choice": choice.id}, **FETCH)
    assert reply.status_code == 409
    assert reply.json()["redirect"] == reverse("quizzes:result", args=[attempt.pk])
    assert not Response.objects.exists()


def test_autosave_of_another_students_attempt_is_404(client, student, other_student, quiz):
    attempt = start_attempt(quiz=quiz, learner=student)
    client.force_login(other_student)
    choice = quiz.questions.get(order=1).choices.first()
    assert client.post(_q(attempt, 1), {"choice": choice.id}, **FETCH).status_code == 404
    assert not Response.objects.exists()


def test_no_autosave_where_feedback_is_immediate(student_client, student):
    quiz = build_article_quiz(feedback=Quiz.Feedback.IMMEDIATE)
    attempt = start_attempt(quiz=quiz, learner=student)
    html = student_client.get(_q(attempt, 1)).text
    assert "data-autosave" not in html
    question = quiz.questions.get(order=1)
    save_answer(attempt=attempt, question=question, choice_ids=[question.choices.first().id])
    reply = student_client.post(_q(attempt, 1), {"choice": question.choices.last().id}, **FETCH)
    assert reply.status_code == 409 and reply.json()["saved"] is False


def test_autosave_query_count_does_not_grow_with_questions(client, student):
    client.force_login(student)
    small = build_article_quiz()
    large = build_article_quiz(lesson=small.lesson, title="Large")
    template = large.questions.get(order=1)
    for extra in range(30):
        template.pk, template.key, template.order = None, f"copy-{extra}", 10 + extra
        template.save()
    counts = []
    for quiz in (small, large):
        attempt = start_attempt(quiz=quiz, learner=student)
        choice = quiz.questions.get(order=1).choices.first()
        with CaptureQueriesContext(connection) as ctx:
            assert client.post(_q(attempt, 1), {"choice": choice.id}, **FETCH).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert large.questions.count() == 36
    assert counts[0] == counts[1], counts


# --- The deadline --------------------------------------------------------------------------


@pytest.fixture
def timed(student):
    quiz = build_article_quiz(time_limit_minutes=1)
    return start_attempt(quiz=quiz, learner=student)


def test_question_page_shows_the_deadline_without_javascript(student_client, timed):
    html = student_client.get(_q(timed, 1)).text
    assert f'datetime="{timed.deadline.isoformat()}"' in html
    assert re.search(r'data-remaining="(5\d|60)"', html)
    assert timezone.localtime(timed.deadline).strftime("%H:%M") in html


def test_a_late_answer_is_refused_and_the_result_shown(student_client, timed):
    Attempt.objects.filter(pk=timed.pk).update(deadline=timezone.now() - timedelta(seconds=1))
    choice = timed.quiz.questions.get(order=1).choices.get(correct=True)
    response = student_client.post(_q(timed, 1), {"choice": choice.id, "go": "next"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("quizzes:result", args=[timed.pk])
    assert "came too late and was not saved" in response.text
    assert "when time ran out" in response.text
    timed.refresh_from_db()
    assert timed.is_submitted and not timed.responses.exists()


def test_a_late_autosave_is_refused(student_client, timed):
    Attempt.objects.filter(pk=timed.pk).update(deadline=timezone.now() - timedelta(seconds=1))
    choice = timed.quiz.questions.get(order=1).choices.first()
    reply = student_client.post(_q(timed, 1), {"choice": choice.id}, **FETCH)
    assert reply.status_code == 409 and "too late" in reply.json()["error"]
    assert not Response.objects.exists()


# --- The result ------------------------------------------------------------------------------


def _answer_all_right(attempt):
    for q in attempt.quiz.questions.all():
        if q.kind == "matching":
            items = {c.id: c.source_id for c in q.choices.filter(correct=True)}
            save_answer(attempt=attempt, question=q, matches=items)
        else:
            save_answer(
                attempt=attempt,
                question=q,
                choice_ids=[c.id for c in q.choices.filter(correct=True)],
            )


def test_result_links_each_explanation_to_the_sentence_that_proves_it(
    student_client, student, quiz
):
    attempt = start_attempt(quiz=quiz, learner=student)
    _answer_all_right(attempt)
    submit_attempt(attempt=attempt)
    html = student_client.get(reverse("quizzes:result", args=[attempt.pk])).text
    lesson_url = _lesson_url(quiz.lesson)
    anchors = re.findall(rf'href="{re.escape(lesson_url)}#([^"]+)"', html)
    # Claim questions link to the claim; question 1 (evidence, no claim) to its sentence.
    assert anchors[0] == "section-confirms-s0"
    assert (
        "claim-mourning" in anchors
        and "claim-law-enforcement" in anchors
        and "claim-a-lot" in anchors
    )
    lesson_html = student_client.get(lesson_url).text
    for anchor in anchors:
        assert f'id="{anchor}"' in lesson_html, anchor
    assert "<meter" in html
    assert html.count("✓</span> Right") == quiz.questions.count()


def test_result_shows_the_history_of_attempts(student_client, student, quiz):
    first = start_attempt(quiz=quiz, learner=student)
    submit_attempt(attempt=first)
    second = start_attempt(quiz=quiz, learner=student)
    _answer_all_right(second)
    submit_attempt(attempt=second)
    html = student_client.get(reverse("quizzes:result", args=[second.pk])).text
    history = html[html.index('id="history-heading"') :]
    assert f'href="{reverse("quizzes:result", args=[first.pk])}"' in history
    assert "Attempt 2 (this one)" in history
    assert re.search(r"0%</td>\s*</tr>", history) and "100%" in history


def test_unanswered_matching_question_still_lists_its_statements(student_client, student, quiz):
    attempt = start_attempt(quiz=quiz, learner=student)
    submit_attempt(attempt=attempt)
    html = student_client.get(reverse("quizzes:result", args=[attempt.pk])).text
    assert "There were no U.S. deaths." in html


def test_no_page_carries_inline_style_or_script(student_client, student, quiz):
    attempt = start_attempt(quiz=quiz, learner=student)
    urls = [
        reverse("lessons:list"),
        _lesson_url(quiz.lesson),
        reverse("quizzes:start", args=[quiz.pk]),
    ]
    urls += [_q(attempt, n) for n in range(1, 7)]
    urls.append(reverse("quizzes:review", args=[attempt.pk]))
    pages = [student_client.get(u).text for u in urls]
    submit_attempt(attempt=attempt)
    pages.append(student_client.get(reverse("quizzes:result", args=[attempt.pk])).text)
    for html in pages:
        assert not re.search(r"\sstyle=", html)
        assert not re.search(r"<script(?![^>]*\ssrc=)", html)
        assert not re.search(r"\son[a-z]+=", html)


def test_json_of_the_key_never_reaches_the_question_page(student_client, student, quiz):
    attempt = start_attempt(quiz=quiz, learner=student)
    for n in range(1, 7):
        html = student_client.get(_q(attempt, n)).text
        assert "correct" not in html.lower()
        assert "explanation" not in html.lower()
        question = quiz.questions.get(order=n)
        assert question.explanation not in html


# --- The shipped lesson ----------------------------------------------------------------------


def test_every_question_of_the_shipped_lesson_links_to_a_sentence_on_its_lesson_page(
    student_client, student
):
    from io import StringIO
    from pathlib import Path

    from django.core.management import call_command

    from quizzes.results import review_rows

    bundle = (
        Path(__file__).resolve().parents[1]
        / "lessons"
        / "bundles"
        / "cuba-venezuela-casualties.json"
    )
    call_command("import_lesson", str(bundle), stdout=StringIO())
    lesson_html = None
    checked = 0
    for quiz in Quiz.objects.filter(lesson__slug="cuba-venezuela-casualties"):
        attempt = start_attempt(quiz=quiz, learner=student)
        if lesson_html is None:
            lesson_html = student_client.get(_lesson_url(quiz.lesson)).text
            # Every claim of the lesson is marked, with its anchor.
            for key in quiz.lesson.claims.values_list("key", flat=True):
                assert f'id="claim-{key}"' in lesson_html, key
        for row in review_rows(attempt):
            assert row.evidence_anchor, row.question.key
            assert f'id="{row.evidence_anchor}"' in lesson_html, (
                row.question.key,
                row.evidence_anchor,
            )
            checked += 1
    assert checked >= 40
