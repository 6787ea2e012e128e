"""What an export tells the teacher: how many questions went out, what the format could
not carry and which questions it could not hold. The same words head the file."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from quizzes.models import Quiz

from .plan import Plan


@dataclass(frozen=True)
class Export:
    """A file for the teacher to download, and what to tell them about it."""

    filename: str
    content: str
    content_type: str
    messages: tuple[str, ...]
    plan: Plan


def losses(plan: Plan) -> list[str]:
    """What no format carries from this quiz: its rules, our subscores, the links to the
    reading, and part credit that an LMS's matching cannot give."""
    quiz = plan.quiz
    lost = []
    if quiz.time_limit_minutes:
        lost.append(f"the time limit ({quiz.time_limit_minutes} minutes)")
    if quiz.max_attempts:
        lost.append(f"the number of attempts allowed ({quiz.max_attempts})")
    if quiz.opens_at or quiz.closes_at:
        lost.append("the opening and closing dates")
    if quiz.shuffle_questions:
        lost.append("the shuffled question order")
    if quiz.feedback == Quiz.Feedback.IMMEDIATE:
        lost.append("feedback after each answer (choose Moodle's “Immediate feedback”)")
    lost.append("the attribution and skill subscores (an LMS totals the marks only)")
    if plan.quotes_evidence:
        lost.append(
            "the links from feedback to the proof sentence in the reading (the sentence is "
            "quoted in the feedback; the reading itself stays in Sourcewise)"
        )
    close = [q.number for q in plan.questions if q.close_credit_lost]
    if close:
        lost.append(
            "part credit for matching a statement to a close source (its parent or child "
            f"body, or one on the same side) in {numbered('question', close)}: an LMS "
            "marks each statement right or wrong"
        )
    picks = [q.number for q in plan.questions if q.kind == "evidence_pick"]
    if picks:
        lost.append(
            f"the section's text around the sentences of {numbered('question', picks)} "
            "(an LMS lists them as choices, in reading order, without the paragraphs)"
        )
    for q in plan.questions:
        lost.extend(q.losses)
    return lost


def numbered(noun: str, numbers: list[int]) -> str:
    """'question 4' or 'questions 4, 5 and 9'."""
    if len(numbers) == 1:
        return f"{noun} {numbers[0]}"
    *head, last = map(str, numbers)
    return f"{noun}s {', '.join(head)} and {last}"


def summary(plan: Plan, format_name: str, format_losses: list[str]) -> list[str]:
    """What the teacher is told, in a few sentences: the first says how many questions
    were exported; then what is not carried over and which questions are not exported."""
    quiz = plan.quiz
    lines = [
        f"“{quiz.title}” as {format_name}: {len(plan.questions)} of {plan.total} "
        f"question{'s' if plan.total != 1 else ''} exported. In Moodle, import it from the "
        f"question bank; the questions go to the category “{quiz.title}”, named in quiz order."
    ]
    lost = [*losses(plan), *format_losses]
    lines.append("Not carried over: " + "; ".join(lost) + ".")
    for s in plan.skipped:
        lines.append(f"Not exported: question {s.number} (“{s.prompt}”): {s.reason}")
    return lines


def category_path(quiz: Quiz) -> str:
    """Where Moodle files the questions: a category named after the quiz in the course's
    question bank. A slash in a category name is written twice."""
    return "$course$/top/" + " ".join(quiz.title.split()).replace("/", "//")


def comment_lines(messages) -> list[str]:
    """The messages as short comment lines for the head of an export file."""
    lines = []
    for message in messages:
        lines.extend(textwrap.wrap(" ".join(message.split()), 88) or [""])
    return lines
