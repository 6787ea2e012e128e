from django import forms

from .attempts import WRITTEN_MAX_CHARS
from .models import Question


class WrittenField(forms.CharField):
    """Plain text whose line breaks count as one character each, as the browser counts
    them against the text area's limit."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("\r\n", "\n")
        return super().to_python(value)


class AnswerForm(forms.Form):
    """One question's answer. Fields are built from the question's choices, so an answer
    naming anything else is invalid before it reaches `save_answer`.

    Nothing the page posts is a database id: a choice is posted as its position (from 1)
    in this attempt's own order of the question's choices (`choices`, as
    `results.ordered_choices` gives them), a matching item's field is `match-<its position
    among the items>` and a source is posted as its position in the list of sources,
    sorted by name. Ids grow in the order an author typed the choices, the right one often
    first, so posting them would tell a learner which is right; positions in a shuffled
    order tell nothing. `answer()` maps positions back to ids."""

    error_messages = {"invalid": "That answer is not one of this question's choices."}

    def __init__(self, *args, question: Question, choices, picks=None, text="", **kwargs):
        self.question = question
        self.choices = choices
        kind = question.kind
        if kind == Question.Kind.WRITTEN:
            # A written answer: plain text in a text area, at most WRITTEN_MAX_CHARS.
            kwargs.setdefault("initial", {"text": text} if text else {})
            super().__init__(*args, **kwargs)
            self.fields["text"] = WrittenField(
                label=question.prompt,
                widget=forms.Textarea(attrs={"rows": 8, "aria-describedby": "text-limit"}),
                max_length=WRITTEN_MAX_CHARS,
                required=False,
                strip=True,
                error_messages={
                    "max_length": f"Your answer is longer than the limit of {WRITTEN_MAX_CHARS:,} "
                    "characters (it has %(show_value)s). Shorten it and save again: nothing "
                    "was saved."
                },
            )
            return
        if kind == Question.Kind.MATCHING:
            self.items = [c for c in choices if c.correct]
            sources = {c.source_id: c.source for c in choices if c.source_id}
            self.sources = sorted(sources.values(), key=lambda s: (s.name, s.key))
        kwargs.setdefault("initial", self._initial(picks))
        super().__init__(*args, **kwargs)
        if kind == Question.Kind.MATCHING:
            options = [(str(n), s.name) for n, s in enumerate(self.sources, start=1)]
            for n, item in enumerate(self.items, start=1):
                self.fields[f"match-{n}"] = forms.ChoiceField(
                    label=item.text,
                    choices=[("", "— choose a source —"), *options],
                    required=False,
                    error_messages={"invalid_choice": self.error_messages["invalid"]},
                )
        else:
            field_class = (
                forms.MultipleChoiceField if kind == Question.Kind.MULTIPLE else forms.ChoiceField
            )
            widget = (
                forms.CheckboxSelectMultiple
                if kind == Question.Kind.MULTIPLE
                else forms.RadioSelect
            )
            self.fields["choice"] = field_class(
                label=question.prompt,
                choices=[(str(n), c.label) for n, c in enumerate(choices, start=1)],
                widget=widget,
                required=False,
                error_messages={"invalid_choice": self.error_messages["invalid"]},
            )

    def options(self):
        """The choice field's inputs as plain data, for the question page to write itself.

        Django renders each radio button or checkbox from a template of its own, which
        cost more than the rest of the page; the page writes the same inputs (the same
        type, name, value, id, aria-invalid and checked, in Django's order: tested against
        Django's own rendering) from this list instead. Validation stays the field's."""
        bound = self["choice"]
        value = bound.value()
        if value is None:
            value = []
        elif isinstance(value, (str, int)):
            value = [value]
        checked = {str(v) for v in value}
        prefix = bound.auto_id
        return [
            {
                "id": f"{prefix}_{index}" if prefix else "",
                "value": str(choice_value),
                "label": label,
                "checked": str(choice_value) in checked,
            }
            for index, (choice_value, label) in enumerate(self.fields["choice"].choices)
        ]

    def lock(self) -> None:
        """Show the answer without letting it change (an answer whose feedback was shown):
        every input is rendered disabled."""
        self.locked = True
        for field in self.fields.values():
            field.disabled = True

    locked = False

    @property
    def input_type(self) -> str:
        return "checkbox" if self.question.kind == Question.Kind.MULTIPLE else "radio"

    def _initial(self, picks) -> dict:
        """The form's initial data from an earlier answer's picks (`Attempt.answers_so_far`:
        choice ids and, for matching, source ids), as positions."""
        if not picks:
            return {}
        if self.question.kind == Question.Kind.MATCHING:
            item_at = {c.id: n for n, c in enumerate(self.items, start=1)}
            source_at = {s.id: n for n, s in enumerate(self.sources, start=1)}
            return {
                f"match-{item_at[choice]}": str(source_at[source])
                for choice, source in picks
                if choice in item_at and source in source_at
            }
        at = {c.id: n for n, c in enumerate(self.choices, start=1)}
        positions = [str(at[choice]) for choice, _ in picks if choice in at]
        if self.question.kind == Question.Kind.MULTIPLE:
            return {"choice": positions}
        return {"choice": positions[0]} if positions else {}

    def picks(self) -> dict:
        """`answer()` as `save_answer`'s keyword arguments."""
        choice_ids, matches = self.answer()
        return {"choice_ids": choice_ids, "matches": matches}

    def written(self) -> str:
        """A written answer's text from cleaned data ("" for other kinds)."""
        return self.cleaned_data.get("text") or ""

    def answer(self):
        """(choice_ids, matches) from cleaned data, positions mapped back to ids; both
        empty when nothing was chosen (and for a written answer: `written()`)."""
        if self.question.kind == Question.Kind.WRITTEN:
            return set(), {}
        if self.question.kind == Question.Kind.MATCHING:
            matches = {
                item.id: self.sources[int(self.cleaned_data[f"match-{n}"]) - 1].id
                for n, item in enumerate(self.items, start=1)
                if self.cleaned_data.get(f"match-{n}")
            }
            return set(matches), matches
        value = self.cleaned_data.get("choice") or []
        if isinstance(value, str):
            value = [value]
        return {self.choices[int(v) - 1].id for v in value}, {}
