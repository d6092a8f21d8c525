"""One class per API tag; each method is one endpoint."""

from titanium_airflow_client.api.dag_api import DAGApi
from titanium_airflow_client.api.dag_run_api import DAGRunApi

__all__ = ["DAGApi", "DAGRunApi"]
