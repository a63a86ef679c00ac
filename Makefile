# Fællesindgang — developer entry points. `make` (or `make help`) lists them.
#
# Everything installs what it needs itself: system packages via apt when run as
# root on Debian, Python packages into .venv (reinstalled only when a
# requirements file changes).

SHELL := /usr/bin/env bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PORT ?= 8000
PYTEST_ARGS ?=
BENCH_ARGS ?=
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: help run test bench lint messages css clean venv venv-dev backup restore

help: ## List the targets
	@echo "Fællesindgang make targets:"
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | \
		awk 'BEGIN {FS = ":.*## "}; {printf "  make %-10s %s\n", $$1, $$2}'
	@echo
	@echo "Variables: PORT=$(PORT) (run), PYTEST_ARGS='...' (test), BENCH_ARGS='...' (bench)"

run: ## Dev server + Celery worker/beat with demo data on 127.0.0.1:$PORT
	PORT=$(PORT) bash scripts/run.sh

test: ## Full CI check: ruff, migrations, deploy check, pytest (throwaway PostgreSQL + Redis)
	bash scripts/test.sh $(PYTEST_ARGS)

bench: ## Run bench/run.py against throwaway PostgreSQL + Redis
	bash scripts/bench.sh $(BENCH_ARGS)

lint: venv-dev ## ruff check + ruff format --check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

messages: venv ## Update the Danish translation catalogue (makemessages -l da)
	bash scripts/system-deps.sh run
	$(PY) manage.py makemessages -l da --no-obsolete --ignore=.venv --ignore=var --ignore=node_modules \
		--ignore=staticfiles --ignore=bench --ignore=test-results --ignore=playwright-report

backup: venv ## Back up the database and the files into var/backups/ (DEST=folder to choose)
	$(PY) manage.py backup $(DEST)

restore: venv ## Restore FROM=var/backups/faellesindgang-backup-… into an empty database and file root
	@test -n "$(FROM)" || { echo "usage: make restore FROM=path/to/backup-folder"; exit 2; }
	$(PY) manage.py restore $(FROM)
css: ## Build static/css/bootstrap.min.css from Bootstrap's Sass sources (npm; output committed)
	bash scripts/node-deps.sh
	npx --no-install sass --no-source-map --style=compressed --quiet-deps \
		--silence-deprecation=import,global-builtin,color-functions \
		--load-path=node_modules static/scss/site-bootstrap.scss static/css/bootstrap.min.css

clean: ## Remove .venv and var/ (the local database, media and logs)
	rm -rf $(VENV) var

venv: ## Create/update .venv from requirements.txt
	bash scripts/venv.sh requirements.txt

venv-dev: ## Create/update .venv from requirements-dev.txt
	bash scripts/venv.sh requirements-dev.txt
