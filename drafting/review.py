"""Reviewing a draft lesson: what the review page shows (`ReviewPage.load`) and the one
writer of the teacher's decisions (`apply_review`), which applies all of them in one
transaction or none (docs/authoring.md, "Reviewing the draft").

Decisions: a source is kept (with its name, kind, side and parent as edited), merged into
another source (its claims and choices move there) or rejected (deleted with its claims,
and with the questions that depend on them); a claim is kept (source, kind, cue, content,
quoted words as edited) or rejected (deleted, with its questions); a question is kept
(prompt as edited) or dropped."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, ProtectedError, RestrictedError

from lessons.models import Claim, Lesson, Section, Source
from quizzes.models import Choice, Question, Quiz, Response, Selection

KEEP, MERGE, REJECT = "keep", "merge", "reject"


@dataclass
class SourceDecision:
    id: int
    decision: str = KEEP
    name: str = ""
    kind: str = ""
    side: str = ""
    parent: int | None = None
    merge_into: int | None = None


@dataclass
class ClaimDecision:
    id: int
    decision: str = KEEP
    source: int = 0
    kind: str = ""
    cue: str = ""
    content: str = ""
    quoted: str = ""


@dataclass
class QuestionDecision:
    id: int
    decision: str = KEEP
    prompt: str = ""


@dataclass
class Decisions:
    sources: list[SourceDecision] = field(default_factory=list)
    claims: list[ClaimDecision] = field(default_factory=list)
    questions: list[QuestionDecision] = field(default_factory=list)


@dataclass
class ReviewResult:
    sources_merged: int = 0
    sources_rejected: int = 0
    claims_rejected: int = 0
    questions_dropped: int = 0
    questions_kept: int = 0

    def summary(self) -> str:
        return (
            f"{self.sources_merged} source(s) merged, {self.sources_rejected} rejected; "
            f"{self.claims_rejected} claim(s) rejected; {self.questions_kept} question(s) "
            f"kept, {self.questions_dropped} dropped."
        )


class ReviewError(Exception):
    """Decisions that cannot be applied together; `errors` are ValidationErrors with codes."""

    def __init__(self, errors: list[ValidationError]):
        self.errors = errors
        super().__init__("; ".join(e.message for e in errors))

    @property
    def codes(self) -> list[str]:
        return [e.code for e in self.errors]


# --- What the page shows ---------------------------------------------------------------


@dataclass
class Context:
    """An evidence sentence in its paragraph: the text before it, it, the text after it."""

    before: str
    mark: str
    after: str


def in_context(body: str, evidence: str) -> Context:
    """The paragraph of `body` holding `evidence`, split around it (the template marks it
    with <mark>, escaping all three parts). Evidence not found: the evidence alone."""
    at = body.find(evidence) if evidence else -1
    if at < 0:
        return Context("", evidence, "")
    start = body.rfind("\n\n", 0, at)
    start = 0 if start < 0 else start + 2
    end = body.find("\n\n", at + len(evidence))
    end = len(body) if end < 0 else end
    return Context(body[start:at], evidence, body[at + len(evidence) : end])


@dataclass
class ReviewPage:
    lesson: Lesson
    sources: list[Source]  # the article's own voice first
    claims: list[Claim]
    quizzes: list[Quiz]
    questions: list[Question]

    @classmethod
    def load(cls, lesson: Lesson) -> ReviewPage:
        """Everything the page shows, in five queries whatever the lesson's size."""
        sources = list(Source.objects.filter(lesson=lesson).order_by("order", "id"))
        sections = {s.id: s for s in Section.objects.filter(lesson=lesson)}
        by_id = {s.id: s for s in sources}
        claims = list(Claim.objects.filter(lesson=lesson).order_by("order", "id"))
        for claim in claims:
            claim.section = sections[claim.section_id]
            claim.source = by_id[claim.source_id]
            claim.context = in_context(claim.section.body, claim.evidence)
        quizzes = list(Quiz.objects.filter(lesson=lesson).order_by("order", "id"))
        questions = list(
            Question.objects.filter(quiz__lesson=lesson)
            .prefetch_related(Prefetch("choices", queryset=Choice.objects.order_by("order", "id")))
            .order_by("quiz__order", "quiz_id", "order", "id")
        )
        for question in questions:
            question.section = sections.get(question.section_id)
            for choice in question.choices.all():
                choice.source = by_id.get(choice.source_id)
        return cls(lesson, sources, claims, quizzes, questions)


