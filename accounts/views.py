"""A teacher's page for a learner of their class (reset the password, lift a lockout, set
their time zone), a user's own time zone page, and the 429 page of the throttles."""

from functools import wraps

from django.contrib import messages
from django.contrib.admin import site
from django.contrib.auth.decorators import login_required
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
from .zones import TimeZoneForm, set_zone, zone_of


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
    """GET: the learner, their lockout and zone; POST action=reset, unlock or time_zone."""
    classroom = _scoped_class(request, classroom_id)
    learner = get_object_or_404(_learners(classroom), pk=student_id)
    context = {**site.each_context(request), "classroom": classroom, "learner": learner}
    zone_form = TimeZoneForm(initial={"time_zone": zone_of(learner)})
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "time_zone":
            zone_form = TimeZoneForm(request.POST)
            if zone_form.is_valid():
                set_zone(learner, zone_form.cleaned_data["time_zone"])
                messages.success(request, f"{learner.get_username()}'s time zone is saved.")
                return redirect("accounts:student", classroom.pk, learner.pk)
            status = 400
        elif action == "reset":
            context["one_time_password"] = reset_password(learner=learner, reset_by=request.user)
        elif action == "unlock":
            unlock(learner.get_username())
            messages.success(request, f"{learner.get_username()} can log in again.")
            return redirect("accounts:student", classroom.pk, learner.pk)
        else:
            context["error"] = "Choose “Reset the password” or “Unlock”."
            status = 400
    context["locked_until"] = locked_until(learner.get_username())
    context["zone_form"] = zone_form
    return render(request, "accounts/student.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def time_zone(request: HttpRequest) -> HttpResponse:
    """The signed-in user's own time zone: every date they see is shown in it."""
    posted = request.POST if request.method == "POST" else None
    form = TimeZoneForm(posted, initial={"time_zone": zone_of(request.user)})
    if posted is not None and form.is_valid():
        set_zone(request.user, form.cleaned_data["time_zone"], request)
        messages.success(request, "Your time zone is saved: dates now show in it.")
        return redirect("accounts:time_zone")
    status = 400 if form.errors else 200
    context = {"form": form, "now": timezone.now()}
    return render(request, "accounts/time_zone.html", context, status=status)


def too_many_requests(request: HttpRequest, exception=None) -> HttpResponse:
    """RATELIMIT_VIEW: a throttled request (nothing of it was done)."""
    seconds = getattr(exception, "seconds_left", None)
    retry_at = timezone.now() + timezone.timedelta(seconds=seconds) if seconds else None
    response = render(request, "429.html", {"retry_at": retry_at}, status=429)
    if seconds:
        response["Retry-After"] = str(seconds)
    return response
