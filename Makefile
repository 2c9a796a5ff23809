# ML Systems Interactive Labs. Two commands set up everything on a fresh machine:
#   make serve   build the site and serve it on http://127.0.0.1:8000
#   make test    the whole suite (engine, labs, builder, ledger, browser)
# Others: make site [BASE_PATH=/course/], make validate, make clean.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1
BASE_PATH ?= /
PYTEST_ARGS ?=

.PHONY: serve site test test-fast validate setup clean bench fuzz

setup: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml requirements/constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip==25.3"
	$(PY) -m pip install --quiet -c requirements/constraints.txt -e ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

site: setup
	$(PY) -m site_builder --out dist --base-path "$(BASE_PATH)"

serve: site
	@echo "Serving dist/ on http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	$(PY) -m http.server $(PORT) --bind $(HOST) --directory dist

test: site
	CHROMIUM="$$(scripts/find-browser.sh)" && export CHROMIUM && \
	node --test tests/js/ && \
	$(PY) -m pytest $(PYTEST_ARGS)

test-fast: setup
	$(PY) -m pytest -m "not browser and not pyodide" $(PYTEST_ARGS)

validate: setup
	$(PY) -m tests.validation.report

clean:
	rm -rf dist build .pytest_cache

# make fuzz N=500 [FUZZ_SEED=…]: the seeded fuzz with N steps per lab (CI runs 20)
N ?= 500
fuzz: site
	CHROMIUM="$$(scripts/find-browser.sh)" && export CHROMIUM && \
	FUZZ_ACTIONS=$(N) $(PY) -m pytest tests/browser/test_fuzz.py -q --timeout=0 $(PYTEST_ARGS)

bench: setup
	$(PY) -m bench.run $(BENCH_ARGS)
