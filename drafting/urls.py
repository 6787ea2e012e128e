"""The drafting pages, under the admin (config/urls.py mounts them at
admin/lessons/lesson/): each behind the admin site's login and staff check."""

from django.contrib import admin
from django.urls import path

from . import admin_views

app_name = "drafting"


def _admin(view):
    return admin.site.admin_view(view)


urlpatterns = [
    path("from-article/", _admin(admin_views.new_lesson), name="new_lesson"),
    path("<int:lesson_id>/draft-review/", _admin(admin_views.review), name="review"),
    path("<int:lesson_id>/draft-publish/", _admin(admin_views.publish), name="publish"),
]
