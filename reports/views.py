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

from . import queries, stats, tables
from .scope import Scope


@dataclass
class Report:
    """What every report page is given: the quiz, who the report covers, and the admin's
    context for its pages."""

    quiz: Quiz
    scope: Scope
    admin_context: dict

    def csv(self, table: str, header: list[str], rows) -> HttpResponse:
        name = f"{self.quiz.key}-{self.scope.name}-{table}"
        return tables.csv_response(name, header, rows)

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
                "title": f"{PAGES[page][0]}: {self.quiz.title}",
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
    table = request.GET.get("csv")
    if table == "summary":
        return report.csv(table, tables.SUMMARY_HEADER, tables.summary_rows(o))
    if table == "histogram":
        return report.csv(table, tables.HISTOGRAM_HEADER, tables.histogram_rows(o))
    context = {
        "overview": o,
        "bars": tables.histogram_bars(o.histogram),
        "attribution_bars": tables.histogram_bars(o.attribution_histogram),
    }
    return report.render(request, "overview", context)


def learners(request: HttpRequest, report: Report) -> HttpResponse:
    quiz, scope = report.quiz, report.scope
    rows = queries.learner_rows(quiz, scope.learners)
    skills = list(Question.Skill.choices)
    # With one class chosen, its assignment of this quiz (if any) says when it was due.
    assignment = (
        Assignment.objects.filter(classroom=scope.classroom, quiz=quiz).first()
        if scope.classroom
        else None
    )
    due_at = assignment.due_at if assignment else None
    if request.GET.get("csv") == "learners":
        return report.csv(
            "learners", tables.learner_header(skills), tables.learner_csv_rows(rows, skills, due_at)
        )
    done = {r.learner_id for r in rows}
    not_submitted = (
        [u for u in scope.classroom.students.order_by("username") if u.id not in done]
        if scope.classroom
        else []
    )
    context = {
        "rows": tables.learner_page_rows(rows, skills, due_at),
        "skills": skills,
        "assignment": assignment,
        "not_submitted": not_submitted,
    }
    return report.render(request, "learners", context)


def items(request: HttpRequest, report: Report) -> HttpResponse:
    analysis = queries.item_analysis(report.quiz, report.scope.learners)
    table = request.GET.get("csv")
    if table == "items":
        return report.csv(table, tables.ITEM_HEADER, tables.item_csv_rows(analysis))
    if table == "choices":
        return report.csv(table, tables.CHOICE_HEADER, tables.choice_csv_rows(analysis))
    context = {
        "analysis": analysis,
        "flagged": sum(1 for i in analysis.items if i.flags),
        "weak": stats.WEAK_DISCRIMINATION,
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
    columns, grid = tables.confusion_grid(result.matrix)
    context = {"columns": columns, "grid": grid, "selected": selected}
    return report.render(request, "confusion", context)


# The pages, in the order of their tabs: key -> (label, view).
PAGES = {
    "overview": ("Overview", overview),
    "learners": ("Learners", learners),
    "items": ("Item analysis", items),
    "confusion": ("Who students confuse", confusion),
}
