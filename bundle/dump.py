"""Exporting a lesson as a bundle: dump(lesson) -> dict, dumps(lesson) -> str.

Keys come in the order of bundle/schema.py (the order of docs/lesson-bundle.md), every
list in its stored order, so export -> import into an empty database -> export gives the
same bytes. Six queries, however large the lesson: one per list, each list's references
joined in.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import models
from django.db.models import Prefetch

from lessons.models import Lesson

from .schema import FORMAT, LESSON, LISTS, Children, Item


def dump(lesson: Lesson) -> dict:
    """The lesson as a bundle."""
    data: dict[str, Any] = {"format": FORMAT, "lesson": _dump(LESSON, lesson)}
    for list_name, item in LISTS.items():
        rows = _ordered(item).filter(**{item.within: lesson}).prefetch_related(*_prefetches(item))
        data[list_name] = [_dump(item, row) for row in rows]
    return data


def dumps(lesson: Lesson) -> str:
    """The bundle file's text: two-space indents, UTF-8 as is, a final newline."""
    return json.dumps(dump(lesson), indent=2, ensure_ascii=False) + "\n"


def _dump(item: Item, row: models.Model) -> dict:
    data = {}
    for f in item.fields:
        if isinstance(f, Children):
            items = [_dump(f.item, child) for child in getattr(row, f.name).all()]
            if items or not f.optional:
                data[f.name] = items
        elif not getattr(f, "optional", False):
            data[f.name] = f.from_model(row)
        elif not f.is_default(value := f.from_model(row)):
            data[f.name] = value
    return data


def _ordered(item: Item) -> models.QuerySet:
    return item.model.objects.select_related(*(ref.name for ref in item.refs)).order_by(
        "order", "id"
    )


def _prefetches(item: Item, prefix: str = "") -> list[Prefetch]:
    prefetches = []
    for child in item.children:
        path = f"{prefix}{child.name}"
        prefetches.append(Prefetch(path, queryset=_ordered(child.item)))
        prefetches.extend(_prefetches(child.item, f"{path}__"))
    return prefetches
