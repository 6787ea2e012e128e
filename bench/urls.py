from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import urlpatterns as app_urlpatterns


def ceiling(request: HttpRequest) -> HttpResponse:
    """The least a Django view can do behind the same middleware: the benchmark's ceiling."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/ceiling/", ceiling), *app_urlpatterns]
