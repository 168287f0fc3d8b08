# Thin wrapper over `python -m build_report`. The two user commands are `make report` and `make test`.
# Everything installs itself: a virtualenv from requirements.lock, Chromium for the browser tests, and the
# third-party clients of tests/test_clients.py (tests/clients/install.sh).

PYTHON_SYS ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PKG ?= .
BUILD := $(PKG)/build
export GX_ANALYTICS_ENABLED := false
export PYTHONHASHSEED := 0

.PHONY: report validate test book release artefacts clean browser bench clients mutate engine

# Debian's Chromium for the browser tests (Playwright's own browser download cannot work offline).
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON_SYS) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

# cffconvert pins jsonschema<4, which the main lock cannot hold (see requirements-cff.lock), so it
# gets a virtualenv of its own, used only to validate CITATION.cff.
CFF_VENV := .venv-cff
CFF_STAMP := $(CFF_VENV)/.installed
$(CFF_STAMP): requirements-cff.lock
	$(PYTHON_SYS) -m venv $(CFF_VENV)
	$(CFF_VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-cff.lock
	touch $@

## validate: every structural, meaning and provenance check; non-zero exit on any failure
validate: $(STAMP)
	@$(PY) -m build_report.gate --root $(PKG) --json $(BUILD)/validation.json --summary $(BUILD)/validation.md

## report: validate, then build the Jupyter Book into book/_build/html (warnings are errors); PKG=DIR builds another checkout
report: book

# The book shows the validation summary, so it is built after validation (safe under make -j).
book: validate engine
	$(PY) -m build_report --root $(PKG) pages
	$(VENV)/bin/jupyter-book build $(PKG)/book --warningiserror --nitpick --keep-going --quiet

## test: the whole test suite (data, validation fault catalogue, built report, browser), one worker per core
## (pytest-xdist; TEST_WORKERS=0 runs it in a single process)
# --dist loadscope keeps a test file (or class) on one worker, so that its module fixtures are made once.
# Not loadgroup: under pytest 9.2 it silently groups nothing (pytest-dev/pytest-xdist#1386).
TEST_WORKERS ?= auto
test: $(STAMP) $(CFF_STAMP) browser clients engine
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadscope

## bench: time validation on synthetic packages of 10k, 100k and 1M rows; writes docs/benchmarks.md (36 minutes on 2026-12-06, machine shared)
BENCH_FLAGS ?= --runs 3
bench: $(STAMP)
	$(PY) -m build_report --root $(PKG) bench $(BENCH_FLAGS)

## engine: DuckDB-WASM for the Query page, by npm ci from src/build_report/engine/package-lock.json (needs Node.js
## and npm; quick once installed; the npm registry is reached only the first time, or when the lock changes)
ENGINE := src/build_report/engine
engine: $(ENGINE)/node_modules/.installed
$(ENGINE)/node_modules/.installed: $(ENGINE)/package-lock.json
	@command -v npm >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq nodejs npm; }
	cd $(ENGINE) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

## mutate: the mutation campaign (mutants of the package generated from the model); writes docs/mutation.md
mutate: $(STAMP)
	$(PY) -m build_report --root $(PKG) mutate $(MUTATE_FLAGS)

browser:
	@[ -x $(CHROMIUM) ] || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium; }

## clients: the clients of the test matrix (Debian R + readr, LibreOffice, Node.js; pinned virtualenvs and npm ci
## from the lock files under tests/clients/); quick when installed; a client that fails is logged in build/clients/
clients:
	@PYTHON_SYS=$(PYTHON_SYS) bash tests/clients/install.sh

## release: make release VERSION=x.y.z [DOI=10.xxxx/yyy] [URL=https://...] (see docs/maintaining.md)
release: $(STAMP)
	@test -n "$(VERSION)" || { echo "usage: make release VERSION=x.y.z"; exit 2; }
	$(PY) -m build_report --root $(PKG) release $(VERSION) $(if $(DOI),--doi $(DOI)) $(if $(URL),--url $(URL)) $(RELEASE_FLAGS)

## artefacts: make artefacts VERSION=x.y.z rebuilds a release's files into dist/x.y.z from releases/x.y.z and checks SHA256SUMS
artefacts: $(STAMP)
	@test -n "$(VERSION)" || { echo "usage: make artefacts VERSION=x.y.z"; exit 2; }
	$(PY) -m build_report --root $(PKG) artefacts $(VERSION)

clean:
	rm -rf $(BUILD) book/_build book/generated dist
