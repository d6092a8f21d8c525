#!/usr/bin/env bash
# Local, real Apache Airflow 2.11.2 server for titanium_airflow_client tests and demos
# (scripts/airflow3-local.sh is its Airflow 3 sibling; scripts/airflow29-local.sh starts the oldest supported
# Airflow 2, 2.9.3, with the same hooks, scripts/airflow2-hooks.sh; all use scripts/airflow-local-lib.sh).
#
#   scripts/airflow-local.sh up       install (once), migrate, create users, start, wait until ready
#   scripts/airflow-local.sh down     stop webserver + scheduler and all their children
#   scripts/airflow-local.sh status   exit 0 when the server answers healthy with our credentials
#   scripts/airflow-local.sh logs [-f] [webserver|scheduler]   show (or follow) the server logs
#
# All state lives under <repo>/.airflow/ (venv, AIRFLOW_HOME, logs, pid files).
# Source <repo>/.airflow/env.sh to run airflow CLI commands against the same instance.
# Ports: webserver ${TITANIUM_AIRFLOW_PORT:-28080}, worker log server ${TITANIUM_AIRFLOW_LOG_PORT:-28793},
# bound to 127.0.0.1 only (give both when another checkout's Airflow runs). Users: admin/admin, viewer/viewer.
set -euo pipefail

SCRIPT_NAME="airflow-local"
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
STATE_DIR="$REPO_ROOT/.airflow"
CONSTRAINTS="$SCRIPT_DIR/airflow-local-constraints.txt"

AIRFLOW_VERSION="2.11.2"
SETUP_VERSION="$AIRFLOW_VERSION+seed1"  # change it to redo the database set-up (below) on existing checkouts
PORT="${TITANIUM_AIRFLOW_PORT:-28080}"
LOG_PORT="${TITANIUM_AIRFLOW_LOG_PORT:-28793}"
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
SECRET_KEY="titanium-airflow-local-secret-key"
REQUIRED_MODULE="$AUTH_BACKEND"

# shellcheck source=scripts/airflow2-hooks.sh
source "$SCRIPT_DIR/airflow2-hooks.sh"
# shellcheck source=scripts/airflow-local-lib.sh
source "$SCRIPT_DIR/airflow-local-lib.sh"
airflow_local_main "$@"
