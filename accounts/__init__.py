"""Accounts a school can run: login lockout, throttled join codes, teacher password resets,
the password policy, sessions on shared computers and the branded error pages.

Why each choice (issue 11):

- Lockout (django-axes, database handler): ten failures in a row for one username from one
  address lock that pair for 15 minutes. A school's pupils share one public address, so an
  address-only lock would shut a whole school out after ten typos; a username-only lock
  would let anyone lock a pupil out from anywhere. The lockout page says when to retry, and
  a teacher unlocks a pupil of their own class (``accounts:student``).
- Throttles (django-ratelimit): sign-up and join count *wrong* submissions per address (and
  per learner for join): a class signs up together from one address and must not be
  slowed, a guesser is. A throttled request gets a 429 page and writes nothing. The counts
  live in a cache every process shares (settings: ``CACHES["throttle"]``).
- Resets: a teacher gives a pupil of their own class a one-time password, shown once; the
  pupil must choose a new one at the next login (``PasswordReset`` and
  ``PasswordChangeRequiredMiddleware``), with Django's own password change view.
- Sessions: the cookie goes when the browser closes and a session idle for
  ``SESSION_IDLE_MINUTES`` ends; every page Django renders says ``Cache-Control: no-store``
  (static files, served by WhiteNoise before any of this, stay cacheable).

This app sits above ``classes`` (a reset is scoped by ``Classroom.teacher``); the code
throttles themselves are ``classes/throttle.py``, beside the views they guard.
"""
