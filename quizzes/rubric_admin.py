"""A written question's rubric in the admin: its levels as an inline of the question's
page, checked as a whole by `quizzes/rubric_rules.py`."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from lessons.owned_admin import OwnedInlineMixin

from .models import RubricLevel
from .rubric_rules import rubric_errors


class RubricFormSet(forms.BaseInlineFormSet):
    """Checks a written question's rubric as a whole (quizzes/rubric_rules.py)."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [
            form.instance
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        problems = rubric_errors(self.instance, kept)
        if problems:
            raise ValidationError(problems)


class RubricLevelInline(OwnedInlineMixin, admin.TabularInline):
    """A written question's rubric: its levels, each with what an answer at that level
    does and its credit (a fraction of the question's points)."""

    model = RubricLevel
    formset = RubricFormSet
    extra = 3
    fields = ["order", "name", "description", "credit"]
    verbose_name = "rubric level (short written answers only)"

    def _editable(self, request, obj):
        return obj is None or obj.quiz.is_editable_by(request.user)
