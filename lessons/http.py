"""Request helpers the apps' views share (lessons is the bottom of the import graph)."""

from django.http import HttpRequest


def is_fetch(request: HttpRequest) -> bool:
    """A request from the page's own script (it sends X-Requested-With: fetch), which
    gets a short reply; a plain form post or link gets pages and redirects."""
    return request.headers.get("X-Requested-With") == "fetch"
