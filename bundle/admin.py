"""The lesson admin with the bundle import and download (docs/lesson-bundle.md).

`lessons/admin.py` defines LessonAdmin; it is registered here, once, because the import
and the download need the bundle format, which sits above the lessons app. Nothing is
unregistered."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from lessons.admin import LessonAdmin
from lessons.models import Lesson
from quizzes.authoring import duplicate_lesson

from .dump import dumps
from .errors import BundleError
from .upsert import import_bundle

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


@admin.action(description="Duplicate into my lessons", permissions=["add"])
def duplicate_lessons(modeladmin, request, queryset):
    """Copy each selected lesson, its
    sources, sections, claims, quizzes, questions and choices, unpublished, owned by the
    user."""
    for lesson in queryset:
        copy = duplicate_lesson(lesson, owner=request.user)
        modeladmin.message_user(
            request,
            format_html(
                'Made <a href="{}">{}</a> (unpublished, yours) with {} quiz(zes).',
                reverse("admin:lessons_lesson_change", args=[copy.pk]),
                copy.title,
                copy.quizzes.count(),
            ),
            messages.SUCCESS,
        )


@admin.register(Lesson)
class BundleLessonAdmin(LessonAdmin):
    list_display = [*LessonAdmin.list_display, "bundle"]
    actions = [duplicate_lessons]

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
                    result = import_bundle(upload, name=upload.name, owner=request.user)
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
