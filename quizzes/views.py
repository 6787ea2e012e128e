from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lessons.dates import show
from lessons.gate import gate
from lessons.http import is_fetch

from .attempts import (
    UNPUBLISHED,
    AnswerLocked,
    AttemptClosed,
    AttemptError,
    InvalidAnswer,
    attempts_left,
    close_if_overdue,
    save_answer,
    start_attempt,
    submit_attempt,
)
from .forms import AnswerForm
from .models import Attempt
from .results import QuestionAt, question_at, review_rows, written_text
from .review import review_for


def attempt_for_user(request: HttpRequest, pk: int, related: str = "quiz__lesson") -> Attempt:
    # Another learner's attempt is a 404, not a 403: nobody learns that it exists.
    attempts = Attempt.objects.select_related(related).with_quiz_visibility()
    attempt = get_object_or_404(attempts.with_content_versions(), pk=pk, learner=request.user)
    return close_if_overdue(attempt)


def _unavailable(request: HttpRequest, attempt: Attempt) -> HttpResponse:
    """The quiz was unpublished while the attempt was in progress: say so, change nothing."""
    if is_fetch(request):
        return _fetch_reply(409, saved=False, code="unpublished", error=UNPUBLISHED)
    return render(
        request,
        "quizzes/unavailable.html",
        {"attempt": attempt, "quiz": attempt.quiz, "message": UNPUBLISHED},
        status=403,
    )


def _question_url(attempt: Attempt, number: int) -> str:
    return reverse("quizzes:question", args=[attempt.pk, number])


def _ran_out(attempt: Attempt) -> bool:
    """Submitted because its time ran out (its deadline or the quiz's closing time), not
    by the learner."""
    ends = attempt.ends_at
    return bool(ends and attempt.submitted_at and attempt.submitted_at >= ends)


def _closed_message(attempt: Attempt, posted: bool) -> str:
    if _ran_out(attempt):
        when = show(attempt.ends_at)
        if posted:
            return (
                f"Time ran out at {when}: that answer came too late and was not saved. "
                "The attempt was submitted as it stood; here is your result."
            )
        return (
            f"Time ran out at {when}; the attempt was submitted as it stood. Here is your result."
        )
    return "This attempt is submitted; here is your result."


def _seconds_left(attempt: Attempt) -> int | None:
    """For the countdown, which counts from the server's figure, not the browser's clock."""
    ends = attempt.ends_at
    if ends is None:
        return None
    return max(0, int((ends - timezone.now()).total_seconds()))


def _fetch_reply(status: int, **data) -> JsonResponse:
    return JsonResponse(data, status=status)


@login_required
@require_GET
def quiz_start(request: HttpRequest, pk: int) -> HttpResponse:
    # A quiz the learner may not see (not assigned to their classes) is a 404.
    quiz = get_object_or_404(gate().quizzes_for(request.user).select_related("lesson"), pk=pk)
    attempts = list(Attempt.objects.filter(quiz=quiz, learner=request.user))
    for a in attempts:
        a.quiz = quiz  # loaded already: spare a query per attempt
    attempts = [close_if_overdue(a) for a in attempts]
    current = next((a for a in attempts if not a.is_submitted), None)
    used = max((a.number for a in attempts), default=0)
    submitted = [a for a in attempts if a.is_submitted]
    for a in submitted:
        a.review = review_for(a, submitted=len(submitted))
    access, limit = gate().quiz_access(request.user, quiz), quiz.time_limit_minutes
    return render(
        request,
        "quizzes/quiz_start.html",
        {
            "quiz": quiz,
            "lesson": quiz.lesson,
            "question_count": quiz.questions.count(),
            "attempts": submitted,
            "current": current,
            "attempts_left": attempts_left(quiz, used, access.extra_attempts),
            "is_open": quiz.is_open(),
            "access": access,
            "minutes_allowed": limit and access.minutes_allowed(limit),
        },
    )


@login_required
@require_POST
def attempt_start(request: HttpRequest, pk: int) -> HttpResponse:
    quiz = get_object_or_404(gate().quizzes_for(request.user).select_related("lesson"), pk=pk)
    try:
        attempt = start_attempt(quiz=quiz, learner=request.user)
    except AttemptError as e:
        messages.error(request, e.message)
        return redirect("quizzes:start", pk=quiz.pk)
    return redirect("quizzes:attempt", pk=attempt.pk)


