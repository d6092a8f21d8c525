#!/usr/bin/env bash
# Local, real Apache Airflow 3.3.2 server for titanium_airflow_client's /api/v2 tests and demos
# (scripts/airflow-local.sh is its Airflow 2.11 sibling; both use scripts/airflow-local-lib.sh).
#
#   scripts/airflow3-local.sh up       install (once), migrate, seed, start, wait until ready
#   scripts/airflow3-local.sh down     stop every process `up` started and all their children
#   scripts/airflow3-local.sh status   exit 0 when the server answers healthy with our credentials
#   scripts/airflow3-local.sh logs [-f] [api-server|api-server-short-jwt|dag-processor|triggerer|scheduler|postgres|setup]
#
# All state lives under <repo>/.airflow3/ (venv, AIRFLOW_HOME, logs, pid files).
# Source <repo>/.airflow3/env.sh to run airflow CLI commands against the same instance.
# Processes: api-server (1 worker, core API + execution API), a second api-server with short-lived
# JWTs (core API only, same database and JWT secret), scheduler (LocalExecutor), dag-processor, triggerer.
# Ports, all bound to 127.0.0.1 (give them when another checkout's Airflow 3 runs):
#   TITANIUM_AIRFLOW3_PORT            api-server, default 28180
#   TITANIUM_AIRFLOW3_SHORT_JWT_PORT  api-server whose tokens expire after TITANIUM_AIRFLOW3_SHORT_JWT_SECONDS
#                                     (default 20, no leeway), default port+1
#   TITANIUM_AIRFLOW3_LOG_PORT, TITANIUM_AIRFLOW3_TRIGGER_LOG_PORT  where the api-server would fetch the logs
#     of running/deferred tasks from (defaults 28893, 28894). Airflow's log servers listen on every interface,
#     so they are not started (--skip-serve-logs): logs are read from the shared local log folder.
#   TITANIUM_AIRFLOW3_PG_PORT         the metadata database, default 28132
# Database: a PostgreSQL cluster of its own under .airflow3/postgres (Debian's postgresql package, which
# `up` installs with apt-get when no PostgreSQL is found; as root its processes run as the user postgres).
# Not SQLite: under load Airflow 3.3's processes held its write lock for minutes ("database is locked").
# Auth: the simple auth manager; users admin/admin (role admin) and viewer/viewer (role viewer).
# Get a token: curl -X POST http://127.0.0.1:28180/auth/token -H 'Content-Type: application/json' \
#   -d '{"username": "admin", "password": "admin"}'
set -euo pipefail

SCRIPT_NAME="airflow3-local"
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
STATE_DIR="$REPO_ROOT/.airflow3"
CONSTRAINTS="$SCRIPT_DIR/airflow3-local-constraints.txt"

AIRFLOW_VERSION="3.3.2"
AIRFLOW_REQUIREMENT="apache-airflow[postgres]==$AIRFLOW_VERSION"  # psycopg2 + asyncpg for the metadata DB
INSTALL_ID="$AIRFLOW_VERSION+postgres"
REQUIRED_MODULE="airflow.providers.standard.operators.hitl"  # the HITL operators of tit_hitl
SETUP_VERSION="$AIRFLOW_VERSION+seed1"  # change it to redo the database set-up (below) on existing checkouts
PORT="${TITANIUM_AIRFLOW3_PORT:-28180}"
SHORT_JWT_PORT="${TITANIUM_AIRFLOW3_SHORT_JWT_PORT:-$((PORT + 1))}"
SHORT_JWT_SECONDS="${TITANIUM_AIRFLOW3_SHORT_JWT_SECONDS:-20}"
LOG_PORT="${TITANIUM_AIRFLOW3_LOG_PORT:-28893}"
TRIGGER_LOG_PORT="${TITANIUM_AIRFLOW3_TRIGGER_LOG_PORT:-28894}"
PG_PORT="${TITANIUM_AIRFLOW3_PG_PORT:-28132}"
HOST="127.0.0.1"
BASE_URL="http://$HOST:$PORT"
SHORT_JWT_URL="http://$HOST:$SHORT_JWT_PORT"
API_URL="$BASE_URL/api/v2"
ADMIN_USER="admin"
ADMIN_PASS="admin"
VIEWER_USER="viewer"
VIEWER_PASS="viewer"
WAIT_SECONDS="${TITANIUM_AIRFLOW_WAIT:-180}"
PORTS=("$PORT" "$SHORT_JWT_PORT")  # the database's port is checked by prepare_database
PG_DIR="$STATE_DIR/postgres"
PG_DATA="$PG_DIR/data"
PG_BIN=""  # set by find_postgres
EXTRA_LOGS=(postgres)
PROCESSES=(api-server api-server-short-jwt dag-processor triggerer scheduler)
SERIALIZE_FIRST=0  # the dag-processor's first pass (PostgreSQL: no writer to avoid) is quicker than a CLI run

