# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DAGSTER_HOME ?= $(CURDIR)/warehouse/dagster_home
export DAGSTER_PORT ?= 3000

.PHONY: install run docs notebook lint test test-fast dev serve summary report browser clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall when the pins or the project's metadata change. pip's own chatter (and the registry's warnings) goes
# to a log file; a failed install prints its end.
INSTALL_LOG := $(VENV)/install.log
$(STAMP): $(BIN)/python pyproject.toml constraints.txt
	@echo "installing into $(VENV) (log: $(INSTALL_LOG))"
	@$(BIN)/python -m pip install --quiet --upgrade pip > $(INSTALL_LOG) 2>&1 || { tail -40 $(INSTALL_LOG); exit 1; }
	@$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]' >> $(INSTALL_LOG) 2>&1 || \
		{ tail -40 $(INSTALL_LOG); exit 1; }
	@touch $(STAMP)

DBT_DIR := transforms/dbt
MANIFEST := $(DBT_DIR)/target/manifest.json

# dbt is parsed once, here: dagster-dbt reads target/manifest.json when the code location loads, and runs hand
# dbt the parsed manifest (target/partial_parse.msgpack); no process re-parses (orchestration/lib/dbt_runner.py).
$(MANIFEST): $(STAMP) $(shell find $(DBT_DIR)/models $(DBT_DIR)/seeds $(DBT_DIR)/macros -type f) \
		$(DBT_DIR)/dbt_project.yml $(DBT_DIR)/profiles.yml
	@echo "parsing the dbt project"
	@cd $(DBT_DIR) && ../../$(BIN)/dbt parse --quiet --profiles-dir .
	@touch $(MANIFEST) $(DBT_DIR)/target/partial_parse.msgpack

install: $(STAMP) $(MANIFEST)

run: install
	$(BIN)/liqmart run
	$(BIN)/liqmart docs

# The dbt docs site, one self-contained HTML file: warehouse/docs/index.html (after `make run`).
docs: install
	$(BIN)/liqmart docs

# Everything: unit, integration and the end-to-end tests (webserver, browser, concurrent runs), on one
# pytest-xdist worker more than the machine has cores: many tests wait on processes they started (a server's
# start, the backfill daemon's 30 s loop, a lock held on purpose), and the extra worker uses a core meanwhile
# (2 cores: 15 min 16 s on two workers, 12 min 16 s on three, 13 min 34 s on four; docs/performance.md).
# --dist loadfile keeps a test file on one worker, so its module fixtures are built once; the shared warehouse is
# built once per run. TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= $(shell echo $$(( $$(nproc 2>/dev/null || echo 1) + 1 )))
# The JUnit report feeds benchmarks/suite_time.py (each tier's time, the slowest tests: docs/performance.md).
test: install browser lint
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile --junitxml=warehouse/logs/junit.xml

# Ruff (rules E, F, I, B; format), the import contracts (import-linter) and sqlfluff on the dbt models (dbt
# templater, DuckDB dialect), as configured in pyproject.toml; part of `make test`.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	LIQUIDITY_WAREHOUSE=:memory: $(BIN)/sqlfluff lint --processes 2 transforms/dbt/models

# The fast part while developing: skips the end-to-end tests and the integration tests marked `slow` (each runs
# whole pipelines or processes of its own; `make test` runs them). Its tests seldom wait on a process they started,
# so one worker per core.
FAST_WORKERS ?= $(shell nproc 2>/dev/null || echo 1)
test-fast: install
	$(BIN)/python -m pytest -n $(FAST_WORKERS) --dist loadfile -m "not slow" --junitxml=warehouse/logs/junit-fast.xml \
		tests/unit tests/integration tests/test_definitions.py tests/test_layers.py

bench: install
	$(BIN)/python benchmarks/run_time.py --lake --write-docs

# orchestration/commands/dev.py runs `dagster dev` and stops it (and every process it started) within 10 s of Ctrl-C or
# SIGTERM. One plain command, so make runs it without a shell and passes a SIGTERM straight to it.
dev: install
	$(BIN)/python -m orchestration.commands.dev

# The webserver and the daemon as two services on one Postgres-backed instance (DAGSTER_PG_URL): the team set-up
# (orchestration/commands/serve.py, docs/operations.md). Ctrl-C stops both.
serve: install
	$(BIN)/python -m orchestration.commands.serve

# The marimo notebook (notebooks/crash.py) in your browser; it reads the published copy of the warehouse.
notebook: install
	$(BIN)/marimo edit notebooks/crash.py

summary: install
	$(BIN)/liqmart summary

report: install
	$(BIN)/liqmart report

# The browser test drives Debian's chromium headless; install it when missing (CI runs as root).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get install -y --no-install-recommends chromium >/dev/null 2>&1 || \
		{ $$SUDO apt-get update >/dev/null && $$SUDO apt-get install -y --no-install-recommends chromium >/dev/null; }; }

clean:
	rm -rf warehouse/liquidity.duckdb* warehouse/landing warehouse/dagster_home warehouse/report warehouse/published \
		warehouse/docs warehouse/export warehouse/logs
