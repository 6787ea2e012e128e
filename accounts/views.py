"""A teacher's page for a learner of their class (reset the password, lift a lockout), and
the 429 page of the throttles."""

from functools import wraps

from django.contrib import messages
from django.contrib.admin import site
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from classes.models import Classroom

from .lockout import locked_until, lockouts, unlock
from .passwords import reset_password


def teacher_required(view):
    """Staff only: the anonymous to the teachers' login, a signed-in learner a 403."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        if not request.user.is_staff:
            raise PermissionDenied("Only teachers reset passwords.")
        return view(request, *args, **kwargs)

    return wrapped


def _scoped_class(request: HttpRequest, classroom_id: int) -> Classroom:
    """A class the signed-in teacher teaches (any, for a superuser), or a 404."""
    return get_object_or_404(
        Classroom.objects.taught_by(request.user).select_related("teacher"), pk=classroom_id
    )


def _learners(classroom: Classroom):
    """The class's learners a teacher may act on: never a staff account."""
    return classroom.students.filter(is_staff=False, is_superuser=False).order_by("username")


@teacher_required
@require_GET
def classroom_students(request: HttpRequest, classroom_id: int) -> HttpResponse:
    classroom = _scoped_class(request, classroom_id)
    learners = list(_learners(classroom))
    ends = lockouts(learner.get_username() for learner in learners)
    learners = [(learner, ends.get(learner.get_username())) for learner in learners]
    return render(
        request,
        "accounts/classroom_students.html",
        {**site.each_context(request), "classroom": classroom, "learners": learners},
    )


@teacher_required
@require_http_methods(["GET", "POST"])
def student(request: HttpRequest, classroom_id: int, student_id: int) -> HttpResponse:
    """GET: the learner and their lockout; POST action=reset or action=unlock."""
    classroom = _scoped_class(request, classroom_id)
    learner = get_object_or_404(_learners(classroom), pk=student_id)
    context = {**site.each_context(request), "classroom": classroom, "learner": learner}
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "reset":
            context["one_time_password"] = reset_password(learner=learner, reset_by=request.user)
        elif action == "unlock":
            unlock(learner.get_username())
            messages.success(request, f"{learner.get_username()} can log in again.")
            return redirect("accounts:student", classroom.pk, learner.pk)
        else:
            context["error"] = "Choose “Reset the password” or “Unlock”."
            status = 400
    context["locked_until"] = locked_until(learner.get_username())
    return render(request, "accounts/student.html", context, status=status)


def too_many_requests(request: HttpRequest, exception=None) -> HttpResponse:
    """RATELIMIT_VIEW: a throttled request (nothing of it was done)."""
    seconds = getattr(exception, "seconds_left", None)
    retry_at = timezone.now() + timezone.timedelta(seconds=seconds) if seconds else None
    response = render(request, "429.html", {"retry_at": retry_at}, status=429)
    if seconds:
        response["Retry-After"] = str(seconds)
    return response
