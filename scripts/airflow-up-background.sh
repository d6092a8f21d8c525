#!/usr/bin/env bash
# Starts `up` of every local Airflow (2.11.2, 3.3.2, 2.9.3, 3.0.6) in the background and returns at once, so
# their installs and start-ups run while `make test` lints and runs the first tests. Each test suite still
# makes sure its server answers: it waits for a running `up` (the scripts take a lock) and reuses the server,
# or runs `up` itself when this one failed (and shows why). Output: <state dir>/up-background.log.
set -euo pipefail
cd "$(dirname "$0")/.."
for pair in airflow-local:.airflow airflow3-local:.airflow3 airflow29-local:.airflow29 airflow30-local:.airflow30; do
  script="scripts/${pair%%:*}.sh" state="${pair#*:}"
  mkdir -p "$state"
  nohup "$script" up >"$state/up-background.log" 2>&1 </dev/null &
  echo "[airflow-up-background] $script up started (pid $!, log $state/up-background.log)"
done
