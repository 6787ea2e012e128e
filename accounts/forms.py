"""The password change form a learner fills in after a teacher's reset."""

from django import forms
from django.contrib.auth.forms import PasswordChangeForm


class NewPasswordForm(PasswordChangeForm):
    """Django's form, refusing the old password as the new one: the one-time password a
    teacher read out (or wrote down) must not stay the learner's password."""

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("new_password1")
        if password and not self.has_error("new_password2") and self.user.check_password(password):
            self.add_error(
                "new_password2",
                forms.ValidationError(
                    "Choose a new password, not the one you have now.", code="password_unchanged"
                ),
            )
        return cleaned
