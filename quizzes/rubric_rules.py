"""The rules for a written question's rubric, in a teacher's words, each with a code: one
place that the rubric formset of the admin, the content rules (publish, the bundle
import) and the tests apply.

A written answer is marked by picking one level of its question's rubric, which gives
that level's credit, so the rubric must let a teacher give full credit and tell the
levels apart: at least two levels, each with a name and a description, no two at the same
credit, one at full credit."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from .models import Question

MIN_LEVELS = 2


def rubric_errors(question, levels) -> list[ValidationError]:
    """Check a question's rubric `levels` (RubricLevel-like: name, description, credit)
    against its kind; return the problems, each with a code."""
    levels = list(levels)
    if question.kind != Question.Kind.WRITTEN:
        if levels:
            return [
                ValidationError(
                    "Only a short written answer question has a rubric; remove its levels "
                    "or make it a written question.",
                    code="rubric_not_written",
                )
            ]
        return []
    problems = []
    if len(levels) < MIN_LEVELS:
        problems.append(
            ValidationError(
                "A written question needs a rubric of at least two levels (for example "
                "beginning, emerging, mastery), each with what an answer at that level does.",
                code="rubric_too_few_levels",
            )
        )
    if any(not (lv.name or "").strip() or not (lv.description or "").strip() for lv in levels):
        problems.append(
            ValidationError(
                "Every rubric level needs a name and a description of what an answer at "
                "that level does: the teacher marks by it and the learner reads it.",
                code="rubric_level_undescribed",
            )
        )
    credits = [round(lv.credit, 6) for lv in levels if lv.credit is not None]
    if len(credits) != len(set(credits)):
        problems.append(
            ValidationError(
                "Two rubric levels give the same credit: give each level its own credit, "
                "so the levels mean different marks.",
                code="rubric_same_credit",
            )
        )
    if levels and 1.0 not in credits:
        problems.append(
            ValidationError(
                "No rubric level gives full credit (1): a learner could never earn all of "
                "the question's points. Give the top level a credit of 1.",
                code="rubric_no_full_credit",
            )
        )
    return problems


def rubric_problems(question) -> list[tuple[str, str]]:
    """(code, message) pairs for the content rules, from the question's loaded levels."""
    return [(e.code, e.message) for e in rubric_errors(question, question.levels.all())]
