"""The quiz author's admin: questions, choices, quizzes (checks, preview, publish), and
the read-only attempt and response admins.

`Question` is registered here. `QuizAdmin`, `AttemptAdmin` and `ResponseAdmin` are the
classes the teacher's workspace builds on: `reports/admin.py` registers them with the
report pages and the class scoping, which need `classes` (that quizzes must not import).
Each model's admin is registered once."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from .authoring import duplicate_quiz, foreign_source_error, publish, quiz_problems
from .forms import AnswerForm
from .models import Choice, Question, Response, Selection
from .validation import choice_errors


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
        problems = choice_errors(self.instance, kept)
        if self.instance.quiz_id:
            foreign = foreign_source_error(kept, self.instance.quiz.lesson_id)
            if foreign:
                problems.append(foreign)
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
        "quiz",
        ("order", "key"),
        ("kind", "skill", "points"),
        "fixed_order",
        "prompt",
        ("section", "claim"),
        "evidence",
        "explanation",
    ]

    @admin.display(description="question")
    def short_prompt(self, obj):
        return obj.prompt[:90]


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ["order", "key", "kind", "skill", "points", "prompt"]
    show_change_link = True


class QuizAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "lesson",
        "published",
        "question_count",
        "max_attempts",
        "time_limit_minutes",
        "tools",
    ]
    list_filter = ["published", "lesson"]
    search_fields = ["title", "description"]
    list_select_related = ["lesson"]
    inlines = [QuestionInline]
    actions = ["publish", "unpublish", "duplicate"]
    readonly_fields = ["checks"]
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
        (
            "Review options: what learners see of a submitted attempt, and when",
            {
                "fields": [
                    ("review_score", "review_correctness"),
                    ("review_key", "review_feedback"),
                    "counted_attempt",
                ],
                "description": "With several attempts, showing the right answers only after "
                "the last one keeps an empty first attempt from handing out the key.",
            },
        ),
        ("Before you publish", {"fields": ["checks"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(question_total=Count("questions"))

    @admin.display(description="questions", ordering="question_total")
    def question_count(self, obj):
        return obj.question_total

    @admin.display(description="")
    def tools(self, obj):
        return format_html(
            '<a href="{}">Preview</a>', reverse("admin:quizzes_quiz_preview", args=[obj.pk])
        )

    def save_model(self, request, obj, form, change):
        # Ticking "published" is held to the publish rule, on the quiz as saved with its
        # questions (the inlines, saved after it): the quiz is stored unpublished here and
        # published in save_related if it passes (all in the change form's transaction).
        obj.publish_requested = obj.published
        obj.published = False
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        quiz = form.instance
        if getattr(quiz, "publish_requested", False):
            problems = publish(quiz)
            if problems:
                self.message_user(
                    request,
                    f"The quiz was saved but not published: {len(problems)} problem(s) to "
                    f"fix first, listed under “Before you publish”. The first: {problems[0]}",
                    messages.WARNING,
                )

    @admin.display(description="Checks")
    def checks(self, obj):
        if obj is None or obj.pk is None:
            return "Save the quiz first; its questions are checked here."
        problems = quiz_problems(obj)
        if not problems:
            return format_html(
                '{} <a href="{}">Preview it as a student sees it.</a>',
                "Every question passes the checks.",
                reverse("admin:quizzes_quiz_preview", args=[obj.pk]),
            )
        return format_html(
            '<ul class="problems">{}</ul>',
            format_html_join("", "<li>{}</li>", ((str(p),) for p in problems)),
        )

    def get_urls(self):
        return [
            path(
                "<int:object_id>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="quizzes_quiz_preview",
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request, object_id):
        """The quiz as a learner sees it, every question on one page, with no attempt made.
        The key stays hidden unless the teacher asks for it (?key=1)."""
        quiz = self.get_object(request, str(object_id))
        if quiz is None:
            raise Http404("No such quiz.")
        if not self.has_view_or_change_permission(request, quiz):
            raise PermissionDenied
        show_key = request.GET.get("key") == "1"
        items = []
        questions = Question.objects.with_key().filter(quiz=quiz)
        for number, question in enumerate(questions, start=1):
            choices = list(question.choices.all())
            form = AnswerForm(question=question, choices=choices, auto_id=f"q{number}-%s")
            for f in form.fields.values():
                f.disabled = True
            items.append(
                {
                    "number": number,
                    "question": question,
                    "form": form,
                    # Only reaches the page when the teacher asks for the key.
                    # By the value each input posts: its position (AnswerForm).
                    "key": {str(n): c for n, c in enumerate(choices, 1) if c.correct}
                    if show_key
                    else {},
                    "feedback": {str(n): c.feedback for n, c in enumerate(choices, 1) if c.feedback}
                    if show_key
                    else {},
                }
            )
        context = {
            **self.admin_site.each_context(request),
            "is_nav_sidebar_enabled": False,
            "title": f"Preview: {quiz.title}",
            "opts": self.opts,
            "original": quiz,
            "quiz": quiz,
            "items": items,
            "show_key": show_key,
        }
        return TemplateResponse(request, "admin/quizzes/quiz/preview.html", context)

    @admin.action(description="Publish the selected quizzes", permissions=["change"])
    def publish(self, request, queryset):
        published, refused = 0, []
        for quiz in queryset:
            problems = publish(quiz)
            if problems:
                refused.append(f"“{quiz.title}” ({len(problems)} problem(s): {problems[0]})")
            else:
                published += 1
        if published:
            self.message_user(request, f"{published} quiz(zes) published.", messages.SUCCESS)
        for text in refused:
            self.message_user(request, f"Not published, fix it first: {text}", messages.ERROR)

    @admin.action(description="Unpublish the selected quizzes", permissions=["change"])
    def unpublish(self, request, queryset):
        n = queryset.update(published=False)
        self.message_user(
            request,
            f"{n} quiz(zes) unpublished: learners no longer see them; past attempts are kept.",
            messages.SUCCESS,
        )

    @admin.action(description="Duplicate the selected quizzes", permissions=["add"])
    def duplicate(self, request, queryset):
        for quiz in queryset:
            copy = duplicate_quiz(quiz)
            self.message_user(
                request,
                format_html(
                    'Made <a href="{}">{}</a> (unpublished) with {} question(s).',
                    reverse("admin:quizzes_quiz_change", args=[copy.pk]),
                    copy.title,
                    copy.questions.count(),
                ),
                messages.SUCCESS,
            )


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
