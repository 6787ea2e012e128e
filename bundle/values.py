"""How a bundle's messages name a JSON value: its type (`json_type`) and the value itself,
quoted (`show`)."""

from __future__ import annotations

import json
from typing import Any


def json_type(value: Any) -> str:
    """A value's JSON type, as a message names it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def show(value: Any) -> str:
    """A value as a message quotes it: scalars as JSON (long strings cut), containers by
    their type."""
    if isinstance(value, str) and len(value) > 80:
        value = value[:79] + "…"
    if value is None or isinstance(value, str | int | float):
        return json.dumps(value, ensure_ascii=False)
    return json_type(value)
