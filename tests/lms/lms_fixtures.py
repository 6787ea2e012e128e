"""What the LMS export tests share: HTML back to text, and quizzes with every kind."""

from __future__ import annotations

import html
import re

from lessons.models import Source
from quizzes.models import Question

from ..factories import ChoiceFactory, QuestionFactory, SourceFactory
from ..scenarios import build_article_lesson, build_article_quiz


def html_text(fragment: str) -> str:
    """What a reader sees of an exported HTML fragment: paragraphs apart, tags gone."""
    fragment = fragment.replace("<br>", "\n").replace("</p><p>", "\n\n")
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def article_quiz(slug="cuba-venezuela", **kwargs):
    """The scenario quiz (single, multiple, true/false, who said it, matching,
    classification) and its sources by key."""
    lesson, sources, _, _ = build_article_lesson(slug=slug)
    quiz = build_article_quiz(lesson=lesson, **kwargs)
    return quiz, sources


def add_every_kind(quiz, sources, times: int):
    """`times` more questions of each kind, for query counts at two sizes."""
    K = Question.Kind
    for n in range(times):
        q = QuestionFactory(quiz=quiz, kind=K.SINGLE, prompt=f"Single {n}?")
        ChoiceFactory(question=q, text="Right", correct=True)
        ChoiceFactory(question=q, text="Wrong")
        q = QuestionFactory(quiz=quiz, kind=K.MULTIPLE, prompt=f"Multiple {n}?")
        ChoiceFactory(question=q, text="A", correct=True)
        ChoiceFactory(question=q, text="B", correct=True)
        ChoiceFactory(question=q, text="C")
        q = QuestionFactory(quiz=quiz, kind=K.TRUE_FALSE, prompt=f"True {n}.")
        ChoiceFactory(question=q, text="True", correct=True)
        ChoiceFactory(question=q, text="False")
        q = QuestionFactory(quiz=quiz, kind=K.WHO_SAID, prompt=f"Who {n}?")
        ChoiceFactory(question=q, text="", source=sources["trump"], correct=True)
        ChoiceFactory(question=q, text="", source=sources["washington"])
        q = QuestionFactory(quiz=quiz, kind=K.MATCHING, prompt=f"Match {n}.")
        ChoiceFactory(question=q, text="One.", source=sources["trump"], correct=True)
        ChoiceFactory(question=q, text="Two.", source=sources["analysts"], correct=True)
        ChoiceFactory(question=q, text="", source=sources["diaz-canel"])


def same_side_source(lesson):
    """A source on Washington's side that neither speaks for it nor is spoken for."""
    return SourceFactory(
        lesson=lesson,
        key="us-officials",
        name="U.S. officials",
        kind=Source.Kind.GROUP,
        side="United States",
    )
