from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count

from .models import Attempt, Choice, Question, Quiz, Response, Selection, validate_choices


class ChoiceFormSet(forms.BaseInlineFormSet):
    """Checks the choices together, in a teacher's words: a question with no correct
    choice, a who-said-it choice that is not a source, and so on."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [
            form.instance
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        problems = validate_choices(self.instance, kept)
        if problems:
            raise ValidationError(problems)


class ChoiceInline(admin.TabularInline):
    model = Choice
    formset = ChoiceFormSet
    extra = 2
    fields = ["order", "text", "correct", "source", "feedback"]
    autocomplete_fields = ["source"]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["short_prompt", "quiz", "kind", "skill", "points", "order"]
    list_filter = ["quiz", "kind", "skill"]
    search_fields = ["prompt", "explanation", "key"]
    list_select_related = ["quiz"]
    autocomplete_fields = ["claim"]
    inlines = [ChoiceInline]
    fields = [
        "quiz", ("order", "key"), ("kind", "skill", "points"), "prompt",
        ("section", "claim"), "evidence", "explanation",
    ]

    @admin.display(description="question")
    def short_prompt(self, obj):
        return obj.prompt[:90]


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ["order", "key", "kind", "skill", "points", "prompt"]
    show_change_link = True


@admin.register(Quiz)
class QuizAdmin(admin.ModelAdmin):
    list_display = ["title", "lesson", "published", "question_count", "max_attempts", "time_limit_minutes"]
    list_filter = ["published", "lesson"]
    search_fields = ["title", "description"]
    list_select_related = ["lesson"]
    inlines = [QuestionInline]
    fieldsets = [
        (None, {"fields": ["lesson", ("key", "order"), "title", "description", "published"]}),
        (
            "Rules",
            {
                "fields": [
                    ("max_attempts", "time_limit_minutes"),
                    ("opens_at", "closes_at"),
                    ("shuffle_questions", "shuffle_choices"),
                    "feedback",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(question_total=Count("questions"))

    @admin.display(description="questions", ordering="question_total")
    def question_count(self, obj):
        return obj.question_total


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


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    list_display = ["learner", "quiz", "number", "started_at", "submitted_at", "percent", "attribution_percent"]
    list_filter = ["quiz", ("submitted_at", admin.EmptyFieldListFilter)]
    search_fields = ["learner__username", "learner__first_name", "learner__last_name", "quiz__title"]
    list_select_related = ["learner", "quiz"]
    readonly_fields = [
        "learner", "quiz", "number", "started_at", "deadline", "submitted_at", "score",
        "max_score", "percent", "attribution_percent", "subscores", "layout",
    ]
    inlines = [ResponseInline]

    def has_add_permission(self, request):
        # Attempts are made by learners taking a quiz, not typed in.
        return False


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ["attempt", "question", "credit", "answered_at"]
    list_filter = ["question__quiz", "question__skill"]
    search_fields = ["attempt__learner__username", "question__prompt"]
    list_select_related = ["attempt__learner", "attempt__quiz", "question"]
    readonly_fields = ["attempt", "question", "credit", "answered_at"]
    inlines = [SelectionInline]

    def has_add_permission(self, request):
        return False
