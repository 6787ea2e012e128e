"""The teacher's drafting pages in the admin: a new lesson from an article, the review of
a draft on one page, and publishing it. Wired by `drafting/urls.py` (config/urls.py
mounts it under the admin, each view behind `admin_site.admin_view`); the lesson list
links here. Thin views: parse, call one function, render (docs/authoring.md)."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from bundle.admin import IMPORT_PERMISSIONS
from bundle.errors import BundleError
from classes.models import Classroom
from lessons.dates import input_value
from lessons.models import Lesson

from .authoring import create_draft_lesson, publish_draft
from .draft import DraftError
from .forms import NewLessonForm, ReviewForms
from .review import ReviewError, ReviewPage, apply_review

# Which field of the form a DraftError belongs to, by its code.
FIELD_OF = {"no_title": "title", "long_title": "title", "long_outlet": "outlet"}
FIELD_OF |= {"long_date": "date", "long_url": "url"}


def _context(request, **extra):
    lesson_admin = admin.site.get_model_admin(Lesson)
    return {
        **admin.site.each_context(request),
        "opts": lesson_admin.opts,
        "is_nav_sidebar_enabled": False,
        **extra,
    }


def _editable_lesson(request, lesson_id: int) -> Lesson:
    """The lesson, if this user may change it in the lesson admin (which scopes lessons
    to the teacher who may edit them) and has every permission a review may use (it
    deletes sources, claims, questions); else a 404 or a 403."""
    if not request.user.has_perms(IMPORT_PERMISSIONS):
        raise PermissionDenied
    lesson_admin = admin.site.get_model_admin(Lesson)
    lesson = lesson_admin.get_object(request, str(lesson_id))
    if lesson is None:
        raise Http404("No such lesson.")
    if not lesson_admin.has_change_permission(request, lesson):
        raise PermissionDenied
    return lesson


def _assign_links(request, quizzes) -> list[dict]:
    """For each quiz, the assignment form filled in: the quiz, open from now for a week,
    and the class when the teacher has only one."""
    now = timezone.now()
    initial = {
        "opens_at": input_value(now),
        "due_at": input_value(now + timedelta(days=7)),
    }
    classes = list(Classroom.objects.taught_by(request.user).values_list("pk", flat=True)[:2])
    if len(classes) == 1:
        initial["classroom"] = classes[0]
    add = reverse("admin:classes_assignment_add")
    return [
        {"quiz": quiz, "url": f"{add}?{urlencode({**initial, 'quiz': quiz.pk})}"}
        for quiz in quizzes
    ]


def new_lesson(request):
    """Paste an article (or upload it): one call drafts it and saves the draft lesson with
    its draft quiz, unpublished; then the review page."""
    if not request.user.has_perms(IMPORT_PERMISSIONS):
        raise PermissionDenied
    status = 200
    posted = request.method == "POST"
    form = NewLessonForm(request.POST, request.FILES) if posted else NewLessonForm()
    if posted:
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                lesson = create_draft_lesson(
                    form.article,
                    title=data["title"],
                    outlet=data["outlet"],
                    date=data["date"],
                    url=data["url"],
                    owner=request.user,
                )
            except DraftError as error:
                form.add_error(
                    FIELD_OF.get(error.code, "text"),
                    ValidationError(error.message, code=error.code),
                )
            except BundleError as error:  # a drafting bug: say so, save nothing
                form.add_error(
                    None,
                    ValidationError(
                        "The draft could not be saved: " + "; ".join(error.problems[:3]),
                        code="draft_invalid",
                    ),
                )
            else:
                messages.success(
                    request,
                    f"Drafted “{lesson.title}” (not published). Check each source, claim and "
                    "question below, then save your decisions.",
                )
                return redirect("drafting:review", lesson.pk)
    return TemplateResponse(
        request,
        "admin/drafting/new_lesson.html",
        _context(request, title="New lesson from an article", form=form),
        status=status,
    )


def review(request, lesson_id: int):
    """The whole draft on one page; one submission applies every decision."""
    lesson = _editable_lesson(request, lesson_id)
    status = 200
    problems: list[ValidationError] = []
    if request.method == "POST":
        forms = ReviewForms(ReviewPage.load(lesson), request.POST)
        status = 400
        if forms.is_valid():
            try:
                result = apply_review(lesson, forms.decisions())
            except ReviewError as error:
                problems = error.errors
            else:
                messages.success(request, "Your decisions are saved: " + result.summary())
                if "preview" in request.POST and lesson.quizzes.exists():
                    quiz = lesson.quizzes.order_by("order", "id").first()
                    return redirect(reverse("admin:quizzes_quiz_preview", args=[quiz.pk]))
                return redirect("drafting:review", lesson.pk)
    else:
        forms = ReviewForms(ReviewPage.load(lesson))
    return TemplateResponse(
        request,
        "admin/drafting/review.html",
        _context(
            request,
            title=f"Review the draft: {lesson.title}",
            lesson=lesson,
            forms=forms,
            quizzes=forms.page.quizzes,
            assign_links=_assign_links(request, forms.page.quizzes) if lesson.published else [],
            problems=problems,
        ),
        status=status,
    )


def publish(request, lesson_id: int):
    """Publish the lesson and its quizzes when every pre-publish check passes (POST)."""
    lesson = _editable_lesson(request, lesson_id)
    if request.method != "POST":
        return redirect("drafting:review", lesson.pk)
    problems = publish_draft(lesson)
    if problems:
        for problem in problems[:10]:
            messages.error(request, f"Not published, fix it first: {problem}")
        return redirect("drafting:review", lesson.pk)
    messages.success(
        request,
        f"“{lesson.title}” and its quizzes are published. Assign a quiz to a class to "
        "give it to your students.",
    )
    return redirect("drafting:review", lesson.pk)
