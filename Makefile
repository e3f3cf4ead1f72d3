# newsdesk: `make demo` and `make test` work on a fresh machine (Python 3.11+).
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: demo test install bench eval clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,postgres,ray]'
	touch $(STAMP)

install: $(STAMP)

DEMO := out/demo
DEMO_DB := sqlite:///$(DEMO)/newsdesk.db

# The main job on the bundled example: per-article analysis, a store with stories,
# and a story brief. Undated example files are taken as published on 2024-03-07.
demo: $(STAMP)
	rm -rf $(DEMO) && mkdir -p $(DEMO)
	$(VENV)/bin/newsdesk analyze examples/story --format md --published 2024-03-07 --out $(DEMO)/analysis.md
	$(VENV)/bin/newsdesk ingest examples/story --db $(DEMO_DB) --published 2024-03-07
	$(VENV)/bin/newsdesk stories --db $(DEMO_DB)
	$(VENV)/bin/newsdesk brief examples/story/*bregovar* examples/story/*brehovar* --published 2024-03-07 --format html --out $(DEMO)/brief.html
	$(VENV)/bin/newsdesk brief examples/story/*bregovar* examples/story/*brehovar* --published 2024-03-07 --format md --out $(DEMO)/brief.md
	@echo
	@echo "Wrote $(DEMO)/analysis.md (per article), $(DEMO)/brief.md and $(DEMO)/brief.html (the story)."
	@echo "Browse the store:  $(VENV)/bin/newsdesk serve --db $(DEMO_DB)"

# Lint (ruff), format check, types (mypy, config in pyproject.toml), the fast part of
# the evaluation gate, then the test suite.
test: $(STAMP)
	$(VENV)/bin/ruff check src
	$(VENV)/bin/ruff format --check src
	$(VENV)/bin/mypy
	$(PY) bench/eval_gate.py
	$(PY) -m pytest -q -rs

# Every evaluation of the gate, the slow real-data ones included (../shared/dev-data).
eval: $(STAMP)
	$(PY) bench/eval_gate.py --all

bench: $(STAMP)
	$(PY) bench/bench_pipeline.py

clean:
	rm -rf $(VENV) build *.egg-info
