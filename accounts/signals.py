"""At login: start the idle clock, remember in the session a password change is due, and
the user's time zone (accounts/zones.py)."""

import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .models import PasswordReset
from .zones import SESSION_ZONE_KEY, zone_of

LAST_SEEN_KEY = "accounts_last_seen"
MUST_CHANGE_KEY = "accounts_must_change_password"


@receiver(user_logged_in, dispatch_uid="accounts.on_login")
def on_login(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    request.session[LAST_SEEN_KEY] = int(time.time())
    request.session[SESSION_ZONE_KEY] = zone_of(user)
    if PasswordReset.objects.pending_for(user).exists():
        # The session auth hash changes with the password: when it no longer matches, the
        # learner has chosen a new one (PasswordChangeRequiredMiddleware).
        request.session[MUST_CHANGE_KEY] = user.get_session_auth_hash()
