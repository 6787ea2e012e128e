"""The teacher's workspace: Django's admin site with the project's titles, and a home page
that lists the teacher's classes (read by the view, not by a template tag).

Every list page's actions are guarded here, once for every model admin: the ticked rows
(`_selected_action`) must be ids of the model, else the post is a 400 with a message
(Django would filter by them and fail with a 500)."""

import functools

from django.contrib import admin
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.shortcuts import render

from classes.models import Classroom

BAD_SELECTION = (
    "The rows chosen for this action are not rows of this list (each must be an id). "
    "Nothing was changed. Go back to the list, tick the rows again and retry."
)


def _valid_selection(model_admin, request) -> bool:
    pk = model_admin.model._meta.pk
    try:
        for value in request.POST.getlist(helpers.ACTION_CHECKBOX_NAME):
            # to_python refuses "abc"; the validators refuse an id no column holds.
            pk.run_validators(pk.to_python(value))
    except ValidationError:
        return False
    return True


def _guard_selection(model_admin, view):
    @functools.wraps(view)
    def guarded(request, *args, **kwargs):
        if request.method == "POST" and not _valid_selection(model_admin, request):
            context = {"message": BAD_SELECTION, "code": "bad_selection"}
            return render(request, "bad_input.html", context, status=400)
        return view(request, *args, **kwargs)

    return guarded


class TeacherAdminSite(admin.AdminSite):
    site_header = "Sourcewise — teacher's workspace"
    site_title = "Sourcewise"
    index_title = "Lessons, quizzes and results"

    def index(self, request, extra_context=None):
        context = {"classes_taught": Classroom.objects.home_for(request.user)}
        return super().index(request, {**context, **(extra_context or {})})

    def admin_view(self, view, cacheable=False):
        model_admin = getattr(view, "__self__", None)
        if isinstance(model_admin, admin.ModelAdmin) and view.__name__ == "changelist_view":
            view = _guard_selection(model_admin, view)
        return super().admin_view(view, cacheable)
