"""Content rules: what a fact-checker checks in a lesson and its quizzes, beyond the format.

Each rule reports a `Problem` with a code (tests assert codes, not wording) and a message a
teacher understands. The rules read model instances, loaded once with a fixed number of
queries whatever the lesson's size, so the same functions serve the bundle import, the
publish checks and the tests:

    lesson_problems(lesson, article=None)        every rule, over the lesson and its quizzes
    quiz_content_problems(quiz, article=None)    the rules about one quiz's questions

`article` is the article's text (not stored with a lesson): the rules comparing with it
run only where it is given; without it they check what the lesson itself can prove.
A written question's rubric: quizzes/rubric_rules.py."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from lessons.marking import sentence_starts
from lessons.models import Lesson, Source

from .content import ACT_VERBS, LessonContent, Problem, names_source, normalise
from .evidence_pick import question_pick_problems
from .models import Question, Quiz
from .rubric_rules import rubric_problems
from .validation import CLASSIFICATION_LABELS

__all__ = ["ACT_VERBS", "Problem", "lesson_problems", "names_source", "quiz_content_problems"]

K = Question.Kind
# Kinds with exactly one right answer, where the key's position can give it away.
ONE_KEY_KINDS = (K.SINGLE, K.TRUE_FALSE, K.WHO_SAID, K.CLASSIFICATION)
# Kinds whose choices keep their order when a quiz shuffles choices (the rule is
# `Question.shuffles_choices`; a question's `fixed_order` keeps any kind's).
NEVER_SHUFFLED = Question.FIXED_ORDER_KINDS
# Kinds where a longer right answer is a tell: free text or names, not fixed labels.
LENGTH_KINDS = (K.SINGLE, K.WHO_SAID)
# Position and length are judged over at least this many questions of a quiz.
MIN_QUESTIONS_FOR_PATTERNS = 4
STRAIGHT_QUOTE = re.compile(r'"([^"]+)"')
CURLY_QUOTE = re.compile(r"“([^”]+)”")


# --- Questions ---------------------------------------------------------------------------


def _key_source(question: Question) -> Source | None:
    right = [c for c in question.choices.all() if c.correct]
    return right[0].source if len(right) == 1 and right[0].source_id else None


def _classification(question: Question):
    texts = [c.text for c in question.choices.all()]
    if texts != list(CLASSIFICATION_LABELS):
        yield (
            "classification_labels",
            "A classification question offers the three classes, in this order: "
            + ", ".join(f"“{label}”" for label in CLASSIFICATION_LABELS)
            + ". Each statement fits exactly one of them, and a fixed order lets learners "
            "read the scheme once.",
        )
    prompt = normalise(question.prompt)
    if any(normalise(label) in prompt for label in CLASSIFICATION_LABELS):
        yield (
            "classification_scheme_in_prompt",
            "The prompt repeats the classes; define them once, in the quiz's description, "
            "and let the prompt give only the statement.",
        )


def _who_said(question: Question, content: LessonContent):
    key = _key_source(question)
    if key is None:
        return
    if key.kind != Source.Kind.ARTICLE and not names_source(question.evidence_text, key):
        yield (
            "evidence_unnamed",
            f"The evidence does not name {key.name}: a learner cannot see from it who "
            f"speaks. Use a span that names the source (or one of its aliases).",
        )
    for choice in question.choices.all():
        if not choice.correct and choice.source_id and content.related(choice.source_id, key.id):
            yield (
                "distractor_ancestry",
                f"The wrong choice {choice.source.name} speaks for, or is spoken for by, "
                f"{key.name}: both answers would be defensible. Offer another source.",
            )


def _matching(question: Question, content: LessonContent):
    offered = list(dict.fromkeys(c.source_id for c in question.choices.all() if c.source_id))
    for i, a in enumerate(offered):
        for b in offered[i + 1 :]:
            if content.related(a, b) and a in content.sources and b in content.sources:
                yield (
                    "distractor_ancestry",
                    f"The list offers both {content.sources[a].name} and "
                    f"{content.sources[b].name}, and one speaks for the other: a statement "
                    f"of either could be matched to both. Keep only one of them.",
                )


def _quotations(text: str, question: Question, content: LessonContent):
    """Quotation marks in a feedback or explanation text: straight quotes hold words of
    the reading (introduced as the reading's) or of the article; curly quotes only the
    words the article itself quotes. Section titles and choice labels may be quoted."""
    labels = {c.label for c in question.choices.all()} | content.titles
    straight = [(m.start(), m.end(), m.group(1)) for m in STRAIGHT_QUOTE.finditer(text)]
    starts = sentence_starts(text)
    for start, _, words in straight:
        if words in labels or words.rstrip(".,;:") in labels:
            continue
        intro = text[max(s for s in starts if s <= start) : start]
        in_reading = normalise(words) in content.reading
        if any(word in intro.casefold() for word in ("reading", "lesson")):
            if not in_reading:
                yield (
                    "quote_not_in_reading",
                    f'"{words[:80]}" is introduced as the reading\'s words but the reading '
                    f"does not say this word for word.",
                )
        elif content.article is not None and not content.in_article(words):
            if in_reading:
                yield (
                    "quote_not_introduced",
                    f"\"{words[:80]}\" are the reading's words, not the article's: introduce "
                    f"them as the reading's (the reading says …).",
                )
            else:
                yield (
                    "quote_not_verbatim",
                    f'"{words[:80]}" is in quotation marks but neither the article nor the '
                    f"reading says it word for word. Quote exactly, or drop the marks.",
                )
    for match in CURLY_QUOTE.finditer(text):
        words = match.group(1)
        quoted_right = words.rstrip(".,;:") in labels or content.is_article_quotation(words)
        if not quoted_right and not any(s <= match.start() < e for s, e, _ in straight):
            yield (
                "quote_marks_misused",
                f"Curly quotation marks are kept for the words the article itself quotes; "
                f"“{words[:80]}” is not one of them.",
            )


def _foreign_question(question: Question, content: LessonContent):
    sections = {s.id for s in content.sections}
    if question.section_id and question.section_id not in sections:
        yield "foreign_reference", FOREIGN.format("section")
    if question.claim_id and question.claim_id not in content.claims:
        yield "foreign_reference", FOREIGN.format("claim")
    if any(c.source_id and c.source_id not in content.sources for c in question.choices.all()):
        yield "foreign_reference", "A choice names a source of another lesson."


def question_problems(question: Question, content: LessonContent) -> list[Problem]:
    found = [*_foreign_question(question, content), *rubric_problems(question)]
    if question.kind == K.CLASSIFICATION:
        found += _classification(question)
    if question.kind == K.WHO_SAID:
        found += _who_said(question, content)
    if question.kind == K.MATCHING:
        found += _matching(question, content)
    if question.kind == K.EVIDENCE_PICK:
        found += question_pick_problems(question, content.section(question.section_id))
    for text in [question.explanation, *(c.feedback for c in question.choices.all())]:
        found += _quotations(text, question, content)
    return [
        Problem(code, message, question=question, quiz=question.quiz) for code, message in found
    ]


# --- Quizzes -----------------------------------------------------------------------------


def _positions(quiz: Quiz, questions: list[Question]):
    # Only the questions whose order every attempt shows as written can give the key away.
    at = Counter()
    for question in questions:
        choices = list(question.choices.all())
        right = [i for i, c in enumerate(choices) if c.correct]
        fixed = not question.shuffles_choices(quiz)
        if question.kind in ONE_KEY_KINDS and fixed and len(right) == 1:
            at[right[0] + 1] += 1
    n = sum(at.values())
    if n >= MIN_QUESTIONS_FOR_PATTERNS and at:
        position, count = at.most_common(1)[0]
        if count > n / 2:
            yield Problem(
                "key_position",
                f"The right answer is choice {position} in {count} of {n} questions: "
                f"always picking it beats reading. Move some right answers.",
                quiz=quiz,
            )


def _lengths(quiz: Quiz, questions: list[Question]):
    for kind in LENGTH_KINDS:
        of_kind = [q for q in questions if q.kind == kind]
        longest = 0
        for question in of_kind:
            choices = list(question.choices.all())
            right = [c for c in choices if c.correct]
            if len(right) != 1:
                continue
            others = [len(c.label) for c in choices if not c.correct]
            longest += bool(others) and len(right[0].label) > max(others)
        if len(of_kind) >= MIN_QUESTIONS_FOR_PATTERNS and longest > len(of_kind) / 2:
            yield Problem(
                "longest_choice_key",
                f"In {longest} of the {len(of_kind)} {K(kind).label.lower()} questions the "
                f"right answer is the longest choice: learners can pick by length. "
                f"Lengthen some wrong answers or shorten the right ones.",
                quiz=quiz,
            )


def _scheme(quiz: Quiz, questions: list[Question]):
    if any(q.kind == K.CLASSIFICATION for q in questions):
        description = normalise(quiz.description)
        missing = [label for label in CLASSIFICATION_LABELS if normalise(label) not in description]
        if missing:
            yield Problem(
                "classification_scheme_missing",
                "The quiz has classification questions, but its description does not define "
                + ", ".join(f"“{label}”" for label in missing)
                + ". State the three classes once, there.",
                quiz=quiz,
            )


def _duplicates(quiz: Quiz, questions: list[Question]):
    seen: dict[object, Question] = {}
    for question in questions:
        marks = [("prompt", normalise(question.prompt))]
        if question.kind == K.WHO_SAID and question.claim_id:
            marks.append(("who", question.claim_id))
        for mark in marks:
            if mark in seen:
                yield Problem(
                    "duplicate_question",
                    f"It asks what question {questions.index(seen[mark]) + 1} already asks.",
                    question=question,
                    quiz=quiz,
                )
            seen.setdefault(mark, question)


def _quiz_rules(quiz: Quiz, content: LessonContent) -> list[Problem]:
    questions = list(quiz.questions.all())
    found = []
    for question in questions:
        found += question_problems(question, content)
    for rule in (_scheme, _positions, _lengths, _duplicates):
        found += rule(quiz, questions)
    # Questions are numbered as a learner sees them, from 1.
    number = {q.pk: n for n, q in enumerate(questions, start=1)}
    return [replace(p, number=number[p.question.pk]) if p.question else p for p in found]


def quiz_content_problems(quiz: Quiz, article: str | None = None) -> list[Problem]:
    """The content problems of one quiz; six queries, whatever its size."""
    content = LessonContent(quiz.lesson, article)
    (loaded,) = content.load_questions(Quiz.objects.filter(pk=quiz.pk))
    return _quiz_rules(loaded, content)


# --- The lesson --------------------------------------------------------------------------


def _claims(content: LessonContent):
    for claim in content.claims.values():
        where = f"Claim {claim.key}"
        if claim.source.kind == Source.Kind.ARTICLE:
            continue
        if set(normalise(claim.cue).split()) & ACT_VERBS:
            yield Problem(
                "act_verb_cue",
                f"“{claim.cue}” reports an act, not speech: {claim.source.name} is an actor "
                f"here, not a speaker. Record it as the article's own statement.",
                where=where,
                item=claim,
            )
        if not names_source(claim.evidence, claim.source):
            yield Problem(
                "evidence_unnamed",
                f"The evidence does not name {claim.source.name} (or an alias): a learner "
                f"cannot see from it who speaks.",
                where=where,
                item=claim,
            )
    for claim in content.claims.values():
        quoted = claim.quoted
        if quoted and content.article is not None and not content.is_article_quotation(quoted):
            yield Problem(
                "quoted_not_in_article",
                f"“{quoted}” is not words the article puts in quotation marks.",
                where=f"Claim {claim.key}",
                item=claim,
            )


def _reading(content: LessonContent):
    for section in content.sections:
        for words in CURLY_QUOTE.findall(section.body):
            if not content.is_article_quotation(words):
                yield Problem(
                    "reading_quotation",
                    f"The reading puts “{words[:80]}” in quotation marks, but these are not "
                    f"words the article quotes. Keep the reading in our own words.",
                    where=f"Section {section.key}",
                    item=section,
                )


def _every_source_a_key(content: LessonContent, quizzes: list[Quiz]):
    questions = [q for quiz in quizzes for q in quiz.questions.all()]
    if not questions:
        return
    keys = {
        c.source_id
        for q in questions
        if q.kind in (K.WHO_SAID, K.MATCHING)
        for c in q.choices.all()
        if c.correct and c.source_id
    }
    for source in content.sources.values():
        if source.id not in keys:
            yield Problem(
                "source_never_key",
                f"{source.name} is never the right answer of a who-said-it or matching "
                f"question: learners are never asked to recognise this voice.",
                where=f"Source {source.key}",
                item=source,
            )


FOREIGN = "Its {0} belongs to another lesson: choose one of this lesson's {0}s."


def _foreign_references(content: LessonContent):
    """A source or claim of the lesson that names another lesson's source or section: the
    reading would mix two articles' voices (questions: `_foreign_question`)."""
    sections = {s.id for s in content.sections}

    def problem(where, item, what):
        return Problem("foreign_reference", FOREIGN.format(what), where=where, item=item)

    for source in content.sources.values():
        if source.parent_id and source.parent_id not in content.sources:
            yield problem(f"Source {source.key}", source, "parent")
    for claim in content.claims.values():
        if claim.source_id not in content.sources:
            yield problem(f"Claim {claim.key}", claim, "source")
        if claim.section_id not in sections:
            yield problem(f"Claim {claim.key}", claim, "section")


def lesson_problems(lesson: Lesson, article: str | None = None) -> list[Problem]:
    """Every content problem of the lesson and its quizzes; eight queries at most, whatever
    its size."""
    content = LessonContent(lesson, article)
    quizzes = content.load_questions(Quiz.objects.filter(lesson=lesson).order_by("order", "id"))
    found = [
        *_foreign_references(content),
        *_claims(content),
        *_reading(content),
        *_every_source_a_key(content, quizzes),
    ]
    for quiz in quizzes:
        found += _quiz_rules(quiz, content)
    return found
