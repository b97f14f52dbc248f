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

.PHONY: setup review check test fmt clean

$(UV):
	$(PY) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

$(STAMP): pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python $(PY)
	@touch $@

setup: $(STAMP)  ## create .venv from uv.lock (nothing else is installed)

review: setup  ## the main job: check all years, write reports/ (check.txt, check.json, junit.xml)
	@mkdir -p reports
	$(VENV)/bin/bluebook check --junit reports/junit.xml --format json > reports/check.json || true
	$(VENV)/bin/bluebook check --limit 0 | tee reports/check.txt
	@echo "reports written to $(CURDIR)/reports"

check: setup  ## the CI gate: exit 1 when a data contract breaks
	$(VENV)/bin/bluebook check

test: setup  ## all tests (unit, contract fixtures, golden reports, property, e2e)
	$(VENV)/bin/python -m pytest

fmt: setup
	$(VENV)/bin/bluebook fmt

clean:
	rm -rf $(VENV) $(TOOLS) reports .pytest_cache .hypothesis
