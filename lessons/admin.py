from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from bundle.dump import dumps
from bundle.errors import BundleError
from bundle.upsert import import_bundle

from .models import Claim, Lesson, Section, Source

# Importing a bundle may create, change or delete any part of a lesson and its quizzes.
IMPORT_PERMISSIONS = [
    f"{app}.{action}_{model}"
    for app, models in (
        ("lessons", ("lesson", "source", "section", "claim")),
        ("quizzes", ("quiz", "question", "choice")),
    )
    for model in models
    for action in ("add", "change", "delete")
]

# A shipped lesson bundle is about 150 kB; anything far larger is not a lesson.
MAX_BUNDLE_BYTES = 5 * 1024 * 1024


class BundleUploadForm(forms.Form):
    file = forms.FileField(
        label="Lesson bundle",
        help_text="A .json file exported from Sourcewise (see docs/lesson-bundle.md).",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BUNDLE_BYTES:
            raise forms.ValidationError(
                f"This file is {upload.size / 1024 / 1024:.1f} MB; a lesson bundle is at most "
                f"{MAX_BUNDLE_BYTES // 1024 // 1024} MB. Is it the right file?",
                code="too_large",
            )
        return upload


class SectionInline(admin.StackedInline):
    model = Section
    extra = 0
    fields = ["order", "key", "title", "body"]
    show_change_link = True


class ClaimInline(admin.StackedInline):
    model = Claim
    extra = 0
    fields = [
        ("order", "key"),
        ("section", "source"),
        ("cue", "kind"),
        "content",
        "quoted",
        "evidence",
    ]
    autocomplete_fields = ["source"]
    show_change_link = True

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Offer only this lesson's sections.
        lesson_id = request.resolver_match.kwargs.get("object_id")
        if db_field.name == "section":
            kwargs["queryset"] = Section.objects.filter(lesson_id=lesson_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Lesson)
class LessonAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "slug",
        "published",
        "section_count",
        "claim_count",
        "updated_at",
        "bundle",
    ]
    list_filter = ["published"]
    search_fields = ["title", "slug", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [SectionInline, ClaimInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "objectives", "published"]}),
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

    @admin.display(description="bundle")
    def bundle(self, obj):
        return format_html(
            '<a href="{}">Download</a>', reverse("admin:lessons_lesson_export", args=[obj.pk])
        )

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_view), name="lessons_lesson_import"),
            path("<int:object_id>/export/", view(self.export_view), name="lessons_lesson_export"),
            *super().get_urls(),
        ]

    def export_view(self, request, object_id):
        """The lesson as a bundle file, with its sources, sections, claims and quizzes."""
        lesson = self.get_object(request, str(object_id))
        if lesson is None:
            raise Http404("No such lesson.")
        if not self.has_view_or_change_permission(request, lesson):
            raise PermissionDenied
        response = HttpResponse(dumps(lesson), content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{lesson.slug}.json"'
        return response

    def import_view(self, request):
        """Upload a bundle: a new lesson is created, an existing one (same slug) updated in
        place by its keys. Any problem: nothing is written, and every problem is listed.
        Needs every permission an import may use (the Teachers group has them)."""
        if not request.user.has_perms(IMPORT_PERMISSIONS):
            raise PermissionDenied
        problems = []
        status = 200
        if request.method == "POST":
            form = BundleUploadForm(request.POST, request.FILES)
            if form.is_valid():
                upload = form.cleaned_data["file"]
                try:
                    result = import_bundle(upload, name=upload.name)
                except BundleError as error:
                    problems = error.problems
                    status = 400
                else:
                    counts = "; ".join(line.strip() for line in result.summary().splitlines()[1:])
                    self.message_user(
                        request,
                        f"Imported {upload.name}: the lesson “{result.lesson.title}” was "
                        f"{result.status}. {counts}",
                        messages.SUCCESS,
                    )
                    return redirect("admin:lessons_lesson_change", result.lesson.pk)
            else:
                status = 400
        else:
            form = BundleUploadForm()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Import a lesson bundle",
            "form": form,
            "problems": problems,
        }
        return TemplateResponse(request, "admin/lessons/lesson/import.html", context, status=status)


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "side", "parent", "lesson"]
    list_filter = ["lesson", "kind", "side"]
    search_fields = ["name", "key", "description"]
    list_select_related = ["parent", "lesson"]
    autocomplete_fields = ["parent"]


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["title", "lesson", "order"]
    list_filter = ["lesson"]
    search_fields = ["title", "body"]
    list_select_related = ["lesson"]


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = ["short_content", "source", "cue", "kind", "section"]
    list_filter = ["lesson", "kind", "source__side", "section"]
    search_fields = ["content", "quoted", "evidence", "cue", "source__name"]
    list_select_related = ["source", "section"]
    autocomplete_fields = ["source"]

    @admin.display(description="content")
    def short_content(self, obj):
        return obj.content[:80]
