# Chung Tay: `make run` starts everything, `make test` checks everything. See README.md.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON3 ?= python3
VENV := .venv
VENV_RASA := .venv-rasa
RASA := $(VENV_RASA)/bin/rasa
# Rasa's command line as the servers run it (nlu/rasa_server.py: the model loads faster).
RASA_CT := $(VENV_RASA)/bin/python -m nlu.rasa_server
CT := $(VENV)/bin/chungtay
PYTEST_RASA := $(VENV_RASA)/bin/python -m pytest
PYTEST := $(VENV)/bin/python -m pytest

.PHONY: help setup browser run train lint validate test test-rasa test-app test-unit test-e2e \
	test-e2e-shared test-e2e-processes test-stories test-nlu test-faults audit \
	bench-nlu bench-routing bench-awareness bench-e2e tune-fallback clean

help:
	@echo "make run    set up what is missing, train if stale, start Chung Tay (web chat + console)"
	@echo "make test   everything CI checks (lint, Rasa validation/training/tests, app tests)"

setup: $(VENV)/.stamp $(VENV_RASA)/.stamp

# .venv: Python >= 3.11 with the app (actions, gateway, store, console) installed editable.
$(VENV)/.stamp: pyproject.toml requirements/app.lock
	@$(PYTHON3) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python >= 3.11 is needed for .venv (set PYTHON3=...)")'
	@test -x $(VENV)/bin/python || $(PYTHON3) -m venv $(VENV)
	$(VENV)/bin/python -m pip install -q --upgrade pip
	$(VENV)/bin/python -m pip install -q -c requirements/app.lock -e ".[dev]"
	@touch $@

# .venv-rasa: Python 3.10 with rasa==3.6.21; our nlu/ package is put on its path by a .pth file.
$(VENV_RASA)/.stamp: requirements/rasa.in requirements/rasa.lock
	@test -x $(VENV_RASA)/bin/python || "$$(scripts/find-python310.sh)" -m venv $(VENV_RASA)
	$(VENV_RASA)/bin/python -m pip install -q --upgrade "pip<25" wheel
	$(VENV_RASA)/bin/python -m pip install -q -r requirements/rasa.in -c requirements/rasa.lock
	@echo "$(CURDIR)" > "$$($(VENV_RASA)/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/chungtay-nlu.pth"
	@touch $@

train: setup
	$(CT) train

run: setup
	$(CT) run

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy chungtay bot actions intake_store console routing nlu content bench tests

validate: setup
	$(RASA) data validate --fail-on-warnings --data nlu/data --domain domain.yml --config config.yml

test-rasa: setup
	$(PYTEST_RASA) -q -p no:cacheprovider --confcutdir=tests/rasa tests/rasa

# The model for the current inputs (training is a no-op when it exists).
MODEL = $$($(CT) train 2>/dev/null | tail -n 1)

test-stories: train
	$(RASA_CT) test core --stories tests/stories --model "$(MODEL)" --fail-on-prediction-errors \
		--no-plot --out results/core

# The held-out triage test set (never trained on): Rasa's own report, then our gate on urgent recall.
test-nlu: train
	$(VENV_RASA)/bin/python -m bench.nlu --export-rasa results/triage_test.yml
	$(RASA_CT) test nlu --nlu results/triage_test.yml --model "$(MODEL)" --no-plot --out results/nlu
	$(VENV_RASA)/bin/python -m bench.nlu --check "$(MODEL)" --json results/nlu/triage.json

# Debian's Chromium for the browser tests (web chat, console); idempotent.
browser: setup
	VENV=$(VENV) scripts/install-browser.sh

# The app suite in two halves: what needs no trained model, and the end-to-end tests that start
# the real Rasa (marker `e2e`). Together they are every test outside tests/faults.
test-unit: browser
	$(PYTEST) -q tests -m "not e2e" --ignore=tests/faults

test-e2e: test-e2e-shared test-e2e-processes

# The end-to-end tests in two halves that can run side by side: those that talk to one shared
# stack (the blind conversations and awareness questions, the real path, the browser), and those
# that start, kill and restart stacks of their own (mostly waiting on processes to come up).
E2E_SHARED := tests/e2e/test_blind_conversations.py tests/e2e/test_real_path.py \
	tests/e2e/test_webchat_real_browser.py

test-e2e-shared: train browser
	$(PYTEST) -q -m e2e $(E2E_SHARED)

test-e2e-processes: train browser
	$(PYTEST) -q tests -m e2e --ignore=tests/faults $(addprefix --ignore=,$(E2E_SHARED))

test-app: test-unit test-e2e

# Production profile with two Rasa replicas: kill and restart one replica, the action server, the
# worker, PostgreSQL connections and (our own) Redis while traffic flows; needs the trained model,
# PostgreSQL and redis-server.
test-faults: train
	$(PYTEST) -q tests/faults

# Known vulnerabilities in both lock files (accepted ones: deploy/audit-ignore.txt, with reasons).
audit: setup
	$(VENV)/bin/python scripts/audit.py

# Training keeps about one of two cores busy for most of its minutes, so the checks and tests that
# need no model run beside it (each one's output is shown when it finishes); then what needs it,
# two at a time, in an order that keeps both lanes about equally long: the shared-stack end-to-end
# tests, Rasa's story and NLU tests in one; the tests that start stacks of their own and the fault
# suite in the other. Those mostly wait on processes coming up, sleeps and restarts, so they
# overlap well with work that keeps a core busy (the stop's CI of 2026-12-07 took 2,081 s with
# the fault suite alone at the end).
test:
	@$(MAKE) --no-print-directory -j2 --output-sync=target train lint validate test-rasa test-unit \
		audit
	@$(MAKE) --no-print-directory -j2 --output-sync=target test-e2e-shared test-e2e-processes \
		test-stories test-nlu test-faults
	@echo "make test: all checks passed"

clean:
	rm -rf results .pytest_cache .mypy_cache .ruff_cache

# Benchmarks print figures; they are not part of `make test`.
bench-nlu: setup
	$(VENV_RASA)/bin/python -m bench.nlu --out results/bench-nlu --json results/bench-nlu.json

# The FallbackClassifier threshold, swept on a validation split of the training data (trains once).
tune-fallback: setup
	$(VENV_RASA)/bin/python -m bench.nlu --tune-fallback results/tune-fallback

bench-routing: setup
	$(VENV)/bin/python -m bench.routing

bench-awareness: train
	$(VENV_RASA)/bin/python bench/awareness.py --model models --enforce

# Conversations through the real webhooks on loopback, embedded and production (1 and 2 Rasa
# replicas; needs PostgreSQL and Redis), against stock `rasa run` and our Rasa alone on the same
# work. About 16 minutes; BENCH_E2E_ARGS=--quick: about 4.
bench-e2e: train
	$(VENV)/bin/python -m bench.e2e $(BENCH_E2E_ARGS)
