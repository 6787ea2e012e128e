"""Refuse a NUL character before any view sees it.

No text a page stores or searches can hold one (PostgreSQL refuses it in a text column
and in a query), and no form needs one, so a NUL in the address, the query string or a
posted field is a 400 with a message (JSON with the code `nul` for the page's script),
and nothing runs further."""

from django.http import JsonResponse
from django.shortcuts import render

from lessons.http import is_fetch

NUL_MESSAGE = (
    "This request holds a NUL character (\\0, code 0), which no address or form field can "
    "hold. Nothing was saved. Go back, retype the text and send it again."
)


def _has_nul(query_dict) -> bool:
    return any(
        "\x00" in key or any("\x00" in v for v in values) for key, values in query_dict.lists()
    )


class RefuseNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # request.POST parses form bodies only; a malformed body raises Django's own 400.
        if (
            "\x00" in request.path_info
            or _has_nul(request.GET)
            or (request.method == "POST" and _has_nul(request.POST))
        ):
            if is_fetch(request):
                return JsonResponse(
                    {"saved": False, "code": "nul", "error": NUL_MESSAGE}, status=400
                )
            return render(
                request, "bad_input.html", {"message": NUL_MESSAGE, "code": "nul"}, status=400
            )
        return self.get_response(request)
