"""The teacher's workspace for results: the quiz admin with its report pages, and the
attempt and response admins scoped to a teacher's own students.

These three admins need both `quizzes` (what they show) and `classes` (whose results a
teacher may see), so they are registered here, once, on the classes that
`quizzes/admin.py` defines. Nothing is unregistered; the order of INSTALLED_APPS does
not matter."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path, reverse
from django.utils.html import format_html

from classes.admin import ClassroomFilter, NotFoundOutsideScope, ResponseClassroomFilter
from classes.models import Classroom
from lms.admin_actions import export_gift, export_moodle_xml
from quizzes.admin import QuizAdmin
from quizzes.models import Attempt, GradeChange, Question, Quiz, Response
from quizzes.results_admin import AttemptAdmin, GradeChangeAdmin, ResponseAdmin, ResponseInline

from . import grading, marking, views
from .scope import scope_for


def _scoped(qs, user, path):
    learners = Classroom.objects.visible_learners(user)
    if learners is None:
        return qs
    return qs.filter(**{f"{path}__in": learners.values("id")})


def _rounded(field: str, description: str, places: int, suffix: str = ""):
    """A column showing a stored float rounded (75.4 %, not 75.38461538461539)."""

    @admin.display(description=description, ordering=field)
    def show(self, obj):
        value = getattr(obj, field)
        return None if value is None else f"{value:.{places}f}{suffix}"

    show.__name__ = f"{field}_rounded"
    return show


class RoundedNumbers:
    """Swaps the float fields of `list_display` and `readonly_fields` for rounded ones."""

    ROUNDED: dict[str, str] = {}

    def _swap(self, fields):
        return [self.ROUNDED.get(f, f) if isinstance(f, str) else f for f in fields]

    def get_list_display(self, request):
        return self._swap(super().get_list_display(request))

    def get_readonly_fields(self, request, obj=None):
        return self._swap(super().get_readonly_fields(request, obj))

    def get_exclude(self, request, obj=None):
        # The raw fields stay out of the form, where the rounded ones replace them.
        return [*(super().get_exclude(request, obj) or []), *self.ROUNDED]


class RoundedResponseInline(ResponseInline):
    fields = ["question", "credit_rounded", "answered_at"]
    readonly_fields = fields
    credit_rounded = _rounded("credit", "credit", 2)


@admin.register(Attempt)
class ScopedAttemptAdmin(RoundedNumbers, NotFoundOutsideScope, AttemptAdmin):
    """A teacher sees the attempts of their own classes' students only."""

    list_filter = [ClassroomFilter, *AttemptAdmin.list_filter]
    inlines = [RoundedResponseInline]
    ROUNDED = {
        "score": "score_rounded",
        "max_score": "max_score_rounded",
        "percent": "percent_rounded",
        "attribution_percent": "attribution_percent_rounded",
    }
    score_rounded = _rounded("score", "score", 2)
    max_score_rounded = _rounded("max_score", "max score", 2)
    percent_rounded = _rounded("percent", "percent", 1, " %")
    attribution_percent_rounded = _rounded("attribution_percent", "attribution", 1, " %")

    def get_queryset(self, request):
        return _scoped(super().get_queryset(request), request.user, "learner")


@admin.register(Response)
class ScopedResponseAdmin(RoundedNumbers, NotFoundOutsideScope, ResponseAdmin):
    list_filter = [ResponseClassroomFilter, *ResponseAdmin.list_filter]
    ROUNDED = {"credit": "credit_rounded"}
    credit_rounded = _rounded("credit", "credit", 2)

    def get_queryset(self, request):
        return _scoped(super().get_queryset(request), request.user, "attempt__learner")

    def get_urls(self):
        return [
            path(
                "<int:object_id>/override/",
                self.admin_site.admin_view(self.override_view),
                name="quizzes_response_override",
            ),
            path(
                "marking/",
                self.admin_site.admin_view(self.marking_view),
                name="quizzes_response_marking",
            ),
            *super().get_urls(),
        ]

    def marking_view(self, request):
        """The marking queue (`reports/marking.py`): teachers mark written answers."""
        if not request.user.has_perm("quizzes.mark_response"):
            raise PermissionDenied
        context = {**self.admin_site.each_context(request), "opts": self.opts}
        return marking.marking_queue(request, context)

    def override_view(self, request, object_id):
        """A response outside the teacher's students is a 404 (`get_object`, scoped); a
        user without the grade-change permission a 403."""
        response = self.get_object(request, str(object_id))
        if not request.user.has_perm("quizzes.add_gradechange"):
            raise PermissionDenied
        response = (
            Response.objects.select_related("attempt__quiz", "attempt__learner", "question")
            .filter(pk=response.pk)
            .get()
        )
        context = {**self.admin_site.each_context(request), "opts": self.opts}
        return grading.override(request, response, context)


