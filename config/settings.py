"""Sourcewise settings: one module, every environment told apart by variables only.

Variables (all optional in development):
    DEBUG            on for development; off in production
    SECRET_KEY       required when DEBUG is off
    DATABASE_URL     default: SQLite in the project folder
    ALLOWED_HOSTS    comma-separated; default localhost names
    CSRF_TRUSTED_ORIGINS  comma-separated origins (https://school.example) when behind a proxy
    REDIS_URL        optional: cache (and so sessions) in Redis
    CONN_MAX_AGE     seconds a database connection is kept open (default 0)
    PASSWORD_MIN_LENGTH   shortest password accepted (default 12; 8 to 64)
    SESSION_IDLE_MINUTES  a session unused this long ends (default 30)

HTTPS (each defaults to the value of HTTPS, which defaults to on when DEBUG is off and to
off when DEBUG is on: development stays plain HTTP, production is safe without a single
extra variable, and HTTPS=0 tries production settings over plain HTTP on one machine):
    SECURE_SSL_REDIRECT, SESSION_COOKIE_SECURE, CSRF_COOKIE_SECURE,
    SECURE_HSTS_SECONDS (default 31536000 = one year; 0 in development),
    SECURE_HSTS_INCLUDE_SUBDOMAINS, SECURE_HSTS_PRELOAD,
    SECURE_PROXY_SSL_HEADER  "1" when a proxy that terminates TLS sets X-Forwarded-Proto
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable, "
            "or set DEBUG=1 for development (which uses an insecure built-in key)."
        )
    SECRET_KEY = "django-insecure-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "csp",
    "lessons",
    "quizzes",
    "classes",
    # Accounts (issue 11): see the "# Accounts" block below.
    "axes",
    "accounts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Accounts (issue 11): see the "# Accounts" block below.
    "accounts.middleware.IdleSessionMiddleware",
    "accounts.middleware.PasswordChangeRequiredMiddleware",
    "accounts.middleware.NoStoreMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Last, so it turns the lockout of a login attempt into the branded page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections in production: each gunicorn worker keeps one open instead of
# connecting on every request; the health check drops a connection that has gone bad.
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0 if DEBUG else 60))
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several gunicorn workers share one SQLite file: WAL lets readers run beside the
    # writer, IMMEDIATE takes the write lock when a transaction begins (so two writers
    # queue instead of failing with "database is locked"), and the timeout bounds the wait.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)
    DATABASES["default"]["OPTIONS"].setdefault(
        "init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "lessons:list"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# Hashed, compressed file names need `collectstatic` first, so they are on where it runs
# (production) and off in development and tests.
STATIC_MANIFEST = env.bool("STATIC_MANIFEST", default=not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }

# Sessions live in the database, which every application process shares, so a learner may
# land on any process. With Redis they are cached in front of it (cached_db): reads come
# from Redis, writes go to both, and a Redis flush logs nobody out.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "django.contrib.sessions.backends.db"
)

# HTTPS and browser hardening. `manage.py check --deploy` reports nothing with these
# defaults; every one can be turned off by its variable (for example behind a proxy that
# already redirects to HTTPS).
HTTPS_DEFAULT = env.bool("HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=HTTPS_DEFAULT)
# Load balancers probe the health endpoint over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=HTTPS_DEFAULT)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=HTTPS_DEFAULT)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000 if HTTPS_DEFAULT else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=HTTPS_DEFAULT)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=HTTPS_DEFAULT)
if env.bool("SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp 4): everything from our own origin, nothing inline.
# Templates therefore carry no inline <script> and no style="" attribute (a test checks).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# --- Accounts (issue 11) ------------------------------------------------------------------
# Everything the accounts app adds, in one block (with its entries in INSTALLED_APPS and
# MIDDLEWARE above). Reasons in accounts/__init__.py.

# A SECRET_KEY shorter than 50 characters (what Django's security.W009 asks for) is refused
# when DEBUG is off, not just warned about.
SECRET_KEY_MIN_LENGTH = 50
if not DEBUG and len(SECRET_KEY) < SECRET_KEY_MIN_LENGTH:
    raise ImproperlyConfigured(
        f"SECRET_KEY has {len(SECRET_KEY)} characters; at least {SECRET_KEY_MIN_LENGTH} are "
        "needed when DEBUG is off. Generate one with: "
        'python -c "import secrets; print(secrets.token_urlsafe(50))"'
    )

# Login lockout (django-axes), on every login page, the admin's included. Ten failures in a
# row for one username from one address lock that pair for 15 minutes. The pair, not the
# address alone: a school's pupils share one public address, and ten typos in a class must
# not lock out the whole school; not the username alone: anyone anywhere could then lock a
# pupil out. A teacher unlocks a pupil of their class (accounts' student page), a superuser
# anyone (the admin's "Access attempts"). What this leaves: one address may try a few
# passwords on each of many usernames (spraying); the length and common-password rules
# below are the defence there. Behind a proxy, REMOTE_ADDR is the proxy's: give axes the
# client's address (AXES_IPWARE_*) before relying on the pair.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 10
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_RESET_ON_SUCCESS = True  # "in a row": a successful login starts the count again
# Tries while locked out do not push the end of the lockout further: the time shown is true.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
# Failures are kept (they are the lockout); a log of every successful login by a minor's
# address and browser is not needed for anything here, so it is not written.
AXES_DISABLE_ACCESS_LOG = True

# Throttles (django-ratelimit) on sign-up and join codes count in a cache every process
# shares: Redis when REDIS_URL is set (atomic counts), otherwise a table in the database
# (created by the accounts migrations). Never the per-process memory cache: with several
# gunicorn workers each would count on its own. accounts/checks.py refuses one that is not
# shared (django-ratelimit's own check predates Django's Redis backend and warns on it).
if "CACHES" not in globals():  # no REDIS_URL: Django's default, memory per process
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CACHES["throttle"] = (
    {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "throttle",
    }
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "accounts_throttle_cache",
    }
)
RATELIMIT_USE_CACHE = "throttle"
RATELIMIT_VIEW = "accounts.views.too_many_requests"
# Wrong class codes before a pause (until the 15-minute window passes): per address for
# sign-up and join (a class shares one address: some typos must not stop it), and per
# learner for join. 30 guesses in 15 minutes against 31**8 codes find nothing.
THROTTLE_WRONG_CODES_PER_ADDRESS = "30/15m"
THROTTLE_WRONG_CODES_PER_LEARNER = "10/15m"
# Sign-ups from one address, right or wrong: a class signs up together from one address.
THROTTLE_SIGNUPS = "100/h"

# Passwords (OWASP ASVS 2.1): at least 12 characters, fewer for young learners only when a
# school chooses it (never under 8); up to 128 (ASVS 2.1.2: 64 at least); checked against
# the 20,000 common passwords Django ships; no composition rules (so no "not only digits").
PASSWORD_MIN_LENGTH = env.int("PASSWORD_MIN_LENGTH", default=12)
if not 8 <= PASSWORD_MIN_LENGTH <= 64:
    raise ImproperlyConfigured(
        f"PASSWORD_MIN_LENGTH is {PASSWORD_MIN_LENGTH}; it must be between 8 and 64."
    )
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {"NAME": "accounts.passwords.MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# Sessions on shared school computers: the session cookie goes when the browser closes, and
# a session unused for SESSION_IDLE_MINUTES ends (accounts.middleware.IdleSessionMiddleware,
# which writes the session at most once a minute instead of SESSION_SAVE_EVERY_REQUEST's
# write on every request).
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=30)
if SESSION_IDLE_MINUTES < 1:
    raise ImproperlyConfigured(
        f"SESSION_IDLE_MINUTES is {SESSION_IDLE_MINUTES}; it must be 1 or more."
    )
# --- end of Accounts ------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
