import logging

from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from .gate import gate
from .http import is_fetch
from .models import Lesson
from .reading import rendered_reading

logger = logging.getLogger(__name__)

MARKS_SESSION_KEY = "lesson_marks"


def wants_marks(request: HttpRequest) -> bool:
    """The reader's choice to show the evidence marks, remembered in the session."""
    return request.session.get(MARKS_SESSION_KEY, "on") != "off"


@login_required
@require_GET
def lesson_list(request: HttpRequest) -> HttpResponse:
    lessons = gate().lessons_for(request.user)
    return render(request, "lessons/lesson_list.html", {"lessons": lessons})


def _lesson_page(request: HttpRequest, lesson: Lesson, *, preview: bool) -> HttpResponse:
    """The lesson page, as students see it; `preview` is the same page for a teacher before
    the lesson is published (a banner says so; quizzes as they will be listed)."""
    page_url = reverse("lessons:preview", args=[lesson.slug]) if preview else None
    page_url = page_url or lesson.get_absolute_url()
    if request.method == "POST":
        # The display switch changes state, so it is a POST (CSRF-protected), never a link.
        choice = request.POST.get("marks")
        if choice not in ("on", "off"):
            reason = "The source marks are either on or off; nothing was changed."
            return render(request, "400.html", {"reason": reason}, status=400)
        request.session[MARKS_SESSION_KEY] = choice
        if is_fetch(request):
            return HttpResponse(status=204)
        # A clean address after the choice, so a reload or a shared link carries no switch.
        return redirect(f"{page_url}#reading")
    reading = rendered_reading(lesson)
    for problem in reading.problems:
        logger.warning("lesson %s: %s", lesson.slug, problem)
    if preview:
        quizzes = lesson.quizzes.filter(published=True)
    else:
        quizzes = gate().quizzes_for(request.user).filter(lesson=lesson)
    return render(
        request,
        "lessons/lesson_detail.html",
        {
            "lesson": lesson,
            "reading": reading,
            "marks_on": wants_marks(request),
            "quizzes": quizzes,
            "page_url": page_url,
            "preview": preview,
            # Bad content is reported to staff; students see what can be shown.
            "staff_problems": reading.problems if request.user.is_staff else [],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def lesson_detail(request: HttpRequest, slug: str) -> HttpResponse:
    # A lesson the learner may not read is a 404: nobody learns that it exists.
    lesson = get_object_or_404(gate().lessons_for(request.user), slug=slug)
    return _lesson_page(request, lesson, preview=False)


@staff_member_required
@require_http_methods(["GET", "POST"])
def lesson_preview(request: HttpRequest, slug: str) -> HttpResponse:
    """A lesson exactly as its students will see it, published or not, for staff who may
    see it in their workspace (their own, or others' published lessons)."""
    if not request.user.has_perm("lessons.view_lesson"):
        raise PermissionDenied
    lesson = get_object_or_404(Lesson.objects.seen_by(request.user), slug=slug)
    return _lesson_page(request, lesson, preview=True)
