"""What the student path keeps in the default cache, and the versions that key it.

Two entries, both keyed by versions stored in the database, so that an edit or a rescore
makes a new key that every process sees at its next request; nothing is invalidated by
deleting (a per-process cache never serves a stale entry, docs/performance.md, "Caching"):

- **a question with its choices** (and their sources), as the question page, the answer
  save and the autosave need it: keyed by the question, the quiz's content version
  (`Quiz.updated_at`, moved here by every save or delete of a question or a choice) and
  the lesson's (`Lesson.updated_at`, lessons/signals.py: a source's name is a choice's
  label). The entry holds the answer key; it stays on the server (its cache key names
  only ids and versions), as the question does when it is read from the database.
- **a submitted attempt's rendered answers** (the result page's "question by question"),
  keyed by the attempt and its learner, the attempt's `revision` (moved here on
  `signals.attempt_rescored`: an override, a re-grade, a marking), its stored score, what
  the review options let it show now (`review.Review`: so "after the quiz closes" turns
  into a new key when the quiz closes, and "after the last attempt" when it is made),
  both content versions, the lesson's address, the reader's time zone and language, and a
  digest of the code that renders it. The result page is only ever its learner's
  (`views.attempt_for_user`), and the key names the attempt and the learner, so one
  learner's entry is never another's.

A cache that fails (Redis down) costs the work, never the page."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from functools import cache
from pathlib import Path

from django.core.cache import caches
from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.template.loader import get_template
from django.utils import timezone, translation

from lessons.signals import bumps_deferred

from .models import Attempt, Choice, Question, Quiz
from .review import Review
from .signals import attempt_rescored

TIMEOUT = 24 * 60 * 60  # old versions are left to expire (or to be culled)
# The templates and modules the cached result fragment is made by (`code_version`).
RESULT_TEMPLATES = (
    "quizzes/result.html",
    "quizzes/_result_row.html",
    "quizzes/_written_row.html",
    "quizzes/_outcome.html",
)
log = logging.getLogger(__name__)


@cache
def code_version() -> str:
    """A digest of the code whose output is cached: a deployment that changes it starts on
    new keys instead of reading the previous release's entries from a shared cache."""
    here = Path(__file__).parent
    files = [
        here / n for n in ("cache.py", "models.py", "answers.py", "results.py", "result_page.py")
    ]
    files += [here / "scoring.py", here.parent / "lessons" / "marking.py"]
    files += [Path(get_template(t).origin.name) for t in RESULT_TEMPLATES]
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _get_or_make(key: str, make: Callable):
    store = caches["default"]
    try:
        found = store.get(key)
    except Exception:  # noqa: BLE001 - any cache error: do the work instead
        log.warning("cache unavailable", exc_info=True)
        return make()
    if found is not None:
        return found
    value = make()
    if value is not None:
        try:
            store.set(key, value, TIMEOUT)
        except Exception:  # noqa: BLE001
            log.warning("cache unavailable", exc_info=True)
    return value


# --- versions -------------------------------------------------------------------------


def lesson_version(attempt: Attempt):
    """The lesson's content version: annotated on the attempt by
    `AttemptQuerySet.with_content_versions` (no query), else read through the quiz."""
    version = getattr(attempt, "lesson_updated_at", None)
    return version if version is not None else attempt.quiz.lesson.updated_at


def content_version(attempt: Attempt) -> str:
    quiz = attempt.quiz
    return f"{quiz.pk}.{quiz.updated_at.isoformat()}.{lesson_version(attempt).isoformat()}"


# --- a question and its choices -------------------------------------------------------


def question_key(attempt: Attempt, question_id: int) -> str:
    return f"quiz-question:{code_version()}:{question_id}:{content_version(attempt)}"


def question_for(attempt: Attempt, question_id: int) -> Question | None:
    """The question with its choices and their sources (`Question.objects.with_key`,
    without the evidence), from the cache when this content version is there. None when
    it was deleted."""

    def load():
        return Question.objects.with_key(evidence=False).filter(pk=question_id).first()

    return _get_or_make(question_key(attempt, question_id), load)


# --- a submitted attempt's rendered answers -------------------------------------------


def result_key(attempt: Attempt, review: Review, show: str = "") -> str:
    """`show`: the page's layout ("" for the mistakes, "all" for every question)."""
    parts = [
        code_version(),
        show,
        attempt.awaiting_marking,
        attempt.pk,
        attempt.learner_id,
        attempt.revision,
        attempt.submitted_at and attempt.submitted_at.isoformat(),
        attempt.score,
        attempt.max_score,
        attempt.percent,
        review.score,
        review.correctness,
        review.key,
        review.feedback,
        content_version(attempt),
        attempt.quiz.lesson.slug,
        timezone.get_current_timezone_name(),
        translation.get_language(),
    ]
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return f"quiz-result:{attempt.pk}:{digest}"


def fragment(key: str, render: Callable[[], str]) -> str:
    """The HTML cached under `key`, rendered by `render` when it is not there."""
    return _get_or_make(key, render)


# --- invalidation: new versions -------------------------------------------------------


def quiz_changed(*quiz_ids: int) -> None:
    """Move the content version of these quizzes (writes that send no signals call it)."""
    ids = {i for i in quiz_ids if i is not None}
    if ids:
        Quiz.objects.filter(pk__in=ids).update(updated_at=timezone.now())


def _question_changed(sender, instance, raw=False, **kwargs) -> None:
    if raw or bumps_deferred():
        return  # loaddata, or a bundle import (it moves the lesson's version once)
    quiz_changed(instance.quiz_id)


def _choice_changed(sender, instance, raw=False, **kwargs) -> None:
    if raw or bumps_deferred():
        return
    # One UPDATE, the quiz found through the question (not loaded for it).
    Quiz.objects.filter(questions=instance.question_id).update(updated_at=timezone.now())


def _rescored(sender, attempt_ids=(), **kwargs) -> None:
    """A new revision: the result's key changes in every process at once."""
    Attempt.objects.filter(pk__in=list(attempt_ids)).update(revision=F("revision") + 1)


for _model, _handler in ((Question, _question_changed), (Choice, _choice_changed)):
    post_save.connect(_handler, sender=_model, dispatch_uid=f"quiz-version-save-{_model}")
    post_delete.connect(_handler, sender=_model, dispatch_uid=f"quiz-version-delete-{_model}")
attempt_rescored.connect(_rescored, dispatch_uid="quiz-result-revision")
