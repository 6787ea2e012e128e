from urllib.parse import urlsplit

from django import forms
from django.apps import apps
from django.contrib import admin
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Count
from django.http import QueryDict
from django.urls import Resolver404, resolve, reverse
from django.utils.html import format_html

from .models import Claim, Lesson, Section, Source, make_key
from .owned_admin import OwnedAdminMixin, OwnedInlineMixin, OwnedThroughAdminMixin

OWNERSHIP_FIELDS = ["open_to_all", "owner", "co_owners"]

KEY_HELP = (
    "Leave it empty: it is made from the name when you save (you can change it later). "
    "Lowercase letters, digits and single hyphens; bundles and links use it."
)


class AdminForm(forms.ModelForm):
    """Every lesson and quiz admin form: a key (or slug) may be left empty, and is made on
    save (lessons.models.KeyedModel); an error the model raises about a field this form
    does not show is shown as the form's own error, never a server error."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("key", "slug"):
            if name in self.fields:
                self.fields[name].required = False
                self.fields[name].help_text = KEY_HELP

    def _update_errors(self, errors):
        if hasattr(errors, "error_dict"):
            kept: dict[str, list] = {}
            for name, errs in errors.error_dict.items():
                name = name if name in self.fields else NON_FIELD_ERRORS
                kept.setdefault(name, []).extend(errs)
            errors = ValidationError(kept)
        super()._update_errors(errors)


class KeyedFormSet(forms.BaseInlineFormSet):
    """Rows of keyed items (sections, claims, questions) whose keys were left empty get
    one here, before the rows are checked for duplicates: made from the name, unique among
    the holder's stored items and the other rows (lessons.models.make_key)."""

    def clean(self):
        model = self.model
        if self.instance.pk is not None:
            within = {f"{model.KEY_WITHIN}_id": self.instance.pk}
            taken = set(model._default_manager.filter(**within).values_list("key", flat=True))
        else:
            taken = set()
        rows = [
            form
            for form in self.forms
            if form.has_changed()
            and not self._should_delete_form(form)
            and hasattr(form, "cleaned_data")
        ]
        taken |= {form.cleaned_data.get("key") for form in rows} - {"", None}
        for form in rows:
            if "key" in form.fields and not form.cleaned_data.get("key"):
                key = make_key(
                    str(form.cleaned_data.get(model.KEY_FROM) or ""),
                    taken,
                    fallback=model._meta.model_name,
                )
                taken.add(key)
                form.cleaned_data["key"] = form.instance.key = key
        super().clean()


def lesson_of(obj) -> int | None:
    """The lesson an item belongs to: a lesson, an item with a lesson, or one in a quiz."""
    if obj is None:
        return None
    if isinstance(obj, Lesson):
        return obj.pk
    if hasattr(obj, "lesson_id"):
        return obj.lesson_id
    quiz = getattr(obj, "quiz", None)
    return quiz.lesson_id if quiz is not None else None


def lesson_in_view(request, *, from_referer: bool = False) -> int | None:
    """The lesson an admin page is about: the object in its URL (a lesson, a source, a
    claim, a quiz, a question …) or, on an add page, the ?lesson= it was opened with. For
    an autocomplete request, the page that asked for it (its Referer)."""
    if from_referer:
        url = urlsplit(request.headers.get("Referer", ""))
        try:
            match = resolve(url.path)
        except Resolver404:
            return None
        query = QueryDict(url.query)
    else:
        match, query = request.resolver_match, request.GET
    object_id = match.kwargs.get("object_id") if match else None
    if object_id:
        app_model = (match.url_name or "").rsplit("_", 1)[0]
        app, _, model = app_model.partition("_")
        try:
            obj = apps.get_model(app, model)._default_manager.filter(pk=object_id).first()
        except (LookupError, ValueError):
            return None
        return lesson_of(obj)
    lesson = query.get("lesson", "")
    return int(lesson) if lesson.isdigit() else None


def scope_to_lesson(field, lesson_id, model):
    """Offer only the lesson's items; with no lesson known, every lesson's, each option
    saying which lesson it is of (model validation refuses a mismatch)."""
    if field is None:
        return
    if lesson_id is not None:
        field.queryset = model._default_manager.filter(lesson_id=lesson_id)
    else:
        field.queryset = model._default_manager.select_related("lesson")
        field.label_from_instance = lambda item: f"{item} ({item.lesson})"


class LessonScopedAdmin(admin.ModelAdmin):
    """An admin whose pickers (LESSON_PICKERS: field name -> model) list only the lesson's
    items, and whose autocomplete answers only with the asking page's lesson's items."""

    form = AdminForm
    LESSON_PICKERS: dict = {}
    LESSON_PATH = "lesson"  # from this admin's model to its lesson

    def lesson_in_view(self, request, obj=None):
        return lesson_of(obj) if obj is not None else lesson_in_view(request)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        lesson_id = self.lesson_in_view(request, obj)
        for name, model in self.LESSON_PICKERS.items():
            scope_to_lesson(form.base_fields.get(name), lesson_id, model)
        return form

    def get_search_results(self, request, queryset, search_term):
        queryset, distinct = super().get_search_results(request, queryset, search_term)
        if request.path == reverse("admin:autocomplete"):
            lesson_id = lesson_in_view(request, from_referer=True)
            queryset = queryset.filter(**{f"{self.LESSON_PATH}_id": lesson_id})
        return queryset, distinct


