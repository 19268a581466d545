# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.12 || echo python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

# `make app` serves the live page. The browser tests in `make test` need Debian's chromium: installed
# here when missing if make runs as root (as CI does), otherwise make stops with the command to run.
CHROMIUM ?= /usr/bin/chromium
export HLSSIM_CHROMIUM := $(CHROMIUM)

.PHONY: run test bench install clean app docs calibration

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# The headline comparison from the scenario files: NPM and HLS on the default world, seeds 1-10,
# every run stored in results/hlssim.db (reused if already there), files in results/headline/ (replaced:
# --force, since they are read off the store); then the same comparison over the plausible worlds of the
# shipped posterior (seed s draws one particle for both regimes), in results/headline/posterior/.
run: $(STAMP)
	$(BIN)/hlssim run npm-targets hls-devolved --seeds 10 --compare --out results/headline --force
	$(BIN)/hlssim plot npm-targets hls-devolved --seeds 10 --out results/headline --force
	$(BIN)/hlssim run npm-targets hls-devolved --seeds 10 --compare --posterior default --out results/headline/posterior --force

# The default calibration (ABC-SMC against published figures), then the shipped posterior and its provenance
# (calibration/default-posterior.csv and .json): re-run after any change to the model, then `make run`.
calibration: $(STAMP)
	$(BIN)/hlssim calibrate default --out results/calibration/default --force
	cp results/calibration/default/posterior.csv calibration/default-posterior.csv
	cp results/calibration/default/provenance.json calibration/default-posterior.json

# The live page on http://127.0.0.1:8765/ (Goodhart, live; What-if). Ctrl-C stops it.
app: $(STAMP)
	$(BIN)/hlssim app

$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ]; then \
		echo "installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	else \
		echo "make test needs Debian's chromium for the browser tests; run: sudo apt-get install -y chromium" >&2; \
		exit 1; \
	fi

test: $(STAMP) $(CHROMIUM)
	$(BIN)/python -m pytest -n 2 -q

# The generated docs: docs/parameters.md, and the blocks of metrics.md, architecture.md and ODD.md made from
# the declarations (parameters, mechanisms' books, module docstrings).
docs: $(STAMP)
	$(BIN)/python -m hlssim.reports.reference

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_engine.py

clean:
	rm -rf $(VENV) results/*.csv results/*.json
