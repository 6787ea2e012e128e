from django import forms
from django.contrib.auth.forms import UserCreationForm

from .models import JOIN_CODE_LENGTH, Classroom, normalise_join_code


class JoinCodeField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(
            label="Class code",
            max_length=20,
            help_text="The code your teacher gave you, like ABCD-2345.",
            **kwargs,
        )


def classroom_for_code(text: str) -> Classroom:
    """The class with this code, or a ValidationError a student can act on."""
    code = normalise_join_code(text)
    if len(code) != JOIN_CODE_LENGTH:
        raise forms.ValidationError(
            f"A class code has {JOIN_CODE_LENGTH} letters and digits (like ABCD-2345); "
            f"“{text.strip()}” has {len(code)}. Check it with your teacher.",
            code="bad_length",
        )
    classroom = Classroom.objects.select_related("teacher").filter(join_code=code).first()
    if classroom is None:
        raise forms.ValidationError(
            "No class has this code. Check it with your teacher: they may have given "
            "the class a new one.",
            code="unknown_code",
        )
    return classroom


class JoinForm(forms.Form):
    code = JoinCodeField()

    def clean_code(self):
        self.classroom = classroom_for_code(self.cleaned_data["code"])
        return self.classroom.join_code


class SignupForm(UserCreationForm):
    code = JoinCodeField()
    first_name = forms.CharField(
        label="First name", max_length=150, help_text="How your teacher will see you."
    )

    class Meta(UserCreationForm.Meta):
        fields = ["code", "first_name", "username"]

    field_order = ["code", "first_name", "username", "password1", "password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The code comes first on the page, so the cursor starts there.
        self.fields["username"].widget.attrs.pop("autofocus", None)
        self.fields["code"].widget.attrs["autofocus"] = True

    def clean_code(self):
        self.classroom = classroom_for_code(self.cleaned_data["code"])
        return self.classroom.join_code
