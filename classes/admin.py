"""The teacher's classes, and everything in the admin that depends on them: results scoped
to a teacher's own students, and the quiz reports (filterable by class).

Scoping attempts and responses. Their admins are defined in `quizzes/admin.py`, which
knows nothing of classes (quizzes must not import classes). This module unregisters them
and registers subclasses that add the scoping, the same way it adds the report pages to
the quiz admin. `classes` comes after `quizzes` in INSTALLED_APPS, so autodiscovery has
registered the originals when this runs; the originals keep working unchanged without
this app.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from quizzes import reports
from quizzes.admin import AttemptAdmin, QuizAdmin, ResponseAdmin
from quizzes.models import Attempt, Question, Quiz, Response

from . import reports as class_reports
from .models import Assignment, Classroom


class NotFoundOutsideScope:
    """An object outside the user's scope is a 404, never a hint that it exists."""

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404("No such object, or not yours.")
        return obj


class ClassroomFilter(admin.SimpleListFilter):
    title = "class"
    parameter_name = "classroom"
    learner_path = "learner"

    def lookups(self, request, model_admin):
        return [(c.pk, c.name) for c in Classroom.objects.taught_by(request.user)]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        classroom = Classroom.objects.taught_by(request.user).filter(pk=self.value()).first()
        if classroom is None:
            return queryset.none()
        return queryset.filter(**{f"{self.learner_path}__in": classroom.students.values("id")})


class ResponseClassroomFilter(ClassroomFilter):
    learner_path = "attempt__learner"


def _learner_label(user):
    name = user.get_full_name()
    return f"{name} ({user.username})" if name else user.username


# --- classes ------------------------------------------------------------------------------


def _datetime_input(label):
    return forms.DateTimeInput(
        attrs={"type": "datetime-local", "aria-label": label}, format="%Y-%m-%dT%H:%M"
    )


class AssignmentForm(forms.ModelForm):
    """Plain inputs with their own names: the browser's date-time picker, no script needed,
    and each field named for a screen reader even in the inline table. (Declared here: the
    admin would otherwise make them split date and time fields.)"""

    opens_at = forms.DateTimeField(label="Opens at", widget=_datetime_input("Opens at"))
    due_at = forms.DateTimeField(label="Due at", widget=_datetime_input("Due at"))

    class Meta:
        model = Assignment
        fields = ["quiz", "opens_at", "due_at"]
        widgets = {"quiz": forms.Select(attrs={"aria-label": "Quiz"})}


class AssignmentFormSet(forms.BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["aria-label"] = "Remove this assignment"


class AssignmentInline(admin.TabularInline):
    model = Assignment
    form = AssignmentForm
    formset = AssignmentFormSet
    extra = 1
    fields = ["quiz", "opens_at", "due_at", "report"]
    readonly_fields = ["report"]

    @admin.display(description="results")
    def report(self, obj):
        if not obj.pk:
            return ""
        return format_html(
            '<a href="{}?classroom={}">Report for this class</a>',
            reverse("admin:quizzes_quiz_report", args=[obj.quiz_id]),
            obj.classroom_id,
        )


class ClassroomForm(forms.ModelForm):
    class Meta:
        model = Classroom
        fields = ["name", "teacher", "students"]
        help_texts = {
            "students": (
                "Students join with the class code. To take a student out of the class, "
                "untick them and save."
            ),
        }


@admin.register(Classroom)
class ClassroomAdmin(NotFoundOutsideScope, admin.ModelAdmin):
    form = ClassroomForm
    list_display = ["name", "teacher", "student_count", "code", "assignment_count"]
    search_fields = ["name"]
    readonly_fields = ["code", "join_instructions"]
    filter_horizontal = ["students"]
    inlines = [AssignmentInline]
    actions = ["regenerate_codes"]

    class Media:
        css = {"all": ["css/teacher.css"]}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .taught_by(request.user)
            .select_related("teacher")
            .annotate(
                student_total=Count("students", distinct=True),
                assignment_total=Count("assignments", distinct=True),
            )
        )

    def get_list_display(self, request):
        fields = list(super().get_list_display(request))
        if not request.user.is_superuser:
            fields.remove("teacher")
        return fields

    def get_fields(self, request, obj=None):
        fields = ["name", "teacher", "code", "join_instructions", "students"]
        if not request.user.is_superuser:
            fields.remove("teacher")
        if obj is None:
            fields = [f for f in fields if f not in ("code", "join_instructions", "students")]
        return fields

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "students" and not request.user.is_superuser:
            # A teacher only ever removes students here: a ticked list says it plainly.
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "students" in form.base_fields:
            users = get_user_model().objects.order_by("username")
            if request.user.is_superuser:
                qs = users.filter(is_staff=False)
            else:
                # A teacher chooses only among the class's own students (to remove one);
                # other accounts of the school stay private.
                qs = users.filter(pk__in=obj.students.values("id")) if obj else users.none()
            field = form.base_fields["students"]
            field.queryset = qs
            field.label_from_instance = _learner_label
        return form

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser:
            obj.teacher = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description="students", ordering="student_total")
    def student_count(self, obj):
        return obj.student_total

    @admin.display(description="assigned quizzes", ordering="assignment_total")
    def assignment_count(self, obj):
        return obj.assignment_total

    @admin.display(description="join code")
    def code(self, obj):
        return obj.display_code if obj and obj.pk else "—"

    @admin.display(description="how students join")
    def join_instructions(self, obj):
        if not obj or not obj.pk:
            return "Save the class to get its join code."
        return format_html(
            "New students sign up at <code>{}</code> with the code <strong>{}</strong> (or "
            "follow the link <code>{}</code>, which fills the code in); students who have an "
            "account join at <code>{}</code>. To stop the code working, use the action "
            "“Give the selected classes a new join code” in the list of classes.",
            reverse("classes:signup"),
            obj.display_code,
            obj.get_join_url(),
            reverse("classes:join"),
        )

    @admin.action(description="Give the selected classes a new join code", permissions=["change"])
    def regenerate_codes(self, request, queryset):
        for classroom in queryset:
            classroom.regenerate_join_code()
            self.message_user(
                request,
                f"“{classroom.name}” now has the join code {classroom.display_code}; "
                "the old code no longer works.",
                messages.SUCCESS,
            )


