"""The per-kind rules for a question's choices, in a teacher's words, each with a code:
one place that the choice formset of the admin, the publish checks and the bundle apply."""

from django.core.exceptions import ValidationError

from .models import Question

# Mutually exclusive, in this fixed order: who speaks (the article or a source) first, then
# what kind of thing the source says. A quiz with classification questions defines them in
# its description (quizzes/content_rules.py checks both).
CLASSIFICATION_LABELS = (
    "The article's own statement",
    "A source's statement of fact",
    "A source's framing or judgement",
)


def choice_errors(question, choices) -> list[ValidationError]:
    """Check a question's choices against the rules of its kind; return the problems,
    written for a teacher, each with a code. `choices` are Choice-like objects (text,
    correct, source_id)."""
    kind = question.kind
    K = Question.Kind
    problems = []

    def problem(message, code):
        problems.append(ValidationError(message, code=code))

    correct = [c for c in choices if c.correct]
    if kind == K.WRITTEN:
        # Marked by its rubric (quizzes/rubric_rules.py), not by choices.
        if choices:
            problem(
                "A short written answer question has no choices: remove them; its rubric "
                "says how an answer is marked.",
                "written_has_choices",
            )
        return problems
    if kind == K.MATCHING:
        if len(correct) < 2:
            problem(
                "A matching question needs at least two items (choices marked correct).",
                "matching_items",
            )
        if any(not c.source_id or not c.text for c in correct):
            problem(
                "Each matching item needs a statement (text) and the source that made it.",
                "matching_item_incomplete",
            )
        if any(not c.source_id for c in choices if not c.correct):
            problem(
                "A matching choice not marked correct adds a distractor: it needs a source.",
                "matching_distractor_source",
            )
        return problems
    if len(choices) < 2:
        problem("A question needs at least two choices.", "too_few_choices")
    if not correct:
        problem(
            "No choice is marked correct: learners could not get this question right.",
            "no_correct_choice",
        )
    one_key = (K.SINGLE, K.TRUE_FALSE, K.WHO_SAID, K.CLASSIFICATION, K.EVIDENCE_PICK)
    if kind in one_key and len(correct) > 1:
        problem(
            f"A {question.get_kind_display().lower()} question has exactly one right answer.",
            "several_correct",
        )
    if kind == K.CLASSIFICATION and sorted(c.text for c in choices) != sorted(
        CLASSIFICATION_LABELS
    ):
        problem(
            "A classification question has exactly three choices: "
            + ", ".join(f"“{label}”" for label in CLASSIFICATION_LABELS)
            + ".",
            "classification_labels",
        )
    if kind == K.TRUE_FALSE and sorted(c.text for c in choices) != ["False", "True"]:
        problem(
            "A true or false question has exactly two choices: True and False.",
            "true_false_labels",
        )
    if kind == K.WHO_SAID:
        if any(not c.source_id for c in choices):
            problem(
                "Every choice of a who-said-it question must be a source of the lesson.",
                "choice_not_a_source",
            )
        ids = [c.source_id for c in choices if c.source_id]
        if len(ids) != len(set(ids)):
            problem("A source appears twice among the choices.", "duplicate_source")
        if (
            question.claim_id
            and len(correct) == 1
            and correct[0].source_id != question.claim.source_id
        ):
            problem(
                f"The right answer must be the claim's source, {question.claim.source.name}.",
                "key_not_claim_source",
            )
    if kind == K.EVIDENCE_PICK and any(getattr(c, "source_id", None) for c in choices):
        problem(
            "The choices of an evidence-pick question are sentences, not sources.",
            "choice_is_a_source",
        )
    if any(getattr(c, "partial", False) for c in correct):
        problem("A right answer cannot also earn part credit.", "partial_key")
    if kind != K.EVIDENCE_PICK and any(getattr(c, "partial", False) for c in choices):
        problem("Only the sentences of an evidence-pick question earn part credit.", "partial_kind")
    return problems


def validate_choices(question, choices) -> list[str]:
    """The messages of `choice_errors`, for callers that report text (the bundle)."""
    return [e.message for e in choice_errors(question, choices)]
