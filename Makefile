# danvan: two commands do all the set-up on a fresh machine (Python 3.11 + pip only):
#   make demo   installs into .venv, then runs the pipeline through the Airflow DAGs on demo files
#   make test   installs into .venv, then runs the whole test suite
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO_HOME ?= data/demo

.PHONY: install docs-assets docs demo test test-prod chaos lint format bench airflow airflow-prod airflow-prod-stop lock clean

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements.txt
	$(BIN)/pip install -q --disable-pip-version-check --no-deps -e .
	$(MAKE) --no-print-directory docs-assets
	touch $(STAMP)

DOCS_ASSETS := expectations/data_docs_assets
docs-assets: $(DOCS_ASSETS)/node_modules/.package-lock.json  ## Data Docs' CSS/JS from npm, so pages render offline

$(DOCS_ASSETS)/node_modules/.package-lock.json: $(DOCS_ASSETS)/package.json $(DOCS_ASSETS)/package-lock.json
	cd $(DOCS_ASSETS) && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

install: $(STAMP) docs-assets

demo: install  ## Bắc Kạn, 8 districts, 2024S1 + 2024S2, one bad file, through the real DAGs
	DANVAN_HOME=$(DEMO_HOME) $(BIN)/danvan demo

test: install  ## two pytest-xdist workers (the machine's 2 cores); the dag.test runs share one
	$(BIN)/python -m pytest -q -n 2 --dist loadgroup

chaos: install  ## kill -9 of a real `danvan run` at several points, then a rerun (slow: ~2 runs a point)
	$(BIN)/python -m pytest -q -m chaos tests/e2e/test_chaos.py

docs: install  ## regenerate warehouse/README.md's marts section from warehouse/models/marts/_docs.yml
	$(BIN)/python -m transforms.mart_docs

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install  ## national half-year through `danvan run` vs a DuckDB-only baseline
	$(BIN)/python -m bench.run

airflow: install  ## a real local Airflow (scheduler, triggerer, UI on :8080) watching the inbox
	$(BIN)/danvan airflow

airflow-prod: install  ## production profile: PostgreSQL + Redis + CeleryExecutor, 2 workers (installs them as root)
	$(BIN)/danvan prod start

airflow-prod-stop:  ## stops everything `make airflow-prod` started
	$(BIN)/danvan prod stop

test-prod: install  ## starts the production profile on a fresh home, a national half-year through it, stops it
	$(BIN)/python -m pytest -q -p no:cacheprovider -m prod tests/prod

lock:  ## re-resolve the pins (needs network to the package index)
	rm -rf /tmp/danvan-lock && $(PYTHON) -m venv /tmp/danvan-lock
	/tmp/danvan-lock/bin/pip install -q "apache-airflow==3.3.2" "great-expectations==1.24.1" "duckdb==2.0.0" "duckdb-cli==1.5.6" \
		"pandas==3.1.1" pyarrow openpyxl python-calamine pytest pytest-xdist ruff holidays "python-docx==1.2.0" "matplotlib==3.11.2" \
		"apache-airflow-providers-celery==3.26.0" "psycopg2-binary==2.9.13" "asyncpg==0.32.0" \
		"celery==5.6.3"  # 5.7 removed celery.backends.database.retry, which the Celery provider 3.26 imports
	{ sed -n '1,2p' requirements.txt; /tmp/danvan-lock/bin/pip freeze | grep -v '^-e'; } > requirements.new
	mv requirements.new requirements.txt

clean:
	rm -rf $(VENV) data .pytest_cache .ruff_cache $(DOCS_ASSETS)/node_modules
