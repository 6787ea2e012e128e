"""The admins of learners' work (attempts and responses, read-only), defined here and
registered by `reports/admin.py`, which scopes them to a teacher's students."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from .models import GradeChange, Response, Selection

AUDIT_FIELDS = [
    "changed_at",
    "kind",
    "changed_by",
    "points_before",
    "points_after",
    "question_points",
    "reason",
]


class SelectionInline(admin.TabularInline):
    model = Selection
    extra = 0
    readonly_fields = ["choice", "source"]
    can_delete = False


class ResponseInline(admin.TabularInline):
    model = Response
    extra = 0
    fields = ["question", "credit", "answered_at"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True


class AttemptAdmin(admin.ModelAdmin):
    # (the attempt's "late" mark shows in its read-only fields)
    list_display = [
        "learner",
        "quiz",
        "number",
        "started_at",
        "submitted_at",
        "percent",
        "attribution_percent",
    ]
    list_filter = ["quiz", ("submitted_at", admin.EmptyFieldListFilter)]
    search_fields = [
        "learner__username",
        "learner__first_name",
        "learner__last_name",
        "quiz__title",
    ]
    list_select_related = ["learner", "quiz"]
    readonly_fields = [
        "learner",
        "quiz",
        "number",
        "started_at",
        "deadline",
        "submitted_at",
        "late",
        "score",
        "max_score",
        "percent",
        "attribution_percent",
        "subscores",
        "layout",
    ]
    inlines = [ResponseInline]

    def has_add_permission(self, request):
        # Attempts are made by learners taking a quiz, not typed in.
        return False


class GradeChangeInline(admin.TabularInline):
    """A response's grade changes (the audit), read-only."""

    model = GradeChange
    extra = 0
    fields = AUDIT_FIELDS
    readonly_fields = fields
    can_delete = False
    verbose_name = "grade change"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ResponseAdmin(admin.ModelAdmin):
    list_display = ["attempt", "question", "credit", "answered_at"]
    list_filter = ["question__quiz", "question__skill"]
    search_fields = ["attempt__learner__username", "question__prompt"]
    list_select_related = ["attempt__learner", "attempt__quiz", "question"]
    readonly_fields = ["attempt", "question", "credit", "answered_at", "change_grade"]
    inlines = [SelectionInline, GradeChangeInline]

    def has_add_permission(self, request):
        return False

    @admin.display(description="grade")
    def change_grade(self, obj):
        if obj.pk is None or not obj.attempt.is_submitted:
            return "The attempt is in progress: its grade can change once it is submitted."
        return format_html(
            '<a href="{}">Change this grade</a>',
            reverse("admin:quizzes_response_override", args=[obj.pk]),
        )


class GradeChangeAdmin(admin.ModelAdmin):
    """The audit of grade changes (overrides and re-grades): read-only, never deleted.
    The writes are `quizzes.regrading`'s, from the override and re-grade pages."""

    list_display = ["changed_at", "learner", "question", "kind", "points", "changed_by", "reason"]
    list_filter = ["kind", "response__question__quiz"]
    search_fields = ["response__attempt__learner__username", "response__question__prompt"]
    list_select_related = ["response__attempt__learner", "response__question", "changed_by"]
    fields = ["response", *AUDIT_FIELDS]
    readonly_fields = fields

    @admin.display(description="learner", ordering="response__attempt__learner__username")
    def learner(self, obj):
        return obj.response.attempt.learner

    @admin.display(description="question")
    def question(self, obj):
        return obj.response.question.prompt[:80]

    @admin.display(description="points")
    def points(self, obj):
        return f"{obj.points_before:g} → {obj.points_after:g} of {obj.question_points}"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
