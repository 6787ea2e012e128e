"""The teacher's workspace for results: the quiz admin with its report pages, and the
attempt and response admins scoped to a teacher's own students.

These three admins need both `quizzes` (what they show) and `classes` (whose results a
teacher may see), so they are registered here, once, on the classes that
`quizzes/admin.py` defines. Nothing is unregistered; the order of INSTALLED_APPS does
not matter."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path, reverse
from django.utils.html import format_html

from classes.admin import ClassroomFilter, NotFoundOutsideScope, ResponseClassroomFilter
from classes.models import Classroom
from lms.admin_actions import export_gift, export_moodle_xml
from quizzes.admin import QuizAdmin
from quizzes.models import Attempt, Quiz, Response
from quizzes.results_admin import AttemptAdmin, ResponseAdmin

from . import views
from .scope import scope_for


def _scoped(qs, user, path):
    learners = Classroom.objects.visible_learners(user)
    if learners is None:
        return qs
    return qs.filter(**{f"{path}__in": learners.values("id")})


@admin.register(Attempt)
class ScopedAttemptAdmin(NotFoundOutsideScope, AttemptAdmin):
    """A teacher sees the attempts of their own classes' students only."""

    list_filter = [ClassroomFilter, *AttemptAdmin.list_filter]

    def get_queryset(self, request):
        return _scoped(super().get_queryset(request), request.user, "learner")


@admin.register(Response)
class ScopedResponseAdmin(NotFoundOutsideScope, ResponseAdmin):
    list_filter = [ResponseClassroomFilter, *ResponseAdmin.list_filter]

    def get_queryset(self, request):
        return _scoped(super().get_queryset(request), request.user, "attempt__learner")


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
                "<int:object_id>/report/<slug:page>/",
                view(self.report_view),
                name="quizzes_quiz_report_page",
            ),
            *super().get_urls(),
        ]

    def report_view(self, request, object_id, page):
        """Check the page, the quiz, the permissions and the class; the page's own view
        does the rest."""
        if page not in views.PAGES:
            raise Http404("No such report.")
        quiz = self.get_object(request, str(object_id))
        if quiz is None:
            raise Http404("No such quiz.")
        if not (
            self.has_view_or_change_permission(request, quiz)
            and request.user.has_perm("quizzes.view_attempt")
        ):
            raise PermissionDenied
        report = views.Report(
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
        _, page_view = views.PAGES[page]
        return page_view(request, report)
