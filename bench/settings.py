"""The production settings plus the benchmark's two views (the ceiling and the floor:
bench/urls.py), for the benchmark only. BENCH_SESSION_ENGINE tries another session engine
(bench/inprocess.py --sessions compares them)."""

import os

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
SESSION_ENGINE = os.environ.get("BENCH_SESSION_ENGINE") or SESSION_ENGINE  # noqa: F405
# BENCH_NO_CACHE=1 (`python -m bench --no-cache`): no default cache, so the lesson page
# renders its reading on every request, as before the cache (the same HTML).
if os.environ.get("BENCH_NO_CACHE") == "1":
    CACHES = {**CACHES, "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}  # noqa: F405
