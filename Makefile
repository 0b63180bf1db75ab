# Everything a fresh Debian machine needs: system packages (apt-get, as root), a venv, the suite, the demo.
# `make setup` and `make run` install only the bot's part; `make venv`, `make test` and the rest everything.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
HASH := $(shell sha1sum pyproject.toml | cut -c1-12)
STAMP := $(VENV)/.installed-$(HASH)
# Only the bot's part (no torch & co): what `make run` and `make setup` need. A full install satisfies it too.
BOT_STAMP := $(VENV)/.bot-installed-$(HASH)
SYSTEM_TOOLS := ffmpeg ffprobe espeak-ng sox
APT_PACKAGES := ffmpeg espeak-ng sox postgresql

.PHONY: deps venv bot-venv setup test test-fast test-bot-only demo run lint format bench clean

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

# Everything: the bot, the trainer's extra and the test tools (the trainer's machine, and every test run).
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q torch==2.13.0   # the CPU wheel first, so nothing pulls a CUDA build
	$(PY) -m pip install -q -e '.[train,dev]'
	rm -f $(VENV)/.installed-* $(VENV)/.bot-installed-* && touch $@ $(BOT_STAMP)

# The bot alone: a host that only serves captions installs no training stack.
$(BOT_STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e .
	rm -f $(VENV)/.bot-installed-* && touch $@

venv: $(STAMP)

bot-venv: $(BOT_STAMP)

setup: bot-venv
	$(PY) -m bot setup

test: deps venv
	HF_HUB_OFFLINE=1 $(VENV)/bin/pytest -q -ra

test-fast: deps venv
	HF_HUB_OFFLINE=1 $(VENV)/bin/pytest -q -ra -m "not slow"

# The bot's part alone, proven: a fresh venv in a temp folder gets `pip install .` (no [train] extra), then
# the test tools ([dev] and jiwer, which the tests score with), `import torch` must fail there, and every
# Discord test file runs in it (the one real retrain skips: it needs the trainer's extra). It prints the
# install time and the site-packages size of the bot's part. Not part of `make test`: it installs from the
# package index (minutes). The copy is of the working tree (tracked and untracked files git does not ignore).
test-bot-only: deps
	@set -e; dir=$$(mktemp -d /tmp/caption-bot-only.XXXXXX); trap 'rm -rf "$$dir"' EXIT; \
	mkdir "$$dir/src"; git ls-files -co --exclude-standard -z | xargs -0 cp --parents -t "$$dir/src"; \
	$(PYTHON) -m venv "$$dir/venv"; "$$dir/venv/bin/python" -m pip install -q --upgrade pip; \
	start=$$(date +%s); "$$dir/venv/bin/python" -m pip install -q "$$dir/src"; end=$$(date +%s); \
	site=$$("$$dir/venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])'); \
	echo "bot-only install: $$((end - start)) s, site-packages $$(du -sm "$$site" | cut -f1) MiB"; \
	if "$$dir/venv/bin/python" -c 'import torch' 2>/dev/null; then echo "torch is importable"; exit 1; fi; \
	echo "import torch fails in the bot-only venv, as it should"; \
	"$$dir/venv/bin/python" -m pip install -q "$$dir/src[dev]" "$$(grep -o 'jiwer==[0-9.]*' pyproject.toml)"; \
	if "$$dir/venv/bin/python" -c 'import torch' 2>/dev/null; then echo "the test tools pulled torch in"; exit 1; fi; \
	cd "$$dir/src" && HF_HUB_OFFLINE=1 "$$dir/venv/bin/python" -m pytest -q -ra -p no:cacheprovider tests/test_discord_*.py

demo: deps venv
	HF_HUB_OFFLINE=1 $(PY) -m bench.demo

run: bot-venv
	$(PY) -m bot run

lint: venv
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check . && $(VENV)/bin/mypy

format: venv
	$(VENV)/bin/ruff format . && $(VENV)/bin/ruff check --fix .

bench: deps venv
	HF_HUB_OFFLINE=1 $(PY) -m bench.run_all

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache .hypothesis
