# VOC Desk — `make run` tries it with no Slack at all, `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN     = $(VENV)/bin
# 3 on 2 cores: much of a test's time is waiting (processes starting, Slack's pace, a lease running out), so a third worker fills it
TEST_WORKERS ?= 3
STAMP   = $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run test lint services fonts bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --upgrade pip
	@$(BIN)/python -m pip install -q -e '.[dev]'
	@rm -f $(VENV)/.installed-* && touch $@

run: $(STAMP)            ## the bot in your terminal: a local Slack, SQLite, no services needed
	-@bash scripts/fonts.sh  # only the 8D PDF needs them; the shell runs without
	@$(BIN)/voc shell

test: $(STAMP) services fonts lint  ## the linter, then the suite against PostgreSQL and Redis (started if they are down)
	@$(BIN)/pytest -n $(TEST_WORKERS)

lint: $(STAMP)           ## ruff: unused/undefined names, bare excepts and a few other real mistakes
	@$(BIN)/ruff check --quiet .

services:
	@bash scripts/services.sh

fonts:                   ## the 8D PDF's fonts (Latin + CJK), from Debian packages when missing
	@bash scripts/fonts.sh

bench: $(STAMP) services ## ack latency, classifier throughput and issue 18's targets, the SLA tick at 10 k vs 1 M, the monthly report on 100 k (docs/benchmarks.md)
	@$(BIN)/python -m bench.ack_latency
	@$(BIN)/python -m bench.ack_latency --pace-ms 100 --requests 30
	@$(BIN)/python -m bench.classify_throughput
	@$(BIN)/python -m bench.classifier_targets
	@$(BIN)/python -m bench.tick_cost
	@$(BIN)/python -m bench.report_cost

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache voc.db*
