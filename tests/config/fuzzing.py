"""The fuzz test's machinery (tests/config/test_fuzz.py): every URL pattern of the project,
read from the resolver; the values that fill a pattern's arguments; the malformed values
sent in their place; and a sender that makes each request in a savepoint of its own,
records what it wrote, and rolls it back, so every request meets the same data.

Nothing here lists the project's endpoints: a new URL is fuzzed as soon as it is routed.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from copy import deepcopy
from dataclasses import dataclass, field
from urllib.parse import quote_from_bytes

from django.apps import apps
from django.contrib import admin
from django.core.signals import got_request_exception
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern

PERSONAS = ["anonymous", "student", "other_student", "teacher", "other_teacher", "superuser"]

# --- the endpoints --------------------------------------------------------------------------


@dataclass(frozen=True)
class Param:
    name: str
    converter: str  # int, str, slug, path, uuid, or regex (a named group)


@dataclass
class Endpoint:
    route: str  # as ResolverMatch.route spells it
    key: str  # "namespace:name", or the route of an unnamed pattern
    pieces: tuple  # the patterns from the root down, to build a path from
    params: tuple[Param, ...]
    model: type | None = None  # the model whose admin serves these URLs

    def path(self, values: dict[str, str]) -> str:
        out = ""
        for piece in self.pieces:
            text = str(piece)
            if isinstance(piece, RegexPattern):
                text = _fill_groups(text.removeprefix("^").removesuffix("$"), values)
            else:
                text = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m[1]], text)
            out += text
        return "/" + out


def _fill_groups(regex: str, values: dict[str, str]) -> str:
    """`regex` with each named group replaced by its value (a group may nest parentheses)."""
    out, i = "", 0
    while (start := regex.find("(?P<", i)) != -1:
        name = regex[start + 4 : regex.index(">", start)]
        depth, j = 0, start
        while True:
            depth += {"(": 1, ")": -1}.get(regex[j], 0) if regex[j - 1 : j] != "\\" else 0
            j += 1
            if depth == 0:
                break
        out += regex[i:start] + values[name]
        i = j
    return out + regex[i:]


_CONVERTERS = {
    "IntConverter": "int",
    "StringConverter": "str",
    "SlugConverter": "slug",
    "PathConverter": "path",
    "UUIDConverter": "uuid",
}


def _params(pattern) -> list[Param]:
    if isinstance(pattern, RegexPattern):
        return [Param(name, "regex") for name in pattern.regex.groupindex]
    return [
        Param(name, _CONVERTERS.get(type(conv).__name__, "str"))
        for name, conv in pattern.converters.items()
    ]


def _admin_model(route: str):
    for model in admin.site._registry:
        if route.startswith(f"admin/{model._meta.app_label}/{model._meta.model_name}/"):
            return model
    return None


def endpoints() -> list[Endpoint]:
    """Every URL pattern the project routes, the admin's included, in the resolver's order."""
    found = []

    def walk(resolver, pieces, route, namespace, params):
        for p in resolver.url_patterns:
            sub_route = URLResolver._join_route(route, str(p.pattern))
            sub_params = params + _params(p.pattern)
            if isinstance(p, URLResolver):
                ns = ":".join(filter(None, [namespace, p.namespace]))
                walk(p, (*pieces, p.pattern), sub_route, ns, sub_params)
            elif isinstance(p, URLPattern):
                name = f"{namespace}:{p.name}" if namespace and p.name else p.name
                found.append(
                    Endpoint(
                        route=sub_route,
                        key=name or sub_route,
                        pieces=(*pieces, p.pattern),
                        params=tuple(sub_params),
                        model=_admin_model(sub_route),
                    )
                )

    walk(get_resolver(), (), "", "", [])
    return found


# --- malformed values ---------------------------------------------------------------------

HUGE = "9" * 30  # beyond any integer column
SURROGATE = "%ED%A0%80"  # the UTF-8 bytes of U+D800, half of a character
NUL = "%00"

BAD_PATH_VALUES = {
    # <int:...> matches digits only: sizes no column holds.
    "int": [HUGE, "9223372036854775808", "2147483648", "0"],
    "slug": ["no-such-thing", HUGE, "-1", "x" * 2000],
    # str, path and named groups take anything between the slashes.
    "other": ["abc", HUGE, "-1", "1e9", NUL, SURROGATE, "x" * 2000],
}

BAD_QUERIES = [
    "classroom=abc",
    "classroom=1e9",
    f"classroom={HUGE}",
    "classroom=-1",
    "classroom=1&classroom=abc",
    f"classroom={SURROGATE}",
    "page=-1&p=-1",
    f"p={HUGE}",
    "p=abc",
    "o=",
    "o=abc.-x.999",
    f"o={HUGE}",
    f"q={NUL}",
    f"q={SURROGATE}",
    "q=" + "a" * 10_000,
    "e=1&_popup=abc&_to_field=password",
    f"_changelist_filters={NUL}",
    f"_changelist_filters=classroom%3D{HUGE}",
    "csv=learners&classroom=abc",
    "csv=confusion&cell=abc",
    f"csv={SURROGATE}",
    "cell=abc",
    "cell=1-2-3",
    f"cell={HUGE}-1",
    f"marks={NUL}",
    "marks=on&marks=off",
    "key=1&key=abc",
    f"code={NUL}",
    f"code={SURROGATE}" * 50,
    f"next={NUL}",
    "next=//evil.example/",
    "go=prev&go=review",
    # The admin's autocomplete, with crafted names and ids.
    "app_label=lessons&model_name=claim&field_name=source&term=a",
    "app_label=quizzes&model_name=choice&field_name=source&term=1",
    "app_label=lessons&model_name=source&field_name=parent&term=%00",
    f"app_label=lessons&model_name=claim&field_name=source&term={SURROGATE}&page={HUGE}",
    "app_label=..&model_name=%2e%2e&field_name=__class__",
    "app_label=auth&model_name=user&field_name=password&term=a",
    "app_label=lessons&model_name=nosuch&field_name=source",
    f"app_label=lessons&model_name=claim&field_name={SURROGATE}",
]

# Names a view may read from a form post, sent with every body beside the page's own.
COMMON_FIELDS = ["choice", "go", "code", "next", "action", "_selected_action", "index", "post"]

# Bodies: name -> how each field's values are made (a list: the field is repeated).
BAD_BODY_VALUES = {
    "nul": lambda name: ["a\x00b"],
    "huge_int": lambda name: [HUGE],
    "negative": lambda name: ["-1"],
    "arrays": lambda name: ["1", HUGE, "abc"],
    "oversized": lambda name: ["x" * 5000],
    "empty": lambda name: [""],
}
NUL_BODIES = {"nul"}
# An admin action on rows named by anything but their ids.
CRAFTED_ACTION = {
    "action": ["delete_selected"],
    "_selected_action": ["abc", HUGE, "-1"],
    "index": ["0"],
    "select_across": ["abc"],
}


def urlencoded(fields: dict[str, list[str | bytes]]) -> bytes:
    parts = []
    for name, values in fields.items():
        for value in values:
            raw = value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")
            parts.append(f"{quote_from_bytes(name.encode())}={quote_from_bytes(raw)}")
    return "&".join(parts).encode("ascii")


BOUNDARY = "fuzzBoundary7MA4YWxkTrZu0gW"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"


def multipart(fields: dict[str, list[bytes]], files: dict[str, tuple[bytes, bytes]]) -> bytes:
    """A multipart body written byte by byte, so a value may be any bytes at all."""
    out = b""
    for name, values in fields.items():
        for value in values:
            out += (
                f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
                + value
                + b"\r\n"
            )
    for name, (filename, content) in files.items():
        out += (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"; filename="'.encode()
            + filename
            + b'"\r\nContent-Type: application/json\r\n\r\n'
            + content
            + b"\r\n"
        )
    return out + f"--{BOUNDARY}--\r\n".encode()


DEPTH = 5000
BAD_UPLOADS = {
    "nested_lists": b"[" * DEPTH + b"]" * DEPTH,
    "nested_objects": b'{"a":' * DEPTH + b"1" + b"}" * DEPTH,
    "not_utf8": b'\xff\xfe{"slug": "caf\xe9"}',
    "nul_raw": b'{"slug": "a\x00b"}',
    "nul_escaped": b'{"format": "sourcewise-lesson", "lesson": {"slug": "a\\u0000b"}}',
    "surrogate_escaped": b'{"lesson": {"title": "\\ud800"}}',
    "surrogate_raw": b'{"lesson": {"title": "\xed\xa0\x80"}}',
    "huge_int": b'{"version": ' + b"9" * 5000 + b"}",
    "not_json": b"lesson: yes\n",
    "empty": b"",
    "wrong_shapes": b'{"format": [], "version": {}, "lesson": "x", "quizzes": 7}',
    "huge": b'{"lesson": "' + b"x" * (6 * 1024 * 1024) + b'"}',
}

# --- the page's own form -------------------------------------------------------------------

_FIELD = re.compile(r"<(?:input|select|textarea)\b[^>]*?\bname=\"([^\"]+)\"[^>]*>", re.S)
_FILE = re.compile(r"<input\b[^>]*?\btype=\"file\"[^>]*?\bname=\"([^\"]+)\"", re.S)


def form_fields(html: str) -> tuple[list[str], list[str]]:
    """The names of a page's form fields, and of its file inputs."""
    files = list(dict.fromkeys(_FILE.findall(html)))
    names = [n for n in dict.fromkeys(_FIELD.findall(html)) if n not in files]
    return [n for n in names if n != "csrfmiddlewaretoken"], files


