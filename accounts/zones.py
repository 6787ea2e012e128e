"""Each user's time zone: stored in `TimeZoneProfile`, kept in the session from login (so
no page pays a query for it), activated for every request by `TimeZoneMiddleware`.

Empty means the site's zone (the `TIME_ZONE` setting). A teacher's change of a learner's
zone reaches the learner's pages at their next login; the learner's own change, at once."""

import zoneinfo
from functools import cache

from django import forms
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import ValidationError
from django.utils import timezone

SESSION_ZONE_KEY = "accounts_time_zone"


@cache
def zone_names() -> tuple[str, ...]:
    return tuple(sorted(zoneinfo.available_timezones()))


def validate_time_zone(value: str) -> None:
    if value and value not in zone_names():
        raise ValidationError(
            "“%(value)s” is not a time zone name; choose one from the list (like "
            "Europe/London or America/New_York).",
            code="unknown_time_zone",
            params={"value": value[:80]},
        )


def zone_of(user) -> str:
    """The user's own zone name, '' for the site's (one query)."""
    from .models import TimeZoneProfile

    zone = TimeZoneProfile.objects.filter(user=user).values_list("time_zone", flat=True).first()
    return zone or ""


def set_zone(user, zone: str, request=None) -> None:
    """Store `user`'s zone ('' for the site's); `request`: theirs, whose session follows."""
    from .models import TimeZoneProfile

    validate_time_zone(zone)
    TimeZoneProfile.objects.update_or_create(user=user, defaults={"time_zone": zone})
    if request is not None and request.user.pk == user.pk:
        request.session[SESSION_ZONE_KEY] = zone
        _activate(zone)


def _activate(zone: str) -> None:
    if zone and zone in zone_names():
        timezone.activate(zoneinfo.ZoneInfo(zone))
    else:
        timezone.deactivate()


class TimeZoneMiddleware:
    """Dates on every page in the signed-in user's zone (the site's for everyone else).
    The zone is read from the session (written at login), so no query is added; a session
    from before this middleware looks it up once."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        zone = ""
        if SESSION_KEY in request.session:
            zone = request.session.get(SESSION_ZONE_KEY)
            if zone is None:
                zone = zone_of(request.session[SESSION_KEY])
                request.session[SESSION_ZONE_KEY] = zone
        _activate(zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


def zone_choices() -> list[tuple[str, str]]:
    return [("", f"The school's time zone ({settings.TIME_ZONE})")] + [
        (name, name.replace("_", " ")) for name in zone_names()
    ]


class TimeZoneForm(forms.Form):
    time_zone = forms.ChoiceField(
        label="Time zone",
        required=False,
        help_text="Every date and time is shown in this zone, with its abbreviation.",
        error_messages={
            "invalid_choice": "“%(value)s” is not a time zone; choose one from the list."
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = zone_choices()
