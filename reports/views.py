"""The report pages of a quiz, one view each: load the figures, then render the page or,
with ?csv=<table>, download that table. `reports/admin.py` routes here once it has
checked the quiz, the user's permissions and the class (the `Report` it passes)."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse

from classes.models import Assignment
from quizzes.models import Question, Quiz

from . import learners as roster
from . import queries, stats, tables
from .scope import Scope


@dataclass
class Report:
    """What every report page is given: the quiz, who the report covers, and the admin's
    context for its pages."""

    quiz: Quiz
    scope: Scope
    admin_context: dict
    page_title: str = ""

    def csv(self, table: str, header: list[str], rows) -> HttpResponse:
        name = f"{self.quiz.key}-{self.scope.name}-{table}"
        return tables.csv_response(name, tables.unique_header(header), rows)

    def render(self, request: HttpRequest, page: str, context: dict) -> TemplateResponse:
        base = reverse("admin:quizzes_quiz_report", args=[self.quiz.pk])
        return TemplateResponse(
            request,
            f"admin/reports/report_{page}.html",
            {
                **self.admin_context,
                "quiz": self.quiz,
                "scope": self.scope,
                "page": page,
                "title": self.page_title or f"{PAGES[page][0]}: {self.quiz.title}",
                "tabs": [
                    (key, label, base if key == "overview" else f"{base}{key}/")
                    for key, (label, _) in PAGES.items()
                ],
                "counting_rule": queries.counting_rule(self.quiz),
                **context,
            },
        )


def overview(request: HttpRequest, report: Report) -> HttpResponse:
    o = queries.overview(report.quiz, report.scope.learners)
    class_size = report.scope.class_size()
    table = request.GET.get("csv")
    if table == "summary":
        return report.csv(table, tables.SUMMARY_HEADER, tables.summary_rows(o, class_size))
    if table == "histogram":
        return report.csv(table, tables.HISTOGRAM_HEADER, tables.histogram_rows(o))
    context = {
        "overview": o,
        "class_size": class_size,
        "bars": tables.histogram_bars(o.histogram),
        "attribution_bars": tables.histogram_bars(o.attribution_histogram),
    }
    return report.render(request, "overview", context)


def learners(request: HttpRequest, report: Report) -> HttpResponse:
    quiz, scope = report.quiz, report.scope
    rows = roster.roster(quiz, scope)
    skills = list(Question.Skill.choices)
    # With one class chosen, its assignment of this quiz (if any) says when it was due.
    assignment = (
        Assignment.objects.filter(classroom=scope.classroom, quiz=quiz).first()
        if scope.classroom
        else None
    )
    due_at = assignment.due_at if assignment else None
    # Learners a teacher gave their own due date (classes.AssignmentOverride): one query.
    own_due = (
        dict(assignment.overrides.filter(due_at__isnull=False).values_list("learner_id", "due_at"))
        if assignment
        else {}
    )
    if request.GET.get("csv") == "learners":
        return report.csv(
            "learners",
            tables.learner_header(skills),
            tables.learner_csv_rows(rows, skills, due_at, own_due),
        )
    counts = {"submitted": 0, "awaiting_marking": 0, "in_progress": 0, "not_started": 0}
    for r in rows:
        counts[r.status.replace(" ", "_")] += 1
    context = {
        "rows": tables.learner_page_rows(rows, skills, due_at, own_due),
        "skills": skills,
        "assignment": assignment,
        "counts": counts,
    }
    return report.render(request, "learners", context)


def learner(request: HttpRequest, report: Report, learner) -> HttpResponse:
    """One learner's attempt as they see it: answers, credit, time per question."""
    raw = request.GET.get("attempt")
    if raw is not None and not raw.isdigit():
        raise Http404("No such attempt.")
    shown = roster.learner_attempt(report.quiz, learner, int(raw) if raw else None)
    if shown is None:
        raise Http404("No such attempt.")
    report.page_title = f"{learner.get_full_name() or learner.username}: {report.quiz.title}"
    return report.render(request, "learner", {"learner": learner, "shown": shown})


def items(request: HttpRequest, report: Report) -> HttpResponse:
    analysis = queries.item_analysis(report.quiz, report.scope.learners)
    table = request.GET.get("csv")
    if table == "items":
        return report.csv(table, tables.ITEM_HEADER, tables.item_csv_rows(analysis))
    if table == "choices":
        return report.csv(table, tables.CHOICE_HEADER, tables.choice_csv_rows(analysis))
    n = analysis.learners
    context = {
        "analysis": analysis,
        "class_size": report.scope.class_size(),
        "flagged": sum(1 for i in analysis.items if i.flags),
        "weak": stats.WEAK_DISCRIMINATION,
        "enough_for_correlation": stats.enough(n, stats.MIN_LEARNERS_CORRELATION),
        "enough_for_distractors": stats.enough(n, stats.MIN_LEARNERS_DISTRACTORS),
        "too_few": stats.too_few(n, stats.MIN_LEARNERS_CORRELATION),
        "min_correlation": stats.MIN_LEARNERS_CORRELATION,
        "min_distractors": stats.MIN_LEARNERS_DISTRACTORS,
    }
    return report.render(request, "items", context)


def confusion(request: HttpRequest, report: Report) -> HttpResponse:
    result = queries.confusion_report(report.quiz, report.scope.learners)
    if request.GET.get("csv") == "confusion":
        header, rows = tables.confusion_csv(result.matrix)
        return report.csv("confusion", header, rows)
    selected = None
    cell = request.GET.get("cell", "")
    if cell:
        try:
            selected = tables.confusion_cell(result, cell)
        except ValueError:
            raise Http404("No such cell.") from None
    column_groups, row_groups = tables.confusion_grid(result.matrix)
    context = {
        "column_groups": column_groups,
        "row_groups": row_groups,
        "width": len(result.matrix.columns),
        "selected": selected,
    }
    return report.render(request, "confusion", context)


# The pages, in the order of their tabs: key -> (label, view).
PAGES = {
    "overview": ("Overview", overview),
    "learners": ("Learners", learners),
    "items": ("Item analysis", items),
    "confusion": ("Who students confuse", confusion),
}
