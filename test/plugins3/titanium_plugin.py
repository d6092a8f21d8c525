"""titanium: the local Airflow 3's only plugin, so GET /api/v2/plugins lists something of the project's own.

scripts/airflow3-local.sh points Airflow's plugins folder here (the Airflow 2 one is test/plugins). It registers
- an operator extra link, TitaniumLink ("Titanium"), used by tit_xcom's task, so its links endpoint
  answers {"Titanium": "https://example.com/titanium/<dag_id>/<task_id>/<run_id, percent-encoded>"};
- a macro, titanium_greeting (``{{ macros.titanium.titanium_greeting() }}``).
It also holds TitaniumXComOperator, tit_xcom's operator (kept here, where DAG files import it from, so
the task's class_ref is the same in every checkout: module_path "titanium_plugin").
"""

from __future__ import annotations

from urllib.parse import quote

from airflow.plugins_manager import AirflowPlugin
from airflow.sdk import BaseOperator, BaseOperatorLink

LINK_BASE = "https://example.com/titanium"  # never fetched: the link is only text for the API to return


def titanium_greeting() -> str:
    return "hello from the titanium plugin"


class TitaniumLink(BaseOperatorLink):
    """A link that depends on the task instance only, so tests can predict it exactly."""

    name = "Titanium"

    def get_link(self, operator, *, ti_key):
        return f"{LINK_BASE}/{ti_key.dag_id}/{ti_key.task_id}/{quote(ti_key.run_id, safe='')}"


class TitaniumXComOperator(BaseOperator):
    """Logs "TITANIUM-LOG-MARKER dag=<dag_id> task=<task_id> run=<run_id> try=<n>", pushes ``xcom_value``
    under ``xcom_key`` and returns ``return_value`` (the XCom "return_value"); has the "Titanium" link."""

    operator_extra_links = (TitaniumLink(),)

    def __init__(self, *, xcom_key: str, xcom_value: object, return_value: object, **kwargs) -> None:
        super().__init__(**kwargs)
        self.xcom_key = xcom_key
        self.xcom_value = xcom_value
        self.return_value = return_value

    def execute(self, context):
        ti = context["ti"]
        marker = "TITANIUM-LOG-MARKER dag=%s task=%s run=%s try=%s"
        self.log.info(marker, ti.dag_id, ti.task_id, ti.run_id, ti.try_number)
        ti.xcom_push(key=self.xcom_key, value=self.xcom_value)
        return self.return_value


class TitaniumPlugin(AirflowPlugin):
    name = "titanium"
    operator_extra_links = [TitaniumLink()]
    macros = [titanium_greeting]
