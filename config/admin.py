"""The teacher's workspace: Django's admin site with the project's titles, and a home page
that lists the teacher's classes (read by the view, not by a template tag)."""

from django.contrib import admin

from classes.models import Classroom


class TeacherAdminSite(admin.AdminSite):
    site_header = "Sourcewise — teacher's workspace"
    site_title = "Sourcewise"
    index_title = "Lessons, quizzes and results"

    def index(self, request, extra_context=None):
        context = {"classes_taught": Classroom.objects.home_for(request.user)}
        return super().index(request, {**context, **(extra_context or {})})
