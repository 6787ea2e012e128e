"""The admin's drafting writes: a pasted article to a draft lesson in the database, and
publishing a reviewed draft. Each owns its transaction (docs/authoring.md).

    create_draft_lesson(text, *, title, outlet, date, url) -> Lesson
    publish_draft(lesson) -> list of problems (empty: the lesson and its quizzes are live)
"""

from __future__ import annotations

from django.db import transaction

from bundle.upsert import import_bundle
from lessons.models import Lesson
from quizzes.authoring import publish

from .bundle import KEY_MAX
from .draft import draft_from_text


def free_slug(base: str) -> str:
    """`base`, or `base-2`, `base-3` … : a slug no lesson has. An import updates the lesson
    with its slug in place, so a draft must never take an existing lesson's slug."""
    taken = set(
        Lesson.objects.filter(slug__startswith=base[: KEY_MAX - 4]).values_list("slug", flat=True)
    )
    slug, n = base, 1
    while slug in taken:
        n += 1
        suffix = f"-{n}"
        slug = base[: KEY_MAX - len(suffix)].rstrip("-") + suffix
    return slug


def create_draft_lesson(
    text: str, *, title: str, outlet: str = "", date: str = "", url: str = "", owner=None
) -> Lesson:
    """Draft the article and import the draft as a new, unpublished lesson with its draft
    quiz, owned by `owner`, in one transaction; the article is kept verbatim as
    `Lesson.source_text`.

    Raises DraftError (input it cannot draft from) or BundleError (the draft is not a
    valid bundle: a drafting bug), having written nothing."""
    draft = draft_from_text(text, title=title, outlet=outlet, date=date, url=url)
    data = draft.to_bundle()
    with transaction.atomic():
        data["lesson"]["slug"] = free_slug(data["lesson"]["slug"])
        # The content rules are the publish step's: a draft is for the teacher to judge
        # first, so its import runs none (checks=()).
        result = import_bundle(data, name="the draft", checks=(), owner=owner)
    return result.lesson


def publish_draft(lesson: Lesson) -> list:
    """Publish the lesson and every one of its quizzes, or none of them: each quiz goes
    through the quiz's own publish rule (`quizzes.authoring.publish`, the pre-publish
    checks). Returns the problems (`quizzes.authoring.Problem`, each with a code); when
    there are any, nothing changed."""
    problems: list = []
    with transaction.atomic():
        lesson = Lesson.objects.select_for_update().get(pk=lesson.pk)
        quizzes = list(lesson.quizzes.order_by("order", "id"))
        for quiz in quizzes:
            problems += publish(quiz)
        if problems:
            transaction.set_rollback(True)
            return problems
        if not lesson.published:
            lesson.published = True
            lesson.save(update_fields=["published", "updated_at"])
    return problems
