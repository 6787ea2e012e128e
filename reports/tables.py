"""How the reports' figures leave the page: SVG bar geometry, the rows a page shows, and
the CSV downloads (one header and one row builder per table). No queries."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify

from . import learners, queries, stats

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
    # With a byte order mark, Excel reads the file as UTF-8 (not the system's code page).
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slugify(filename)}.csv"'
    return response


# Figures leave as Decimals of a fixed number of places, so that a spreadsheet shows
# 66.7 and 100.0 (one decimal for percentages and minutes, two for 0-to-1 figures).


def _places(value, places: int) -> Decimal | None:
    if value is None or value != value:
        return None
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def pct(value) -> Decimal | None:
    return _places(value, 1)


def ratio(value) -> Decimal | None:
    return _places(value, 2)


def minutes(delta) -> Decimal | None:
    return _places(delta.total_seconds() / 60, 1) if delta is not None else None


def iso(moment) -> str | None:
    """ISO 8601 in the site's time zone, to the second, with its offset."""
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def unique_header(header: list[str]) -> list[str]:
    """Column names made unique (two sources may share a name): "x", "x (2)"."""
    seen: dict[str, int] = {}
    out = []
    for name in header:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out


def summary_rows(o: queries.Overview, class_size: int | None = None):
    return [
        ("submitted attempts", o.attempts),
        (f"learners counted ({o.counted} attempt each)", o.learners),
        ("learners in the class", class_size),
        ("mean score %", pct(o.mean)),
        ("median score %", pct(o.median)),
        ("mean attribution %", pct(o.attribution_mean)),
        ("median attribution %", pct(o.attribution_median)),
    ]


def histogram_rows(o: queries.Overview):
    return [
        (b.label, b.count, a.count)
        for b, a in zip(o.histogram, o.attribution_histogram, strict=True)
    ]


def other_skills(skills: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The subscores besides attribution, which has its own column."""
    return [(skill, label) for skill, label in skills if skill != "attribution"]


def learner_csv_rows(
    rows: list[learners.RosterRow], skills: list[tuple[str, str]], due_at=None, own_due=None
):
    """Everyone, with their status; `due_at`: the class's due date for the quiz, if it
    was assigned, else no lateness; `own_due`: a learner's own due date, by learner id."""
    for row in rows:
        r = row.result
        late = None
        due = (own_due or {}).get(row.learner_id, due_at)
        if due and r:
            late = "yes" if r.first_submitted_at > due else "no"
        yield [
            row.name,
            row.username,
            row.status_text,
            r.attempts if r else 0,
            r.best_number if r else None,
            pct(r.best_percent) if r else None,
            minutes(r.best_time) if r else None,
            r.latest_number if r else None,
            pct(r.latest_percent) if r else None,
            pct(r.latest_attribution) if r else None,
            *[pct(r.subscore_percent(skill)) if r else None for skill, _ in other_skills(skills)],
            minutes(r.latest_time) if r else None,
            iso(r.first_submitted_at) if r else None,
            late,
        ]


def item_csv_rows(analysis: queries.ItemAnalysis):
    n = analysis.learners
    enough = stats.enough(n, stats.MIN_LEARNERS_CORRELATION)
    note = "" if enough else "discrimination: " + stats.too_few(n, stats.MIN_LEARNERS_CORRELATION)
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
            ratio(item.facility),
            ratio(item.discrimination) if enough else None,
            note,
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
                pct(100 * c.picks / n) if n else None,
            ]


def confusion_csv(matrix: stats.Confusion):
    """Rows and columns in the page's order (by side, most confused first)."""
    cols = matrix.columns
    header = [
        "true source \\ chosen source",
        "side",
        *[matrix.sources[c] for c in cols],
        "total",
        "% confused",
    ]
    rows = [
        [
            matrix.sources[t],
            matrix.side(t),
            *[matrix.cells.get((t, c), 0) for c in cols],
            matrix.row_total(t),
            pct(100 * matrix.confusion_rate(t)),
        ]
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
    "note",
    "flags",
]
CHOICE_HEADER = ["number", "question key", "choice", "correct", "picks", "% of learners"]


def learner_header(skills: list[tuple[str, str]]) -> list[str]:
    return [
        "name",
        "username",
        "status",
        "attempts",
        "best attempt",
        "best %",
        "best minutes",
        "latest attempt",
        "latest %",
        "latest attribution %",
        *[f"latest {label.lower()} %" for _, label in other_skills(skills)],
        "latest minutes",
        "first submitted",
        "late",
    ]


# --- what the pages show -------------------------------------------------------------------


def percent(value) -> str:
    return "—" if value is None else f"{value:.0f} %"


def learner_page_rows(rows: list[learners.RosterRow], skills, due_at=None, own_due=None):
    """The learner table, everyone in it, formatted here rather than with template
    filters: a class of 1,000 renders twice as fast. A learner whose first submission
    came after `due_at` (or their own due date in `own_due`) is marked late."""
    out = []
    for row in rows:
        r = row.result
        due = (own_due or {}).get(row.learner_id, due_at)
        out.append(
            {
                "row": row,
                "result": r,
                "best": percent(r.best_percent) if r else "—",
                "latest": percent(r.latest_percent) if r else "—",
                "subscores": [percent(r.subscore_percent(s) if r else None) for s, _ in skills],
                "latest_minutes": f"{minutes(r.latest_time)} min" if r else "—",
                "late": bool(due and r and r.first_submitted_at > due),
                "can_open": row.status != learners.NOT_STARTED,
            }
        )
    return out


def confusion_grid(m: stats.Confusion) -> tuple[list[dict], list[dict]]:
    """The matrix's column groups and row groups, by side, most confused first. Each row
    has its cells (count, row percentage, shade; the diagonal holds the right answers)."""
    order = m.columns
    column_groups = [
        {"side": side, "columns": [{"id": c, "name": m.sources[c]} for c in cols]}
        for side, _, cols in m.groups
    ]
    row_groups = []
    for side, rows, _ in m.groups:
        grid = []
        for t in rows:
            cells = []
            for c in order:
                share = m.row_percent(t, c)
                cells.append(
                    {
                        "true": t,
                        "chosen": c,
                        "count": m.cells.get((t, c), 0),
                        "percent": share,
                        "shade": stats.shade(share),
                        "diagonal": t == c,
                    }
                )
            grid.append(
                {
                    "source": m.sources[t],
                    "id": t,
                    "cells": cells,
                    "total": m.row_total(t),
                    "confused": percent(100 * m.confusion_rate(t)),
                }
            )
        if grid:
            row_groups.append({"side": side or "Side not given", "rows": grid})
    return column_groups, row_groups


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
