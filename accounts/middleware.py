"""Sessions on shared school computers: an idle session ends, a reset password is changed
before anything else, and no page Django renders is kept by the browser or a proxy.

None of these adds a query to a page: each reads the session (loaded anyway) and touches
the user only when its session key is there."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control

from .passwords import password_changed
from .signals import LAST_SEEN_KEY, MUST_CHANGE_KEY

# Write the last-seen time at most this often. SESSION_SAVE_EVERY_REQUEST would write the
# session row on every request (every autosave of every answer); once a minute is plenty
# for an idle time counted in minutes.
LAST_SEEN_RESOLUTION = 60


class IdleSessionMiddleware:
    """End a session unused for SESSION_IDLE_MINUTES; the next page is a login page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        last_seen = request.session.get(LAST_SEEN_KEY)
        if last_seen is None and SESSION_KEY in request.session:
            # A session from before the idle clock (it starts at login): start it now.
            request.session[LAST_SEEN_KEY] = int(time.time())
        elif last_seen is not None:
            now = int(time.time())
            if now - last_seen > settings.SESSION_IDLE_MINUTES * 60:
                logout(request)
                messages.info(
                    request,
                    f"You were logged out after {settings.SESSION_IDLE_MINUTES} minutes "
                    "without activity. Log in again to go on.",
                )
            elif now - last_seen >= LAST_SEEN_RESOLUTION:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)


class PasswordChangeRequiredMiddleware:
    """After a teacher's reset, every page but the password change (and logging out)
    leads to the password change until the learner has chosen their own password."""

    allowed_names = ("accounts:password_change", "accounts:password_change_done", "logout")

    def __init__(self, get_response):
        self.get_response = get_response
        self._allowed = None

    def __call__(self, request):
        marker = request.session.get(MUST_CHANGE_KEY)
        if marker is not None and request.user.is_authenticated:
            if marker != request.user.get_session_auth_hash():
                password_changed(request.user)
                del request.session[MUST_CHANGE_KEY]
            elif request.path_info not in self.allowed_paths():
                return redirect("accounts:password_change")
        return self.get_response(request)

    def allowed_paths(self):
        if self._allowed is None:
            self._allowed = {reverse(name) for name in self.allowed_names}
        return self._allowed


class NoStoreMiddleware:
    """Cache-Control: no-store on every response Django makes. Every page is either a
    signed-in person's (a result on a shared computer must not come back with the Back
    button after logging out) or a form with a CSRF token; none gains from a cache. Static
    files, where caching matters, are served by WhiteNoise before this runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        patch_cache_control(response, no_store=True)
        return response
