from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views
from .forms import NewPasswordForm

app_name = "accounts"

urlpatterns = [
    # Django's own views, in the site's look (the admin keeps its own for teachers).
    path(
        "password_change/",
        auth_views.PasswordChangeView.as_view(
            form_class=NewPasswordForm,
            template_name="accounts/password_change_form.html",
            success_url=reverse_lazy("accounts:password_change_done"),
        ),
        name="password_change",
    ),
    path(
        "password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/password_change_done.html"
        ),
        name="password_change_done",
    ),
    path("time-zone/", views.time_zone, name="time_zone"),
    path(
        "classes/<int:classroom_id>/students/",
        views.classroom_students,
        name="classroom_students",
    ),
    path(
        "classes/<int:classroom_id>/students/<int:student_id>/",
        views.student,
        name="student",
    ),
]
