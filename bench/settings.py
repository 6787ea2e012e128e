"""The production settings plus one trivial view (the ceiling), for the benchmark only."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
