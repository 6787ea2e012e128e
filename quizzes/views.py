from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import scoring
from .attempts import (
    AttemptClosed,
    AttemptError,
    InvalidAnswer,
    attempts_left,
    close_if_overdue,
    questions_with_key,
    save_answer,
    start_attempt,
    submit_attempt,
)
from .forms import AnswerForm
from .models import Attempt, Quiz
from .results import answers_so_far, ordered_choices, question_ids, review_rows, skill_scores


def _get_attempt_for_user(request: HttpRequest, pk: int, related: str = "quiz__lesson") -> Attempt:
    # Another learner's attempt is a 404, not a 403: nobody learns that it exists.
    attempt = get_object_or_404(
        Attempt.objects.select_related(related), pk=pk, learner=request.user
    )
    return close_if_overdue(attempt)


def _question_url(attempt: Attempt, number: int) -> str:
    return reverse("quizzes:question", args=[attempt.pk, number])


def _is_fetch(request: HttpRequest) -> bool:
    # The autosave script asks for JSON; a plain form post gets pages and redirects.
    return request.headers.get("X-Requested-With") == "fetch"


def _closed_message(attempt: Attempt, posted: bool) -> str:
    if attempt.deadline and attempt.submitted_at and attempt.submitted_at >= attempt.deadline:
        when = timezone.localtime(attempt.deadline).strftime("%H:%M")
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
    if attempt.deadline is None:
        return None
    return max(0, int((attempt.deadline - timezone.now()).total_seconds()))


def _fetch_reply(status: int, **data) -> JsonResponse:
    return JsonResponse(data, status=status)


@login_required
@require_GET
def quiz_start(request: HttpRequest, pk: int) -> HttpResponse:
    quiz = get_object_or_404(Quiz.objects.published().select_related("lesson"), pk=pk)
    attempts = [
        close_if_overdue(a) for a in Attempt.objects.filter(quiz=quiz, learner=request.user)
    ]
    current = next((a for a in attempts if not a.is_submitted), None)
    used = max((a.number for a in attempts), default=0)
    return render(
        request,
        "quizzes/quiz_start.html",
        {
            "quiz": quiz,
            "lesson": quiz.lesson,
            "question_count": quiz.questions.count(),
            "attempts": [a for a in attempts if a.is_submitted],
            "current": current,
            "attempts_left": attempts_left(quiz, used),
            "is_open": quiz.is_open(),
        },
    )


@login_required
@require_POST
def attempt_start(request: HttpRequest, pk: int) -> HttpResponse:
    quiz = get_object_or_404(Quiz.objects.published().select_related("lesson"), pk=pk)
    try:
        attempt = start_attempt(quiz=quiz, learner=request.user)
    except AttemptError as e:
        messages.error(request, e.message)
        return redirect("quizzes:start", pk=quiz.pk)
    return redirect("quizzes:attempt", pk=attempt.pk)


