# Quick start: `make run` launches the app, `make test` runs the whole test suite.
# Both create the virtual environment .venv on first use (Debian's system pip is externally managed).
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed-stamp

.PHONY: run test bench clean

$(STAMP): pyproject.toml
	bash scripts/system-deps.sh
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/backprop-lens

# Two worker processes (pytest-xdist), each with its own offscreen Qt and throwaway settings (tests/conftest.py):
# the whole suite in about half the time on a 2-core machine.  A plain `pytest FILE` runs in one process.
test: $(STAMP)
	$(VENV)/bin/python -m pytest -n 2

bench: $(STAMP)
	$(VENV)/bin/python benchmarks/engine_step.py

clean:
	rm -rf $(VENV) build *.egg-info