@login_required
@require_GET
def attempt_resume(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = attempt_for_user(request, pk)
    if attempt.is_submitted:
        return redirect("quizzes:result", pk=attempt.pk)
    ids = attempt.question_ids()
    answered = set(attempt.responses.values_list("question_id", flat=True))
    number = next((i for i, qid in enumerate(ids, start=1) if qid not in answered), None)
    if number is None:
        return redirect("quizzes:review", pk=attempt.pk)
    return redirect(_question_url(attempt, number))


@login_required
@require_http_methods(["GET", "POST"])
def attempt_question(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """One question of an attempt, at one address: GET shows it, a form post saves the
    answer and moves on, the autosave script's post saves it and replies in JSON."""
    if request.method == "GET":
        return question_page(request, pk, number)
    if is_fetch(request):
        return answer_autosave(request, pk, number)
    return answer_save(request, pk, number)


def question_page(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    attempt = attempt_for_user(request, pk, related="quiz")
    if attempt.is_submitted:
        return _to_result(request, attempt, posted=False)
    if not attempt.quiz_visible:
        return _unavailable(request, attempt)
    at = _question_at(attempt, number)
    answers = attempt.answers_so_far()
    picks = answers.get(at.question.id)
    text = written_text(attempt, at.question) if picks is not None else ""
    form = AnswerForm(question=at.question, choices=at.choices, picks=picks, text=text)
    return _render_question(request, at, form, answers)


def answer_save(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """Save the posted answer (without JavaScript) and go where the button says."""
    attempt = attempt_for_user(request, pk, related="quiz")
    if attempt.is_submitted:
        return _to_result(request, attempt, posted=True)
    if not attempt.quiz_visible:
        return _unavailable(request, attempt)
    at = _question_at(attempt, number)
    # A plain save needs no earlier answer (save_answer replaces it): only an answer
    # whose feedback was shown (which stays fixed) is looked up.
    answers = attempt.answers_so_far() if at.immediate else None
    go = request.POST.get("go")
    if answers is not None and at.question.id in answers:
        return redirect(_next_url(at, go))  # fixed: the buttons only move on
    form = AnswerForm(request.POST, question=at.question, choices=at.choices)
    if form.is_valid():
        choice_ids, matches = form.answer()
        text = form.written()
        try:
            if choice_ids or text:
                save_answer(
                    attempt=attempt,
                    question=at.question,
                    text=text,
                    choice_ids=choice_ids,
                    matches=matches,
                    autosaved=request.POST.get("autosaved") == "1",  # the script's hint
                )
        except AnswerLocked:
            # A second post of the same answer (a double click) arrived while the first
            # was saved: the answer and its feedback stand; show them.
            return redirect(_question_url(attempt, number))
        except AttemptClosed as e:
            if e.code == "unpublished":
                return _unavailable(request, attempt)
            attempt.refresh_from_db()
            closed = _closed_message(attempt, posted=True)
            messages.error(request, closed if attempt.is_submitted else e.message)
            return redirect("quizzes:attempt", pk=attempt.pk)
        except InvalidAnswer as e:
            form.add_error(None, e.message)
        else:
            if at.immediate and (choice_ids or text):
                return redirect(_question_url(attempt, number))  # to show its feedback
            return redirect(_next_url(at, go))
    return _render_question(request, at, form, answers, status=400)


def answer_autosave(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """Save the answer sent in the background as the learner chooses. The reply says only
    whether it was saved (with a code when not): never whether it is right."""
    attempt = attempt_for_user(request, pk, related="quiz")
    if attempt.is_submitted:
        return _closed_reply(attempt)
    if not attempt.quiz_visible:
        return _unavailable(request, attempt)
    at = _question_at(attempt, number)
    if at.immediate and at.question.id in attempt.answers_so_far():
        return _fetch_reply(
            409,
            saved=False,
            code=AnswerLocked.code,
            error="This answer is fixed: its feedback was shown.",
        )
    form = AnswerForm(request.POST, question=at.question, choices=at.choices)
    if not form.is_valid():
        errors = [e for field_errors in form.errors.values() for e in field_errors]
        return _fetch_reply(400, saved=False, code=InvalidAnswer.code, error=" ".join(errors))
    choice_ids, matches = form.answer()
    text = form.written()
    if not (choice_ids or text):
        # Answers are replaced, never cleared (as without JavaScript): say so.
        return _fetch_reply(
            200,
            saved=False,
            answered=attempt.responses.count(),
            note=(
                "Nothing is chosen, so nothing was saved; "
                "an earlier answer stays until you choose another."
            ),
        )
    try:
        save_answer(attempt=attempt, question=at.question, text=text, **form.picks())
    except AttemptClosed as e:
        attempt.refresh_from_db()
        if attempt.is_submitted:
            return _closed_reply(attempt)
        return _fetch_reply(409, saved=False, code=e.code, error=e.message)
    except InvalidAnswer as e:
        return _fetch_reply(400, saved=False, code=e.code, error=e.message)
    except AnswerLocked as e:
        return _fetch_reply(409, saved=False, code=e.code, error=e.message)
    # Saved, and nothing more: whether it is right is the review's to say, after the
    # attempt (`review_for` shows nothing of an attempt in progress without immediate
    # feedback, and the script saves only without it).
    return _fetch_reply(200, saved=True, answered=attempt.responses.count())


def _question_at(attempt: Attempt, number: int) -> QuestionAt:
    at = question_at(attempt, number)
    if at is None:
        raise Http404("No such question in this attempt.")
    return at


def _render_question(request, at: QuestionAt, form, answers, status: int = 200) -> HttpResponse:
    """`answers`: the learner's answers so far, or None when the request did not need
    them (a plain save), which counts them instead."""
    attempt, question = at.attempt, at.question
    picks = answers.get(question.id) if answers is not None else None
    locked = at.immediate and picks is not None
    review = review_for(attempt) if locked else None
    if locked:
        form.lock()
    return render(
        request,
        "quizzes/question.html",
        {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "question": question,
            "form": form,
            "number": at.number,
            "total": at.total,
            "answered": len(answers) if answers is not None else attempt.responses.count(),
            "is_answered": picks is not None,
            "review": review,
            "feedback": review_rows(attempt, only=question.id)[0] if locked else None,
            "autosave": not at.immediate,
            "remaining": _seconds_left(attempt),
        },
        status=status,
    )


def _to_result(request: HttpRequest, attempt: Attempt, posted: bool) -> HttpResponse:
    messages.info(request, _closed_message(attempt, posted=posted))
    return redirect("quizzes:result", pk=attempt.pk)


def _closed_reply(attempt: Attempt) -> JsonResponse:
    return _fetch_reply(
        409,
        saved=False,
        code="time_up" if _ran_out(attempt) else "submitted",
        error=_closed_message(attempt, posted=True),
        redirect=reverse("quizzes:result", args=[attempt.pk]),
    )


def _next_url(at: QuestionAt, go: str | None) -> str:
    attempt, number = at.attempt, at.number
    if go == "prev" and number > 1:
        return _question_url(attempt, number - 1)
    if go == "review" or (go != "prev" and number >= at.total):
        return reverse("quizzes:review", args=[attempt.pk])
    if go == "prev":
        return _question_url(attempt, number)
    return _question_url(attempt, number + 1)


@login_required
@require_GET
def attempt_review(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = attempt_for_user(request, pk)
    if attempt.is_submitted:
        return redirect("quizzes:result", pk=attempt.pk)
    ids = attempt.question_ids()
    prompts = dict(attempt.quiz.questions.filter(pk__in=ids).values_list("id", "prompt"))
    answered = set(attempt.responses.values_list("question_id", flat=True))
    items = [
        {"number": n, "prompt": prompts[qid], "answered": qid in answered}
        for n, qid in enumerate(ids, start=1)
        if qid in prompts
    ]
    return render(
        request,
        "quizzes/review.html",
        {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "items": items,
            "unanswered": [i for i in items if not i["answered"]],
            "answered_count": sum(1 for i in items if i["answered"]),
            "remaining": _seconds_left(attempt),
        },
    )


@login_required
@require_POST
def attempt_submit(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = attempt_for_user(request, pk)
    submit_attempt(attempt=attempt)
    return redirect("quizzes:result", pk=attempt.pk)
