# The README's commands. `make test` and `make demo` work on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: test unit integration lint bench generate demo up down clean

# The client's own virtualenv with the package (editable) and its test extras.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check uv
	$(BIN)/uv pip install -q --python $(BIN)/python -e ".[test]"
	touch $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

# Unit and integration tests; the suite starts the local Airflow when none is running.
test: lint
	$(BIN)/python -m pytest

unit: $(STAMP)
	$(BIN)/python -m pytest test/unit

integration: $(STAMP)
	$(BIN)/python -m pytest -m integration

# Speed and memory against raw aiohttp + json.loads, and start-up against importing aiohttp and
# pydantic, as ratios (README "Performance").
bench: $(STAMP)
	$(BIN)/python bench/run.py
	$(BIN)/python bench/startup.py

# Rewrite the generated modules, docs and test cases from spec/v1.yaml and spec/v1-overrides.yaml.
generate: $(STAMP)
	$(BIN)/python scripts/generate.py

# The main job: trigger a run on the local Airflow with the CLI and follow it to its end.
demo: $(STAMP) up
	TITANIUM_AIRFLOW_HOST=http://127.0.0.1:$${TITANIUM_AIRFLOW_PORT:-28080}/api/v1 \
	TITANIUM_AIRFLOW_USERNAME=admin TITANIUM_AIRFLOW_PASSWORD=admin \
	$(BIN)/titanium-airflow runs trigger tit_bash --unpause --wait --poll-interval 1 --note "started by make demo"

up:
	scripts/airflow-local.sh up

down:
	scripts/airflow-local.sh down

clean: down
	rm -rf .airflow $(VENV)
