from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from .models import Claim, Lesson, Section


@login_required
def lesson_list(request: HttpRequest) -> HttpResponse:
    lessons = Lesson.objects.published()
    return render(request, "lessons/lesson_list.html", {"lessons": lessons})


@login_required
def lesson_detail(request: HttpRequest, slug: str) -> HttpResponse:
    lesson = get_object_or_404(Lesson.objects.published(), slug=slug)
    sections = Section.objects.filter(lesson=lesson).prefetch_related(
        Prefetch("claims", queryset=Claim.objects.select_related("source").order_by("order", "id"))
    )
    return render(
        request,
        "lessons/lesson_detail.html",
        {"lesson": lesson, "sections": sections, "quizzes": lesson.quizzes.filter(published=True)},
    )
