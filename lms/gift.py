"""A quiz as GIFT, the plain-text question format Moodle imports (and other LMSs read).

| Sourcewise                  | GIFT                                                          |
| --------------------------- | ------------------------------------------------------------- |
| single choice, classification | `{=key#feedback ~other#feedback}`                           |
| who said it                 | `{=source ~%50%parent or child ~%25%same side ~other side}`   |
| true/false                  | `{TRUE#feedback if wrong#feedback if right}`                  |
| multiple answers            | `{~%50%right ~%-50%wrong}`: no `=`, so several may be chosen  |
| matching                    | `{=statement -> source = -> distractor source}`               |
| short written answer        | essay, `{}`; the rubric in the general feedback               |

General feedback follows `####`. Text is HTML (`[html]`), one line per answer; the
characters GIFT reads as syntax (``~ = # { } :`` and the backslash) are escaped with a
backslash and line breaks written as ``\\n``. GIFT has no marks, ID numbers or tags, and
no feedback per matching statement (ours goes into the general feedback)."""

from __future__ import annotations

from quizzes.models import Quiz

from .notes import (
    Export,
    category_path,
    comment_lines,
    numbered,
    summary,
)
from .plan import (
    ESSAY,
    MATCHING,
    TRUEFALSE,
    Plan,
    PlannedQuestion,
    percent,
    plan_quiz,
)

FORMAT_NAME = "GIFT"
CONTENT_TYPE = "text/plain; charset=utf-8"
SPECIAL = "~=#{}:"


def export_quiz(quiz: Quiz) -> Export:
    plan = plan_quiz(quiz)
    messages = tuple(summary(plan, FORMAT_NAME, format_losses(plan)))
    return Export(
        filename=f"{quiz.lesson.slug}-{quiz.key}-gift.txt",
        content=render(plan, messages),
        content_type=CONTENT_TYPE,
        messages=messages,
        plan=plan,
    )


def format_losses(plan: Plan) -> list[str]:
    """What GIFT cannot say that Moodle XML can."""
    losses = []
    heavier = [q.number for q in plan.questions if q.points != 1]
    if heavier:
        losses.append(
            "question marks (GIFT has none, so every question imports worth 1 mark, and "
            f"{numbered('question', heavier)} {'are' if len(heavier) > 1 else 'is'} worth "
            "more here: set the marks in Moodle, or use Moodle XML)"
        )
    if plan.questions:
        losses.append("each question's skill and key (Moodle XML keeps them as a tag and ID)")
    if plan.quiz.description.strip():
        losses.append("the quiz's description")
    essays = [q.number for q in plan.questions if q.qtype == ESSAY and q.grader_info]
    if essays:
        losses.append(
            f"the grader information of {numbered('question', essays)} (GIFT has none: the "
            "rubric is in the general feedback, which learners see after the attempt; Moodle "
            "XML keeps it for the grader only)"
        )
    picks = any(q.kind == "evidence_pick" for q in plan.questions)
    if plan.questions and (not plan.quiz.shuffle_choices or picks):
        losses.append("the fixed order of choices (GIFT takes Moodle's default, usually shuffled)")
    return losses


def render(plan: Plan, messages=()) -> str:
    blocks = []
    head = [f"// {line}" for line in comment_lines(messages)]
    head.append(f"$CATEGORY: {category_path(plan.quiz)}")
    blocks.append("\n".join(head))
    blocks.extend(_question(q) for q in plan.questions)
    # A blank line ends a question; none may fall inside one.
    return "\n\n".join(blocks) + "\n"


def _question(q: PlannedQuestion) -> str:
    lines = [
        f"// {q.number}. {q.kind} ({q.skill}, {q.points} point{'s' if q.points != 1 else ''})",
        f"::{escape(q.name)}::[html]{_html(q.text)}{{",
    ]
    if q.qtype == ESSAY:
        pass  # an essay's answer is empty braces, or only its general feedback
    elif q.qtype == MATCHING:
        lines.extend(f"\t={_html(p.item)} -> {escape(p.answer)}" for p in q.pairs)
    elif q.qtype == TRUEFALSE:
        lines.append("\t" + _true_false(q))
    else:
        for option in q.options:
            lines.append(
                "\t" + _weight(option.fraction, q.single) + _html(option.text) + _fb(option)
            )
    feedback = q.general_feedback + (q.grader_info if q.qtype == ESSAY else "")
    if feedback:
        lines.append(f"\t####{_html(feedback)}")
    lines.append("}")
    return "\n".join(lines)


def _weight(fraction: float, single: bool) -> str:
    if single and fraction == 1:
        return "="
    if fraction == 0:
        return "~"
    return f"~%{percent(fraction)}%"


def _fb(option) -> str:
    return f"#{_html(option.feedback)}" if option.feedback else ""


def _true_false(q: PlannedQuestion) -> str:
    """`TRUE#feedback on the wrong answer#feedback on the right one`, as Moodle writes it:
    a `#` only where a feedback follows."""
    true, false = (next(o for o in q.options if o.text == t) for t in ("true", "false"))
    right, wrong = (true, false) if true.fraction == 1 else (false, true)
    text = "TRUE" if right is true else "FALSE"
    if wrong.feedback:
        text += "#" + _html(wrong.feedback)
    elif right.feedback:
        text += "#"
    if right.feedback:
        text += "#" + _html(right.feedback)
    return text


def escape(text: str) -> str:
    """Plain text as GIFT reads it back: a backslash before each special character and
    before the backslash itself; a line break as ``\\n``."""
    text = text.replace("\\", "\\\\")
    for ch in SPECIAL:
        text = text.replace(ch, "\\" + ch)
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def _html(html: str) -> str:
    """HTML text, escaped. At the start of a text, "[" would be read as a format name and
    "%" as a weight: they are written as character references, which HTML shows the same."""
    if html[:1] == "[":
        html = "&#91;" + html[1:]
    elif html[:1] == "%":
        html = "&#37;" + html[1:]
    return escape(html)
