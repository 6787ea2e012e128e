"""A printable handout for a class: its name, the sign-up address with the code filled in,
the code in large type, a QR code of the address, and three steps. For the teacher who
owns the class (or a superuser) to print or to show on a projector; 404 for anyone else."""

import segno
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from .models import Classroom


def qr_svg(url: str) -> str:
    """The QR code of `url` as SVG to inline in HTML: a viewBox and one path, sized by the
    stylesheet. Presentation attributes only (no `style`), which the Content-Security-
    Policy allows; error correction M, so a folded or smudged sheet still scans."""
    return segno.make(url, error="m", micro=False).svg_inline(
        omitsize=True, svgclass="qr-code", lineclass="qr-line"
    )


@login_required
@require_GET
def handout(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_staff:
        raise Http404("No such class.")
    classroom = get_object_or_404(
        Classroom.objects.taught_by(request.user).select_related("teacher"), pk=pk
    )
    join_url = request.build_absolute_uri(classroom.get_join_url())
    return render(
        request,
        "classes/handout.html",
        {
            "classroom": classroom,
            "join_url": join_url,
            # segno writes only a viewBox, a class and path data: nothing from a user.
            "qr_svg": mark_safe(qr_svg(join_url)),
        },
    )
