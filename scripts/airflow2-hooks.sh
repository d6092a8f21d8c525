# shellcheck shell=bash
# The hooks of scripts/airflow-local-lib.sh for an Airflow 2 (webserver + scheduler, SQLite,
# SequentialExecutor, FAB users, basic auth on /api/v1): shared by scripts/airflow-local.sh (2.11.2)
# and scripts/airflow29-local.sh (2.9.3).
#
# Not run by itself: the entry script sets the lib's variables and also
#   PORT LOG_PORT       webserver and worker log server ports (on $HOST)
#   VIEWER_USER VIEWER_PASS   the read-only user
#   AUTH_BACKEND        the API's auth backend (basic auth)
#   SECRET_KEY          the webserver's secret key (own per instance: sessions do not mix)
# then sources this file and scripts/airflow-local-lib.sh.

# The DAG ids of test/dags that must be visible through the REST API before `up` reports success.
# shellcheck disable=SC2034  # read by scripts/airflow-local-lib.sh
EXPECTED_DAGS=(
  tit_bash tit_cron tit_timedelta tit_relativedelta tit_fail
  tit_dataset_producer tit_dataset_consumer
  tit_page_00 tit_page_01 tit_page_02 tit_page_03 tit_page_04 tit_page_05
  tit_page_06 tit_page_07 tit_page_08 tit_page_09 tit_page_10 tit_page_11
  tit_sandbox_a tit_sandbox_b tit_sandbox_c
  tit_xcom tit_mapped tit_mapped_sandbox tit_retry tit_pool_warning tit_dataset_queue tit_log_follow
)
# test/dags/tit_import_error.py defines no DAG: it fails to import on purpose (GET /importErrors).

env_lines() {
  cat <<EOF
export AIRFLOW__DATABASE__SQL_ALCHEMY_CONN="sqlite:///$AF_HOME/airflow.db"
export AIRFLOW__CORE__EXECUTOR="SequentialExecutor"
export AIRFLOW__CORE__LOAD_EXAMPLES="False"
export AIRFLOW__CORE__DAGS_FOLDER="$REPO_ROOT/test/dags"
export AIRFLOW__CORE__PLUGINS_FOLDER="$REPO_ROOT/test/plugins"
export AIRFLOW__CORE__FERNET_KEY="aa6U00AOLc8DRVF8WtUt7_1Ngj-1CPR8CSPKJ9hQRV4="
export AIRFLOW__CORE__DEFAULT_TIMEZONE="utc"
export AIRFLOW__CORE__MIN_SERIALIZED_DAG_UPDATE_INTERVAL="5"
export AIRFLOW__CORE__MIN_SERIALIZED_DAG_FETCH_INTERVAL="2"
export AIRFLOW__CORE__CHECK_SLAS="False"
export AIRFLOW__CORE__TEST_CONNECTION="Enabled"
export AIRFLOW__API__AUTH_BACKENDS="$AUTH_BACKEND"
export AIRFLOW__API__ENABLE_XCOM_DESERIALIZE_SUPPORT="True"  # get_xcom_entry(deserialize=True) answers, not 400
export AIRFLOW__WEBSERVER__WEB_SERVER_HOST="$HOST"
export AIRFLOW__WEBSERVER__WEB_SERVER_PORT="$PORT"
export AIRFLOW__WEBSERVER__BASE_URL="$BASE_URL"
export AIRFLOW__WEBSERVER__WORKERS="2"
export AIRFLOW__WEBSERVER__SECRET_KEY="$SECRET_KEY"
# GET /config and /config/section/.../option/... answer 200 (JSON and text/plain), sensitive values "< hidden >".
export AIRFLOW__WEBSERVER__EXPOSE_CONFIG="non-sensitive-only"
export AIRFLOW__WEBSERVER__WARN_DEPLOYMENT_EXPOSURE="False"
export AIRFLOW__FAB__UPDATE_FAB_PERMS="False"  # synced once at setup; faster webserver start
export AIRFLOW__SCHEDULER__DAG_DIR_LIST_INTERVAL="5"
export AIRFLOW__SCHEDULER__MIN_FILE_PROCESS_INTERVAL="5"
export AIRFLOW__SCHEDULER__PARSING_PROCESSES="1"
export AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC="1"
export AIRFLOW__SCHEDULER__JOB_HEARTBEAT_SEC="1"
export AIRFLOW__SCHEDULER__SCHEDULER_IDLE_SLEEP_TIME="0.5"
export AIRFLOW__SCHEDULER__PRINT_STATS_INTERVAL="300"
export AIRFLOW__METRICS__TIMER_UNIT_CONSISTENCY="True"
export AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT="$LOG_PORT"
export TITANIUM_AIRFLOW_HOST="$API_URL"
export TITANIUM_AIRFLOW_USERNAME="$ADMIN_USER"
export TITANIUM_AIRFLOW_PASSWORD="$ADMIN_PASS"
EOF
}

