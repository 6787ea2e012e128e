"""Throttles on sign-up and join codes (django-ratelimit), counted in the shared
``throttle`` cache (configured in the accounts block of config/settings.py).

Only *wrong codes* count against a code throttle: a class signs up together from one school
address, and every success there (or a too-short password) must go through; it is the wrong
codes that mark a guesser. The view says a code was wrong by setting ``request.wrong_code``.
Once the wrong codes in a window reach the limit for any key, every POST is refused with a
429, a right code included, and the view does not run (nothing is written) until the window
passes. Sign-ups also have a ceiling on all submissions per address."""

from functools import wraps

from django.conf import settings
from django_ratelimit.core import get_usage
from django_ratelimit.decorators import ratelimit
from django_ratelimit.exceptions import Ratelimited


class Throttled(Ratelimited):
    """Ratelimited (a PermissionDenied) that knows how long the pause lasts."""

    def __init__(self, seconds_left: int | None = None):
        super().__init__("Too many tries; wait before trying again.")
        self.seconds_left = seconds_left


def _per_address(group, request):
    return settings.THROTTLE_WRONG_CODES_PER_ADDRESS


def _per_learner(group, request):
    return settings.THROTTLE_WRONG_CODES_PER_LEARNER


def _signups_rate(group, request):
    return settings.THROTTLE_SIGNUPS


def throttle_wrong_codes(group: str, keys: dict):
    """Refuse a POST once the wrong codes counted for any of `keys` (a django-ratelimit key
    to its rate) in the current window have reached the limit; count each new one."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method != "POST":
                return view(request, *args, **kwargs)
            for key, rate in keys.items():
                usage = get_usage(request, group=f"{group}:{key}", key=key, rate=rate)
                if usage is not None and usage["count"] >= usage["limit"]:
                    raise Throttled(usage["time_left"])
            request.wrong_code = False
            response = view(request, *args, **kwargs)
            if request.wrong_code:
                for key, rate in keys.items():
                    get_usage(request, group=f"{group}:{key}", key=key, rate=rate, increment=True)
            return response

        return wrapped

    return decorator


throttle_signup_code = throttle_wrong_codes("signup-code", keys={"ip": _per_address})
throttle_join_code = throttle_wrong_codes(
    "join-code", keys={"user": _per_learner, "ip": _per_address}
)
throttle_signups = ratelimit(group="signup", key="ip", rate=_signups_rate, method="POST")
