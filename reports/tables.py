"""How the reports' figures leave the page: SVG bar geometry, the rows a page shows, and
the CSV downloads (one header and one row builder per table). No queries."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.http import HttpResponse
from django.utils.text import slugify

from . import queries, stats

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


def histogram_bars(bins: list[stats.Bin], width: int = 600, height: int = 160) -> list[Bar]:
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
    writer.writerow([_cell(h) for h in header])
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slugify(filename)}.csv"'
    return response


def minutes(delta) -> float | None:
    return round(delta.total_seconds() / 60, 2) if delta is not None else None


def summary_rows(o: queries.Overview):
    return [
        ("submitted attempts", o.attempts),
        (f"learners counted ({o.counted} attempt each)", o.learners),
        ("mean score %", o.mean),
        ("median score %", o.median),
        ("mean attribution %", o.attribution_mean),
        ("median attribution %", o.attribution_median),
    ]


def histogram_rows(o: queries.Overview):
    return [
        (b.label, b.count, a.count)
        for b, a in zip(o.histogram, o.attribution_histogram, strict=True)
    ]


def learner_csv_rows(rows: list[queries.LearnerRow], skills: list[tuple[str, str]], due_at=None):
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


def item_csv_rows(analysis: queries.ItemAnalysis):
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


def choice_csv_rows(analysis: queries.ItemAnalysis):
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


def confusion_csv(matrix: stats.Confusion):
    cols = matrix.columns
    header = ["true source \\ chosen source", *[matrix.sources[c] for c in cols], "total"]
    rows = [
        [matrix.sources[t], *[matrix.cells.get((t, c), 0) for c in cols], matrix.row_total(t)]
        for t in matrix.rows
    ]
    return header, rows


# --- CSV headers -----------------------------------------------------------------------------

SUMMARY_HEADER = ["figure", "value"]
HISTOGRAM_HEADER = ["score band %", "learners (score)", "learners (attribution)"]
ITEM_HEADER = [
    "number",
    "key",
    "question",
    "kind",
    "skill",
    "points",
    "answered",
    "facility",
    "discrimination",
    "flags",
]
CHOICE_HEADER = ["number", "question key", "choice", "correct", "picks", "% of learners"]


def learner_header(skills: list[tuple[str, str]]) -> list[str]:
    return [
        "name",
        "username",
        "attempts",
        "best attempt",
        "best %",
        "best minutes",
        "latest attempt",
        "latest %",
        "latest attribution %",
        *[f"latest {label.lower()} %" for _, label in skills],
        "latest minutes",
        "first submitted",
        "late",
    ]


# --- what the pages show -------------------------------------------------------------------


def percent(value) -> str:
    return "—" if value is None else f"{value:.0f} %"


def learner_page_rows(rows: list[queries.LearnerRow], skills, due_at=None) -> list[dict]:
    """The learner table, formatted here rather than with template filters: a class of
    1,000 renders twice as fast. A learner whose first submission came after `due_at`
    is marked late."""
    return [
        {
            "row": r,
            "best": percent(r.best_percent),
            "latest": percent(r.latest_percent),
            "subscores": [percent(r.subscore_percent(skill)) for skill, _ in skills],
            "latest_minutes": f"{minutes(r.latest_time):.1f}",
            "late": bool(due_at and r.first_submitted_at > due_at),
        }
        for r in rows
    ]


def confusion_grid(m: stats.Confusion) -> tuple[list[dict], list[dict]]:
    """The matrix's columns and rows of cells, each cell with its count, row percentage
    and shade; the diagonal holds the right answers."""
    columns = [{"id": c, "name": m.sources[c]} for c in m.columns]
    grid = []
    for t in m.rows:
        cells = []
        for c in m.columns:
            pct = m.row_percent(t, c)
            cells.append(
                {
                    "true": t,
                    "chosen": c,
                    "count": m.cells.get((t, c), 0),
                    "percent": pct,
                    "shade": stats.shade(pct),
                    "diagonal": t == c,
                }
            )
        grid.append({"source": m.sources[t], "id": t, "cells": cells, "total": m.row_total(t)})
    return columns, grid


def confusion_cell(result: queries.ConfusionReport, cell: str) -> dict:
    """The questions behind one cell, "<true id>-<chosen id>", most picked first. Raises
    ValueError for text that is not a cell."""
    t, c = (int(x) for x in cell.split("-"))
    m = result.matrix
    behind = m.questions.get((t, c), {})
    return {
        "true": m.sources.get(t, "?"),
        "chosen": m.sources.get(c, "?"),
        "questions": [
            {"question": result.questions[qid], "count": n}
            for qid, n in sorted(behind.items(), key=lambda kv: -kv[1])
        ],
    }
