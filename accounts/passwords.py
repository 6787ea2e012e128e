"""Passwords: the policy's upper bound, and a teacher's reset of a learner's password."""

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import ngettext

from .lockout import unlock
from .models import PasswordReset

# Lower-case letters and digits without the ones read alike (l/1, o/0): a teacher reads the
# password out or writes it on a slip of paper.
ONE_TIME_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
ONE_TIME_GROUPS, ONE_TIME_GROUP_LENGTH = 4, 4  # 16 characters, about 79 bits


class MaximumLengthValidator:
    """OWASP ASVS 2.1.2: at least 64 characters are allowed, more than 128 are refused
    (a megabyte of "password" is a denial of service, not a password)."""

    def __init__(self, max_length=128):
        self.max_length = max_length

    def validate(self, password, user=None):
        if len(password) > self.max_length:
            raise ValidationError(
                ngettext(
                    "This password is too long: at most %(max_length)d character.",
                    "This password is too long: at most %(max_length)d characters.",
                    self.max_length,
                ),
                code="password_too_long",
                params={"max_length": self.max_length},
            )

    def get_help_text(self):
        return f"At most {self.max_length} characters; a sentence you remember is fine."


def new_one_time_password() -> str:
    groups = (
        "".join(secrets.choice(ONE_TIME_ALPHABET) for _ in range(ONE_TIME_GROUP_LENGTH))
        for _ in range(ONE_TIME_GROUPS)
    )
    return "-".join(groups)


def reset_password(*, learner, reset_by) -> str:
    """Give `learner` a one-time password and return it (it is stored only hashed). They
    must change it at their next login; their other sessions end (the password changed)
    and a lockout of their username is lifted."""
    password = new_one_time_password()
    with transaction.atomic():
        learner.set_password(password)
        learner.save(update_fields=["password"])
        PasswordReset.objects.update_or_create(user=learner, defaults={"reset_by": reset_by})
        unlock(learner.get_username())
    return password


def password_changed(user) -> None:
    """The learner has chosen their own password: the pending reset is done."""
    PasswordReset.objects.pending_for(user).delete()
