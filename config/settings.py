"""Sourcewise settings: one module, every environment told apart by variables only.

The variables, their defaults and their meaning are the Configuration table of README.md
(a test holds it against what this module and config/gunicorn.py read). Each is read
through config/env.py, which refuses a malformed value with a message naming the variable.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from config.env import (
    REDIS_SCHEMES,
    env_bool,
    env_database_url,
    env_hosts,
    env_int,
    env_origins,
    env_str,
    env_timezone,
    env_url,
)
from config.formats.en_GB import formats as _formats

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", "0")

SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable, "
            "or set DEBUG=1 for development (which uses an insecure built-in key)."
        )
    SECRET_KEY = "django-insecure-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env_hosts("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_origins("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "config.apps.TeacherAdminConfig",  # django.contrib.admin with the teacher's site
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
    "bundle",
    "reports",
    "drafting",
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
    "config.middleware.RefuseNulMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Accounts (issue 11): see the "# Accounts" block below.
    "accounts.middleware.IdleSessionMiddleware",
    "accounts.zones.TimeZoneMiddleware",
    "accounts.middleware.PasswordChangeRequiredMiddleware",
    "accounts.middleware.NoStoreMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Last, so it turns the lockout of a login attempt into the branded page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

# Who may read which lesson and take which quiz, and when (lessons/gate.py): classes
# decide, and lessons and quizzes, which never import classes, ask through this path.
LEARNER_GATE = "classes.access.gate"

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
    "default": environ.Env.db_url_config(
        env_database_url("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
    ),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections in production: each gunicorn worker keeps one open instead of
# connecting on every request; the health check drops a connection that has gone bad.
DATABASES["default"].setdefault("CONN_MAX_AGE", env_int("CONN_MAX_AGE", "0" if DEBUG else "60"))
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
LOGIN_REDIRECT_URL = "classes:work"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
# The site's zone; a user's own (accounts' TimeZoneMiddleware) replaces it on their pages.
TIME_ZONE = env_timezone("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True
# One date format everywhere, with the zone shown, 24-hour inputs (config/formats/en_GB):
# the locale's formats win over these settings, so both say the same.
FORMAT_MODULE_PATH = ["config.formats"]
DATE_FORMAT = _formats.DATE_FORMAT
TIME_FORMAT = _formats.TIME_FORMAT
DATETIME_FORMAT = _formats.DATETIME_FORMAT
SHORT_DATETIME_FORMAT = _formats.SHORT_DATETIME_FORMAT
DATETIME_INPUT_FORMATS = _formats.DATETIME_INPUT_FORMATS

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# Hashed, compressed file names need `collectstatic` first, so they are on where it runs
# (production) and off in development and tests.
STATIC_MANIFEST = env_bool("STATIC_MANIFEST", "0" if DEBUG else "1")
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

# The default cache holds what is the same for every reader of one version of the content
# (the rendered reading: lessons/reading.py; a question with its choices, a submitted
# attempt's rendered answers: quizzes/cache.py), under keys that carry that version, stored
# in the database (Lesson.updated_at, Quiz.updated_at, Attempt.revision). So it is never
# read stale, and needs no invalidation across processes: a new version is a new key.
# One machine: memory per process (no extra service, no query, the fastest hit); each worker
# renders a version once and keeps its own copy, which costs a little memory, not
# correctness. Several machines: Redis through REDIS_URL, one copy for all. Whatever goes in
# here later must follow the same rule (a version in the key, never an invalidating delete
# that other processes would miss), or move this default to Redis or the database.
REDIS_URL = env_url("REDIS_URL", "", schemes=REDIS_SCHEMES)
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 1000},
        }
    )
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
# HTTPS is on in production without a single extra variable, off in development, and
# HTTPS=0 tries the production settings over plain HTTP on one machine.
HTTPS = env_bool("HTTPS", "0" if DEBUG else "1")
HTTPS_DEFAULT = "1" if HTTPS else "0"  # the default of the settings below
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", HTTPS_DEFAULT)
# Load balancers probe the health endpoint over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", HTTPS_DEFAULT)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", HTTPS_DEFAULT)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", "31536000" if HTTPS else "0")
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", HTTPS_DEFAULT)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", HTTPS_DEFAULT)
if env_bool("SECURE_PROXY_SSL_HEADER", "0"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# The draft review page (drafting/) posts every source, claim and question of a draft at
# once, about 7 fields each: a 1,000-word article sends about 620. Django's default of 1,000
# would refuse a long article's review; 10,000 allows one of about 15,000 words.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

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

LOG_LEVEL = env_str(
    "LOG_LEVEL", "WARNING", choices=("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
)

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
AXES_USERNAME_CALLABLE = "accounts.lockout.lockout_username"  # a typed name cut to 150
# Failures are kept (they are the lockout); a log of every successful login by a minor's
# address and browser is not needed for anything here, so it is not written.
AXES_DISABLE_ACCESS_LOG = True

# Throttles (django-ratelimit) on sign-up and join codes count in a cache every process
# shares: Redis when REDIS_URL is set (atomic counts), otherwise a table in the database
# (created by the accounts migrations). Never the per-process memory cache: with several
# gunicorn workers each would count on its own. accounts/checks.py refuses one that is not
# shared (django-ratelimit's own check predates Django's Redis backend and warns on it).
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
PASSWORD_MIN_LENGTH = env_int("PASSWORD_MIN_LENGTH", "12")
if not 8 <= PASSWORD_MIN_LENGTH <= 64:
    raise ImproperlyConfigured(
        f"PASSWORD_MIN_LENGTH: {PASSWORD_MIN_LENGTH} is not between 8 and 64."
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
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", "30")
if SESSION_IDLE_MINUTES < 1:
    raise ImproperlyConfigured(
        f"SESSION_IDLE_MINUTES: {SESSION_IDLE_MINUTES} is below the minimum of 1."
    )
# --- end of Accounts ------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}
