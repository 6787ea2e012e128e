from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm

from .models import JOIN_CODE_LENGTH, Classroom, normalise_join_code

User = get_user_model()


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

    # The class code is checked before anything else. A wrong one is all the form answers:
    # no other field is looked at, so nothing (a taken username) is revealed to someone
    # without a code, and guessing codes is throttled (classes/throttle.py).
    def full_clean(self):
        self.classroom = None
        self.code_refused = False
        super().full_clean()

    def _clean_fields(self):
        bound = self["code"]
        try:
            self.cleaned_data["code"] = bound.field.clean(bound.data)
            self.cleaned_data["code"] = self.clean_code()
        except forms.ValidationError as error:
            self.add_error("code", error)
            self.code_refused = True
            return
        super()._clean_fields()

    def _clean_form(self):
        if not self.code_refused:
            super()._clean_form()

    def _post_clean(self):
        if not self.code_refused:
            super()._post_clean()

    def clean_code(self):
        if self.classroom is None:
            self.classroom = classroom_for_code(self.cleaned_data["code"])
        return self.classroom.join_code

    def clean_username(self):
        """A taken username gets the same neutral answer as a refused one, and only after a
        valid class code: the form is no oracle for who has an account (OWASP: account
        enumeration). A sign-up must still say the name cannot be had, so the wording
        suggests choosing another rather than saying someone has it."""
        username = self.cleaned_data.get("username")
        if username and User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(
                "Choose another username: this one cannot be used.", code="username_unavailable"
            )
        return username
