# shellcheck shell=bash
# Hooks of scripts/airflow-local-lib.sh that every local Airflow 3 shares (the settings they have in common,
# simple auth manager, JWT login, the seed objects): sourced by scripts/airflow3-local.sh (3.3.2) and
# scripts/airflow30-local.sh (3.0.6).
#
# Not run by itself: the entry script sets the lib's variables and also VIEWER_USER VIEWER_PASS, calls
# airflow3_common_env_lines from its env_lines, and defines the other hooks.

# The settings both local Airflow 3s share; each entry script's env_lines prints these, then its own.
airflow3_common_env_lines() {
  cat <<EOF
export AIRFLOW__CORE__EXECUTOR="LocalExecutor"
export AIRFLOW__CORE__LOAD_EXAMPLES="False"
export AIRFLOW__CORE__PLUGINS_FOLDER="$REPO_ROOT/test/plugins3"
export AIRFLOW__CORE__DEFAULT_TIMEZONE="utc"
export AIRFLOW__CORE__TEST_CONNECTION="Enabled"
export AIRFLOW__CORE__MIN_SERIALIZED_DAG_UPDATE_INTERVAL="5"
export AIRFLOW__CORE__EXECUTION_API_SERVER_URL="$BASE_URL/execution/"
export AIRFLOW__CORE__AUTH_MANAGER="airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager"
export AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS="$ADMIN_USER:admin,$VIEWER_USER:viewer"
export AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE="$AF_HOME/simple_auth_manager_passwords.json"
export AIRFLOW__API__HOST="$HOST"
export AIRFLOW__API__PORT="$PORT"
export AIRFLOW__API__BASE_URL="$BASE_URL"
export AIRFLOW__API__WORKERS="1"
# GET /api/v2/config and /config/section/.../option/... answer 200, sensitive values "< hidden >".
export AIRFLOW__API__EXPOSE_CONFIG="True"
export AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL="5"
# Each file is parsed again every 30 s (5 s cost 15% of a core at idle); PUT /api/v2/parseDagFile/{file_token}
# parses one at once (e.g. to bring back a deleted DAG).
export AIRFLOW__DAG_PROCESSOR__MIN_FILE_PROCESS_INTERVAL="30"
export AIRFLOW__DAG_PROCESSOR__PARSING_PROCESSES="1"
export AIRFLOW__DAG_PROCESSOR__PRINT_STATS_INTERVAL="300"
export AIRFLOW__DAG_PROCESSOR__DAG_BUNDLE_STORAGE_PATH="$AF_HOME/dag_bundles"
export AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC="1"
export AIRFLOW__SCHEDULER__JOB_HEARTBEAT_SEC="1"
export AIRFLOW__SCHEDULER__SCHEDULER_IDLE_SLEEP_TIME="0.5"
# A task supervisor notices its task's exit only at its next heartbeat: 1 s instead of 5 s per task.
export AIRFLOW__WORKERS__MIN_HEARTBEAT_INTERVAL="1"
export AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT="$LOG_PORT"
EOF
}

# A token for the admin user from the main api-server (prints nothing when login fails).
admin_token() {
  curl -sf -m 10 -X POST "$BASE_URL/auth/token" -H 'Content-Type: application/json' \
    -d "{\"username\": \"$ADMIN_USER\", \"password\": \"$ADMIN_PASS\"}" 2>/dev/null \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])' 2>/dev/null || true
}

api_code() {
  local token
  token="$(admin_token)"
  curl -s -o /dev/null -w '%{http_code}' -m 10 -H "Authorization: Bearer $token" \
    "$API_URL/dags?limit=1" 2>/dev/null || true
}

list_dag_ids() {
  local token
  token="$(admin_token)"
  [[ -n "$token" ]] || return 1
  curl -sf -m 10 -H "Authorization: Bearer $token" \
    "$API_URL/dags?limit=100&dag_id_pattern=tit_&exclude_stale=true" 2>/dev/null
}

# Migration + seed objects that tests only read (never change or delete), so the listing and get
# endpoints of variables, connections and pools answer with known data. Tests create their own to modify.
setup_database() {
  airflow db migrate || return 1
  python - <<'PY'
from sqlalchemy import select

from airflow.models import Connection, Pool, Variable
from airflow.utils.session import create_session

with create_session() as session:
    if session.scalar(select(Variable).where(Variable.key == "tit_variable")) is None:
        session.add(Variable(key="tit_variable", val='{"titanium": true}',
                             description="Titanium seed variable (read only)"))
    if session.scalar(select(Connection).where(Connection.conn_id == "tit_connection")) is None:
        session.add(Connection(
            conn_id="tit_connection", conn_type="http", description="Titanium seed connection (read only)",
            host="127.0.0.1", port=9, schema="http", login="titanium", password="titanium-secret",
            extra='{"titanium": true}',
        ))
    if session.scalar(select(Pool).where(Pool.pool == "tit_pool")) is None:
        session.add(Pool(pool="tit_pool", slots=3, description="Titanium seed pool (read only)",
                         include_deferred=False))
print("seed objects present: variable tit_variable, connection tit_connection, pool tit_pool")
PY
}

# The simple auth manager keeps the passwords of its users in this file (it adds random ones
# for users missing from it): fixed passwords, rewritten on every start.
write_simple_auth_passwords() {
  printf '{"%s": "%s", "%s": "%s"}\n' "$ADMIN_USER" "$ADMIN_PASS" "$VIEWER_USER" "$VIEWER_PASS" \
    >"$AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE"
}

# Tasks report to the api-server's execution API: the scheduler starts once it listens (tasks of runs left
# queued from before would fail at once otherwise).
start_scheduler_once_api_listens() {
  local deadline=$((SECONDS + WAIT_SECONDS))
  until curl -sf -m 2 -o /dev/null "$API_URL/version"; do
    pid_of api-server >/dev/null || return 0  # wait_ready reports it
    ((SECONDS < deadline)) || return 0
    sleep 0.5
  done
  log "api-server listens"
  start_bg scheduler airflow scheduler --skip-serve-logs
}
