"""Login lockouts (django-axes): when one ends, the branded page that says so, and unlocking."""

from datetime import datetime

from axes.helpers import get_client_ip_address, get_client_username, get_cool_off
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone


def lockouts(usernames, ip_address: str | None = None) -> dict[str, datetime]:
    """When the lockout of each locked-out username ends (from `ip_address`, or from any
    address), in one query: the last counted failure plus the cool-off. Failures while
    locked out are not counted (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT is off), so
    the time shown holds."""
    cool_off = get_cool_off()
    attempts = AccessAttempt.objects.filter(
        username__in=list(usernames), attempt_time__gte=timezone.now() - cool_off
    )
    if ip_address is not None:
        attempts = attempts.filter(ip_address=ip_address)
    groups = (
        attempts.values("username", "ip_address")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by()
    )
    ends: dict[str, datetime] = {}
    for group in groups:
        end = group["last"] + cool_off
        ends[group["username"]] = max(end, ends.get(group["username"], end))
    return ends


def locked_until(username: str, ip_address: str | None = None) -> datetime | None:
    """When a lockout of `username` ends, or None when it is not locked out."""
    return lockouts([username], ip_address).get(username)


def unlock(username: str) -> int:
    """Forget every failed login of `username`, from every address; the count removed."""
    return reset(username=username)


def lockout_response(request: HttpRequest, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the page a locked-out login attempt gets (429, Retry-After)."""
    username = get_client_username(request, credentials) or ""
    until = locked_until(username, get_client_ip_address(request))
    if until is None:  # pragma: no cover - axes calls this only while a lockout holds
        until = timezone.now() + get_cool_off()
    response: HttpResponse = render(
        request,
        "accounts/locked_out.html",
        {
            "until": until,
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "admin_login": request.path == reverse("admin:login"),
        },
        status=429,
    )
    response["Retry-After"] = str(max(0, int((until - timezone.now()).total_seconds())))
    return response


# Django's longest username; axes stores what was typed in a 255-character column, which
# PostgreSQL enforces: a pasted megabyte must not turn a failed login into a server error.
USERNAME_MAX = 150


def lockout_username(request: HttpRequest, credentials: dict | None = None) -> str:
    """The username a login try is counted under (AXES_USERNAME_CALLABLE): as typed, cut
    to the longest any account can have, so every try still counts against it."""
    typed = (credentials or {}).get("username")
    if typed is None:
        typed = request.POST.get("username", "") if request is not None else ""
    return str(typed)[:USERNAME_MAX]
