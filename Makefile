# Two commands set everything up on a fresh machine with Python 3.11 and make:
#   make review   the main job: check every year and write the reports
#   make test     every test, the end-to-end one included
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
TOOLS := .tools
UV := $(TOOLS)/bin/uv
UV_VERSION := 0.13.9
STAMP := $(VENV)/.synced
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
# Compile every installed module to bytecode at install time: with PYTHONDONTWRITEBYTECODE set (as
# on some CI machines) Python would otherwise recompile GX's 2,300 modules on every start (GX's
# import: 14.9 s → 7.8 s wall on a loaded 2-core machine).
export UV_COMPILE_BYTECODE := 1

.PHONY: setup browser review server check ruff lint test test-fast mutation fmt golden bench bench-startup bench-scale clean

$(UV):
	$(PY) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

$(STAMP): pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python $(PY)
	@touch $@

setup: $(STAMP)  ## create .venv from uv.lock (nothing else is installed)

# Prefect state stays inside the project; with no PREFECT_API_URL the flow runs against Prefect's
# temporary local server (SQLite in .prefect/), with it against that server.
PREFECT_ENV := PREFECT_HOME=$(CURDIR)/.prefect PREFECT_SERVER_ANALYTICS_ENABLED=false DO_NOT_TRACK=1 \
	GX_ANALYTICS_ENABLED=false

review: setup  ## the main job: the review flow; reports in reports/latest/ and reports/data-docs/, Failed (exit 1) on a broken contract
	$(PREFECT_ENV) $(VENV)/bin/python flows/review.py

server: setup  ## a Prefect server on 127.0.0.1:4200, the work pool, all deployments, a worker
	scripts/serve

# CHECK_ARGS: more options of `bluebook check`, e.g. CI's
#   make check CHECK_ARGS="--format github --junit reports/junit.xml --baseline $BASE_SHA"
CHECK_ARGS ?=
check: setup  ## the CI gate: exit 1 when a data contract breaks
	$(VENV)/bin/bluebook check $(CHECK_ARGS)

# The browser test drives Debian's chromium (the playwright package's own browser download cannot
# work here); CJK fonts make the screenshots readable. Installed when missing and when we can
# (root with apt-get); otherwise the test says what is missing (and fails when CI is set).
CHROMIUM := /usr/bin/chromium
browser:  ## headless Chromium and CJK fonts for the browser test, from Debian's packages when missing
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing chromium (Debian) for the browser test"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      chromium fonts-noto-cjk >/dev/null || echo "could not install chromium: the browser test will say so"; \
	  else echo "chromium is missing and cannot be installed here (apt-get as root): the browser test will say so"; fi; \
	fi

# mypy through scripts/typecheck.py: mypy with [tool.mypy], schemas/ and flows/ checked as the
# bluebook.schemas and bluebook.flows they are installed as (plain mypy cannot see that mapping).
ruff: setup  ## ruff: lint and format, configured in pyproject.toml
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

lint: ruff  ## ruff (lint and format) and mypy, configured in pyproject.toml
	$(VENV)/bin/python scripts/typecheck.py

# Two workers (one a core); each test file stays on one worker, so a file's shared fixtures (the
# e2e server, one GX run) are made once. TEST_WORKERS=0 runs in one process. ruff first (a second);
# mypy (30 s of one core on a clean clone) runs beside the tests and its report follows theirs:
# the test fails when either does.
TEST_WORKERS ?= 2
test: setup browser ruff  ## lint, then all tests (unit, contract fixtures, golden reports, property, browser, e2e)
	@$(VENV)/bin/python scripts/typecheck.py > $(VENV)/typecheck.log 2>&1 & typecheck=$$!; \
	$(VENV)/bin/python -m pytest -n $(TEST_WORKERS) --dist loadfile; tests=$$?; \
	wait $$typecheck; types=$$?; \
	echo "mypy (scripts/typecheck.py):"; cat $(VENV)/typecheck.log; \
	exit $$(( tests != 0 ? tests : types ))

fmt: setup
	$(VENV)/bin/bluebook fmt

golden: setup  ## regenerate the golden change reports (review the diff before committing)
	$(VENV)/bin/bluebook diff 2023 2024 --out tests/golden > /dev/null
	$(VENV)/bin/bluebook diff 2024 2025 --out tests/golden > /dev/null

bench: setup  ## the diff benchmark, side by side with the naive baseline
	$(VENV)/bin/python bench/bench_diff.py --sizes 1000 10000 100000

bench-startup: setup  ## check (with and without GX, cache cold and warm) against the imports it cannot avoid; the review flow on a local Prefect server
	$(VENV)/bin/python bench/bench_startup.py

bench-scale: setup  ## the whole Bluebook: 70 editions × 10,000 facts (check cold/warm/one file/GX), diff of 2 × 1,000,000, review threads vs Dask (on a server it starts)
	$(PREFECT_ENV) $(VENV)/bin/python bench/bench_scale.py

clean:
	rm -rf $(VENV) $(TOOLS) reports .prefect .pytest_cache .hypothesis .mutation .mypy_cache .ruff_cache

test-fast: setup  ## every test but the e2e, GX, Prefect-server and browser ones, on two workers (under a minute on 2 cores)
	$(VENV)/bin/python -m pytest -m "not e2e and not gx and not prefect and not browser" -q -p no:cacheprovider -n 2

# mutmut runs in .mutation/, a copy laid out as the package is imported (schemas/ and flows/ under
# bluebook/), so that the tests import the mutants; the score is printed at the end.
mutation: setup  ## mutation testing of the contract modules on the fast rule tests (tens of minutes)
	rm -rf .mutation && mkdir -p .mutation
	cp -r bluebook tests snapshots sources expectations pyproject.toml README.md prefect.yaml .mutation/
	cp -r schemas .mutation/bluebook/schemas && cp -r flows .mutation/bluebook/flows
	find .mutation -name __pycache__ -prune -exec rm -rf {} +
	cd .mutation && ../$(VENV)/bin/mutmut run --max-children $(or $(JOBS),2) > mutmut-run.log 2>&1; \
		../$(VENV)/bin/python ../tests/mutation_score.py mutants ../tests/mutation-survivors.md
