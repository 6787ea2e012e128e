"""The admins of learners' work (attempts and responses, read-only), defined here and
registered by `reports/admin.py`, which scopes them to a teacher's students."""

from django.contrib import admin

from .models import Response, Selection


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


class ResponseAdmin(admin.ModelAdmin):
    list_display = ["attempt", "question", "credit", "answered_at"]
    list_filter = ["question__quiz", "question__skill"]
    search_fields = ["attempt__learner__username", "question__prompt"]
    list_select_related = ["attempt__learner", "attempt__quiz", "question"]
    readonly_fields = ["attempt", "question", "credit", "answered_at"]
    inlines = [SelectionInline]

    def has_add_permission(self, request):
        return False
