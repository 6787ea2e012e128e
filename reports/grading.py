"""The teacher's grade changes in the admin: override one response's credit (from the
drill-down into a learner's attempt, or the response's admin page) and re-grade every
response to a question after its key was fixed. `reports/admin.py` checks the object,
the scope and the permission (`quizzes.add_gradechange`) and calls these views; the
writes are `quizzes.regrading`'s."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from quizzes.grade_changes import REASON_MAX_LENGTH
from quizzes.models import GradeChange, Response
from quizzes.regrading import (
    GradeError,
    clean_reason,
    override_response,
    parse_points,
    regrade_preview,
    regrade_question,
)
from quizzes.results import review_rows


class OverrideForm(forms.Form):
    points = forms.CharField(
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    reason = forms.CharField(
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text="The student reads it on their result page.",
        error_messages={"required": "Say why you change this grade: the student will read it."},
    )

    def __init__(self, *args, max_points: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_points = max_points
        self.fields["points"].label = f"New points (0 to {max_points})"
        self.fields["points"].error_messages["required"] = f"Enter the points, 0 to {max_points}."

    @staticmethod
    def _refused(call, *args):
        try:
            return call(*args)
        except GradeError as e:
            raise forms.ValidationError(e.message, code=e.code) from None

    def clean_points(self):
        return self._refused(parse_points, self.cleaned_data["points"], self.max_points)

    def clean_reason(self):
        return self._refused(clean_reason, self.cleaned_data["reason"])


class RegradeForm(forms.Form):
    note = forms.CharField(
        required=False,
        max_length=REASON_MAX_LENGTH,
        label="Note for the audit and the students (optional)",
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text="Added to the reason “re-grade after key change”.",
    )


def drill_down_url(response: Response) -> str:
    attempt = response.attempt
    url = reverse("admin:quizzes_quiz_report_learner", args=[attempt.quiz_id, attempt.learner_id])
    return f"{url}?attempt={attempt.number}"


def override(request: HttpRequest, response: Response, admin_context: dict) -> HttpResponse:
    """GET: the response, its history and the form; POST: the override, then back to the
    drill-down. Refused input re-renders the form with its message; nothing is saved."""
    attempt, question = response.attempt, response.question
    form = OverrideForm(request.POST or None, max_points=question.points)
    refusal = None
    if not attempt.is_submitted:
        refusal = (
            "This attempt is still in progress: its grade can be changed once it is submitted."
        )
    if request.method == "POST" and form.is_valid() and refusal is None:
        try:
            change = override_response(
                response=response,
                user=request.user,
                points=form.cleaned_data["points"],
                reason=form.cleaned_data["reason"],
            )
        except GradeError as e:
            form.add_error(None, forms.ValidationError(e.message, code=e.code))
        else:
            messages.success(
                request,
                f"Grade changed: {change.points_before:g} → {change.points_after:g} of "
                f"{change.question_points} on “{question.prompt[:60]}”; the attempt now "
                "counts it.",
            )
            return HttpResponseRedirect(drill_down_url(response))
    rows = review_rows(attempt, only=question.pk)
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(
        request,
        "admin/reports/override.html",
        {
            **admin_context,
            "title": "Change a grade",
            "quiz": attempt.quiz,
            "response": response,
            "attempt": attempt,
            "question": question,
            "row": rows[0] if rows else None,
            "points_now": response.credit * question.points,
            "form": form,
            "refusal": refusal,
            "history": GradeChange.objects.filter(response=response).select_related("changed_by"),
            "back": drill_down_url(response),
        },
        status=status,
    )


def regrade(
    request: HttpRequest, quiz, question, learners, admin_context: dict, query: str = ""
) -> HttpResponse:
    """GET: the question's key and what a re-grade would change; POST: the re-grade of the
    responses of `learners` (the report's scope), then back to the item analysis."""
    form = RegradeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = regrade_question(
            question=question, user=request.user, learners=learners, note=form.cleaned_data["note"]
        )
        kept = f"; {result.kept} overridden by a teacher kept their grade" if result.kept else ""
        messages.success(
            request,
            f"Re-graded “{question.prompt[:60]}”: {result.changed} of {result.responses} "
            f"response{'s' if result.responses != 1 else ''} changed, "
            f"{len(result.attempts_rescored or [])} submitted attempt(s) rescored{kept}.",
        )
        url = reverse("admin:quizzes_quiz_report_page", args=[quiz.pk, "items"])
        return HttpResponseRedirect(f"{url}{'?' + query if query else ''}#item-{question.pk}")
    preview = regrade_preview(question, learners)
    changes = GradeChange.objects.filter(
        response__question=question, kind=GradeChange.Kind.REGRADE
    ).select_related("changed_by", "response__attempt__learner")
    if learners is not None:
        changes = changes.filter(response__attempt__learner_id__in=learners.values("id"))
    return TemplateResponse(
        request,
        "admin/reports/regrade.html",
        {
            **admin_context,
            "title": "Re-grade responses to this question",
            "quiz": quiz,
            "question": preview.question,
            "preview": preview,
            "form": form,
            "changes": list(changes[:50]),
        },
        status=400 if request.method == "POST" else 200,
    )
