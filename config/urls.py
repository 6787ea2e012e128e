from django.contrib import admin
from django.urls import include, path

from . import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    # The drafting pages (an article to a draft lesson, its review), under the lesson admin.
    path("admin/lessons/lesson/", include("drafting.urls")),
    path("admin/", admin.site.urls),
    # Before Django's auth views: its password change, in the site's look, comes first.
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("classes.urls")),
    path("", include("quizzes.urls")),
    path("", include("lessons.urls")),
]
