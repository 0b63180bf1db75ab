# Everything a fresh Debian machine needs: system packages (apt-get, as root), a venv, the suite, the demo.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
SYSTEM_TOOLS := ffmpeg ffprobe espeak-ng sox
APT_PACKAGES := ffmpeg espeak-ng sox postgresql

.PHONY: deps venv test test-fast demo run lint format bench clean

deps:
	@missing=""; for t in $(SYSTEM_TOOLS); do command -v $$t >/dev/null || missing="$$missing $$t"; done; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null || missing="$$missing initdb"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing system packages:$(APT_PACKAGES)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(APT_PACKAGES) >/dev/null; \
	  else \
	    echo "missing:$$missing. Install them: sudo apt-get install $(APT_PACKAGES)"; exit 1; \
	  fi; \
	fi

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q torch==2.13.0   # the CPU wheel first, so nothing pulls a CUDA build
	$(PY) -m pip install -q -e '.[dev]'
	rm -f $(VENV)/.installed-* && touch $@

venv: $(STAMP)

test: deps venv
	HF_HUB_OFFLINE=1 $(VENV)/bin/pytest -q -ra

test-fast: deps venv
	HF_HUB_OFFLINE=1 $(VENV)/bin/pytest -q -ra -m "not slow"

demo: deps venv
	HF_HUB_OFFLINE=1 $(PY) -m bench.demo

run: venv
	$(PY) -m bot run

lint: venv
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check . && $(VENV)/bin/mypy

format: venv
	$(VENV)/bin/ruff format . && $(VENV)/bin/ruff check --fix .

bench: deps venv
	HF_HUB_OFFLINE=1 $(PY) -m bench.run_all

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache .hypothesis
