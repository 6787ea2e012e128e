"""gunicorn settings for `make serve` and `make bench`; command-line flags override them.
The variables are in README.md's Configuration table, read strictly by config/env.py."""

import multiprocessing

from config.env import env_int, env_str

bind = env_str("BIND", "127.0.0.1:8000")
workers = env_int("WEB_CONCURRENCY", "", minimum=1) or 2 * multiprocessing.cpu_count() + 1
worker_class = "sync"
timeout = 30
graceful_timeout = 20
# Recycle workers now and then so a slow leak never grows without bound.
max_requests = 2000
max_requests_jitter = 200
accesslog = env_str("GUNICORN_ACCESS_LOG", "-", allow_empty=True) or None
errorlog = "-"
# The proxy in front (if any) sets X-Forwarded-Proto; trust it from these addresses only.
forwarded_allow_ips = env_str("FORWARDED_ALLOW_IPS", "127.0.0.1")
