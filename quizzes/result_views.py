"""The result page of a submitted attempt: the score first, then one line per question
(`quizzes/result_page.py`), the answers rendered once per version (`quizzes/cache.py`)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET

from . import scoring
from .cache import result_key
from .grade_changes import changes_shown
from .models import Attempt
from .result_page import SHOW_ALL, question_list
from .results import review_rows, skill_scores
from .review import review_for, review_notes
from .views import attempt_for_user


@login_required
@require_GET
def attempt_result(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = attempt_for_user(request, pk)
    if not attempt.is_submitted:
        return redirect("quizzes:attempt", pk=attempt.pk)
    history = list(
        Attempt.objects.submitted()
        .filter(quiz=attempt.quiz, learner=request.user)
        .order_by("number")
    )
    review = review_for(attempt, submitted=len(history))
    show = SHOW_ALL if request.GET.get("show") == SHOW_ALL else ""
    # Read only when the cached answers are not there (quizzes/cache.py).
    questions = SimpleLazyObject(lambda: question_list(review_rows(attempt), review, show))
    for a in history:
        a.quiz = attempt.quiz
        a.review = review if a.pk == attempt.pk else review_for(a, submitted=len(history))
    return render(
        request,
        "quizzes/result.html",
        {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "lesson": attempt.quiz.lesson,
            "review": review,
            "review_note": review_notes(attempt.quiz),
            "questions": questions,
            "answers_key": result_key(attempt, review, show),
            "subscores": skill_scores(attempt) if review.score else [],
            "grade_changes": changes_shown(attempt, review),
            "history": history,
            "weights": {
                "parent": f"{scoring.PARENT_OR_CHILD:.0%} of the credit",
                "side": f"{scoring.SAME_SIDE:.0%}",
            },
        },
    )
