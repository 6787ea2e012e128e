"""Dates as every page shows them: the project's one format (`DATETIME_FORMAT`, with the
zone's abbreviation: config/formats/), in the zone of the request (the user's, activated
by `accounts.middleware.TimeZoneMiddleware`). Templates use `|date:"DATETIME_FORMAT"`;
Python text (messages) uses `show`."""

from django.utils import formats, timezone


def show(moment, format_name: str = "DATETIME_FORMAT") -> str:
    """`moment` (an aware datetime) in the current time zone, in the project's format."""
    if moment is None:
        return ""
    return formats.date_format(timezone.localtime(moment), format_name)


def input_value(moment) -> str:
    """`moment` as the admin's date inputs show it (DATETIME_INPUT_FORMATS' first)."""
    fmt = formats.get_format("DATETIME_INPUT_FORMATS")[0]
    return formats.localize_input(timezone.localtime(moment), fmt)
