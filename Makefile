# The README's commands. `make test` and `make demo` work on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: test unit integration compat lint bench generate demo up up2 up3 up29 up30 up-old down down2 down3 down29 down30 down-old clean

# The client's own virtualenv with the package (editable) and its test extras.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check uv
	$(BIN)/uv pip install -q --python $(BIN)/python -e ".[test]"
	touch $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

# Unit, integration and compatibility tests; each suite starts its local Airflow (2.11.2, 3.3.2, and the oldest
# supported 2.9.3 and 3.0.6) when none is running. Every `up` starts in the background first, so the
# installs run while lint does (scripts/airflow-up-background.sh).
test: $(STAMP)
	scripts/airflow-up-background.sh
	$(MAKE) lint
	$(BIN)/python -m pytest

unit: $(STAMP)
	$(BIN)/python -m pytest test/unit

integration: $(STAMP)
	$(BIN)/python -m pytest -m integration

# The compatibility suites alone: Airflow 2.9.3 (test/compat_v1_29) and 3.0.6 (test/compat_v2_30).
compat: $(STAMP)
	$(BIN)/python -m pytest test/compat_v1_29 test/compat_v2_30

# Speed and memory against raw aiohttp + json.loads, and start-up against importing aiohttp and
# pydantic, as ratios (README "Performance").
bench: $(STAMP)
	$(BIN)/python bench/run.py
	$(BIN)/python bench/startup.py

# Rewrite the generated modules, docs and test cases from spec/v1.yaml and spec/v1-overrides.yaml.
generate: $(STAMP)
	$(BIN)/python scripts/generate.py

# The main job: trigger a run on the local Airflow 2.11 with the CLI and follow it to its end.
demo: $(STAMP) up2
	TITANIUM_AIRFLOW_HOST=http://127.0.0.1:$${TITANIUM_AIRFLOW_PORT:-28080}/api/v1 \
	TITANIUM_AIRFLOW_USERNAME=admin TITANIUM_AIRFLOW_PASSWORD=admin \
	$(BIN)/titanium-airflow runs trigger tit_bash --unpause --wait --poll-interval 1 --note "started by make demo"

# The local Airflows: 2.11 (/api/v1, scripts/airflow-local.sh) and 3.3 (/api/v2, scripts/airflow3-local.sh).
up: up2 up3

up2:
	scripts/airflow-local.sh up

up3:
	scripts/airflow3-local.sh up

# The oldest supported ones, for the compatibility suites: 2.9.3 (scripts/airflow29-local.sh) and 3.0.6
# (scripts/airflow30-local.sh).
up-old: up29 up30

up29:
	scripts/airflow29-local.sh up

up30:
	scripts/airflow30-local.sh up

down: down2 down3 down-old

down2:
	scripts/airflow-local.sh down

down3:
	scripts/airflow3-local.sh down

down-old: down29 down30

down29:
	scripts/airflow29-local.sh down

down30:
	scripts/airflow30-local.sh down

clean: down
	rm -rf .airflow .airflow3 .airflow29 .airflow30 $(VENV)
