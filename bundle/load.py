"""Reading a bundle file: bytes to a tree of JSON values that is safe to validate and store.

load() refuses, with a BundleError and never an exception of another kind, a file that
cannot be read, is not UTF-8, is not JSON (NaN and Infinity are not), is nested deeper
than any bundle, or holds a string the database cannot store: a NUL character, or an
unpaired surrogate (a JSON `\\ud800` escape that is half of a character). So what it
returns can be quoted in a message, printed and saved.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path
from typing import Any

from .errors import BundleError, Problem

# A bundle needs 7 levels (the bundle, quizzes, a quiz, questions, a question, choices,
# a choice); deeper is not a bundle, and far deeper would exhaust Python's stack.
MAX_DEPTH = 20


class JSONObject(dict):
    """A JSON object that remembers the names it held twice (json keeps only the last)."""

    repeated_names: tuple[str, ...] = ()


def _object_from_pairs(pairs: list[tuple[str, Any]]) -> JSONObject:
    obj = JSONObject(pairs)
    repeated = tuple(name for name, n in Counter(name for name, _ in pairs).items() if n > 1)
    if repeated:
        obj.repeated_names = repeated
    return obj


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a JSON value")


def default_name(source: Any) -> str:
    """The name messages give a bundle: its file's name, else "bundle"."""
    if isinstance(source, str | os.PathLike):
        return Path(source).name
    file_name = getattr(source, "name", None)
    if isinstance(file_name, str) and file_name:
        return Path(file_name).name
    return "bundle"


def load(source: Any, *, name: str | None = None) -> Any:
    """Parse a bundle from a path or an open file (text or binary); a dict passes through
    once its text is known to be storable.

    The result is not validated yet: see bundle.validate."""
    name = name or default_name(source)

    def refuse(message: str, code: str, where: str = "") -> BundleError:
        return BundleError([Problem.at(name, where, message, code)])

    if isinstance(source, dict):
        problem = _unstorable(source)
        if problem:
            raise refuse(*problem)
        return source

    try:
        is_path = isinstance(source, str | os.PathLike)
        raw = Path(source).read_bytes() if is_path else source.read()
    except OSError as error:
        raise refuse(f"cannot read the file: {error.strerror or error}", "unreadable") from error
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise refuse(
                f"not UTF-8 text (byte {error.start + 1} cannot be decoded)", "not_utf8"
            ) from error
    try:
        data = json.loads(
            raw, object_pairs_hook=_object_from_pairs, parse_constant=_refuse_constant
        )
    except json.JSONDecodeError as error:
        raise refuse(
            f"not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})", "not_json"
        ) from error
    except RecursionError as error:
        raise refuse(_TOO_DEEP, "too_deep") from error
    except ValueError as error:  # NaN, Infinity, an integer of thousands of digits
        raise refuse(f"not valid JSON: {error}", "not_json") from error
    problem = _unstorable(data)
    if problem:
        raise refuse(*problem)
    return data


_TOO_DEEP = f"nested too deeply: a bundle has at most {MAX_DEPTH} levels of lists and objects"


def _unstorable(data: Any) -> tuple[str, str, str] | None:
    """The first thing in `data` that no bundle may hold, as (message, code, where):
    nesting beyond MAX_DEPTH, or a string (a value or a name) that is not storable text.
    Walks with a stack of its own, so that no depth can exhaust Python's."""
    stack: list[tuple[Any, str, int]] = [(data, "", 1)]
    while stack:
        value, path, depth = stack.pop()
        if isinstance(value, str):
            problem = _text_problem(value)
            if problem:
                return (*problem, path)
            continue
        if not isinstance(value, dict | list):
            continue
        if depth > MAX_DEPTH:
            return _TOO_DEEP, "too_deep", path
        if isinstance(value, dict):
            for key, item in value.items():
                at = f"{path}.{key}" if path else key
                problem = _text_problem(key)
                if problem:
                    return f"a name {problem[0]}", problem[1], path
                stack.append((item, at, depth + 1))
        else:
            stack.extend((item, f"{path}[{i}]", depth + 1) for i, item in enumerate(value))
    return None


def _text_problem(text: str) -> tuple[str, str] | None:
    if "\x00" in text:
        return "contains a NUL character (\\u0000), which text in a lesson cannot hold", "nul"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        return (
            f"contains an unpaired surrogate (\\u{ord(text[error.start]):04x}), "
            "half of a character, which is not text",
            "unpaired_surrogate",
        )
    return None
