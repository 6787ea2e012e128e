from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

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


def _get_attempt_for_user(request: HttpRequest, pk: int) -> Attempt:
    # Another learner's attempt is a 404, not a 403: nobody learns that it exists.
    attempt = get_object_or_404(
        Attempt.objects.select_related("quiz__lesson"), pk=pk, learner=request.user
    )
    return close_if_overdue(attempt)


def _question_url(attempt: Attempt, number: int) -> str:
    return reverse("quizzes:question", args=[attempt.pk, number])


@login_required
@require_GET
def quiz_start(request: HttpRequest, pk: int) -> HttpResponse:
    quiz = get_object_or_404(Quiz.objects.published().select_related("lesson"), pk=pk)
    attempts = [close_if_overdue(a) for a in Attempt.objects.filter(quiz=quiz, learner=request.user)]
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
    attempt = _get_attempt_for_user(request, pk)
    if attempt.is_submitted:
        messages.info(request, "This attempt is submitted; here is your result.")
        return redirect("quizzes:result", pk=attempt.pk)
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

    if request.method == "POST" and not locked:
        form = AnswerForm(request.POST, question=question, choices=choices)
        if form.is_valid():
            choice_ids, matches = form.answer()
            try:
                if choice_ids:
                    save_answer(attempt=attempt, question=question, choice_ids=choice_ids, matches=matches)
            except AttemptClosed as e:
                messages.error(request, e.message)
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
            "feedback": row,
        },
        status=status,
    )


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
    history = Attempt.objects.submitted().filter(quiz=attempt.quiz, learner=request.user).order_by("number")
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
        },
    )