# --- sending ------------------------------------------------------------------------------

# Writes a refusal makes on purpose: the session (messages, the CSRF token) and, when the
# login lockout is installed, its record of failed logins.
# Sessions, and what the login pauses and code throttles count: counting refused tries is
# their job.
UNWATCHED_TABLES = ("django_session", "axes_", "accounts_throttle_cache")
_WRITE = re.compile(
    r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+"?(\w+)"?',
    re.I,
)


def watched_tables() -> list[str]:
    return sorted(
        {
            m._meta.db_table
            for m in apps.get_models(include_auto_created=True)
            if not m._meta.db_table.startswith(UNWATCHED_TABLES)
        }
    )


def row_counts(tables: list[str]) -> tuple[int, ...]:
    """Every watched table's row count, in one query."""
    qn = connection.ops.quote_name
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {qn(t)})" for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(cursor.fetchone())


@dataclass
class Outcome:
    persona: str
    method: str
    url: str
    note: str
    status: int
    writes: list[str]
    counts_changed: bool
    route: str | None
    exception: str = ""
    response: object = None


@dataclass
class Sender:
    """Sends requests as the personas, each in a savepoint rolled back afterwards."""

    clients: dict[str, Client]
    tables: list[str] = field(default_factory=watched_tables)
    requests: Counter = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    reached: Counter = field(default_factory=Counter)

    def __post_init__(self):
        self.baseline = row_counts(self.tables)
        self._exc = None
        got_request_exception.connect(self._caught, weak=False)

    def close(self):
        got_request_exception.disconnect(self._caught)

    def _caught(self, sender, request=None, **kwargs):
        exc_type, exc, _ = sys.exc_info()
        self._exc = f"{exc_type.__name__}: {str(exc)[:200]}" if exc_type else "?"

    def send(
        self,
        persona: str,
        method: str,
        path: str,
        *,
        query: str = "",
        body: bytes = b"",
        content_type: str = "application/x-www-form-urlencoded",
        note: str = "",
        csrf: bool = False,
        headers: dict | None = None,
    ) -> Outcome:
        client = self.clients[persona]
        if csrf:
            enforcing = Client(enforce_csrf_checks=True, raise_request_exception=False)
            enforcing.cookies = deepcopy(client.cookies)
            client = enforcing
        cookies = deepcopy(client.cookies)
        url = f"{path}?{query}" if query else path
        writes: list[str] = []

        def record(execute, sql, params, many, context):
            match = _WRITE.match(sql)
            if match and not match[1].startswith(UNWATCHED_TABLES):
                writes.append(match[1])
            return execute(sql, params, many, context)

        self._exc = None
        changed = False
        with transaction.atomic():
            with connection.execute_wrapper(record):
                response = client.generic(
                    method, url, body, content_type=content_type, headers=headers
                )
            try:
                changed = row_counts(self.tables) != self.baseline
            except DatabaseError:  # a view left the transaction broken: that is a 500 too
                changed = True
            transaction.set_rollback(True)
        client.cookies = cookies
        self.requests[persona] += 1
        match = getattr(response, "resolver_match", None)
        outcome = Outcome(
            persona,
            method,
            url[:200],
            note,
            response.status_code,
            writes,
            changed,
            match.route if match else None,
            self._exc or "",
            response,
        )
        self._judge(outcome)
        return outcome

    def _judge(self, o: Outcome):
        where = f"{o.persona} {o.method} {o.url} [{o.note}] -> {o.status}"
        if o.status >= 500:
            self.problems.append(f"{where}: {o.exception or 'server error'}")
        elif o.status >= 400 and (o.writes or o.counts_changed):
            self.problems.append(f"{where}: refused, yet wrote {sorted(set(o.writes))}")
