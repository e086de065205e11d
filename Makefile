# The README's commands. `make run` serves the demo site; `make test` runs every test.
PY := .venv/bin/python
MANAGE := $(PY) manage.py

.PHONY: run test install lint bench bench-data
install:
	@scripts/bootstrap

# The demo runs in development mode unless DEBUG is set otherwise.
run: export DEBUG ?= true
run: install
	$(MANAGE) migrate --no-input -v 0
	$(MANAGE) seed_demo
	$(MANAGE) runserver 127.0.0.1:8000

# Everything, slow tests (browser, embedded PostgreSQL) included; for a quick run while
# working: PYTEST_ARGS='-m "not slow"'.
test: install
	@scripts/ensure-chromium
	@scripts/ensure-axe
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m pytest $(PYTEST_ARGS)

# Benchmark the production server (bench/run.py) against DATABASE_URL, which must name a
# throwaway database: `make bench-data` fills it with BENCH_STORIES generated stories.
BENCH_STORIES ?= 100000
BENCH_ARGS ?=
bench-data: install
	@test -n "$(DATABASE_URL)" || { echo "Set DATABASE_URL to a throwaway database" >&2; exit 1; }
	DEBUG=true $(MANAGE) migrate --no-input -v 0
	$(PY) bench/generate.py --stories $(BENCH_STORIES) --seed 1

bench: install
	@scripts/ensure-wrk
	@test -n "$(DATABASE_URL)" || { echo "Set DATABASE_URL to the database bench-data filled" >&2; exit 1; }
	DEBUG=true $(MANAGE) migrate --no-input -v 0
	$(PY) bench/run.py $(BENCH_ARGS)

# mypy (django-stubs) reads the settings but never connects: any DATABASE_URL will do, and
# one is given when none is set so that no embedded server starts for it.
lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	DATABASE_URL="$${DATABASE_URL:-postgres://mypy@127.0.0.1:5432/unused}" $(PY) -m mypy
