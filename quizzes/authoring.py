"""Authoring: check a whole quiz, publish it only when it passes, duplicate a quiz or a
whole lesson (into a teacher's own content).

The checks report every question's problems in a teacher's words, each with a code.

Reuses the rules the admin forms apply one at a time (`Question.clean`, `Claim.clean`,
`choice_errors`), over the whole quiz at once, so content that arrived another way
(an import, an edit elsewhere) is checked too."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from lessons.models import Claim, Lesson, Section, Source

from .content_rules import lesson_problems
from .models import Choice, Question, Quiz, RubricLevel
from .validation import choice_errors


@dataclass(frozen=True)
class Problem:
    """One reason not to publish. `number` is the question's place in the quiz (from 1);
    `where` names a lesson item (a claim, a section) for problems not of one question."""

    question: Question | None
    message: str
    code: str = "invalid"
    number: int | None = None
    where: str = ""

    def __str__(self):
        if self.question is None:
            return f"{self.where}: {self.message}" if self.where else self.message
        return f"Question {self.number} (“{self.question.prompt}”): {self.message}"


def _errors(error: ValidationError) -> list[ValidationError]:
    """The single errors inside `error`, each with its message and code."""
    if hasattr(error, "error_dict"):
        return [e for errors in error.error_dict.values() for e in errors]
    return list(error.error_list)


def foreign_source_error(choices, lesson_id) -> ValidationError | None:
    """Choices that name a source of another lesson than the quiz's."""
    foreign = [c.label for c in choices if c.source_id and c.source.lesson_id != lesson_id]
    if not foreign:
        return None
    return ValidationError(
        "These choices name a source from another lesson: "
        + ", ".join(f"“{label}”" for label in foreign)
        + ".",
        code="source_of_another_lesson",
    )


def quiz_problems(quiz: Quiz) -> list[Problem]:
    """Every problem with the quiz's questions, and the content rules' problems that
    concern it (quizzes/content_rules.py: its questions, the claims and sections they use);
    empty when it is fit to publish. A fixed number of queries, whatever the quiz's size."""
    problems = []
    questions = list(Question.objects.with_key().filter(quiz=quiz))
    if not questions:
        return [Problem(None, "The quiz has no questions yet.", "no_questions")]
    numbers = {q.pk: n for n, q in enumerate(questions, start=1)}
    for question in questions:
        question.quiz = quiz  # already loaded: spare a query per question
        choices = list(question.choices.all())
        found = []
        try:
            question.clean()
        except ValidationError as e:
            found += [(e.message, e.code) for e in _errors(e)]
        if question.claim_id:
            try:
                question.claim.clean()
            except ValidationError as e:
                found += [
                    (f"its claim “{question.claim.key}”: {e.message}", e.code) for e in _errors(e)
                ]
        found += [(e.message, e.code) for e in choice_errors(question, choices)]
        foreign = foreign_source_error(choices, quiz.lesson_id)
        if foreign:
            found.append((foreign.message, foreign.code))
        number = numbers[question.pk]
        problems += [Problem(question, m, code, number) for m, code in dict.fromkeys(found)]
    return problems + _content_problems(quiz, questions, numbers)


def _content_problems(quiz: Quiz, questions: list[Question], numbers) -> list[Problem]:
    """The content rules' problems of this quiz and of the lesson's items its questions
    use. (Whether every source of the lesson is a right answer somewhere concerns all its
    quizzes together: the import checks it.)"""
    used = {("claim", q.claim_id) for q in questions if q.claim_id}
    used |= {("section", q.section_id) for q in questions if q.section_id}
    used |= {("section", q.claim.section_id) for q in questions if q.claim_id}
    found = []
    for p in lesson_problems(quiz.lesson):
        if p.question is not None:
            if p.question.quiz_id == quiz.pk:
                found.append(Problem(p.question, p.message, p.code, numbers.get(p.question.pk)))
        elif p.quiz is not None:
            if p.quiz.pk == quiz.pk:
                found.append(Problem(None, p.message, p.code))
        elif p.item is not None and (type(p.item).__name__.lower(), p.item.pk) in used:
            found.append(Problem(None, p.message, p.code, where=p.where))
    return found


def publish(quiz: Quiz) -> list[Problem]:
    """Publish the quiz if it has no problems: the one rule the publish action and the
    quiz's form share. A quiz with problems is left as it is stored; the problems are
    returned."""
    problems = quiz_problems(quiz)
    if not problems and not quiz.published:
        quiz.published = True
        quiz.save(update_fields=["published"])
    return problems


