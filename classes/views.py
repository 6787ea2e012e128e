"""Students join classes: a new student signs up with a class code; a student with an
account joins another class with one."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from .forms import JoinForm, SignupForm
from .throttle import throttle_join_code, throttle_signup_code, throttle_signups
from .work import work_for


@throttle_signups
@throttle_signup_code
@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("classes:join")
    status = 200
    if request.method == "POST":
        form = SignupForm(request.POST)
        if form.is_valid():
            with transaction.atomic():
                user = form.save()
                form.classroom.students.add(user)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"Welcome! You are in the class “{form.classroom.name}”.")
            return redirect("classes:work")
        request.wrong_code = "code" in form.errors
        status = 400
    else:
        form = SignupForm(initial={"code": request.GET.get("code", "")})
    return render(request, "classes/signup.html", {"form": form}, status=status)


@login_required
@throttle_join_code
@require_http_methods(["GET", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    if request.user.is_staff:
        messages.info(
            request,
            "Teacher accounts do not join classes as students. Your classes are in the "
            "teacher's workspace.",
        )
        return redirect("classes:work")
    status = 200
    if request.method == "POST":
        form = JoinForm(request.POST)
        if form.is_valid():
            classroom = form.classroom
            if classroom.students.filter(pk=request.user.pk).exists():
                messages.info(request, f"You are already in the class “{classroom.name}”.")
            else:
                classroom.students.add(request.user)
                messages.success(request, f"You joined the class “{classroom.name}”.")
            return redirect("classes:work")
        request.wrong_code = "code" in form.errors
        status = 400
    else:
        form = JoinForm(initial={"code": request.GET.get("code", "")})
    return render(request, "classes/join.html", {"form": form}, status=status)


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """The old "My classes" address: My work replaced it."""
    return redirect("classes:work", permanent=True)


@login_required
@require_GET
def work(request: HttpRequest) -> HttpResponse:
    """My work, the student's home: each assigned quiz, where they stand, what is next."""
    items = work_for(request.user)
    return render(
        request,
        "classes/work.html",
        {
            "items": items,
            "to_do": [i for i in items if i.to_do],
            "classrooms": list(request.user.classrooms.select_related("teacher")),
        },
    )
