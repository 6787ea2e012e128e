"""A quiz as Moodle XML, the format of Moodle's question bank import
(Question bank › Import › Moodle XML format).

| Sourcewise                  | Moodle XML                                                  |
| --------------------------- | ----------------------------------------------------------- |
| single choice, classification | multichoice, single answer: 100 for the key, 0 otherwise  |
| who said it                 | multichoice, single answer: 100 / 50 / 25 / 0 by source proximity |
| true/false                  | truefalse, feedback on each answer                          |
| multiple answers            | multichoice, several answers: +100/n right, -100/n wrong    |
| matching                    | matching; a distractor source is an answer matching nothing |
| short written answer        | essay, plain text; the rubric in the grader information     |

Every question keeps its text, points (defaultgrade), key (idnumber), skill (a tag),
general feedback (explanation and the evidence sentence) and per-answer feedback; the quiz's
description goes into the category's info. Text is HTML in CDATA; names and matching
answers are escaped plain text."""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

from quizzes.models import Quiz

from .notes import (
    Export,
    category_path,
    comment_lines,
    summary,
)
from .plan import (
    ESSAY,
    MATCHING,
    TRUEFALSE,
    Plan,
    PlannedQuestion,
    html_paragraphs,
    percent,
    plan_quiz,
)

FORMAT_NAME = "Moodle XML"
CONTENT_TYPE = "application/xml; charset=utf-8"

# Characters XML 1.0 does not allow anywhere, CDATA included.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def export_quiz(quiz: Quiz) -> Export:
    plan = plan_quiz(quiz)
    # Moodle XML holds all a question holds: only what the plan names is lost.
    messages = tuple(summary(plan, FORMAT_NAME, []))
    return Export(
        filename=f"{quiz.lesson.slug}-{quiz.key}-moodle.xml",
        content=render(plan, messages),
        content_type=CONTENT_TYPE,
        messages=messages,
        plan=plan,
    )


def render(plan: Plan, messages=()) -> str:
    quiz = plan.quiz
    out = ['<?xml version="1.0" encoding="UTF-8"?>']
    if messages:
        out.append("<!--")
        out.extend(f"  {_comment(line)}" for line in comment_lines(messages))
        out.append("-->")
    out.append("<quiz>")
    out.append('  <question type="category">')
    out.append(f"    <category><text>{_plain(category_path(quiz))}</text></category>")
    out.append(_html("info", html_paragraphs(quiz.description), "    "))
    out.append("  </question>")
    for question in plan.questions:
        out.extend(_question(question))
    out.append("</quiz>")
    return "\n".join(out) + "\n"


def _question(q: PlannedQuestion) -> list[str]:
    i = "    "
    out = [
        f'  <question type="{q.qtype}">',
        f"{i}<name><text>{_plain(q.name)}</text></name>",
        _html("questiontext", q.text, i),
        _html("generalfeedback", q.general_feedback, i),
        f"{i}<defaultgrade>{q.points}</defaultgrade>",
        f"{i}<penalty>0</penalty>",
        f"{i}<hidden>0</hidden>",
        f"{i}<idnumber>{_plain(q.key)}</idnumber>",
    ]
    if q.qtype == ESSAY:
        out.append(f"{i}<responseformat>plain</responseformat>")
        out.append(f"{i}<responserequired>1</responserequired>")
        out.append(f"{i}<responsefieldlines>10</responsefieldlines>")
        out.append(f"{i}<attachments>0</attachments>")
        out.append(f"{i}<attachmentsrequired>0</attachmentsrequired>")
        out.append(_html("graderinfo", q.grader_info, i))
        out.append(_html("responsetemplate", "", i))
    elif q.qtype == MATCHING:
        out.append(f"{i}<shuffleanswers>{'true' if q.shuffle else 'false'}</shuffleanswers>")
        out.extend(_combined_feedback(i))
        for pair in q.pairs:
            out.append(
                f'{i}<subquestion format="html"><text>{_cdata(pair.item)}</text>'
                f"<answer><text>{_plain(pair.answer)}</text></answer></subquestion>"
            )
    elif q.qtype == TRUEFALSE:
        for option in q.options:
            out.extend(_answer(option, i, text_format="moodle_auto_format", cdata=False))
    else:
        out.append(f"{i}<single>{'true' if q.single else 'false'}</single>")
        out.append(f"{i}<shuffleanswers>{'true' if q.shuffle else 'false'}</shuffleanswers>")
        out.append(f"{i}<answernumbering>none</answernumbering>")
        out.append(f"{i}<showstandardinstruction>0</showstandardinstruction>")
        out.extend(_combined_feedback(i))
        for option in q.options:
            out.extend(_answer(option, i))
    out.append(f"{i}<tags>")
    for tag in (f"sourcewise-skill-{q.skill}", f"sourcewise-kind-{q.kind.replace('_', '-')}"):
        out.append(f"{i}  <tag><text>{_plain(tag)}</text></tag>")
    out.append(f"{i}</tags>")
    out.append("  </question>")
    return out


def _answer(option, i, *, text_format="html", cdata=True) -> list[str]:
    text = _cdata(option.text) if cdata else _plain(option.text)
    return [
        f'{i}<answer fraction="{percent(option.fraction)}" format="{text_format}">',
        f"{i}  <text>{text}</text>",
        _html("feedback", option.feedback, i + "  "),
        f"{i}</answer>",
    ]


def _combined_feedback(i) -> list[str]:
    # Moodle's own feedback for a right, partly right or wrong answer; ours is per answer
    # and general, so these stay empty.
    return [
        _html(tag, "", i)
        for tag in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback")
    ]


def _html(tag: str, html: str, indent: str) -> str:
    return f'{indent}<{tag} format="html"><text>{_cdata(html)}</text></{tag}>'


def _cdata(html: str) -> str:
    html = _NOT_XML.sub("", html)
    if not html:
        return ""
    # "]]>" would end the section early: end it after "]]" and start another for ">".
    return "<![CDATA[" + html.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _plain(text: str) -> str:
    return escape(_NOT_XML.sub("", text))


def _comment(text: str) -> str:
    # A comment may not hold "--" nor end with "-".
    text = _NOT_XML.sub("", text)
    while "--" in text:
        text = text.replace("--", "- -")
    return text + " " if text.endswith("-") else text