def _free_key(quiz: Quiz) -> str:
    taken = set(Quiz.objects.filter(lesson_id=quiz.lesson_id).values_list("key", flat=True))
    base = f"{quiz.key}-copy"[:46].rstrip("-")
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


def duplicate_quiz(quiz: Quiz, *, owner=None, into: Lesson | None = None, refs=None) -> Quiz:
    """A copy of the quiz with its questions, choices and rubrics, unpublished, not archived, with
    no attempts, owned by `owner` (the original's owner by default). A fixed number of
    queries, whatever the quiz's size.

    `into`: another lesson (a copy of the quiz's own), keeping the quiz's key and title;
    `refs` maps the original lesson's sections, claims and sources (by id) to the copy's."""
    with transaction.atomic():
        copy = Quiz.objects.get(pk=quiz.pk)
        copy.pk = None
        if into is None:
            copy.key = _free_key(quiz)
            copy.title = f"{quiz.title} (copy)"[:200]
        else:
            copy.lesson = into
        copy.published = False
        copy.archived = False
        if owner is not None:
            copy.owner = owner
        copy.save()
        questions = list(
            Question.objects.filter(quiz=quiz)
            .prefetch_related("choices", "levels")
            .order_by("order", "id")
        )
        choices = {q.id: list(q.choices.all()) for q in questions}
        levels = {q.id: list(q.levels.all()) for q in questions}
        old_ids = [q.id for q in questions]
        for q in questions:
            q.pk = None
            q.quiz = copy
            if refs is not None:
                q.section_id = refs[Section].get(q.section_id)
                q.claim_id = refs[Claim].get(q.claim_id)
        new_questions = Question.objects.bulk_create(questions)
        new_choices, new_levels = [], []
        for old_id, new_q in zip(old_ids, new_questions, strict=True):
            for lv in levels[old_id]:  # a written question's rubric
                lv.pk, lv.question = None, new_q
                new_levels.append(lv)
            for c in choices[old_id]:
                c.pk = None
                c.question = new_q
                if refs is not None:
                    c.source_id = refs[Source].get(c.source_id)
                new_choices.append(c)
        Choice.objects.bulk_create(new_choices)
        RubricLevel.objects.bulk_create(new_levels)
        return copy


def _free_slug(lesson: Lesson) -> str:
    base = f"{lesson.slug}-copy"[:46].rstrip("-")
    taken = set(Lesson.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _copy_rows(model, rows, lesson, fix=None) -> dict[int, int]:
    """Copy `rows` into `lesson`; the old id of each row to its copy's."""
    old_ids = [r.pk for r in rows]
    for r in rows:
        r.pk = None
        r.lesson = lesson
        if fix:
            fix(r)
    return dict(zip(old_ids, (r.pk for r in model.objects.bulk_create(rows)), strict=True))


def duplicate_lesson(lesson: Lesson, *, owner) -> Lesson:
    """A copy of the lesson owned by `owner`, unpublished, with a slug of its own: its
    sources, sections, claims and quizzes (each with its questions and choices, pointing
    at the copy's sources, sections and claims). Nothing of the original changes; no
    attempt or assignment is copied."""
    with transaction.atomic():
        copy = Lesson.objects.get(pk=lesson.pk)
        copy.pk = None
        copy.slug = _free_slug(lesson)
        copy.title = f"{lesson.title} (copy)"[:200]
        copy.published = False
        copy.owner = owner
        copy.save()
        refs: dict = {}
        sources = list(Source.objects.filter(lesson=lesson).order_by("id"))
        parents = {s.pk: s.parent_id for s in sources}
        refs[Source] = _copy_rows(Source, sources, copy, fix=lambda s: setattr(s, "parent", None))
        for source, old in zip(sources, parents, strict=True):
            source.parent_id = refs[Source].get(parents[old])
        Source.objects.bulk_update(sources, ["parent"])
        refs[Section] = _copy_rows(Section, list(Section.objects.filter(lesson=lesson)), copy)

        def fix_claim(c):
            c.section_id = refs[Section][c.section_id]
            c.source_id = refs[Source][c.source_id]

        refs[Claim] = _copy_rows(Claim, list(Claim.objects.filter(lesson=lesson)), copy, fix_claim)
        for quiz in Quiz.objects.filter(lesson=lesson).order_by("order", "id"):
            duplicate_quiz(quiz, owner=owner, into=copy, refs=refs)
        return copy