@login_required
@require_GET
def attempt_resume(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = _get_attempt_for_user(request, pk)
    if attempt.is_submitted:
        return redirect("quizzes:result", pk=attempt.pk)
    ids = question_ids(attempt)
    answered = set(attempt.responses.values_list("question_id", flat=True))
    number = next((i for i, qid in enumerate(ids, start=1) if qid not in answered), None)
    if number is None:
        return redirect("quizzes:review", pk=attempt.pk)
    return redirect(_question_url(attempt, number))


@login_required
@require_http_methods(["GET", "POST"])
def attempt_question(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    # The page and the save run on every click and never show the lesson: no lesson join.
    attempt = _get_attempt_for_user(request, pk, related="quiz")
    fetch = request.method == "POST" and _is_fetch(request)
    if attempt.is_submitted:
        message = _closed_message(attempt, posted=request.method == "POST")
        result_url = reverse("quizzes:result", args=[attempt.pk])
        if fetch:
            return _fetch_reply(409, saved=False, error=message, redirect=result_url)
        messages.info(request, message)
        return redirect(result_url)
    ids = question_ids(attempt)
    if not 1 <= number <= len(ids):
        raise Http404("No such question in this attempt.")
    found = questions_with_key([ids[number - 1]], with_evidence=False)
    if not found:
        raise Http404("This question has been removed from the quiz.")
    question = found[0]
    choices = ordered_choices(attempt, question)
    immediate = attempt.quiz.feedback == Quiz.Feedback.IMMEDIATE
    # A plain save needs no earlier answer (save_answer replaces it), so a POST skips this.
    answers = answers_so_far(attempt) if request.method == "GET" or immediate else None
    picks = answers.get(question.id) if answers is not None else None
    locked = immediate and picks is not None
    status = 200

    if fetch:
        return _autosave(request, attempt, question, choices, locked)
    if request.method == "POST" and not locked:
        form = AnswerForm(request.POST, question=question, choices=choices)
        if form.is_valid():
            choice_ids, matches = form.answer()
            try:
                if choice_ids:
                    save_answer(
                        attempt=attempt, question=question, choice_ids=choice_ids, matches=matches
                    )
            except AttemptClosed as e:
                attempt.refresh_from_db()
                closed = _closed_message(attempt, posted=True)
                messages.error(request, closed if attempt.is_submitted else e.message)
                return redirect("quizzes:attempt", pk=attempt.pk)
            except InvalidAnswer as e:
                form.add_error(None, e.message)
                status = 400
            else:
                if immediate and choice_ids:
                    return redirect(_question_url(attempt, number))
                return redirect(_next_url(attempt, number, len(ids), request.POST.get("go")))
        else:
            status = 400
    elif request.method == "POST":
        # Answered with feedback shown: the answer is fixed, the buttons only move on.
        return redirect(_next_url(attempt, number, len(ids), request.POST.get("go")))
    else:
        initial = {}
        if picks:
            if question.kind == question.Kind.MATCHING:
                initial = {f"match-{choice}": str(source) for choice, source in picks}
            elif question.kind == question.Kind.MULTIPLE:
                initial = {"choice": [str(choice) for choice, _ in picks]}
            else:
                initial = {"choice": str(picks[0][0])}
        form = AnswerForm(initial=initial, question=question, choices=choices)

    row = review_rows(attempt, only=question.id)[0] if locked else None
    return render(
        request,
        "quizzes/question.html",
        {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "question": question,
            "form": form,
            "number": number,
            "total": len(ids),
            "answered": len(answers) if answers is not None else attempt.responses.count(),
            "is_answered": picks is not None,
            "feedback": row,
            "autosave": not immediate,
            "remaining": _seconds_left(attempt),
        },
        status=status,
    )


def _autosave(request, attempt, question, choices, locked) -> HttpResponse:
    """Save the answer sent in the background as the learner chooses. The reply says only
    whether it was saved: never whether it is right."""
    if locked:
        return _fetch_reply(409, saved=False, error="This answer is fixed: its feedback was shown.")
    form = AnswerForm(request.POST, question=question, choices=choices)
    if not form.is_valid():
        errors = [e for field_errors in form.errors.values() for e in field_errors]
        return _fetch_reply(400, saved=False, error=" ".join(errors))
    choice_ids, matches = form.answer()
    if not choice_ids:
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
        save_answer(attempt=attempt, question=question, choice_ids=choice_ids, matches=matches)
    except AttemptClosed as e:
        attempt.refresh_from_db()
        if not attempt.is_submitted:
            return _fetch_reply(409, saved=False, error=e.message)
        return _fetch_reply(
            409,
            saved=False,
            error=_closed_message(attempt, posted=True),
            redirect=reverse("quizzes:result", args=[attempt.pk]),
        )
    except InvalidAnswer as e:
        return _fetch_reply(400, saved=False, error=e.message)
    return _fetch_reply(200, saved=True, answered=attempt.responses.count())


def _next_url(attempt: Attempt, number: int, total: int, go: str | None) -> str:
    if go == "prev" and number > 1:
        return _question_url(attempt, number - 1)
    if go == "review" or (go != "prev" and number >= total):
        return reverse("quizzes:review", args=[attempt.pk])
    if go == "prev":
        return _question_url(attempt, number)
    return _question_url(attempt, number + 1)


@login_required
@require_GET
def attempt_review(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = _get_attempt_for_user(request, pk)
    if attempt.is_submitted:
        return redirect("quizzes:result", pk=attempt.pk)
    ids = question_ids(attempt)
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
    attempt = _get_attempt_for_user(request, pk)
    submit_attempt(attempt=attempt)
    return redirect("quizzes:result", pk=attempt.pk)


@login_required
@require_GET
def attempt_result(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = _get_attempt_for_user(request, pk)
    if not attempt.is_submitted:
        return redirect("quizzes:attempt", pk=attempt.pk)
    history = (
        Attempt.objects.submitted()
        .filter(quiz=attempt.quiz, learner=request.user)
        .order_by("number")
    )
    return render(
        request,
        "quizzes/result.html",
        {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "lesson": attempt.quiz.lesson,
            "rows": review_rows(attempt),
            "subscores": skill_scores(attempt),
            "history": history,
            "weights": {
                "parent": f"{scoring.PARENT_OR_CHILD:.0%} of the credit",
                "side": f"{scoring.SAME_SIDE:.0%}",
            },
        },
    )