# DAG ids (test/dags3) that must be visible through the REST API before `up` reports success.
EXPECTED_DAGS=(
  tit_bash tit_cron tit_timedelta tit_relativedelta tit_fail
  tit_asset_producer tit_asset_consumer tit_asset_queue tit_asset_alias
  tit_page_00 tit_page_01 tit_page_02 tit_page_03 tit_page_04 tit_page_05
  tit_page_06 tit_page_07 tit_page_08 tit_page_09 tit_page_10 tit_page_11
  tit_sandbox_a tit_sandbox_b tit_sandbox_c tit_sandbox_deleted
  tit_xcom tit_mapped tit_mapped_sandbox tit_retry tit_pool_warning
  tit_hitl tit_deferrable tit_backfill tit_task_group_sandbox tit_log_follow
)
# test/dags3/tit_import_error.py defines no DAG: it fails to import on purpose (GET /api/v2/importErrors).

# --------------------------------------------------------------------------- hooks of airflow-local-lib.sh
env_lines() {
  airflow3_common_env_lines
  cat <<EOF
export AIRFLOW__DATABASE__SQL_ALCHEMY_CONN="postgresql+psycopg2://airflow@$HOST:$PG_PORT/airflow"
export AIRFLOW__CORE__PARALLELISM="2"
export AIRFLOW__CORE__DAGS_FOLDER="$REPO_ROOT/test/dags3"
export AIRFLOW__CORE__FERNET_KEY="KOxKWmhgCXRijN7F5Y5sAed0wfoOj6QROLsYqAKPq8E="
export AIRFLOW__API__SECRET_KEY="titanium-airflow3-local-secret-key"
# Fixed, so tokens stay valid across restarts and both api-servers accept each other's; 64+ bytes (HS512).
export AIRFLOW__API_AUTH__JWT_SECRET="titanium-airflow3-local-jwt-secret-0123456789abcdef0123456789abcdef"
export AIRFLOW__TRIGGERER__JOB_HEARTBEAT_SEC="1"
# How often the scheduler resolves human-in-the-loop tasks past their response_timeout (and trigger timeouts).
export AIRFLOW__SCHEDULER__TRIGGER_TIMEOUT_CHECK_INTERVAL="5"
# Workers wait up to 30 s (not 5) for an execution API answer: on a busy machine a slow first answer was
# retried, and the retry of a one-shot request (a queued connection test's credentials) got 409.
export AIRFLOW__WORKERS__EXECUTION_API_TIMEOUT="30"
export AIRFLOW__LOGGING__TRIGGER_LOG_SERVER_PORT="$TRIGGER_LOG_PORT"
export TITANIUM_AIRFLOW3_BASE_URL="$BASE_URL"
export TITANIUM_AIRFLOW3_SHORT_JWT_URL="$SHORT_JWT_URL"
EOF
}

# Both api-servers answer; the main one says every component is healthy.
health_ok() {
  curl -sf -m 5 -o /dev/null "$SHORT_JWT_URL/api/v2/version" 2>/dev/null \
    && components_healthy "$API_URL/monitor/health" metadatabase scheduler triggerer dag_processor
}

# --------------------------------------------------------------------------- the PostgreSQL cluster
# PostgreSQL's binaries: Debian's newest, else pg_ctl's folder on PATH (e.g. Homebrew).
find_postgres() {
  PG_BIN="$(find /usr/lib/postgresql/*/bin -maxdepth 0 -type d 2>/dev/null | sort -V | tail -n 1)"
  if [[ -z "$PG_BIN" ]] && command -v pg_ctl >/dev/null; then
    PG_BIN="$(dirname "$(command -v pg_ctl)")"
  fi
  [[ -n "$PG_BIN" && -x "$PG_BIN/pg_ctl" && -x "$PG_BIN/initdb" ]]
}

