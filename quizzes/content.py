"""A lesson's content as the content rules read it (quizzes/content_rules.py): its sources,
sections and claims loaded once, and what the rules ask of them; the `Problem` they report."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Prefetch

from lessons.models import Claim, Lesson, Section, Source

from .models import Choice, Question, Quiz

# Verbs of doing, not saying: an actor is not a speaker.
ACT_VERBS = frozenset(
    [
        "appoint",
        "appointed",
        "appoints",
        "arrested",
        "attacked",
        "bombed",
        "captured",
        "deployed",
        "detained",
        "elected",
        "faced",
        "flew",
        "fought",
        "honoured",
        "honored",
        "invaded",
        "killed",
        "launched",
        "opposed",
        "raided",
        "seized",
        "sent",
        "struck",
    ]
)


@dataclass(frozen=True)
class Problem:
    """One problem. `question` and `quiz` are set for problems of a question or a quiz;
    `where` names any other item (a claim, a source, a section)."""

    code: str
    message: str
    question: Question | None = None
    quiz: Quiz | None = None
    where: str = ""
    item: object = None  # the claim, section or source that `where` names
    number: int | None = None  # the question's place in its quiz, from 1

    def __str__(self):
        if self.question is not None:
            number = self.number or self.question.key
            return f"Question {number} (“{self.question.prompt}”): {self.message}"
        if self.quiz is not None:
            return f"Quiz {self.quiz.key}: {self.message}"
        return f"{self.where}: {self.message}" if self.where else self.message


def normalise(text: str) -> str:
    return " ".join(text.replace("’", "'").split()).casefold()


def names_source(text: str, source: Source) -> bool:
    """Whether `text` names the source: its name (with or without a leading "The") or one
    of its aliases, in any case."""
    haystack = normalise(text)
    for name in (source.name, *source.alias_list):
        name = normalise(name)
        if name and (name in haystack or (name.startswith("the ") and name[4:] in haystack)):
            return True
    return False


class LessonContent:
    """A lesson's sources, sections and claims, loaded in three queries, and what the rules
    ask of them."""

    def __init__(self, lesson: Lesson, article: str | None = None):
        self.lesson = lesson
        # The article's text: as given, or as the lesson keeps it (a teacher's paste).
        self.article = article if article is not None else (lesson.source_text or None)
        self.sources = {s.id: s for s in Source.objects.filter(lesson=lesson)}
        self.sections = list(Section.objects.filter(lesson=lesson))
        self.claims = {c.id: c for c in Claim.objects.filter(lesson=lesson)}
        # A claim naming another lesson's source or section is a problem the rules report
        # (`foreign_reference`); its source is still loaded, so that no rule fails on it.
        missing = {c.source_id for c in self.claims.values()} - self.sources.keys()
        foreign = {s.id: s for s in Source.objects.filter(id__in=missing)} if missing else {}
        for claim in self.claims.values():
            claim.source = self.sources.get(claim.source_id) or foreign[claim.source_id]
        self.reading = normalise("\n".join(s.body for s in self.sections))
        # Titles may stand in quotation marks: the sections' and the article's own.
        self.titles = {s.title for s in self.sections} | {lesson.article_title, lesson.title}
        self.titles.discard("")
        self.quoted_words = {c.quoted for c in self.claims.values() if c.quoted}

    def section(self, section_id: int | None) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)

    def lineage(self, source_id: int) -> set[int]:
        """The source and its ancestors."""
        seen, node = set(), source_id
        while node is not None and node not in seen and node in self.sources:
            seen.add(node)
            node = self.sources[node].parent_id
        return seen

    def related(self, a: int, b: int) -> bool:
        return a != b and (a in self.lineage(b) or b in self.lineage(a))

    def in_article(self, words: str) -> bool:
        return self.article is not None and normalise(words) in normalise(self.article)

    def is_article_quotation(self, words: str) -> bool:
        if self.article is not None:
            # The article's quotation marks around these words, with the punctuation an
            # article keeps inside them ("“We will act,” she said").
            pattern = "“" + re.escape(normalise(words).rstrip(",.;:!?")) + r"[,.;:!?]?”"
            return re.search(pattern, normalise(self.article)) is not None
        return words in self.quoted_words

    def load_questions(self, quizzes) -> list[Quiz]:
        """The quizzes with their questions, choices and rubric levels (three queries),
        sources and claims attached from what is loaded already."""
        quizzes = list(
            quizzes.prefetch_related(
                Prefetch("questions", queryset=Question.objects.order_by("order", "id")),
                Prefetch("questions__choices", queryset=Choice.objects.order_by("order", "id")),
                "questions__levels",
            )
        )
        for quiz in quizzes:
            for question in quiz.questions.all():
                question.quiz = quiz
                if question.claim_id in self.claims:
                    question.claim = self.claims[question.claim_id]
                for choice in question.choices.all():
                    if choice.source_id in self.sources:
                        choice.source = self.sources[choice.source_id]
        return quizzes
