from django import forms

from .models import Question


class AnswerForm(forms.Form):
    """One question's answer. Fields are built from the question's choices, so an answer
    naming anything else is invalid before it reaches `save_answer`."""

    error_messages = {"invalid": "That answer is not one of this question's choices."}

    def __init__(self, *args, question: Question, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.question = question
        self.choices = choices
        kind = question.kind
        if kind == Question.Kind.MATCHING:
            items = [c for c in choices if c.correct]
            options = []
            seen = set()
            for c in choices:
                if c.source_id and c.source_id not in seen:
                    seen.add(c.source_id)
                    options.append((str(c.source_id), c.source.name))
            options.sort(key=lambda o: o[1])
            self.items = items
            for item in items:
                self.fields[f"match-{item.id}"] = forms.ChoiceField(
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
                choices=[(str(c.id), c.label) for c in choices],
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

    @property
    def input_type(self) -> str:
        return "checkbox" if self.question.kind == Question.Kind.MULTIPLE else "radio"

    @staticmethod
    def initial_for(question: Question, picks) -> dict:
        """The form's initial data from an earlier answer's picks (`Attempt.answers_so_far`)."""
        if not picks:
            return {}
        if question.kind == Question.Kind.MATCHING:
            return {f"match-{choice}": str(source) for choice, source in picks}
        if question.kind == Question.Kind.MULTIPLE:
            return {"choice": [str(choice) for choice, _ in picks]}
        return {"choice": str(picks[0][0])}

    def answer(self):
        """(choice_ids, matches) from cleaned data; both empty when nothing was chosen."""
        if self.question.kind == Question.Kind.MATCHING:
            matches = {
                item.id: int(self.cleaned_data[f"match-{item.id}"])
                for item in self.items
                if self.cleaned_data.get(f"match-{item.id}")
            }
            return set(matches), matches
        value = self.cleaned_data.get("choice") or []
        if isinstance(value, str):
            value = [value]
        return {int(v) for v in value}, {}
