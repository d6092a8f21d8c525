#!/usr/bin/env bash
# Local, real Apache Airflow 3.0.6 server: the oldest Airflow 3 the client supports, for the compatibility
# suite (test/compat_v2_30/). Lighter than scripts/airflow3-local.sh (3.3.2): SQLite, one api-server, a
# dag-processor and a scheduler (LocalExecutor, one task at a time); no triggerer, so no deferrable task.
#
#   scripts/airflow30-local.sh up|down|status|logs [-f] [api-server|dag-processor|scheduler]
#
# All state lives under <repo>/.airflow30/ (venv, AIRFLOW_HOME, the DAGs folder, logs, pid files).
# Ports, bound to 127.0.0.1 (give them when another checkout's Airflow 3.0 runs):
#   TITANIUM_AIRFLOW30_PORT           api-server, default 28380
#   TITANIUM_AIRFLOW30_LOG_PORT       where the api-server would fetch a running task's log from (default
#                                     28383; the log server is not started, logs are read from the log folder)
# Auth: the simple auth manager; users admin/admin (role admin) and viewer/viewer (role viewer).
# Install: pinned by scripts/airflow30-local-constraints.txt, what apache-airflow==3.0.6 resolved to on the day
# it came out (uv --exclude-newer 2025-09-05). Resolved today, FastAPI 0.118+ breaks it: the api-server commits
# after it has answered (a PATCH right after a POST gets 404) and its execution API refuses the tasks' calls.
# JWT: 3.0.6 puts `iss` = [api_auth] jwt_issuer into its tokens, None when unset, and PyJWT 2.10 (also the
# pinned one) refuses that ("Issuer (iss) must be a string": POST /auth/token answers 500): this script sets
# jwt_issuer (below).
# DAGs: those of test/dags3 that import on 3.0 (see prepare_dags_folder), linked into .airflow30/dags.
set -euo pipefail

SCRIPT_NAME="airflow30-local"
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
STATE_DIR="$REPO_ROOT/.airflow30"
CONSTRAINTS="$SCRIPT_DIR/airflow30-local-constraints.txt"

AIRFLOW_VERSION="3.0.6"
REQUIRED_MODULE="airflow.providers.standard.operators.bash"
SETUP_VERSION="$AIRFLOW_VERSION+seed1"  # change it to redo the database set-up on existing checkouts
PORT="${TITANIUM_AIRFLOW30_PORT:-28380}"
LOG_PORT="${TITANIUM_AIRFLOW30_LOG_PORT:-28383}"
HOST="127.0.0.1"
BASE_URL="http://$HOST:$PORT"
API_URL="$BASE_URL/api/v2"
ADMIN_USER="admin"
ADMIN_PASS="admin"
VIEWER_USER="viewer"
VIEWER_PASS="viewer"
WAIT_SECONDS="${TITANIUM_AIRFLOW_WAIT:-180}"
PORTS=("$PORT")
PROCESSES=(api-server dag-processor scheduler)
DAGS_DIR="$STATE_DIR/dags"
# test/dags3 files that need a newer Airflow than 3.0, left out of the DAGs folder (a file that
# fails to import is parsed again and again, and would add a second import error to the listing).
NEWER_DAG_FILES=(
  tit_hitl.py  # HITLOperator: Airflow 3.1 ("Human in the loop functionality needs Airflow 3.1+")
)

# DAG ids (test/dags3 without NEWER_DAG_FILES) that must be visible through the REST API before `up` succeeds.
EXPECTED_DAGS=(
  tit_bash tit_cron tit_timedelta tit_relativedelta tit_fail
  tit_asset_producer tit_asset_consumer tit_asset_queue tit_asset_alias
  tit_page_00 tit_page_01 tit_page_02 tit_page_03 tit_page_04 tit_page_05
  tit_page_06 tit_page_07 tit_page_08 tit_page_09 tit_page_10 tit_page_11
  tit_sandbox_a tit_sandbox_b tit_sandbox_c tit_sandbox_deleted
  tit_xcom tit_mapped tit_mapped_sandbox tit_retry tit_pool_warning
  tit_deferrable tit_backfill tit_task_group_sandbox tit_log_follow
)
# tit_import_error.py defines no DAG: it fails to import on purpose (GET /api/v2/importErrors).

# --------------------------------------------------------------------------- hooks of airflow-local-lib.sh
env_lines() {
  airflow3_common_env_lines
  cat <<EOF
export AIRFLOW__DATABASE__SQL_ALCHEMY_CONN="sqlite:///$AF_HOME/airflow.db"
export AIRFLOW__CORE__PARALLELISM="1"
export AIRFLOW__CORE__DAGS_FOLDER="$DAGS_DIR"
export AIRFLOW__CORE__FERNET_KEY="0Xl6xVh3iC0mP5GtNGWUTq2mhn1pnjOTVYjtXkLDE4E="
export AIRFLOW__API__SECRET_KEY="titanium-airflow30-local-secret-key"
export AIRFLOW__API_AUTH__JWT_SECRET="titanium-airflow30-local-jwt-secret-0123456789abcdef0123456789abcdef"
# Without it POST /auth/token answers 500 with PyJWT 2.10+ (see the top of this file).
export AIRFLOW__API_AUTH__JWT_ISSUER="titanium-airflow30-local"
export TITANIUM_AIRFLOW30_BASE_URL="$BASE_URL"
EOF
}

health_ok() {
  components_healthy "$API_URL/monitor/health" metadatabase scheduler dag_processor
}

database_exists() {
  [[ -f "$AF_HOME/airflow.db" ]]
}

# Links each file of test/dags3 except NEWER_DAG_FILES into $DAGS_DIR (again at every `up`, so a DAG
# file added to test/dags3 shows up here too).
prepare_dags_folder() {
  rm -rf "$DAGS_DIR"
  mkdir -p "$DAGS_DIR"
  local file name skip
  for file in "$REPO_ROOT"/test/dags3/*.py; do
    name="$(basename "$file")"
    for skip in "${NEWER_DAG_FILES[@]}"; do
      [[ "$name" == "$skip" ]] && continue 2
    done
    ln -s "$file" "$DAGS_DIR/$name"
  done
}

start_processes() {
  write_simple_auth_passwords
  start_bg api-server airflow api-server --host "$HOST" --port "$PORT" --workers 1
  start_bg dag-processor airflow dag-processor
  start_scheduler_once_api_listens
}

print_info() {
  cat <<EOF
Airflow $AIRFLOW_VERSION is up.
  server:   $BASE_URL (API $API_URL, token: POST $BASE_URL/auth/token)
  user:     $ADMIN_USER
  password: $ADMIN_PASS
  (also viewer/viewer with role viewer; env: source $ENV_FILE)
EOF
}

# shellcheck source=scripts/airflow3-hooks.sh
source "$SCRIPT_DIR/airflow3-hooks.sh"
# shellcheck source=scripts/airflow-local-lib.sh
source "$SCRIPT_DIR/airflow-local-lib.sh"
airflow_local_main "$@"
