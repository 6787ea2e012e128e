"""Browser tests: Playwright for Python driving Debian's Chromium against live_server.

Playwright's own browser download does not work on these machines, so the launch is
redirected to /usr/bin/chromium (or $CHROMIUM). Without Chromium every browser test is
skipped with a reason that `-ra` prints in the summary."""

import os
import shutil
from pathlib import Path

import pytest

# pytest-playwright runs an event loop in the main thread; the tests themselves are
# synchronous, so Django's guard against ORM calls from async code does not apply.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
HAVE_CHROMIUM = Path(CHROMIUM).exists()
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
PASSWORD = "pass-for-tests"
# Lines for the end-of-run summary (axe-core results per page, screenshots saved).
REPORT: list[str] = []


def pytest_terminal_summary(terminalreporter):
    if REPORT:
        terminalreporter.section("browser tests: axe-core and screenshots")
        for line in REPORT:
            terminalreporter.write_line(line)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Mark and, without Chromium, skip the browser tests; run them last. Their database
    flush (transactional tests) also empties what data migrations made, so no other
    test may come after them (pytest-django has already grouped the tests by kind)."""
    here = Path(__file__).parent
    browser = [i for i in items if Path(str(i.fspath)).is_relative_to(here)]
    if browser:
        others = [i for i in items if not Path(str(i.fspath)).is_relative_to(here)]
        items[:] = others + browser
    skip = pytest.mark.skip(
        reason=f"browser tests skipped: Chromium not found at {CHROMIUM} "
        "(apt-get install chromium, or set CHROMIUM=/path/to/chromium)"
    )
    for item in browser:
        item.add_marker(pytest.mark.browser)
        if not HAVE_CHROMIUM:
            item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def _plain_http_live_server():
    """live_server speaks plain HTTP. Its middleware reads the HTTPS settings once, when the
    server starts, so they are off for the whole session, before it does (the redirect to
    HTTPS and the secure cookies are tested in test_production.py)."""
    from django.test import override_settings

    with override_settings(
        SECURE_SSL_REDIRECT=False,
        SESSION_COOKIE_SECURE=False,
        CSRF_COOKIE_SECURE=False,
        SECURE_HSTS_SECONDS=0,
    ):
        yield


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}, "locale": "en-GB"}


@pytest.fixture
def login(live_server, context):
    """Log a user in by giving the browser context a session cookie (fast); the
    keyboard test logs in through the form instead."""
    from django.test import Client

    def _login(user, ctx=None):
        client = Client()
        client.force_login(user)
        (ctx or context).add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": client.cookies["sessionid"].value,
                    "url": live_server.url,
                }
            ]
        )

    return _login


@pytest.fixture
def axe(live_server):
    if not AXE.exists():
        pytest.skip(
            f"axe-core not installed at {AXE}: run `npm ci` (make test does when npm exists)"
        )
    # Served as if from our own origin, so the Content-Security-Policy (script-src 'self',
    # nothing inline) stays on while axe runs: an inline injection would be blocked.
    url = f"{live_server.url}/__axe__/axe.min.js"

    def run(page):
        page.route(url, lambda route: route.fulfill(path=str(AXE), content_type="text/javascript"))
        page.add_script_tag(url=url)
        return page.evaluate(
            """async () => {
                const r = await axe.run(document, {resultTypes: ['violations']});
                return r.violations.map(v => ({
                    id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.slice(0, 5)
                        .map(n => n.target.join(' ') + ' :: ' + n.failureSummary),
                }));
            }"""
        )

    return run


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


# The data migrations that make the "Teachers" group and grant it permissions, in order.
TEACHER_GRANTS = (
    ("classes.migrations.0002_teachers_group", "create_teachers_group"),
    ("quizzes.migrations.0006_teachers_change_grades", "grant"),
    ("quizzes.migrations.0009_teachers_mark_written_answers", "grant"),
    ("classes.migrations.0005_teachers_edit_accommodations", "grant"),
)


@pytest.fixture(autouse=True)
def _teachers_group_as_migrated(request):
    """The "Teachers" group as the migrations make it, before every browser test. A
    transactional test's flush empties what data migrations made, and whether the
    serialized copy comes back depends on the order tests ran in; so it is made again
    here, by the migrations' own functions (get-or-create: nothing doubles)."""
    if "transactional_db" not in request.fixturenames and "live_server" not in request.fixturenames:
        return
    from importlib import import_module

    request.getfixturevalue("transactional_db")
    state_apps = _migrated_apps()
    for module, function in TEACHER_GRANTS:
        getattr(import_module(module), function)(state_apps, None)


_STATE_APPS = []


def _migrated_apps():
    """The models as the last migration leaves them (what a data migration is given),
    worked out once a run."""
    if not _STATE_APPS:
        from django.db import connection
        from django.db.migrations.loader import MigrationLoader

        _STATE_APPS.append(MigrationLoader(connection).project_state().apps)
    return _STATE_APPS[0]
