# Two commands set everything up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO_INDEX ?= .demo-index
SHARED ?= ../shared

.PHONY: venv demo test test-opensearch opensearch-node lint eval eval-ingest eval-multilingual bench clean

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

# The OpenSearch suite needs a JVM: `make test` leaves it to `make test-opensearch`
# (NEWSGREP_TEST_OPENSEARCH=auto runs it with plain pytest wherever Java and Maven are).
# pytest-xdist runs the suite on every core (at most 4 workers: many tests start ingest
# workers of their own); PYTEST_ARGS= runs it in one process.
PYTEST_ARGS ?= -n auto --maxprocesses 4 --dist worksteal
test: venv
	NEWSGREP_TEST_OPENSEARCH=$${NEWSGREP_TEST_OPENSEARCH:-off} $(BIN)/python -m pytest $(PYTEST_ARGS)

# The whole OpenSearch suite against a real node (and a 3-node cluster for the fault
# test), built from tests/opensearch/ by Maven on first use. =osmem: the quick emulator.
test-opensearch: venv
	NEWSGREP_TEST_OPENSEARCH=$${NEWSGREP_TEST_OPENSEARCH:-node} \
	  $(BIN)/python -m pytest tests/test_opensearch_*.py

opensearch-node: venv
	scripts/opensearch-node build

lint: venv
	$(BIN)/ruff check .
	$(BIN)/mypy newsgrep

eval: venv
	$(BIN)/python -m scripts.eval_ranking --shared $(SHARED)

eval-ingest: venv
	$(BIN)/python -m scripts.eval_ingest --shared $(SHARED)

# Known-item search per language and across scripts, today's analysis (BASELINE, a git
# revision) and this one in the same run, with the indexing cost of each.
BASELINE ?= main
eval-multilingual: venv
	$(BIN)/python -m scripts.eval_multilingual --shared $(SHARED) --baseline-rev $(BASELINE) --cost

# Ingest and search at 20k and 100k against plain Whoosh, FTS5, tantivy and rg; then
# browse's query latency on the 20k index the first step kept.
BENCH_DIR ?= /tmp/newsgrep-bench
bench: venv
	$(BIN)/python -m scripts.bench --shared $(SHARED) --workdir $(BENCH_DIR) --keep
	$(BIN)/python -m scripts.bench_browse --index $(BENCH_DIR)/n20000/newsgrep-index
	rm -rf $(BENCH_DIR)

clean:
	rm -rf $(VENV) $(DEMO_INDEX) .pytest_cache .ruff_cache .hypothesis
