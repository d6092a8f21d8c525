"""Async client for Apache Airflow's stable REST API (v1, Airflow 2.x).

    async with ApiClient(Configuration(host=..., username=..., password=...)) as client:
        run = await DAGRunApi(client).post_dag_run("my_dag", DAGRun(conf={"x": 1}))

Every model is importable from here and from ``titanium_airflow_client.models``.
"""

from titanium_airflow_client import exceptions, models
from titanium_airflow_client.api import DAGApi, DAGRunApi
from titanium_airflow_client.api_client import ApiClient, RequestOptions
from titanium_airflow_client.api_response import ApiResponse
from titanium_airflow_client.configuration import Configuration
from titanium_airflow_client.exceptions import *  # noqa: F403  (the whole hierarchy at top level)
from titanium_airflow_client.models import *  # noqa: F403  (every model at top level, as documented)
from titanium_airflow_client.pagination import paginate
from titanium_airflow_client.version import __version__

__all__ = [
    "__version__",
    "ApiClient",
    "ApiResponse",
    "Configuration",
    "DAGApi",
    "DAGRunApi",
    "RequestOptions",
    "paginate",
    *exceptions.__all__,
    *models.__all__,
]
