from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from .http import is_fetch
from .models import Lesson
from .reading import rendered_reading

MARKS_SESSION_KEY = "lesson_marks"


def wants_marks(request: HttpRequest) -> bool:
    """The reader's choice to show the evidence marks, remembered in the session."""
    return request.session.get(MARKS_SESSION_KEY, "on") != "off"


@login_required
@require_GET
def lesson_list(request: HttpRequest) -> HttpResponse:
    lessons = Lesson.objects.published()
    return render(request, "lessons/lesson_list.html", {"lessons": lessons})


@login_required
@require_http_methods(["GET", "POST"])
def lesson_detail(request: HttpRequest, slug: str) -> HttpResponse:
    lesson = get_object_or_404(Lesson.objects.published(), slug=slug)
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
        return redirect(f"{lesson.get_absolute_url()}#reading")
    return render(
        request,
        "lessons/lesson_detail.html",
        {
            "lesson": lesson,
            "reading": rendered_reading(lesson),
            "marks_on": wants_marks(request),
            "quizzes": lesson.quizzes.visible(),
        },
    )
