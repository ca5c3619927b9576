# Two commands set everything up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO_INDEX ?= .demo-index
SHARED ?= ../shared

.PHONY: venv demo test lint eval eval-ingest bench clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,eval]'
	touch $(STAMP)

demo: venv
	$(BIN)/newsgrep --index $(DEMO_INDEX) index corpus/
	$(BIN)/newsgrep --index $(DEMO_INDEX) search troops --source balticword.com
	$(BIN)/newsgrep --index $(DEMO_INDEX) search 'anusauskas OR москва' --limit 3
	$(BIN)/newsgrep --index $(DEMO_INDEX) timeline covid --by month

test: venv
	$(BIN)/python -m pytest

lint: venv
	$(BIN)/ruff check .

eval: venv
	$(BIN)/python -m scripts.eval_vaswani --shared $(SHARED)

eval-ingest: venv
	$(BIN)/python -m scripts.eval_ingest --shared $(SHARED)

bench: venv
	$(BIN)/python -m scripts.bench --shared $(SHARED)

clean:
	rm -rf $(VENV) $(DEMO_INDEX) .pytest_cache .ruff_cache .hypothesis
