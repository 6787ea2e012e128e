"""A teacher's accommodations in the admin: extra time and attempts per student on the
class's page, a student's own dates on the assignment's page. Every picker offers only
the class's own students and the quizzes assigned to it; the models' `clean` refuses the
rest with a message (classes/accommodations.py)."""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from quizzes.models import Quiz

from .accommodations import Accommodation, AssignmentOverride
from .admin_inputs import NamedDeleteFormSet, datetime_input, learner_label, object_id
from .models import Assignment, Classroom


def _labelled(label, widget=forms.Select):
    return widget(attrs={"aria-label": label})


class AccommodationForm(forms.ModelForm):
    class Meta:
        model = Accommodation
        fields = ["learner", "quiz", "time_factor", "extra_minutes", "extra_attempts"]
        widgets = {
            "learner": _labelled("Student"),
            "quiz": _labelled("Quiz"),
            "time_factor": _labelled("Time factor", forms.NumberInput),
            "extra_minutes": _labelled("Extra minutes", forms.NumberInput),
            "extra_attempts": _labelled("Extra attempts", forms.NumberInput),
        }


class AccommodationFormSet(NamedDeleteFormSet):
    delete_label = "Remove this accommodation"

    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("learner"):
                continue
            key = (data["learner"].pk, data["quiz"].pk if data.get("quiz") else None)
            if key in seen:
                raise ValidationError(
                    "A student has two rows for the same quiz (or two for every quiz): keep one.",
                    code="duplicate_accommodation",
                )
            seen.add(key)


class AccommodationInline(admin.TabularInline):
    template = "admin/edit_inline/tabular_named.html"
    model = Accommodation
    form = AccommodationForm
    formset = AccommodationFormSet
    extra = 1
    verbose_name = "accommodation (extra time or attempts for one student)"
    verbose_name_plural = "accommodations: extra time or attempts for one student"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        classroom_id = object_id(request)
        if db_field.name == "learner":
            kwargs["queryset"] = (
                get_user_model().objects.filter(classrooms__pk=classroom_id).order_by("username")
            )
        if db_field.name == "quiz":
            kwargs["queryset"] = (
                Quiz.objects.filter(assignments__classroom_id=classroom_id)
                .select_related("lesson")
                .order_by("title", "id")
            )
            kwargs["empty_label"] = "Every quiz of the class"
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "learner":
            field.label_from_instance = learner_label
        return field


class AssignmentOverrideForm(forms.ModelForm):
    opens_at = forms.DateTimeField(
        label="Opens at", required=False, widget=datetime_input("Opens at for this student")
    )
    due_at = forms.DateTimeField(
        label="Due at", required=False, widget=datetime_input("Due at for this student")
    )

    class Meta:
        model = AssignmentOverride
        fields = ["learner", "opens_at", "due_at"]
        widgets = {"learner": _labelled("Student")}


class AssignmentOverrideFormSet(NamedDeleteFormSet):
    delete_label = "Remove these dates"


class AssignmentOverrideInline(admin.TabularInline):
    template = "admin/edit_inline/tabular_named.html"
    model = AssignmentOverride
    form = AssignmentOverrideForm
    formset = AssignmentOverrideFormSet
    extra = 1
    verbose_name = "date override (one student's own dates)"
    verbose_name_plural = "date overrides: one student's own opening and due dates"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "learner":
            classroom = Classroom.objects.filter(
                pk__in=Assignment.objects.filter(pk=object_id(request)).values("classroom_id")
            )
            kwargs["queryset"] = (
                get_user_model().objects.filter(classrooms__in=classroom).order_by("username")
            )
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "learner":
            field.label_from_instance = learner_label
        return field
