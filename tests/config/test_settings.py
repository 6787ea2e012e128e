"""config/settings.py and config/gunicorn.py: variables read strictly (config/env.py), the
README's Configuration table as the one list of them, development against production."""

import json
import re
import secrets
import subprocess
import sys

import pytest

from .subprocesses import ROOT, production_env, run_python, settings_in_process

README = ROOT / "README.md"
READ_EVERYTHING = (
    "import json, django; django.setup(); import config.gunicorn; "
    "from config.env import READ; print(json.dumps(READ))"
)


def readme_table() -> dict:
    """{variable: its default cell} from the Configuration table of README.md."""
    section = README.read_text().split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        if not line.startswith("|"):
            continue
        names, default, _meaning = (cell.strip() for cell in line.strip("|").split("|"))
        for name in re.findall(r"`([A-Z_]+)`", names):
            rows[name] = default
    return rows


def defaults_read(**extra) -> dict:
    """{variable: default} as the code reads them, in a process with nothing else set."""
    env = {"DJANGO_SETTINGS_MODULE": "config.settings", "SECRET_KEY": "x" * 50, **extra}
    result = run_python(READ_EVERYTHING, env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_readme_table_lists_exactly_the_variables_the_code_reads():
    table = readme_table()
    read = defaults_read(DEBUG="0")
    assert "HTTPS" in table and "WEB_CONCURRENCY" in table  # the table was found and parsed
    assert sorted(set(read) - set(table)) == [], "read by the code, missing from README.md"
    assert sorted(set(table) - set(read)) == [], "in README.md, never read by the code"


def test_the_readme_table_gives_the_defaults_the_code_uses():
    production, development = defaults_read(DEBUG="0"), defaults_read(DEBUG="1")
    for name, cell in readme_table().items():
        if cell.startswith("none"):
            expected = ("", "")
        elif found := re.fullmatch(r"as `([A-Z_]+)`", cell):
            expected = (production[found[1]], development[found[1]])
        elif found := re.fullmatch(r"`([^`]*)`(?: \(`([^`]*)` with `DEBUG=1`\))?", cell):
            value = found[1].replace("<project>", str(ROOT))
            expected = (value, found[2] if found[2] is not None else value)
        else:
            pytest.fail(f"README.md: {name}'s default {cell!r} is in no form this test reads")
        assert (production[name], development[name]) == expected, name


MALFORMED = [
    ("HTTPS", "ture"),
    ("DEBUG", "maybe"),
    ("SECURE_PROXY_SSL_HEADER", "2"),
    ("CONN_MAX_AGE", "sixty"),
    ("SECURE_HSTS_SECONDS", "-1"),
    ("WEB_CONCURRENCY", "0"),
    ("DATABASE_URL", "postgress://sourcewise:s3cret@db.internal:5432/sourcewise"),
    ("DATABASE_URL", "postgres://sourcewise:s3cret@db.internal:port/sourcewise"),
    ("DATABASE_URL", "postgres://sourcewise:s3cret@db.internal:5432"),
    ("DATABASE_URL", "db.internal/sourcewise"),
    ("REDIS_URL", "http://cache.internal:6379/0"),
    ("ALLOWED_HOSTS", "sourcewise.example.org,,localhost"),
    ("ALLOWED_HOSTS", "https://sourcewise.example.org"),
    ("CSRF_TRUSTED_ORIGINS", "sourcewise.example.org"),
    ("LOG_LEVEL", "verbose"),
    ("TIME_ZONE", "Europe/Londn"),
]


@pytest.mark.parametrize(("name", "value"), MALFORMED, ids=lambda v: v)
def test_a_malformed_value_stops_the_process_with_a_message_naming_the_variable(name, value):
    result = run_python(READ_EVERYTHING, production_env(**{name: value}))
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith(f"django.core.exceptions.ImproperlyConfigured: {name}: ")
    assert "s3cret" not in result.stderr  # a URL's password is never printed


def test_manage_py_check_refuses_https_ture():
    # The case that used to turn the HTTPS redirect, secure cookies and HSTS off silently.
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=production_env(HTTPS="ture", SECRET_KEY=secrets.token_urlsafe(50)),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured: HTTPS: 'ture' is not a boolean" in result.stderr


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", True), ("true", True), ("Yes", True), ("ON", True)]
    + [("0", False), ("False", False), ("no", False), ("off", False)],
)
def test_booleans_take_the_usual_spellings(value, expected):
    values = settings_in_process(production_env(HTTPS=value), "SECURE_SSL_REDIRECT")
    assert values == {"SECURE_SSL_REDIRECT": expected}


def test_an_empty_variable_counts_as_unset():
    values = settings_in_process(
        production_env(HTTPS="", CONN_MAX_AGE="", ALLOWED_HOSTS=""),
        "SECURE_SSL_REDIRECT",
        "DATABASES",
        "ALLOWED_HOSTS",
    )
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["DATABASES"]["default"]["CONN_MAX_AGE"] == 60
    assert values["ALLOWED_HOSTS"] == ["127.0.0.1", "localhost", "[::1]"]


def test_well_formed_values_are_used():
    values = settings_in_process(
        production_env(
            CONN_MAX_AGE="5",
            ALLOWED_HOSTS="sourcewise.example.org, .school.example",
            CSRF_TRUSTED_ORIGINS="https://sourcewise.example.org",
            TIME_ZONE="Europe/London",
            DATABASE_URL="postgres://sourcewise:pw@db.internal:5433/sw?sslmode=require",
        ),
        "DATABASES",
        "ALLOWED_HOSTS",
        "CSRF_TRUSTED_ORIGINS",
        "TIME_ZONE",
    )
    database = values["DATABASES"]["default"]
    assert (database["HOST"], database["PORT"], database["NAME"]) == ("db.internal", 5433, "sw")
    assert database["OPTIONS"] == {"sslmode": "require"}
    assert database["CONN_MAX_AGE"] == 5
    assert values["ALLOWED_HOSTS"] == ["sourcewise.example.org", ".school.example"]
    assert values["CSRF_TRUSTED_ORIGINS"] == ["https://sourcewise.example.org"]
    assert values["TIME_ZONE"] == "Europe/London"


def test_gunicorn_reads_its_variables():
    code = "import config.gunicorn as g; print(g.workers, g.bind, g.accesslog)"
    env = production_env(WEB_CONCURRENCY="3", BIND="0.0.0.0:9000", GUNICORN_ACCESS_LOG="")
    result = run_python(code, env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["3", "0.0.0.0:9000", "None"]


def test_development_stays_plain_http():
    env = production_env(DEBUG="1")
    del env["SECRET_KEY"]
    values = settings_in_process(
        env,
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_HSTS_SECONDS",
    )
    assert values == {
        "SECURE_SSL_REDIRECT": False,
        "SESSION_COOKIE_SECURE": False,
        "CSRF_COOKIE_SECURE": False,
        "SECURE_HSTS_SECONDS": 0,
    }


def test_production_refuses_to_start_without_a_secret_key():
    env = production_env()
    del env["SECRET_KEY"]
    result = run_python("import django; django.setup()", env)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_without_redis_the_cache_is_local_and_sessions_in_the_database():
    values = settings_in_process(production_env(), "CACHES", "SESSION_ENGINE")
    assert values["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert values["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"


def test_redis_url_configures_the_redis_cache_and_cached_db_sessions():
    values = settings_in_process(
        production_env(REDIS_URL="redis://cache.internal:6380/2"), "CACHES", "SESSION_ENGINE"
    )
    assert values["CACHES"]["default"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache.internal:6380/2",
    }
    assert values["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"
