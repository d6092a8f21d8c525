"""DAGApi: the DAG, task and DAG-source endpoints of the Airflow REST API."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Union

from typing_extensions import Unpack

from titanium_airflow_client.api._base import BaseApi, with_http_info
from titanium_airflow_client.api_client import RequestOptions
from titanium_airflow_client.endpoint import Body, Endpoint, Query
from titanium_airflow_client.models.clear_task_instances import ClearTaskInstances
from titanium_airflow_client.models.dag import DAG
from titanium_airflow_client.models.dag_collection import DAGCollection
from titanium_airflow_client.models.dag_detail import DAGDetail
from titanium_airflow_client.models.get_dag_source200_response import GetDagSource200Response
from titanium_airflow_client.models.task import Task
from titanium_airflow_client.models.task_collection import TaskCollection
from titanium_airflow_client.models.task_instance_reference_collection import TaskInstanceReferenceCollection
from titanium_airflow_client.models.update_task_instances_state import UpdateTaskInstancesState

_DAG = "/dags/{dag_id}"
_FIELDS = Query("fields", "list")
_LIMIT = Query("limit", "int", minimum=1)
_OFFSET = Query("offset", "int", minimum=0)
_TAGS = Query("tags", "list")
_ONLY_ACTIVE = Query("only_active", "bool")
# The spec declares update_mask `style: form, explode: false`: one comma-joined value.
_UPDATE_MASK = Query("update_mask", "csv")

DELETE_DAG: Endpoint[None] = Endpoint("delete_dag", "DELETE", _DAG, None)
GET_DAG = Endpoint("get_dag", "GET", _DAG, DAG, query=(_FIELDS,))
GET_DAG_DETAILS = Endpoint("get_dag_details", "GET", _DAG + "/details", DAGDetail, query=(_FIELDS,))
# The token's format is the server's own ("may change", says the spec): a '/' in it is passed on.
GET_DAG_SOURCE = Endpoint(
    "get_dag_source", "GET", "/dagSources/{file_token}", GetDagSource200Response, slash_params=("file_token",)
)
GET_DAGS = Endpoint(
    "get_dags", "GET", "/dags", DAGCollection,
    query=(_LIMIT, _OFFSET, Query("order_by", "str"), _TAGS, _ONLY_ACTIVE, Query("paused", "bool"), _FIELDS,
           Query("dag_id_pattern", "str")),
)
GET_TASK = Endpoint("get_task", "GET", _DAG + "/tasks/{task_id}", Task)
GET_TASKS = Endpoint("get_tasks", "GET", _DAG + "/tasks", TaskCollection, query=(Query("order_by", "str"),))
_DAG_PATCH = Body("dag", DAG, required=("is_paused",))  # only is_paused is writable, and the server needs it

PATCH_DAG = Endpoint("patch_dag", "PATCH", _DAG, DAG, query=(_UPDATE_MASK,), body=_DAG_PATCH)
PATCH_DAGS = Endpoint(
    "patch_dags", "PATCH", "/dags", DAGCollection,
    query=(Query("dag_id_pattern", "str", required=True), _LIMIT, _OFFSET, _TAGS, _UPDATE_MASK, _ONLY_ACTIVE),
    body=_DAG_PATCH,
)
POST_CLEAR_TASK_INSTANCES = Endpoint(
    "post_clear_task_instances", "POST", _DAG + "/clearTaskInstances", TaskInstanceReferenceCollection,
    body=Body("clear_task_instances", ClearTaskInstances),
)
POST_SET_TASK_INSTANCES_STATE = Endpoint(
    "post_set_task_instances_state", "POST", _DAG + "/updateTaskInstancesState", TaskInstanceReferenceCollection,
    body=Body("update_task_instances_state", UpdateTaskInstancesState),
)

ENDPOINTS = (
    DELETE_DAG, GET_DAG, GET_DAG_DETAILS, GET_DAG_SOURCE, GET_DAGS, GET_TASK, GET_TASKS, PATCH_DAG, PATCH_DAGS,
    POST_CLEAR_TASK_INSTANCES, POST_SET_TASK_INSTANCES_STATE,
)


class DAGApi(BaseApi):
    """DAGs, their tasks and source: list, read, pause/unpause, delete, clear or set task instances.

    Every method is a coroutine. Besides its own parameters each takes the
    per-call options ``_request_timeout``, ``_headers`` and ``_retries``, and has
    a ``<method>_with_http_info`` twin returning an :class:`ApiResponse`.
    """

    async def delete_dag(self, dag_id: str, **options: Unpack[RequestOptions]) -> None:
        """Delete a DAG and all its metadata (runs, task instances). Logs are kept. Cannot be undone.

        *New in version 2.2.0*

        :param dag_id: The DAG ID.
        :raises ConflictException: the DAG still has running task instances.
        """
        return await self._call(DELETE_DAG, locals())

    async def get_dag(
        self, dag_id: str, fields: Optional[List[str]] = None, **options: Unpack[RequestOptions]
    ) -> DAG:
        """Get basic information about a DAG.

        :param dag_id: The DAG ID.
        :param fields: List of field for return (the others are left None).
        """
        return await self._call(GET_DAG, locals())

    async def get_dag_details(
        self, dag_id: str, fields: Optional[List[str]] = None, **options: Unpack[RequestOptions]
    ) -> DAGDetail:
        """Get a simplified representation of a DAG, with its schedule, params and more.

        :param dag_id: The DAG ID.
        :param fields: List of field for return (the others are left None).
        """
        return await self._call(GET_DAG_DETAILS, locals())

    async def get_dag_source(self, file_token: str, **options: Unpack[RequestOptions]) -> GetDagSource200Response:
        """Get the source code of a DAG file.

        :param file_token: The ``file_token`` of a DAG (from ``get_dag``): the server's
            encrypted path of the file.
        """
        return await self._call(GET_DAG_SOURCE, locals())

    async def get_dags(
        self,
        limit: Optional[int] = 100,
        offset: Optional[int] = None,
        order_by: Optional[str] = None,
        tags: Optional[List[str]] = None,
        only_active: Optional[bool] = True,
        paused: Optional[bool] = None,
        fields: Optional[List[str]] = None,
        dag_id_pattern: Optional[str] = None,
        **options: Unpack[RequestOptions],
    ) -> DAGCollection:
        """List DAGs.

        :param limit: The numbers of items to return (default 100; None leaves it to the server).
        :param offset: The number of items to skip before starting to collect the result set.
        :param order_by: ``dag_id`` or ``-dag_id`` (Airflow 2.11 refuses other fields with 400).
        :param tags: Only DAGs with any of these tags.
        :param only_active: Only active DAGs (default True).
        :param paused: Only paused (True) or unpaused (False) DAGs; None for both.
        :param fields: List of field for return.
        :param dag_id_pattern: Only DAGs whose ID contains this text, case-insensitively
            (SQL ``ILIKE``: ``_`` and ``%`` are wildcards).
        """
        return await self._call(GET_DAGS, locals())

    async def get_task(self, dag_id: str, task_id: str, **options: Unpack[RequestOptions]) -> Task:
        """Get a simplified representation of a task.

        :param dag_id: The DAG ID.
        :param task_id: The task ID.
        """
        return await self._call(GET_TASK, locals())

    async def get_tasks(
        self, dag_id: str, order_by: Optional[str] = None, **options: Unpack[RequestOptions]
    ) -> TaskCollection:
        """Get the tasks of a DAG.

        :param dag_id: The DAG ID.
        :param order_by: The field to order the results by; prefix with ``-`` to reverse.
        """
        return await self._call(GET_TASKS, locals())

    async def patch_dag(
        self,
        dag_id: str,
        dag: Union[DAG, Dict[str, Any]],
        update_mask: Optional[List[str]] = None,
        **options: Unpack[RequestOptions],
    ) -> DAG:
        """Update a DAG: in Airflow 2 only ``is_paused`` can change.

        :param dag_id: The DAG ID.
        :param dag: ``DAG(is_paused=True)`` or ``{"is_paused": True}``; read-only fields are not sent.
        :param update_mask: The fields to update, e.g. ``["is_paused"]``; absent or empty updates all.
        """
        return await self._call(PATCH_DAG, locals())

    async def patch_dags(
        self,
        dag_id_pattern: str,
        dag: Union[DAG, Dict[str, Any]],
        limit: Optional[int] = 100,
        offset: Optional[int] = None,
        tags: Optional[List[str]] = None,
        update_mask: Optional[List[str]] = None,
        only_active: Optional[bool] = True,
        **options: Unpack[RequestOptions],
    ) -> DAGCollection:
        """Update every DAG whose ID matches a pattern (``~`` for all).

        :param dag_id_pattern: Only DAGs whose ID contains this text (SQL ``ILIKE``; ``~`` for all).
            Required by the server.
        :param dag: ``DAG(is_paused=True)`` or ``{"is_paused": True}``.
        :param limit: The numbers of items to update and return (default 100).
        :param offset: The number of items to skip.
        :param tags: Only DAGs with any of these tags.
        :param update_mask: The fields to update, e.g. ``["is_paused"]``.
        :param only_active: Only active DAGs (default True).
        """
        return await self._call(PATCH_DAGS, locals())

    async def post_clear_task_instances(
        self,
        dag_id: str,
        clear_task_instances: Union[ClearTaskInstances, Dict[str, Any]],
        **options: Unpack[RequestOptions],
    ) -> TaskInstanceReferenceCollection:
        """Clear a set of task instances of a DAG.

        ``dry_run`` defaults to True: the server answers with what would be cleared.

        :param dag_id: The DAG ID.
        :param clear_task_instances: ``ClearTaskInstances(...)`` or an equivalent dict.
        """
        return await self._call(POST_CLEAR_TASK_INSTANCES, locals())

    async def post_set_task_instances_state(
        self,
        dag_id: str,
        update_task_instances_state: Union[UpdateTaskInstancesState, Dict[str, Any]],
        **options: Unpack[RequestOptions],
    ) -> TaskInstanceReferenceCollection:
        """Set the state of task instances (and optionally their upstream/downstream ones).

        :param dag_id: The DAG ID.
        :param update_task_instances_state: ``UpdateTaskInstancesState(task_id=..., dag_run_id=...,
            new_state="success", dry_run=False)`` or an equivalent dict.
        """
        return await self._call(POST_SET_TASK_INSTANCES_STATE, locals())

    delete_dag_with_http_info = with_http_info(delete_dag)
    get_dag_with_http_info = with_http_info(get_dag)
    get_dag_details_with_http_info = with_http_info(get_dag_details)
    get_dag_source_with_http_info = with_http_info(get_dag_source)
    get_dags_with_http_info = with_http_info(get_dags)
    get_task_with_http_info = with_http_info(get_task)
    get_tasks_with_http_info = with_http_info(get_tasks)
    patch_dag_with_http_info = with_http_info(patch_dag)
    patch_dags_with_http_info = with_http_info(patch_dags)
    post_clear_task_instances_with_http_info = with_http_info(post_clear_task_instances)
    post_set_task_instances_state_with_http_info = with_http_info(post_set_task_instances_state)
