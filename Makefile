# The README's commands. `make run` serves the demo site; `make test` runs every test.
PY := .venv/bin/python
MANAGE := $(PY) manage.py

.PHONY: run test install lint bench
install:
	@scripts/bootstrap

# The demo runs in development mode unless DEBUG is set otherwise.
run: export DEBUG ?= true
run: install
	$(MANAGE) migrate --no-input -v 0
	$(MANAGE) seed_demo
	$(MANAGE) runserver 127.0.0.1:8000

test: install
	@scripts/ensure-chromium
	$(PY) -m ruff check .
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
