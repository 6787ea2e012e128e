# Sourcewise. `make run` and `make test` are the whole set-up on a fresh machine.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
DEV_ENV := DEBUG=1
TEST_ENV := SECRET_KEY=insecure-test-only-key-long-enough-for-the-50-character-rule STATIC_MANIFEST=0 DEBUG=0
BUNDLES := $(wildcard lessons/bundles/*.json)
# Loading the shipped lessons is create-only: a lesson whose slug exists is left as it is
# (reported "skipped: exists"), so a restart never undoes a teacher's edits or a student's
# work. tests/config/test_restart.py runs the run target's commands twice to prove it.
LOAD_SHIPPED := manage.py import_lesson --create-only
# The locked versions (`make lock` writes them from pyproject.toml's ranges): the runtime
# and test dependencies, and the same plus the benchmark's.
LOCK := requirements/test.txt
BENCH_LOCK := requirements/bench.txt
BENCH_STAMP := $(VENV)/.bench-stamp
UV_COMPILE := $(VENV)/bin/uv pip compile pyproject.toml --quiet --universal --python-version 3.11 \
	--generate-hashes $(if $(UPGRADE),--upgrade)

.PHONY: install run serve bench test lint migrations-check format clean bench-reports axe lock

# A fresh virtualenv (--clear) holding exactly the locked versions, then the project itself.
$(STAMP): $(LOCK)
	$(PYTHON) -m venv --clear $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r $(LOCK)
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

## Re-resolve the lock files after changing a dependency in pyproject.toml: keeps every
## other pin; `make lock UPGRADE=1` moves every package to the newest release its range allows.
lock: install
	$(UV_COMPILE) --extra test --extra bench -o $(BENCH_LOCK)
	$(UV_COMPILE) --extra test -c $(BENCH_LOCK) -o $(LOCK)
	$(MAKE) --no-print-directory install

## Development server with the shipped lesson and demo logins, at http://127.0.0.1:8000
run: install
	$(DEV_ENV) $(PY) manage.py migrate --noinput
	@echo "Loading the shipped lessons (create-only):"
	$(DEV_ENV) $(PY) $(LOAD_SHIPPED) $(BUNDLES)
	@echo "Demo logins (development only):"
	@$(DEV_ENV) $(PY) manage.py create_demo_users
	@$(DEV_ENV) $(PY) manage.py create_demo_class
	@echo "Serving at http://127.0.0.1:8000/  (teachers: http://127.0.0.1:8000/admin/)"
	$(DEV_ENV) $(PY) manage.py runserver 127.0.0.1:8000

# axe-core (pinned in package-lock.json) for the browser tests' accessibility checks.
AXE := node_modules/axe-core/axe.min.js
$(AXE): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(AXE)

axe:
	@if command -v npm >/dev/null 2>&1; then $(MAKE) --no-print-directory $(AXE); \
	else echo "== npm not found: the axe-core checks of the browser tests will be skipped"; fi

## Production-like: DEBUG off, collected static files, migrations, gunicorn.
## Workers from WEB_CONCURRENCY; HTTPS=0 to try it over plain HTTP on this machine.
serve: install
	@set -e; \
	if [ -z "$$SECRET_KEY" ]; then \
	  if [ ! -s .secret_key ]; then \
	    $(PY) -c "import secrets; print(secrets.token_urlsafe(50))" > .secret_key; chmod 600 .secret_key; \
	    echo "SECRET_KEY is not set: generated one into .secret_key for this machine."; \
	  fi; \
	  echo "Using .secret_key. In production, set SECRET_KEY in the environment instead."; \
	  SECRET_KEY="$$(cat .secret_key)"; export SECRET_KEY; \
	fi; \
	export DEBUG=0; \
	$(PY) manage.py collectstatic --noinput --verbosity 0; \
	$(PY) manage.py migrate --noinput; \
	if [ -n "$(BUNDLES)" ]; then \
	  echo "Loading the shipped lessons (create-only):"; \
	  $(PY) $(LOAD_SHIPPED) $(BUNDLES); fi; \
	echo "Serving with gunicorn at http://$${BIND:-127.0.0.1:8000}/ ($${WEB_CONCURRENCY:-2 x cores + 1} workers)"; \
	exec $(VENV)/bin/gunicorn config.wsgi:application --config config/gunicorn.py

## Load benchmark: gunicorn + Locust (headless) on 127.0.0.1; PostgreSQL when DATABASE_URL is set.
$(BENCH_STAMP): $(STAMP) $(BENCH_LOCK)
	$(PY) -m pip install --quiet --require-hashes -r $(BENCH_LOCK)
	touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	$(PY) -m bench $(BENCH_ARGS)

## The whole test suite (browser tests run where Chromium is installed)
test: install axe
	@command -v chromium >/dev/null 2>&1 || test -x /usr/bin/chromium || \
		echo "== Chromium not found: the browser tests will be skipped (apt-get install chromium)"
	$(TEST_ENV) $(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/lint-imports

migrations-check: install
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run

## Time the quiz reports over 1,000 attempts of a 40-question quiz (a scratch SQLite file
## unless DATABASE_URL is set); figures in docs/performance.md under "Reports"
bench-reports: install
	DATABASE_URL=$(or $(DATABASE_URL),sqlite:////tmp/sourcewise-bench-reports.sqlite3) \
		$(TEST_ENV) $(PY) -m bench.reports $(BENCH_ARGS)

format: install
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .import_linter_cache node_modules \
		test-artifacts bench/results