@admin.register(Assignment)
class AssignmentAdmin(NotFoundOutsideScope, admin.ModelAdmin):
    form = AssignmentForm
    fields = ["classroom", "quiz", "opens_at", "due_at"]
    list_display = ["quiz", "classroom", "opens_at", "due_at"]
    list_filter = ["classroom"]
    list_select_related = ["quiz", "classroom"]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(classroom__teacher=request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "classroom":
            kwargs["queryset"] = Classroom.objects.taught_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


# --- results, scoped ---------------------------------------------------------------------

admin.site.unregister(Attempt)
admin.site.unregister(Response)
admin.site.unregister(Quiz)


def _scoped(qs, user, path):
    learners = class_reports.visible_learners(user)
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


def _percent(value):
    return "—" if value is None else f"{value:.0f} %"


REPORT_PAGES = {
    "overview": "Overview",
    "learners": "Learners",
    "items": "Item analysis",
    "confusion": "Who students confuse",
}


@admin.register(Quiz)
class ReportingQuizAdmin(QuizAdmin):
    """The quiz admin with its reports."""

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
        if page not in REPORT_PAGES:
            raise Http404("No such report.")
        quiz = self.get_object(request, str(object_id))
        if quiz is None:
            raise Http404("No such quiz.")
        if not (
            self.has_view_or_change_permission(request, quiz)
            and request.user.has_perm("quizzes.view_attempt")
        ):
            raise PermissionDenied
        scope = class_reports.scope_for(request.user, request.GET.get("classroom"))
        context = getattr(self, f"_report_{page}")(request, quiz, scope)
        if not isinstance(context, dict):
            return context  # a CSV download
        base = reverse("admin:quizzes_quiz_report", args=[quiz.pk])
        context.update(
            {
                **self.admin_site.each_context(request),
                # The reports' tables need the page's whole width.
                "is_nav_sidebar_enabled": False,
                "opts": self.opts,
                "original": quiz,
                "quiz": quiz,
                "scope": scope,
                "page": page,
                "title": f"{REPORT_PAGES[page]}: {quiz.title}",
                "tabs": [
                    (key, label, base if key == "overview" else f"{base}{key}/")
                    for key, label in REPORT_PAGES.items()
                ],
                "counting_rule": (
                    "Each learner counts once, with their latest submitted attempt. "
                    "Attempts in progress are left out."
                ),
            }
        )
        return TemplateResponse(request, f"admin/classes/report_{page}.html", context)

    @staticmethod
    def _csv_name(quiz, scope, table):
        who = scope.classroom.name if scope.classroom else "all"
        return f"{quiz.key}-{who}-{table}"

    def _report_overview(self, request, quiz, scope):
        o = reports.overview(quiz, scope.learners)
        table = request.GET.get("csv")
        if table == "summary":
            return class_reports.csv_response(
                self._csv_name(quiz, scope, table),
                ["figure", "value"],
                class_reports.summary_rows(o),
            )
        if table == "histogram":
            return class_reports.csv_response(
                self._csv_name(quiz, scope, table),
                ["score band %", "learners (score)", "learners (attribution)"],
                class_reports.histogram_rows(o),
            )
        return {
            "overview": o,
            "bars": class_reports.histogram_bars(o.histogram),
            "attribution_bars": class_reports.histogram_bars(o.attribution_histogram),
        }

    def _report_learners(self, request, quiz, scope):
        rows = reports.learner_rows(quiz, scope.learners)
        skills = list(Question.Skill.choices)
        # With one class chosen, its assignment of this quiz (if any) says when it was due:
        # a learner whose first submission came after that is marked late.
        assignment = (
            Assignment.objects.filter(classroom=scope.classroom, quiz=quiz).first()
            if scope.classroom
            else None
        )
        due_at = assignment.due_at if assignment else None
        if request.GET.get("csv") == "learners":
            return class_reports.csv_response(
                self._csv_name(quiz, scope, "learners"),
                [
                    "name",
                    "username",
                    "attempts",
                    "best attempt",
                    "best %",
                    "best minutes",
                    "latest attempt",
                    "latest %",
                    "latest attribution %",
                    *[f"latest {label.lower()} %" for _, label in skills],
                    "latest minutes",
                    "first submitted",
                    "late",
                ],
                class_reports.learner_csv_rows(rows, skills, due_at),
            )
        done = {r.learner_id for r in rows}
        not_submitted = (
            [u for u in scope.classroom.students.order_by("username") if u.id not in done]
            if scope.classroom
            else []
        )
        # Formatted here, not with template filters: a class of 1,000 renders twice as fast.
        return {
            "rows": [
                {
                    "row": r,
                    "best": _percent(r.best_percent),
                    "latest": _percent(r.latest_percent),
                    "subscores": [_percent(r.subscore_percent(skill)) for skill, _ in skills],
                    "latest_minutes": f"{class_reports.minutes(r.latest_time):.1f}",
                    "late": bool(due_at and r.first_submitted_at > due_at),
                }
                for r in rows
            ],
            "skills": skills,
            "assignment": assignment,
            "not_submitted": not_submitted,
        }

    def _report_items(self, request, quiz, scope):
        analysis = reports.item_analysis(quiz, scope.learners)
        table = request.GET.get("csv")
        if table == "items":
            return class_reports.csv_response(
                self._csv_name(quiz, scope, table),
                [
                    "number",
                    "key",
                    "question",
                    "kind",
                    "skill",
                    "points",
                    "answered",
                    "facility",
                    "discrimination",
                    "flags",
                ],
                class_reports.item_csv_rows(analysis),
            )
        if table == "choices":
            return class_reports.csv_response(
                self._csv_name(quiz, scope, table),
                ["number", "question key", "choice", "correct", "picks", "% of learners"],
                class_reports.choice_csv_rows(analysis),
            )
        return {
            "analysis": analysis,
            "flagged": sum(1 for i in analysis.items if i.flags),
            "weak": reports.WEAK_DISCRIMINATION,
        }

    def _report_confusion(self, request, quiz, scope):
        result = reports.confusion_report(quiz, scope.learners)
        m = result.matrix
        if request.GET.get("csv") == "confusion":
            header, rows = class_reports.confusion_csv(m)
            return class_reports.csv_response(
                self._csv_name(quiz, scope, "confusion"), header, rows
            )
        cols = m.columns
        grid = []
        for t in m.rows:
            cells = []
            for c in cols:
                pct = m.row_percent(t, c)
                cells.append(
                    {
                        "true": t,
                        "chosen": c,
                        "count": m.cells.get((t, c), 0),
                        "percent": pct,
                        "shade": reports.shade(pct),
                        "diagonal": t == c,
                    }
                )
            grid.append({"source": m.sources[t], "id": t, "cells": cells, "total": m.row_total(t)})
        selected = None
        cell = request.GET.get("cell", "")
        if cell:
            try:
                t, c = (int(x) for x in cell.split("-"))
            except ValueError:
                raise Http404("No such cell.") from None
            behind = m.questions.get((t, c), {})
            selected = {
                "true": m.sources.get(t, "?"),
                "chosen": m.sources.get(c, "?"),
                "questions": [
                    {"question": result.questions[qid], "count": n}
                    for qid, n in sorted(behind.items(), key=lambda kv: -kv[1])
                ],
            }
        return {
            "columns": [{"id": c, "name": m.sources[c]} for c in cols],
            "grid": grid,
            "selected": selected,
        }
