from django.contrib.admin.apps import AdminConfig


class TeacherAdminConfig(AdminConfig):
    """Django's admin, with the teacher's workspace (`config.admin`) as its default site."""

    default_site = "config.admin.TeacherAdminSite"