# --- The writer --------------------------------------------------------------------------


def _error(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _final(source_id: int, merged: dict[int, int]) -> int:
    """Where a source's claims end up: itself, or the source it is merged into."""
    return merged.get(source_id, source_id)


def _check(lesson, decisions, sources, claims, questions) -> list[ValidationError]:
    errors = []
    if (
        {d.id for d in decisions.sources} != {s.id for s in sources.values() if s.kind != "article"}
        or {d.id for d in decisions.claims} != set(claims)
        or {d.id for d in decisions.questions} != set(questions)
    ):
        return [
            _error(
                "The draft changed since this page was loaded (someone else edited it?). "
                "Nothing was saved: reload the page and decide again.",
                "stale",
            )
        ]
    removed = {d.id for d in decisions.sources if d.decision in (MERGE, REJECT)}
    by_id = {d.id: d for d in decisions.sources}
    for d in decisions.sources:
        if d.decision == MERGE:
            if d.merge_into is None or d.merge_into not in sources or d.merge_into == d.id:
                errors.append(
                    _error(f"“{d.name}”: choose another source to merge it into.", "merge_target")
                )
            elif d.merge_into in removed:
                errors.append(
                    _error(
                        f"“{d.name}” is merged into “{by_id[d.merge_into].name}”, which is "
                        "itself merged or rejected: merge it into a source you keep.",
                        "merge_target_removed",
                    )
                )
        if d.parent is not None and d.parent not in sources:
            errors.append(
                _error(f"“{d.name}”: the parent is not a source of this lesson.", "parent")
            )
    for d in decisions.claims:
        if d.source not in sources:
            errors.append(_error("A claim's source is not a source of this lesson.", "source"))
        if d.decision == KEEP and d.kind == Claim.Kind.QUOTE and not d.quoted.strip():
            errors.append(_error("A direct quote needs the quoted words.", "quote_without_words"))
    if errors:
        return errors
    # Parents after the decisions: a merged parent becomes its target, a rejected one none.
    parents = {}
    for d in decisions.sources:
        if d.id in removed:
            continue
        parent = d.parent
        if parent is not None:
            parent = _final(
                parent, {x.id: x.merge_into for x in decisions.sources if x.decision == MERGE}
            )
            parent = None if parent in removed or parent == d.id else parent
        parents[d.id] = parent
    for start in parents:
        seen, node = set(), start
        while node is not None:
            if node in seen:
                errors.append(
                    _error(
                        f"“{by_id[start].name}” would be its own ancestor: choose other parents.",
                        "parent_cycle",
                    )
                )
                break
            seen.add(node)
            node = parents.get(node)
    return errors


def apply_review(lesson: Lesson, decisions: Decisions) -> ReviewResult:
    """Apply every decision, in one transaction; raise ReviewError, having changed
    nothing, when they cannot all be applied. The lesson stays unpublished as it was:
    publishing is `publish_draft`."""
    with transaction.atomic():
        Lesson.objects.select_for_update().filter(pk=lesson.pk).first()
        sources = {s.id: s for s in Source.objects.filter(lesson=lesson)}
        claims = {c.id: c for c in Claim.objects.filter(lesson=lesson)}
        questions = {
            q.id: q
            for q in Question.objects.filter(quiz__lesson=lesson).prefetch_related("choices")
        }
        errors = _check(lesson, decisions, sources, claims, questions)
        if errors:
            raise ReviewError(errors)
        try:
            return _apply(decisions, sources, claims, questions)
        except (ProtectedError, RestrictedError) as error:
            raise ReviewError(
                [
                    _error(
                        "Learners have already answered part of this lesson: what they "
                        "answered cannot be removed.",
                        "answered",
                    )
                ]
            ) from error


def _apply(decisions, sources, claims, questions) -> ReviewResult:
    result = ReviewResult()
    merged = {d.id: d.merge_into for d in decisions.sources if d.decision == MERGE}
    rejected = {d.id for d in decisions.sources if d.decision == REJECT}
    removed = set(merged) | rejected
    for d in decisions.sources:
        if d.id in removed:
            continue
        source = sources[d.id]
        parent = _final(d.parent, merged) if d.parent is not None else None
        parent = None if parent in removed or parent == d.id else parent
        _update(source, name=d.name, kind=d.kind, side=d.side, parent_id=parent)

    gone_claims = set()
    for d in decisions.claims:
        final = _final(d.source, merged)
        if d.decision == REJECT or final in rejected:
            gone_claims.add(d.id)
            continue
        values = {
            "source_id": final,
            "kind": d.kind,
            "cue": d.cue,
            "content": d.content,
            "quoted": d.quoted,
        }
        _update(claims[d.id], **values)

    dropped = {d.id for d in decisions.questions if d.decision != KEEP}
    prompts = {d.id: d.prompt for d in decisions.questions}
    for qid, question in questions.items():
        choices = list(question.choices.all())
        if question.claim_id in gone_claims or any(c.source_id in rejected for c in choices):
            dropped.add(qid)
    kept = [q for qid, q in sorted(questions.items(), key=lambda i: (i[1].quiz_id, i[1].order))]
    kept = [q for q in kept if q.id not in dropped]
    for question in list(kept):
        if not _fix_choices(question, claims, merged):
            dropped.add(question.id)
            kept.remove(question)

    if (
        Response.objects.filter(question_id__in=dropped).exists()
        or Selection.objects.filter(source_id__in=removed).exists()
    ):
        raise RestrictedError("learners answered what the decisions remove", set())
    Question.objects.filter(pk__in=dropped).delete()
    Claim.objects.filter(pk__in=gone_claims).delete()
    Source.objects.filter(pk__in=removed).delete()
    number = {}
    for question in kept:
        number[question.quiz_id] = number.get(question.quiz_id, 0) + 1
        _update(
            question,
            prompt=prompts.get(question.id, question.prompt),
            order=number[question.quiz_id],
        )
    result.sources_merged, result.sources_rejected = len(merged), len(rejected)
    result.claims_rejected = len(gone_claims)
    result.questions_dropped, result.questions_kept = len(dropped), len(kept)
    return result


def _fix_choices(question: Question, claims: dict[int, Claim], merged: dict[int, int]) -> bool:
    """Point the question's choices at the sources that stay: a merged source's choices
    go to its target; a who-said-it key follows its claim's source; a wrong choice that
    now repeats another choice's source is removed. False: too few choices are left."""
    choices = list(question.choices.all())
    loaded = {c.pk: c.source_id for c in choices}
    for choice in choices:
        if choice.source_id is not None:
            choice.source_id = _final(choice.source_id, merged)
        if question.kind == Question.Kind.WHO_SAID and choice.correct and question.claim_id:
            choice.source_id = claims[question.claim_id].source_id
    seen, keep, drop = set(), [], []
    for choice in sorted(choices, key=lambda c: not c.correct):  # the key first
        repeated = choice.source_id is not None and choice.source_id in seen
        if repeated and not (question.kind == Question.Kind.MATCHING and choice.correct):
            drop.append(choice)
            continue
        if choice.source_id is not None:
            seen.add(choice.source_id)
        keep.append(choice)
    if question.kind in (Question.Kind.WHO_SAID, Question.Kind.MATCHING) and len(keep) < 2:
        return False
    if Selection.objects.filter(choice__in=drop).exists():
        raise RestrictedError("learners chose a choice the decisions remove", set())
    Choice.objects.filter(pk__in=[c.pk for c in drop]).delete()
    for choice in keep:
        if choice.source_id != loaded[choice.pk]:
            choice.save(update_fields=["source"])
    return True


def _update(obj, **values) -> None:
    """Save `obj` only where a value differs."""
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    if changed:
        obj.save(update_fields=[n.removesuffix("_id") for n in changed])
