from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import path

from config.urls import urlpatterns as app_urlpatterns
from lessons.models import Lesson

# A tiny template: the user's name and one value from the database.
FLOOR = engines["django"].from_string(
    "<!doctype html><title>floor</title><p>{{ request.user.get_username }}: {{ title }}</p>"
)


def ceiling(request: HttpRequest) -> HttpResponse:
    """The least a Django view can do behind the same middleware: the benchmark's ceiling."""
    return HttpResponse("ok", content_type="text/plain")


@login_required
def floor(request: HttpRequest) -> HttpResponse:
    """The least a real page does: the session, the user, one query, a tiny template. What
    a logged-in page cannot go below with these settings: the benchmark's floor."""
    title = Lesson.objects.published().values_list("title", flat=True).first()
    return HttpResponse(FLOOR.render({"title": title}, request))


urlpatterns = [path("bench/ceiling/", ceiling), path("bench/floor/", floor), *app_urlpatterns]
