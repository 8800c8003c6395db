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

test: $(STAMP)
	$(VENV)/bin/python -m pytest

bench: $(STAMP)
	$(VENV)/bin/python benchmarks/engine_step.py

clean:
	rm -rf $(VENV) build *.egg-info
