"""Admin actions for the quiz list: download one quiz as Moodle XML or as GIFT.

Add them to `QuizAdmin.actions` (`actions = [..., export_moodle_xml, export_gift]`). Each
takes exactly one selected quiz; the teacher is told, in the admin's messages, how many
questions went out and what the format could not carry (the same words head the file)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpResponse

from . import gift, moodle


def _export(request, queryset, module):
    quizzes = list(queryset.select_related("lesson")[:2])
    if len(quizzes) != 1:
        messages.error(
            request,
            f"Choose exactly one quiz to export as {module.FORMAT_NAME}: each file holds one quiz.",
        )
        return None
    export = module.export_quiz(quizzes[0])
    first, *rest = export.messages
    messages.success(request, first)
    for line in rest:
        messages.warning(request, line)
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


@admin.action(description="Export the selected quiz as Moodle XML", permissions=["view"])
def export_moodle_xml(modeladmin, request, queryset):
    return _export(request, queryset, moodle)


@admin.action(description="Export the selected quiz as GIFT", permissions=["view"])
def export_gift(modeladmin, request, queryset):
    return _export(request, queryset, gift)
