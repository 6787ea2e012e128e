"""The production settings plus the benchmark's two views (the ceiling and the floor:
bench/urls.py), for the benchmark only. BENCH_SESSION_ENGINE tries another session engine
(bench/inprocess.py --sessions compares them)."""

import os

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
SESSION_ENGINE = os.environ.get("BENCH_SESSION_ENGINE") or SESSION_ENGINE  # noqa: F405
