"""A lesson's content version: `Lesson.updated_at`, moved on every change of the lesson or
of its sections, sources and claims, so that what is cached under it (the rendered
reading, `lessons.reading.rendered_reading`) is never served after an edit.

Saving the lesson moves it itself (`auto_now`); saving or deleting a section, source or
claim moves it here, one UPDATE each (admin forms and inlines, the ORM, cascades). Writes
that send no signals (`QuerySet.update`, `bulk_create`, `bulk_update`, raw SQL) must call
`content_changed` themselves; the bundle import (`bundle/upsert.py`) does its own: inside
`deferred_bumps()` these handlers stay quiet and the import saves the lesson once when
anything changed (it always did, for `updated_at`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from .models import Claim, Lesson, Section, Source

_deferred: ContextVar[bool] = ContextVar("lesson_bumps_deferred", default=False)


def content_changed(*lesson_ids: int) -> None:
    """Move the content version of these lessons (a new cache key for their reading)."""
    ids = {i for i in lesson_ids if i is not None}
    if ids:
        Lesson.objects.filter(pk__in=ids).update(updated_at=timezone.now())


@contextmanager
def deferred_bumps() -> Iterator[None]:
    """Within the block, saving children does not move the version: the caller does, once."""
    token = _deferred.set(True)
    try:
        yield
    finally:
        _deferred.reset(token)


def bumps_deferred() -> bool:
    """Inside `deferred_bumps()`: handlers of other content versions stay quiet too (the
    quiz's, quizzes/cache.py), since the import moves the lesson's, which keys them as well."""
    return _deferred.get()


def _child_changed(sender, instance, raw=False, **kwargs) -> None:
    if raw or _deferred.get():
        return  # loaddata, or a bundle import that bumps once at its end
    content_changed(instance.lesson_id)


for _model in (Section, Source, Claim):
    post_save.connect(_child_changed, sender=_model, dispatch_uid=f"lesson-version-save-{_model}")
    post_delete.connect(
        _child_changed, sender=_model, dispatch_uid=f"lesson-version-delete-{_model}"
    )
