"""Who a report covers, and how its tables leave the page (CSV, SVG).

The figures themselves come from `quizzes.reports`; this module adds what needs classes:
a teacher's reports cover the students of their own classes (one class, or all of them);
a superuser's cover everyone, or one class."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.utils.text import slugify

from quizzes import reports

from .models import Classroom


def visible_learners(user) -> QuerySet | None:
    """The learners whose results `user` may see: None means everyone (a superuser)."""
    if user.is_superuser:
        return None
    return get_user_model().objects.filter(classrooms__teacher=user)


@dataclass
class Scope:
    classrooms: list[Classroom]
    classroom: Classroom | None
    learners: QuerySet | None

    @property
    def query(self) -> str:
        return f"classroom={self.classroom.pk}" if self.classroom else ""


def scope_for(user, classroom_id: str | None) -> Scope:
    """The classes `user` may filter by and the learners the report covers. A class the
    user does not teach is a 404, whether it exists or not."""
    classrooms = list(Classroom.objects.taught_by(user).select_related("teacher"))
    if classroom_id:
        try:
            chosen = next(c for c in classrooms if str(c.pk) == str(classroom_id))
        except StopIteration:
            raise Http404("No such class.") from None
        return Scope(classrooms, chosen, chosen.students.all())
    return Scope(classrooms, None, visible_learners(user))


# --- SVG histogram ------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    count: int
    label_x: float
    count_y: float


def histogram_bars(bins: list[reports.Bin], width: int = 600, height: int = 160) -> list[Bar]:
    """Bar geometry for a histogram drawn as plain SVG (no script, no inline style)."""
    top = max((b.count for b in bins), default=0) or 1
    slot = width / max(len(bins), 1)
    bars = []
    for i, b in enumerate(bins):
        h = height * b.count / top
        bars.append(
            Bar(
                x=round(i * slot + 2, 1),
                y=round(height - h + 20, 1),
                width=round(slot - 4, 1),
                height=round(h, 1),
                label=b.label,
                count=b.count,
                label_x=round(i * slot + slot / 2, 1),
                count_y=round(height - h + 16, 1),
            )
        )
    return bars


# --- CSV -------------------------------------------------------------------------------------


def _cell(value):
    """Numbers as numbers; text that a spreadsheet would run as a formula is defused."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".") if value == value else ""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def csv_response(filename: str, header: list[str], rows) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slugify(filename)}.csv"'
    return response


def minutes(delta) -> float | None:
    return round(delta.total_seconds() / 60, 2) if delta is not None else None


def summary_rows(o: reports.Overview):
    return [
        ("submitted attempts", o.attempts),
        ("learners counted (latest attempt each)", o.learners),
        ("mean score %", o.mean),
        ("median score %", o.median),
        ("mean attribution %", o.attribution_mean),
        ("median attribution %", o.attribution_median),
    ]


def histogram_rows(o: reports.Overview):
    return [
        (b.label, b.count, a.count)
        for b, a in zip(o.histogram, o.attribution_histogram, strict=True)
    ]


def learner_csv_rows(rows: list[reports.LearnerRow], skills: list[tuple[str, str]], due_at=None):
    """`due_at`: the class's due date for the quiz, if it was assigned; else no lateness."""
    for r in rows:
        yield [
            r.name,
            r.username,
            r.attempts,
            r.best_number,
            r.best_percent,
            minutes(r.best_time),
            r.latest_number,
            r.latest_percent,
            r.latest_attribution,
            *[r.subscore_percent(skill) for skill, _ in skills],
            minutes(r.latest_time),
            r.first_submitted_at.isoformat() if r.first_submitted_at else None,
            ("yes" if r.first_submitted_at > due_at else "no") if due_at else None,
        ]


def item_csv_rows(analysis: reports.ItemAnalysis):
    for item in analysis.items:
        q = item.question
        yield [
            item.number,
            q.key,
            q.prompt,
            q.get_kind_display(),
            q.get_skill_display(),
            q.points,
            item.answered,
            item.facility,
            item.discrimination,
            " | ".join(item.flags),
        ]


def choice_csv_rows(analysis: reports.ItemAnalysis):
    n = analysis.learners
    for item in analysis.items:
        if item.question.kind == "matching":
            continue
        for c in item.choices:
            yield [
                item.number,
                item.question.key,
                c.label,
                "yes" if c.correct else "no",
                c.picks,
                100 * c.picks / n if n else None,
            ]


def confusion_csv(matrix: reports.Confusion):
    cols = matrix.columns
    header = ["true source \\ chosen source", *[matrix.sources[c] for c in cols], "total"]
    rows = [
        [matrix.sources[t], *[matrix.cells.get((t, c), 0) for c in cols], matrix.row_total(t)]
        for t in matrix.rows
    ]
    return header, rows