class LessonInline:
    """An inline of a lesson's or a quiz's change page: its pickers (LESSON_PICKERS: field
    name -> model) list only that lesson's items."""

    form = AdminForm
    LESSON_PICKERS: dict = {}
    OFFER_ALL_WITHOUT_LESSON = False

    def lesson_in_view(self, request):
        return lesson_in_view(request)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name not in self.LESSON_PICKERS:
            return super().formfield_for_foreignkey(db_field, request, **kwargs)
        lesson_id = self.lesson_in_view(request)
        model = self.LESSON_PICKERS[db_field.name]
        # No lesson known: a lesson (or a quiz) being added has no items yet, so nothing
        # is offered; where the page picks the lesson itself (a question being added),
        # every lesson's, labelled, and the checks refuse a mismatch.
        kwargs["queryset"] = model._default_manager.filter(lesson_id=lesson_id)
        if lesson_id is None and self.OFFER_ALL_WITHOUT_LESSON:
            kwargs["queryset"] = model._default_manager.all()
        kwargs["queryset"] = kwargs["queryset"].select_related(
            "lesson", *(["source"] if model is Claim else [])
        )
        kwargs["form_class"] = RowsShareChoices
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if lesson_id is None:
            field.label_from_instance = lambda item: f"{item} ({item.lesson})"
        return field


class RowsShareChoices(forms.ModelChoiceField):
    """A picker of an inline: its rows share one list of options, read once (a page's
    query count does not grow with its rows)."""

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        if not hasattr(self, "shared_choices"):
            self.shared_choices = list(self.choices)
        result.choices = self.shared_choices
        return result


class SectionInline(OwnedInlineMixin, LessonInline, admin.StackedInline):
    model = Section
    formset = KeyedFormSet
    extra = 0
    fields = ["order", "key", "title", "body"]
    show_change_link = True


class ClaimInline(OwnedInlineMixin, LessonInline, admin.StackedInline):
    model = Claim
    formset = KeyedFormSet
    extra = 0
    fields = [
        ("order", "key"),
        ("section", "source"),
        ("cue", "kind"),
        "content",
        "quoted",
        "evidence",
    ]
    LESSON_PICKERS = {"section": Section, "source": Source}
    show_change_link = True


class LessonAdmin(OwnedAdminMixin, admin.ModelAdmin):
    """Registered by `bundle/admin.py`, which adds the bundle import and download, and
    the action "Duplicate into my lessons" (which copies the quizzes too)."""

    form = AdminForm
    list_display = [
        "title",
        "slug",
        "published",
        "section_count",
        "claim_count",
        "updated_at",
        "preview",
    ]
    list_filter = ["published", "open_to_all"]
    search_fields = ["title", "slug", "summary"]
    filter_horizontal = ["co_owners"]
    ordering = ["title", "id"]  # explicit: the counts' GROUP BY drops Meta.ordering
    prepopulated_fields = {"slug": ["title"]}
    inlines = [SectionInline, ClaimInline]
    readonly_fields = ["preview"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "objectives", "published", "preview"]}),
        ("Who uses and edits it", {"fields": OWNERSHIP_FIELDS}),
        (
            "The article",
            {
                "fields": [
                    "article_title",
                    "article_publisher",
                    "article_byline",
                    "article_date",
                    "article_note",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                section_total=Count("sections", distinct=True),
                claim_total=Count("claims", distinct=True),
            )
        )

    @admin.display(description="sections", ordering="section_total")
    def section_count(self, obj):
        return obj.section_total

    @admin.display(description="claims", ordering="claim_total")
    def claim_count(self, obj):
        return obj.claim_total

    @admin.display(description="preview")
    def preview(self, obj):
        if obj is None or obj.pk is None:
            return "Save the lesson first; then preview it as students will see it."
        # The stored slug: a refused form may have left another (or none) on `obj`.
        slug = type(obj).objects.filter(pk=obj.pk).values_list("slug", flat=True).first()
        return format_html(
            '<a href="{}">Preview the lesson as students will see it</a>',
            reverse("lessons:preview", args=[slug]),
        )


LESSON_FILTER = ("lesson", admin.RelatedOnlyFieldListFilter)


@admin.register(Source)
class SourceAdmin(OwnedThroughAdminMixin, LessonScopedAdmin):
    list_display = ["name", "kind", "side", "parent", "lesson"]
    list_filter = [LESSON_FILTER, "kind", "side"]
    search_fields = ["name", "key", "description"]
    list_select_related = ["parent", "lesson"]
    LESSON_PICKERS = {"parent": Source}


@admin.register(Section)
class SectionAdmin(OwnedThroughAdminMixin, LessonScopedAdmin):
    list_display = ["title", "lesson", "order"]
    list_filter = [LESSON_FILTER]
    search_fields = ["title", "body"]
    list_select_related = ["lesson"]


@admin.register(Claim)
class ClaimAdmin(OwnedThroughAdminMixin, LessonScopedAdmin):
    list_display = ["short_content", "source", "cue", "kind", "section"]
    list_filter = [
        LESSON_FILTER,
        "kind",
        "source__side",
        ("section", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["content", "quoted", "evidence", "cue", "source__name"]
    list_select_related = ["source", "section"]
    LESSON_PICKERS = {"section": Section, "source": Source}

    @admin.display(description="content")
    def short_content(self, obj):
        return obj.content[:80]
