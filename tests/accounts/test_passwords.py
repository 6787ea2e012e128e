"""Password policy (OWASP ASVS 2.1): 12 characters at least by default (PASSWORD_MIN_LENGTH,
never under 8), up to 128, checked against common passwords, no composition rules."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from accounts.passwords import new_one_time_password

ROOT = Path(__file__).resolve().parents[2]
KEY = "k" * 60


def _codes(password, user=None):
    try:
        validate_password(password, user)
    except ValidationError as error:
        return {e.code for e in error.error_list}
    return set()


def test_twelve_characters_at_least_by_default():
    assert _codes("sunny-lake7") == {"password_too_short"}  # 11
    assert _codes("sunny-lake77") == set()  # 12


def test_common_passwords_are_refused_whatever_their_length():
    assert "password_too_common" in _codes("qwerty123456")
    assert "password_too_common" in _codes("1q2w3e4r5t6y")


def test_no_composition_rules():
    for password in ("739184620573", "all lower case words", "ZZZZZZZZZZZZZZQ", "ñandú y cóndor"):
        assert _codes(password) == set(), password


def test_long_passphrases_up_to_128_characters():
    assert _codes("correct horse battery staple " * 2 + "x" * 6) == set()  # 64
    assert _codes("a" * 64 + "b" * 64) == set()  # 128
    assert _codes("a" * 64 + "b" * 65) == {"password_too_long"}  # 129


def test_one_time_passwords_pass_the_policy():
    passwords = {new_one_time_password() for _ in range(20)}
    assert len(passwords) == 20
    assert all(_codes(p) == set() and len(p) >= 16 for p in passwords)


def _settings_with(**env):
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("PASSWORD_", "SESSION_"))
    }
    environment.update(DEBUG="0", SECRET_KEY=KEY, **env)
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "from django.contrib.auth.password_validation import get_default_password_validators as v; "
        "print([getattr(x, 'min_length', None) for x in v()], settings.SESSION_IDLE_MINUTES)"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True
    )


def test_the_minimum_is_configurable_for_young_learners():
    result = _settings_with(PASSWORD_MIN_LENGTH="8")
    assert result.returncode == 0, result.stderr
    assert "8" in result.stdout.split("]")[0]


@pytest.mark.parametrize("value", ["7", "65", "twelve"])
def test_a_minimum_out_of_range_is_refused(value):
    result = _settings_with(PASSWORD_MIN_LENGTH=value)
    assert result.returncode != 0
    assert "PASSWORD_MIN_LENGTH" in result.stderr or "invalid literal" in result.stderr
