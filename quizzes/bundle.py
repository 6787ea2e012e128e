"""The quizzes of a lesson bundle: the `quizzes` list of docs/lesson-bundle.md.

lessons/bundle.py owns the format and never imports this app (DESIGN: imports run from
quizzes to lessons). This module plugs the quizzes into it as a `Part`: it is found by
`autodiscover_modules("bundle")`, like an `admin.py`, and registers itself on import.
The per-kind choice rules are `validate_choices` from quizzes/models.py, given the
bundle's question as a Question-like object; this module adds only what the models'
`clean()` methods check and what needs the rest of the bundle (references, evidence).

Quizzes, questions and choices are matched to existing rows by quiz key, question key
and, for choices, which have no key, by position within their question. `opens_at` and
`closes_at` are not part of the bundle: an import leaves them as a teacher set them.
"""

from __future__ import annotations

from collections import Counter
from types import SimpleNamespace

from django.db.models import Count, Prefetch

from lessons import bundle
from lessons.bundle import (
    Checker,
    Part,
    Refs,
    Removals,
    Tally,
    a_list,
    boolean,
    check_evidence,
    check_reference,
    key,
    key_or_null,
    one_of,
    positive_int,
    positive_int_or_null,
    text,
    upsert,
)
from lessons.models import Lesson

from .models import Choice, Question, Quiz, Selection
from .validation import validate_choices

QUIZ_FIELDS = {
    "key": key,
    "title": text(Quiz, "title"),
    "description": text(Quiz, "description"),
    "published": boolean,
    "max_attempts": positive_int_or_null,
    "time_limit_minutes": positive_int_or_null,
    "shuffle_questions": boolean,
    "shuffle_choices": boolean,
    "feedback": one_of(Quiz.Feedback.values),
    "questions": a_list,
}
QUESTION_FIELDS = {
    "key": key,
    "kind": one_of(Question.Kind.values),
    "skill": one_of(Question.Skill.values),
    "prompt": text(Question, "prompt"),
    "explanation": text(Question, "explanation"),
    "points": positive_int,
    "section": key,
    "claim": key_or_null,
    "evidence": text(Question, "evidence"),
    "choices": a_list,
}
CHOICE_FIELDS = {
    "text": text(Choice, "text"),
    "correct": boolean,
    "source": key_or_null,
    "feedback": text(Choice, "feedback"),
}


def validate_quizzes(items: list, ck: Checker) -> None:
    for where, quiz in ck.check_items(items, "quiz", QUIZ_FIELDS):
        for q_where, question in ck.check_items(
            quiz.get("questions", []), "question", QUESTION_FIELDS, within=where
        ):
            choices = [
                ck.check_object(choice, CHOICE_FIELDS, f"{q_where} choice {position}")
                for position, choice in enumerate(question.get("choices", []), start=1)
            ]
            _validate_question(ck, q_where, question, choices)


def _validate_question(ck: Checker, where: str, question: dict, choices: list[dict]) -> None:
    section = check_reference(ck, where, "section", question.get("section"), ck.sections)
    claim = check_reference(ck, where, "claim", question.get("claim"), ck.claims)
    check_evidence(ck, where, question.get("evidence"), section)
    for position, choice in enumerate(choices, start=1):
        check_reference(
            ck, f"{where} choice {position}", "source", choice.get("source"), ck.sources
        )

    kind = question.get("kind")
    if kind is None:
        return  # unknown or missing: already reported, and the rules depend on it
    if kind == Question.Kind.WHO_SAID and "claim" in question and question["claim"] is None:
        ck.report(where, "a who_said question needs a claim")
    if len(choices) != len(question.get("choices", [])) or any(
        set(choice) != set(CHOICE_FIELDS) for choice in choices
    ):
        return  # a choice is malformed: its problems are reported, the rules would guess
    like_choices = [
        SimpleNamespace(text=c["text"], correct=c["correct"], source_id=c["source"])
        for c in choices
    ]
    for problem in validate_choices(_question_like(kind, claim, ck), like_choices):
        ck.report(where, problem)


def _question_like(kind: str, claim: dict | None, ck: Checker) -> SimpleNamespace:
    """What validate_choices reads of a Question, taken from the bundle: source keys
    stand in for source ids. The claim is left out when its own source is missing
    (already reported), so that the who-said rule does not report it again."""
    question = SimpleNamespace(
        kind=kind,
        get_kind_display=lambda: Question.Kind(kind).label,
        claim_id=None,
        claim=None,
    )
    source_key = claim.get("source") if claim is not None else None
    if isinstance(source_key, str) and source_key in ck.sources:
        question.claim_id = claim["key"]
        question.claim = SimpleNamespace(
            source_id=source_key,
            source=SimpleNamespace(name=ck.sources[source_key].get("name")),
        )
    return question


