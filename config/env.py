"""Reading the environment strictly, for config/settings.py and config/gunicorn.py.

Each helper takes the variable's name and its default written as one would set it
(`"1"`, `"60"`, `"127.0.0.1,localhost"`), and returns the parsed value, or raises
ImproperlyConfigured naming the variable: `HTTPS=ture` stops the process instead of
quietly turning HTTPS off. A variable set to the empty string counts as unset (but where
`allow_empty` says that the empty string is a value of its own).

Every variable read is recorded in READ with its default, so that a test can hold the
README's Configuration table (the one list of variables) against what the code reads.
"""

import os
import zoneinfo
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

READ: dict[str, str] = {}

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off"}
DATABASE_SCHEMES = {"sqlite", "postgres", "postgresql", "pgsql", "psql"}
REDIS_SCHEMES = {"redis", "rediss", "unix"}


def _raw(name: str, default: str, *, empty_is_unset: bool = True) -> str:
    READ[name] = default
    value = os.environ.get(name)
    if value is None or (empty_is_unset and value == ""):
        return default
    return value


def _refuse(name: str, problem: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(f"{name}: {problem}")


def env_str(
    name: str, default: str = "", *, choices: tuple[str, ...] = (), allow_empty: bool = False
) -> str:
    value = _raw(name, default, empty_is_unset=not allow_empty)
    if choices and value not in choices:
        raise _refuse(name, f"{value!r} is not one of {', '.join(choices)}")
    return value


def env_timezone(name: str, default: str) -> str:
    """A name from the tz database: UTC, Europe/London."""
    value = _raw(name, default)
    try:
        zoneinfo.ZoneInfo(value)
    except (ValueError, zoneinfo.ZoneInfoNotFoundError):
        raise _refuse(name, f"{value!r} is not a time zone name like Europe/London") from None
    return value


def env_bool(name: str, default: str) -> bool:
    value = _raw(name, default)
    if value.lower() in TRUE:
        return True
    if value.lower() in FALSE:
        return False
    raise _refuse(name, f"{value!r} is not a boolean: use 1 or 0 (or true/false, yes/no, on/off)")


def env_int(name: str, default: str, *, minimum: int = 0) -> int | None:
    """An integer of at least `minimum`; None when unset with an empty default."""
    value = _raw(name, default).strip()
    if value == "":
        return None
    try:
        number = int(value)
    except ValueError:
        raise _refuse(name, f"{value!r} is not a whole number") from None
    if number < minimum:
        raise _refuse(name, f"{number} is below the minimum of {minimum}")
    return number


def env_list(name: str, default: str) -> list[str]:
    """Comma-separated items, none of them empty or holding a space."""
    value = _raw(name, default)
    if value == "":
        return []
    items = [item.strip() for item in value.split(",")]
    for item in items:
        if not item or " " in item:
            raise _refuse(
                name, f"{value!r} is not a comma-separated list (an item is empty or has a space)"
            )
    return items


def env_url(name: str, default: str, *, schemes: set[str]) -> str:
    """A URL with one of `schemes` and a host or path. Its text is never repeated in the
    message, since it may hold a password."""
    value = _raw(name, default)
    if value == "":
        return ""
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError as error:
        raise _refuse(name, f"not a valid URL ({error})") from None
    if parts.scheme not in schemes:
        raise _refuse(
            name,
            f"the scheme {parts.scheme or '(none)'!r} is not one of {', '.join(sorted(schemes))}",
        )
    if not (parts.netloc or parts.path.strip("/")):
        raise _refuse(name, "the URL names no host and no path")
    return value


def env_database_url(name: str, default: str) -> str:
    value = env_url(name, default, schemes=DATABASE_SCHEMES)
    if not urlsplit(value).path.strip("/"):
        raise _refuse(name, "the URL names no database (postgres://user@host:5432/NAME)")
    return value


def env_origins(name: str, default: str) -> list[str]:
    """Comma-separated origins, each a scheme and a host: https://school.example."""
    origins = env_list(name, default)
    for origin in origins:
        parts = urlsplit(origin)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise _refuse(name, f"{origin!r} is not an origin like https://school.example")
    return origins


def env_hosts(name: str, default: str) -> list[str]:
    """Comma-separated host names (no scheme, no path): school.example, .school.example."""
    hosts = env_list(name, default)
    for host in hosts:
        if "/" in host:
            raise _refuse(name, f"{host!r} is a URL, not a host name: write school.example")
    return hosts