@admin.register(GradeChange)
class ScopedGradeChangeAdmin(NotFoundOutsideScope, GradeChangeAdmin):
    """The audit of grade changes: a teacher sees those of their own students."""

    def get_queryset(self, request):
        return _scoped(super().get_queryset(request), request.user, "response__attempt__learner")


@admin.register(Quiz)
class ReportingQuizAdmin(QuizAdmin):
    """The quiz admin with its reports (one view per page, in `reports/views.py`) and
    the exports to an LMS (`lms/`)."""

    actions = [*QuizAdmin.actions, export_moodle_xml, export_gift]

    @admin.display(description="")
    def tools(self, obj):
        return format_html(
            '<a href="{}">Preview</a> · <a href="{}">Reports</a>',
            reverse("admin:quizzes_quiz_preview", args=[obj.pk]),
            reverse("admin:quizzes_quiz_report", args=[obj.pk]),
        )

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:object_id>/report/",
                view(self.report_view),
                {"page": "overview"},
                name="quizzes_quiz_report",
            ),
            path(
                "<int:object_id>/report/learner/<int:learner_id>/",
                view(self.learner_view),
                name="quizzes_quiz_report_learner",
            ),
            path(
                "<int:object_id>/regrade/<int:question_id>/",
                view(self.regrade_view),
                name="quizzes_quiz_regrade",
            ),
            path(
                "<int:object_id>/report/<slug:page>/",
                view(self.report_view),
                name="quizzes_quiz_report_page",
            ),
            *super().get_urls(),
        ]

    def _report(self, request, object_id) -> views.Report:
        """Check the quiz, the permissions and the class."""
        quiz = self.get_object(request, str(object_id))
        if quiz is None:
            raise Http404("No such quiz.")
        if not (
            self.has_view_or_change_permission(request, quiz)
            and request.user.has_perm("quizzes.view_attempt")
        ):
            raise PermissionDenied
        return views.Report(
            quiz=quiz,
            scope=scope_for(request.user, request.GET.get("classroom")),
            admin_context={
                **self.admin_site.each_context(request),
                # The reports' tables need the page's whole width.
                "is_nav_sidebar_enabled": False,
                "opts": self.opts,
                "original": quiz,
            },
        )

    def report_view(self, request, object_id, page):
        """Check the page, then the rest (`_report`); the page's own view does the rest."""
        if page not in views.PAGES:
            raise Http404("No such report.")
        report = self._report(request, object_id)
        _, page_view = views.PAGES[page]
        return page_view(request, report)

    def learner_view(self, request, object_id, learner_id):
        """One learner's attempt: a learner outside the teacher's classes (or the chosen
        class) is a 404, whether they exist or not."""
        report = self._report(request, object_id)
        members = report.scope.members()
        learners = get_user_model().objects.all() if members is None else members
        learner = learners.filter(pk=learner_id).first()
        if learner is None:
            raise Http404("No such learner.")
        return views.learner(request, report, learner)

    def regrade_view(self, request, object_id, question_id):
        """Re-grade one question's responses, those of the learners the report covers
        (the teacher's classes, or the one chosen); a question of another quiz is a 404,
        a user without the grade-change permission a 403."""
        report = self._report(request, object_id)
        if not request.user.has_perm("quizzes.add_gradechange"):
            raise PermissionDenied
        question = Question.objects.filter(quiz=report.quiz, pk=question_id).first()
        if question is None:
            raise Http404("No such question in this quiz.")
        return grading.regrade(
            request,
            report.quiz,
            question,
            report.scope.learners,
            report.admin_context,
            query=report.scope.query,
        )