# A fresh CI machine has none: install Debian's package (apt-get, through sudo unless root).
ensure_postgres() {
  find_postgres && return 0
  command -v apt-get >/dev/null || die "PostgreSQL is not installed and there is no apt-get: install it (initdb, pg_ctl)"
  log "installing PostgreSQL (apt-get install postgresql)"
  local -a sudo=()
  ((EUID == 0)) || sudo=(sudo)
  {
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql \
      || { "${sudo[@]}" apt-get update -q \
        && "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql; }
  } >>"$LOG_DIR/setup.log" 2>&1 || die "apt-get install postgresql failed (see $LOG_DIR/setup.log)"
  find_postgres || die "PostgreSQL's initdb/pg_ctl not found after installing it"
}

# PostgreSQL refuses to run as root: then its commands run as the user postgres (the package makes it).
as_pg() {
  if ((EUID == 0)); then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

pg_ctl_() { as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" "$@"; }

# The port the cluster runs on (nothing when it does not run).
pg_running_port() {
  database_exists && find_postgres || return 0
  pg_ctl_ status >/dev/null 2>&1 || return 0
  sed -n 4p "$PG_DATA/postmaster.pid" 2>/dev/null
}

database_exists() {
  [[ -f "$PG_DATA/PG_VERSION" ]]
}

# Creates the cluster (once), starts it on $HOST:$PG_PORT and creates the database "airflow".
prepare_database() {
  ensure_postgres
  mkdir -p "$PG_DIR"
  touch "$LOG_DIR/postgres.log"
  if ((EUID == 0)); then
    id postgres >/dev/null 2>&1 || die "running as root, but there is no user postgres to run PostgreSQL as"
    chown postgres: "$PG_DIR" "$LOG_DIR/postgres.log"
  fi
  if ! database_exists; then
    log "creating a PostgreSQL cluster in $PG_DATA"
    as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U airflow --auth=trust -E UTF8 --no-locale >>"$LOG_DIR/setup.log" 2>&1 \
      || die "initdb failed (see $LOG_DIR/setup.log)"
    # A throw-away test database: TCP on $HOST only (no Unix socket), durability traded for speed.
    as_pg tee -a "$PG_DATA/postgresql.conf" >/dev/null <<EOF
# scripts/airflow3-local.sh
listen_addresses = '$HOST'
unix_socket_directories = ''
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
  fi
  local running
  running="$(pg_running_port)"
  if [[ -n "$running" && "$running" != "$PG_PORT" ]]; then
    log "PostgreSQL runs on port $running, not $PG_PORT: restarting it"
    stop_database
    running=""
  fi
  if [[ -z "$running" ]]; then
    if (exec 3<>"/dev/tcp/$HOST/$PG_PORT") 2>/dev/null; then
      die "port $PG_PORT on $HOST is taken (set TITANIUM_AIRFLOW3_PG_PORT)"
    fi
    pg_ctl_ -l "$LOG_DIR/postgres.log" -o "-p $PG_PORT" -w -t 60 start >>"$LOG_DIR/setup.log" 2>&1 \
      || { tail -n 20 "$LOG_DIR/postgres.log" >&2; die "PostgreSQL did not start (see $LOG_DIR/postgres.log)"; }
    log "started PostgreSQL on $HOST:$PG_PORT"
  fi
  if [[ "$("$PG_BIN/psql" -h "$HOST" -p "$PG_PORT" -U airflow -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname = 'airflow'")" != "1" ]]; then
    "$PG_BIN/createdb" -h "$HOST" -p "$PG_PORT" -U airflow airflow || die "createdb airflow failed"
  fi
}

stop_database() {
  find_postgres && [[ -n "$(pg_running_port)" ]] || return 0
  log "stopping PostgreSQL"
  pg_ctl_ -m fast -w -t 60 stop >/dev/null || log "pg_ctl stop failed (see $LOG_DIR/postgres.log)"
}

database_status() {
  local running
  running="$(pg_running_port)"
  if [[ -n "$running" ]]; then
    echo "postgres: running (port $running)"
  else
    echo "postgres: not running"
  fi
}

start_processes() {
  write_simple_auth_passwords
  start_bg api-server airflow api-server --host "$HOST" --port "$PORT" --workers 1
  AIRFLOW__API_AUTH__JWT_EXPIRATION_TIME="$SHORT_JWT_SECONDS" AIRFLOW__API_AUTH__JWT_LEEWAY="0" \
    start_bg api-server-short-jwt airflow api-server --host "$HOST" --port "$SHORT_JWT_PORT" --workers 1 --apps core
  start_bg dag-processor airflow dag-processor
  start_bg triggerer airflow triggerer --skip-serve-logs
  start_scheduler_once_api_listens
}

print_info() {
  cat <<EOF
Airflow $AIRFLOW_VERSION is up.
  server:   $BASE_URL (API $API_URL, token: POST $BASE_URL/auth/token)
  short-lived tokens ($SHORT_JWT_SECONDS s): $SHORT_JWT_URL
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