health_ok() {
  components_healthy "$BASE_URL/health" metadatabase scheduler
}

api_code() {
  curl -s -o /dev/null -w '%{http_code}' -m 10 -u "$ADMIN_USER:$ADMIN_PASS" \
    "$API_URL/dags?limit=1" 2>/dev/null || true
}

list_dag_ids() {
  curl -sf -m 10 -u "$ADMIN_USER:$ADMIN_PASS" \
    "$API_URL/dags?limit=100&dag_id_pattern=tit_&only_active=true" 2>/dev/null
}

database_exists() {
  [[ -f "$AF_HOME/airflow.db" ]]
}

# Migration + roles + users + seed objects.
setup_database() {
  airflow db migrate || return 1
  # Building the web app once with update_fab_perms=True creates every role and permission
  # exactly as a webserver start would (`airflow sync-perm` on a fresh DB leaves the Admin
  # role without the Users/Roles permissions); then create the users in the same process.
  AIRFLOW__FAB__UPDATE_FAB_PERMS=True python - "$ADMIN_USER" "$ADMIN_PASS" "$VIEWER_USER" "$VIEWER_PASS" <<'PY'
import sys

from airflow.www.app import create_app

admin_user, admin_pass, viewer_user, viewer_pass = sys.argv[1:5]
sm = create_app(testing=False).appbuilder.sm
for user, password, role_name in ((admin_user, admin_pass, "Admin"), (viewer_user, viewer_pass, "Viewer")):
    if sm.find_user(username=user):
        print(f"user {user} exists")
        continue
    role = sm.find_role(role_name)
    if not role or not sm.add_user(user, user.capitalize(), "Titanium", f"{user}@example.com", role, password):
        sys.exit(f"could not create user {user} with role {role_name}")
    print(f"created user {user} with role {role_name}")

# Seed objects that tests only read (never change or delete), so the listing and get endpoints
# of variables, connections and pools answer with known data. Tests create their own to modify.
from airflow.models import Connection, Pool, Variable
from airflow.utils.session import create_session

if Variable.get("tit_variable", default_var=None) is None:
    Variable.set("tit_variable", '{"titanium": true}', description="Titanium seed variable (read only)")
with create_session() as session:
    if not session.query(Connection).filter(Connection.conn_id == "tit_connection").first():
        session.add(Connection(
            conn_id="tit_connection", conn_type="http", description="Titanium seed connection (read only)",
            host="127.0.0.1", port=9, schema="http", login="titanium", password="titanium-secret",
            extra='{"titanium": true}',
        ))
if Pool.get_pool("tit_pool") is None:
    Pool.create_or_update_pool("tit_pool", 3, "Titanium seed pool (read only)", include_deferred=False)
print("seed objects present: variable tit_variable, connection tit_connection, pool tit_pool")
PY
}

start_processes() {
  start_bg webserver airflow webserver
  start_bg scheduler airflow scheduler --skip-serve-logs
}

print_info() {
  cat <<EOF
Airflow $AIRFLOW_VERSION is up.
  API URL:  $API_URL
  user:     $ADMIN_USER
  password: $ADMIN_PASS
  (also viewer/viewer with role Viewer; env: source $ENV_FILE)
EOF
}