def check_removals(lesson: Lesson, items: list, removals: Removals, ck: Checker) -> None:
    """Refuse to delete what learners have answered: a quiz with attempts, a question
    with responses, a choice that was picked, a source a learner matched a statement to."""
    new_questions = {
        quiz["key"]: {question["key"]: len(question["choices"]) for question in quiz["questions"]}
        for quiz in items
    }
    quizzes = Quiz.objects.filter(lesson=lesson).annotate(attempt_count=Count("attempts"))
    for quiz in quizzes:
        if quiz.key not in new_questions:
            if quiz.attempt_count:
                ck.report(
                    f'quiz "{quiz.key}"',
                    f"cannot be removed: learners have made {quiz.attempt_count} attempt(s) at it",
                )
            continue
        kept = new_questions[quiz.key]
        questions = quiz.questions.annotate(response_count=Count("responses")).prefetch_related(
            Prefetch(
                "choices",
                queryset=Choice.objects.annotate(selection_count=Count("selections")).order_by(
                    "order", "id"
                ),
            )
        )
        for question in questions:
            where = f'quiz "{quiz.key}" question "{question.key}"'
            if question.key not in kept:
                if question.response_count:
                    ck.report(
                        where,
                        f"cannot be removed: learners have answered it "
                        f"({question.response_count} response(s))",
                    )
                continue
            for position, choice in enumerate(question.choices.all(), start=1):
                if position > kept[question.key] and choice.selection_count:
                    ck.report(
                        f"{where} choice {position}",
                        f"cannot be removed: learners have chosen it "
                        f"({choice.selection_count} time(s))",
                    )
    if removals.sources:
        matched = Counter(
            Selection.objects.filter(source__in=removals.sources).values_list(
                "source__key", flat=True
            )
        )
        for source_key, n in sorted(matched.items()):
            ck.report(
                f'source "{source_key}"',
                f"cannot be removed: learners have matched statements to it ({n} time(s))",
            )


def write_quizzes(lesson: Lesson, items: list, refs: Refs, tally: Tally) -> None:
    old_quizzes = {quiz.key: quiz for quiz in Quiz.objects.filter(lesson=lesson)}
    for order, item in enumerate(items):
        values = {
            "lesson": lesson,
            "key": item["key"],
            "order": order,
            "title": item["title"],
            "description": item["description"],
            "published": item["published"],
            "max_attempts": item["max_attempts"],
            "time_limit_minutes": item["time_limit_minutes"],
            "shuffle_questions": item["shuffle_questions"],
            "shuffle_choices": item["shuffle_choices"],
            "feedback": item["feedback"],
        }
        quiz, status = upsert(old_quizzes.pop(item["key"], None), Quiz, values)
        tally.add("quizzes", status)
        _write_questions(quiz, item["questions"], refs, tally)
    for quiz in old_quizzes.values():
        n_questions = quiz.questions.count()
        n_choices = Choice.objects.filter(question__quiz=quiz).count()
        quiz.delete()
        tally.add("quizzes", bundle.DELETED)
        tally.add("questions", bundle.DELETED, n_questions)
        tally.add("choices", bundle.DELETED, n_choices)


def _write_questions(quiz: Quiz, items: list, refs: Refs, tally: Tally) -> None:
    old_questions = {
        question.key: question
        for question in quiz.questions.prefetch_related(
            Prefetch("choices", queryset=Choice.objects.order_by("order", "id"))
        )
    }
    for order, item in enumerate(items):
        values = {
            "quiz": quiz,
            "key": item["key"],
            "order": order,
            "kind": item["kind"],
            "skill": item["skill"],
            "prompt": item["prompt"],
            "explanation": item["explanation"],
            "points": item["points"],
            "section": refs.sections[item["section"]],
            "claim": refs.claims[item["claim"]] if item["claim"] else None,
            "evidence": item["evidence"],
        }
        old = old_questions.pop(item["key"], None)
        old_choices = list(old.choices.all()) if old else []
        question, status = upsert(old, Question, values)
        tally.add("questions", status)
        for position, choice in enumerate(item["choices"]):
            values = {
                "question": question,
                "order": position,
                "text": choice["text"],
                "correct": choice["correct"],
                "source": refs.sources[choice["source"]] if choice["source"] else None,
                "feedback": choice["feedback"],
            }
            existing = old_choices[position] if position < len(old_choices) else None
            _, status = upsert(existing, Choice, values)
            tally.add("choices", status)
        for extra in old_choices[len(item["choices"]) :]:
            extra.delete()
            tally.add("choices", bundle.DELETED)
    for question in old_questions.values():
        n_choices = question.choices.count()
        question.delete()
        tally.add("questions", bundle.DELETED)
        tally.add("choices", bundle.DELETED, n_choices)


def dump_quizzes(lesson: Lesson) -> list:
    quizzes = (
        Quiz.objects.filter(lesson=lesson)
        .order_by("order", "id")
        .prefetch_related(
            Prefetch(
                "questions",
                queryset=Question.objects.select_related("section", "claim").order_by(
                    "order", "id"
                ),
            ),
            Prefetch(
                "questions__choices",
                queryset=Choice.objects.select_related("source").order_by("order", "id"),
            ),
        )
    )
    return [
        {
            "key": quiz.key,
            "title": quiz.title,
            "description": quiz.description,
            "published": quiz.published,
            "max_attempts": quiz.max_attempts,
            "time_limit_minutes": quiz.time_limit_minutes,
            "shuffle_questions": quiz.shuffle_questions,
            "shuffle_choices": quiz.shuffle_choices,
            "feedback": quiz.feedback,
            "questions": [
                {
                    "key": question.key,
                    "kind": question.kind,
                    "skill": question.skill,
                    "prompt": question.prompt,
                    "explanation": question.explanation,
                    "points": question.points,
                    "section": question.section.key if question.section_id else None,
                    "claim": question.claim.key if question.claim_id else None,
                    "evidence": question.evidence,
                    "choices": [
                        {
                            "text": choice.text,
                            "correct": choice.correct,
                            "source": choice.source.key if choice.source_id else None,
                            "feedback": choice.feedback,
                        }
                        for choice in question.choices.all()
                    ],
                }
                for question in quiz.questions.all()
            ],
        }
        for quiz in quizzes
    ]


bundle.register(
    Part(
        key="quizzes",
        validate=validate_quizzes,
        check_removals=check_removals,
        write=write_quizzes,
        dump=dump_quizzes,
    )
)
