"""Blocking facade over the async client, for scripts and REPLs.

    import titanium_airflow_client.sync as titanium_airflow_client

    with titanium_airflow_client.ApiClient(configuration) as api_client:
        dags = titanium_airflow_client.DAGApi(api_client).get_dags(limit=5)

Same Configuration, models, exceptions, method names, parameters and defaults as the async
API; ``with`` instead of ``async with``, plain calls instead of ``await``, and
:func:`paginate` returns a plain iterator. Each ApiClient runs the async client on an event
loop in a daemon thread of its own; :meth:`ApiClient.close` (or leaving ``with``) stops it.
"""

from titanium_airflow_client import exceptions, models
from titanium_airflow_client.api_client import RequestOptions
from titanium_airflow_client.api_response import ApiResponse
from titanium_airflow_client.configuration import Configuration
from titanium_airflow_client.exceptions import *  # noqa: F403  (the whole hierarchy at top level)
from titanium_airflow_client.models import *  # noqa: F403  (every model at top level, as in the async package)
from titanium_airflow_client.sync.api import ApiClient, DAGApi, DAGRunApi, blocking
from titanium_airflow_client.sync.pagination import paginate
from titanium_airflow_client.version import __version__

__all__ = [
    "__version__",
    "ApiClient",
    "ApiResponse",
    "Configuration",
    "DAGApi",
    "DAGRunApi",
    "RequestOptions",
    "blocking",
    "paginate",
    *exceptions.__all__,
    *models.__all__,
]
