"""The quiz author's admin: questions, choices, quizzes (checks, preview, publish); the
read-only attempt and response admins are in `quizzes/results_admin.py`.

`Question` is registered here. `QuizAdmin` (and `AttemptAdmin`, `ResponseAdmin`) are the
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

from lessons.admin import (
    OWNERSHIP_FIELDS,
    AdminForm,
    KeyedFormSet,
    LessonInline,
    LessonScopedAdmin,
    lesson_in_view,
    lesson_of,
)
from lessons.models import Claim, Lesson, Section, Source
from lessons.owned_admin import OwnedAdminMixin, OwnedInlineMixin, OwnedThroughAdminMixin

from .authoring import duplicate_quiz, foreign_source_error, publish, quiz_problems
from .evidence_pick import make_choices
from .forms import AnswerForm
from .models import Choice, Question, Quiz
from .rubric_admin import RubricLevelInline
from .validation import choice_errors


class ChoiceFormSet(forms.BaseInlineFormSet):
    """Checks the choices together, in a teacher's words: a question with no correct
    choice, a who-said-it choice that is not a source, and so on."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        if self.instance.kind == Question.Kind.EVIDENCE_PICK:
            return  # its choices are made from the section on save (QuestionAdmin)
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


def quiz_lesson_in_view(request) -> int | None:
    """The lesson of the admin page's object, or of the ?quiz= an add page was opened with."""
    lesson_id = lesson_in_view(request)
    quiz = request.GET.get("quiz", "")
    if lesson_id is None and quiz.isdigit():
        lesson_id = Quiz.objects.filter(pk=quiz).values_list("lesson_id", flat=True).first()
    return lesson_id


class ChoiceInline(OwnedInlineMixin, LessonInline, admin.TabularInline):
    model = Choice

    def _editable(self, request, obj):
        # `obj` is the question: its quiz decides.
        return obj is None or obj.quiz.is_editable_by(request.user)

    formset = ChoiceFormSet
    extra = 2
    fields = ["order", "text", "correct", "partial", "source", "feedback"]
    readonly_fields = ["partial"]
    LESSON_PICKERS = {"source": Source}
    OFFER_ALL_WITHOUT_LESSON = True  # a question being added picks its quiz on the page

    def lesson_in_view(self, request):
        return quiz_lesson_in_view(request)


@admin.register(Question)
class QuestionAdmin(OwnedThroughAdminMixin, LessonScopedAdmin):
    owner_path = "quiz"
    list_display = ["short_prompt", "quiz", "kind", "skill", "points", "order"]
    list_filter = [("quiz", admin.RelatedOnlyFieldListFilter), "kind", "skill"]
    search_fields = ["prompt", "explanation", "key"]
    list_select_related = ["quiz"]
    LESSON_PICKERS = {"section": Section, "claim": Claim}
    LESSON_PATH = "quiz__lesson"
    inlines = [ChoiceInline, RubricLevelInline]

    def lesson_in_view(self, request, obj=None):
        return lesson_of(obj) if obj is not None else quiz_lesson_in_view(request)

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

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        question = form.instance
        if question.kind == Question.Kind.EVIDENCE_PICK and question.section_id:
            # Question.clean checked the section and the evidence; the sentences are the
            # choices (their feedback, written in the rows, stays with each position).
            make_choices(question)


class QuestionInline(OwnedInlineMixin, LessonInline, admin.TabularInline):
    model = Question
    formset = KeyedFormSet
    extra = 0
    # Every field Question.clean may name (a who-said-it question's claim, the section of
    # its evidence) is here, so its errors show beside the row.
    fields = ["order", "key", "kind", "skill", "points", "prompt", "section", "claim", "evidence"]
    LESSON_PICKERS = {"section": Section, "claim": Claim}
    show_change_link = True


class QuizAdmin(OwnedAdminMixin, admin.ModelAdmin):
    form = AdminForm
    list_display = [
        "title",
        "lesson",
        "published",
        "archived",
        "question_count",
        "max_attempts",
        "time_limit_minutes",
        "tools",
    ]
    list_filter = ["published", "archived", ("lesson", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "description"]
    list_select_related = ["lesson"]
    filter_horizontal = ["co_owners"]
    # Explicit: the question count's GROUP BY drops Meta.ordering, and the autocomplete's
    # paginator refuses an unordered list (a 500 before).
    ordering = ["lesson__title", "order", "id"]
    inlines = [QuestionInline]
    actions = ["publish", "unpublish", "archive", "unarchive", "duplicate"]
    readonly_fields = ["checks"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "lesson",
                    ("key", "order"),
                    "title",
                    "description",
                    ("published", "archived"),
                ]
            },
        ),
        ("Who takes and edits it", {"fields": OWNERSHIP_FIELDS}),
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

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "lesson":
            # A quiz goes into a lesson of one's own (duplicate another's to use it).
            kwargs["queryset"] = Lesson.objects.editable_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

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
        # An evidence pick added or changed in the question rows gets its choices from its
        # section, as on its own page (before the publish check reads them).
        for formset in formsets:
            for question in [*formset.new_objects, *(o for o, _ in formset.changed_objects)]:
                if isinstance(question, Question) and question.kind == Question.Kind.EVIDENCE_PICK:
                    make_choices(question)
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
        questions = Question.objects.with_key().filter(quiz=quiz).prefetch_related("levels")
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
        for quiz in self.editable_only(request, queryset, "published"):
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
        n = self.editable_only(request, queryset, "unpublished").update(published=False)
        self.message_user(
            request,
            f"{n} quiz(zes) unpublished: learners no longer see them; past attempts are kept.",
            messages.SUCCESS,
        )

    @admin.action(description="Archive the selected quizzes", permissions=["change"])
    def archive(self, request, queryset):
        n = self.editable_only(request, queryset, "archived").update(archived=True)
        self.message_user(
            request,
            f"{n} quiz(zes) archived: hidden from students and from new assignments; "
            "their results stay in the reports.",
            messages.SUCCESS,
        )

    @admin.action(
        description="Bring the selected quizzes back from the archive", permissions=["change"]
    )
    def unarchive(self, request, queryset):
        n = self.editable_only(request, queryset, "unarchived").update(archived=False)
        self.message_user(request, f"{n} quiz(zes) back from the archive.", messages.SUCCESS)

    @admin.action(description="Duplicate the selected quizzes", permissions=["add"])
    def duplicate(self, request, queryset):
        editable_lessons = Lesson.objects.editable_by(request.user)
        others = queryset.exclude(lesson__in=editable_lessons)
        for quiz in others:
            self.message_user(
                request,
                f"“{quiz.title}” is in a lesson that is not yours: use “Duplicate into my "
                "lessons” on its lesson to make a copy of your own.",
                messages.WARNING,
            )
        for quiz in queryset.filter(lesson__in=editable_lessons):
            copy = duplicate_quiz(quiz, owner=request.user)
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
