"""The marking queue: the written answers of a teacher's own students (one class or all
of them, as the reports' scope), unmarked first, on one page where the teacher picks a
rubric level and may comment per answer. A fixed number of queries, whatever the number
of answers (`MarkingQueue.load`); the writes are `quizzes.written.mark_answers`'.

A teacher never sees or marks another teacher's students' answers: every read and the
write go through `answers_for(scope)`; an answer outside it posted to the page refuses
the whole post (nothing is marked)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import F, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from quizzes.attempts import AttemptError
from quizzes.models import Question, Response, RubricLevel
from quizzes.written import Mark, mark_answers

from .scope import Scope, scope_for

PAGE_SIZE = 25
COMMENT_MAX_CHARS = 2000
SHOW = {"unmarked": "Awaiting marking", "all": "All written answers"}
_FIELD = re.compile(r"^level-(\d{1,18})$")


def answers_for(scope: Scope) -> QuerySet:
    """The written answers of submitted attempts by the scope's learners."""
    qs = Response.objects.filter(
        question__kind=Question.Kind.WRITTEN, attempt__submitted_at__isnull=False
    ).exclude(text="")
    if scope.learners is not None:
        qs = qs.filter(attempt__learner_id__in=scope.learners.values("id"))
    return qs


@dataclass
class Row:
    response: Response
    levels: list[RubricLevel]
    posted_level: str = ""
    posted_comment: str | None = None

    @property
    def comment(self) -> str:
        return self.response.comment if self.posted_comment is None else self.posted_comment

    @property
    def level_id(self) -> str:
        return self.posted_level or (str(self.response.level_id) if self.response.level_id else "")


@dataclass
class MarkingQueue:
    scope: Scope
    show: str
    rows: list[Row] = field(default_factory=list)
    page: object = None
    awaiting: int = 0

    @classmethod
    def load(cls, scope: Scope, show: str, page_number) -> MarkingQueue:
        """Queries: the unmarked count, the page's count and rows, the rows' rubrics."""
        answers = answers_for(scope)
        awaiting = answers.filter(level__isnull=True).count()
        if show == "unmarked":
            answers = answers.filter(level__isnull=True)
        answers = answers.select_related(
            "attempt__quiz", "attempt__learner", "question", "level", "marked_by"
        ).order_by(F("marked_at").asc(nulls_first=True), "attempt__submitted_at", "id")
        page = Paginator(answers, PAGE_SIZE).get_page(page_number)
        responses = list(page.object_list)
        levels: dict[int, list[RubricLevel]] = {}
        for level in RubricLevel.objects.filter(
            question_id__in={r.question_id for r in responses}
        ).order_by("order", "id"):
            levels.setdefault(level.question_id, []).append(level)
        rows = [Row(r, levels.get(r.question_id, [])) for r in responses]
        return cls(scope, show, rows, page, awaiting)


def _marks(request: HttpRequest, scope: Scope) -> tuple[list[Mark], list[str]]:
    """The posted marks (answers with a level picked) and the refusals, in words."""
    marks, errors = [], []
    allowed = answers_for(scope)
    posted = {}
    for name, value in request.POST.items():
        m = _FIELD.match(name)
        if m:
            posted[int(m.group(1))] = value
    known = dict(allowed.filter(pk__in=posted).values_list("pk", "attempt__learner__username"))
    if set(posted) - set(known):
        errors.append("Some answers on this page are not your students' written answers.")
        return [], errors
    for pk, level in sorted(posted.items()):
        comment = request.POST.get(f"comment-{pk}", "")
        if len(comment) > COMMENT_MAX_CHARS:
            errors.append(
                f"The comment on {known[pk]}'s answer is {len(comment):,} characters; "
                f"the limit is {COMMENT_MAX_CHARS:,}."
            )
        if not level:
            if comment.strip():
                errors.append(
                    f"A comment needs a level: pick one for {known[pk]}'s answer, or clear "
                    "the comment."
                )
            continue
        if not level.isdigit() or len(level) > 18:
            errors.append(f"The level picked for {known[pk]}'s answer is not one of its rubric.")
            continue
        marks.append(Mark(pk, int(level), comment))
    return marks, errors


def marking_queue(request: HttpRequest, admin_context: dict) -> HttpResponse:
    """GET: the queue. POST: mark what the page says, all or nothing, then back to it."""
    scope = scope_for(request.user, request.GET.get("classroom"))
    show = request.GET.get("show") if request.GET.get("show") in SHOW else "unmarked"
    errors: list[str] = []
    if request.method == "POST":
        marks, errors = _marks(request, scope)
        if not errors:
            try:
                rescored = mark_answers(
                    marks=marks, marker=request.user, allowed=answers_for(scope)
                )
            except AttemptError as e:
                errors.append(e.message)
            else:
                if marks:
                    messages.success(
                        request,
                        f"Saved {len(marks)} mark{'s' if len(marks) != 1 else ''}; "
                        f"{len(rescored)} attempt score{'s' if len(rescored) != 1 else ''} "
                        "updated.",
                    )
                else:
                    messages.info(request, "No level was picked, so nothing was marked.")
                return redirect(request.get_full_path())
    queue = MarkingQueue.load(scope, show, request.GET.get("page"))
    if errors:
        for row in queue.rows:
            pk = row.response.pk
            if f"level-{pk}" in request.POST:
                row.posted_level = request.POST.get(f"level-{pk}", "")
                row.posted_comment = request.POST.get(f"comment-{pk}", "")
    query = "&".join(
        part for part in (scope.query, f"show={show}" if show != "unmarked" else "") if part
    )
    return TemplateResponse(
        request,
        "admin/reports/marking.html",
        {
            **admin_context,
            "title": "Marking queue: written answers",
            "queue": queue,
            "scope": scope,
            "show": show,
            "shows": SHOW,
            "query": query,
            "errors": errors,
            "comment_max": COMMENT_MAX_CHARS,
        },
        status=400 if errors else 200,
    )
