#!/usr/bin/env bash
# Local, real Apache Airflow 2.9.3 server: the oldest Airflow 2 the client supports, for the compatibility
# suite (test/compat_v1_29/). The same server as scripts/airflow-local.sh (2.11.2) in an older release:
# the same hooks (scripts/airflow2-hooks.sh: webserver + scheduler, SQLite, SequentialExecutor, basic auth
# on /api/v1, users admin/admin and viewer/viewer, the DAGs of test/dags, which all import on 2.9.3).
#
#   scripts/airflow29-local.sh up|down|status|logs [-f] [webserver|scheduler]
#
# All state lives under <repo>/.airflow29/ (venv, AIRFLOW_HOME, logs, pid files).
# Ports, bound to 127.0.0.1: webserver ${TITANIUM_AIRFLOW29_PORT:-28280}, worker log server
# ${TITANIUM_AIRFLOW29_LOG_PORT:-28283} (give both when another checkout's Airflow 2.9 runs).
# Install: apache-airflow==2.9.3 with scripts/airflow29-local-constraints.txt (a known-good set, so CI
# installs the same every time; resolving freely also works, ~70 s).
set -euo pipefail

SCRIPT_NAME="airflow29-local"
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
STATE_DIR="$REPO_ROOT/.airflow29"
CONSTRAINTS="$SCRIPT_DIR/airflow29-local-constraints.txt"

AIRFLOW_VERSION="2.9.3"
SETUP_VERSION="$AIRFLOW_VERSION+seed1"  # change it to redo the database set-up on existing checkouts
PORT="${TITANIUM_AIRFLOW29_PORT:-28280}"
LOG_PORT="${TITANIUM_AIRFLOW29_LOG_PORT:-28283}"
HOST="127.0.0.1"
BASE_URL="http://$HOST:$PORT"
API_URL="$BASE_URL/api/v1"
ADMIN_USER="admin"
ADMIN_PASS="admin"
VIEWER_USER="viewer"
VIEWER_PASS="viewer"
WAIT_SECONDS="${TITANIUM_AIRFLOW_WAIT:-180}"
PORTS=("$PORT")  # the worker log server does not run (--skip-serve-logs)
PROCESSES=(webserver scheduler)
AUTH_BACKEND="airflow.providers.fab.auth_manager.api.auth.backend.basic_auth"
SECRET_KEY="titanium-airflow29-local-secret-key"
REQUIRED_MODULE="$AUTH_BACKEND"

# shellcheck source=scripts/airflow2-hooks.sh
source "$SCRIPT_DIR/airflow2-hooks.sh"
# shellcheck source=scripts/airflow-local-lib.sh
source "$SCRIPT_DIR/airflow-local-lib.sh"
airflow_local_main "$@"
