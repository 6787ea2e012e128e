"""gunicorn settings for `make serve` and `make bench`; command-line flags override them.
The variables are in README.md's Configuration table, read strictly by config/env.py."""

import multiprocessing

from config.env import env_int, env_str

bind = env_str("BIND", "127.0.0.1:8000")
workers = env_int("WEB_CONCURRENCY", "", minimum=1) or 2 * multiprocessing.cpu_count() + 1
worker_class = "sync"
timeout = 30
graceful_timeout = 20
# Worker recycling: high, with jitter. max_requests = 2000 restarted every worker about
# every 1.5 s under load (a worker serves 1,300+ requests a second of a cheap page), and a
# restart costs a fork, Django's start-up and a new database connection: the ceiling lost
# 17 % and its p99 went from 10 ms to 223 ms (issue 15; docs/performance.md, "gunicorn").
# 100,000 still bounds a slow leak (every few minutes at full load, hours at a class's
# pace); the jitter keeps the workers from restarting together. --max-requests overrides.
max_requests = 100_000
max_requests_jitter = 10_000
accesslog = env_str("GUNICORN_ACCESS_LOG", "-", allow_empty=True) or None
errorlog = "-"
# The proxy in front (if any) sets X-Forwarded-Proto; trust it from these addresses only.
forwarded_allow_ips = env_str("FORWARDED_ALLOW_IPS", "127.0.0.1")
