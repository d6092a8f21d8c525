"""DAGRunApi: the DAG-run endpoints of the Airflow REST API."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Dict, List, Optional, Union

from typing_extensions import Unpack

from titanium_airflow_client.api._base import BaseApi, with_http_info
from titanium_airflow_client.api_client import RequestOptions
from titanium_airflow_client.endpoint import Body, Endpoint, Query
from titanium_airflow_client.models.clear_dag_run import ClearDagRun
from titanium_airflow_client.models.clear_dag_run200_response import ClearDagRun200Response
from titanium_airflow_client.models.dag_run import DAGRun
from titanium_airflow_client.models.dag_run_collection import DAGRunCollection
from titanium_airflow_client.models.dataset_event_collection import DatasetEventCollection
from titanium_airflow_client.models.list_dag_runs_form import ListDagRunsForm
from titanium_airflow_client.models.set_dag_run_note import SetDagRunNote
from titanium_airflow_client.models.update_dag_run_state import UpdateDagRunState

DateTimeArg = Union[datetime, str]  # a datetime, or ISO 8601 text of one

_RUN = "/dags/{dag_id}/dagRuns/{dag_run_id}"
_FIELDS = Query("fields", "list")

CLEAR_DAG_RUN = Endpoint(
    "clear_dag_run", "POST", _RUN + "/clear", ClearDagRun200Response,
    body=Body("titanium_clear_dag_run", ClearDagRun),
)
DELETE_DAG_RUN: Endpoint[None] = Endpoint("delete_dag_run", "DELETE", _RUN, None)
GET_DAG_RUN = Endpoint("get_dag_run", "GET", _RUN, DAGRun, query=(_FIELDS,))
GET_DAG_RUNS = Endpoint(
    "get_dag_runs", "GET", "/dags/{dag_id}/dagRuns", DAGRunCollection,
    query=(
        Query("limit", "int", minimum=1),
        Query("offset", "int", minimum=0),
        Query("execution_date_gte", "datetime"),
        Query("execution_date_lte", "datetime"),
        Query("start_date_gte", "datetime"),
        Query("start_date_lte", "datetime"),
        Query("end_date_gte", "datetime"),
        Query("end_date_lte", "datetime"),
        Query("updated_at_gte", "datetime"),
        Query("updated_at_lte", "datetime"),
        Query("state", "list"),
        Query("order_by", "str"),
        _FIELDS,
    ),
)
GET_DAG_RUNS_BATCH = Endpoint(
    "get_dag_runs_batch", "POST", "/dags/~/dagRuns/list", DAGRunCollection,
    body=Body("titanium_list_dag_runs_form", ListDagRunsForm),
)
GET_UPSTREAM_DATASET_EVENTS = Endpoint(
    "get_upstream_dataset_events", "GET", _RUN + "/upstreamDatasetEvents", DatasetEventCollection
)
POST_DAG_RUN = Endpoint(
    "post_dag_run", "POST", "/dags/{dag_id}/dagRuns", DAGRun, body=Body("titanium_dag_run", DAGRun)
)
SET_DAG_RUN_NOTE = Endpoint(
    "set_dag_run_note", "PATCH", _RUN + "/setNote", DAGRun,
    body=Body("titanium_set_dag_run_note", SetDagRunNote, required=("note",)),
)
UPDATE_DAG_RUN_STATE = Endpoint(
    "update_dag_run_state", "PATCH", _RUN, DAGRun,
    body=Body("titanium_update_dag_run_state", UpdateDagRunState, required=("state",)),
)

ENDPOINTS = (
    CLEAR_DAG_RUN, DELETE_DAG_RUN, GET_DAG_RUN, GET_DAG_RUNS, GET_DAG_RUNS_BATCH,
    GET_UPSTREAM_DATASET_EVENTS, POST_DAG_RUN, SET_DAG_RUN_NOTE, UPDATE_DAG_RUN_STATE,
)


class DAGRunApi(BaseApi):
    """DAG runs: trigger, list, read, change state or note, clear, delete.

    Every method is a coroutine. Besides its own parameters each takes the
    per-call options ``_request_timeout``, ``_headers`` and ``_retries``, and has
    a ``<method>_with_http_info`` twin returning an :class:`ApiResponse`.
    Errors raise :class:`~titanium_airflow_client.exceptions.ApiException`
    subclasses (NotFoundException for 404, ...); bad arguments raise
    ApiTypeError/ApiValueError before anything is sent.
    """

    async def clear_dag_run(
        self,
        dag_id: str,
        dag_run_id: str,
        titanium_clear_dag_run: Union[ClearDagRun, Dict[str, Any]],
        **options: Unpack[RequestOptions],
    ) -> ClearDagRun200Response:
        """Clear a DAG run. *New in version 2.4.0*

        ``dry_run`` defaults to True (the spec's default) and is always sent,
        because the server's own default is False.

        :param dag_id: The DAG ID.
        :param dag_run_id: The DAG run ID.
        :param titanium_clear_dag_run: ``ClearDagRun(dry_run=...)`` or an equivalent dict.
        :return: ``.actual_instance`` is a TaskInstanceReferenceCollection of the task
            instances that would be cleared when ``dry_run`` is True, else the cleared DAGRun.
        """
        return await self._call(CLEAR_DAG_RUN, locals())

    async def delete_dag_run(self, dag_id: str, dag_run_id: str, **options: Unpack[RequestOptions]) -> None:
        """Delete a DAG run.

        :param dag_id: The DAG ID.
        :param dag_run_id: The DAG run ID.
        """
        return await self._call(DELETE_DAG_RUN, locals())

    async def get_dag_run(
        self,
        dag_id: str,
        dag_run_id: str,
        fields: Optional[List[str]] = None,
        **options: Unpack[RequestOptions],
    ) -> DAGRun:
        """Get a DAG run.

        :param dag_id: The DAG ID.
        :param dag_run_id: The DAG run ID.
        :param fields: List of field for return (the others are left None).
        """
        return await self._call(GET_DAG_RUN, locals())

    async def get_dag_runs(
        self,
        dag_id: str,
        limit: Optional[int] = 100,
        offset: Optional[int] = None,
        execution_date_gte: Optional[DateTimeArg] = None,
        execution_date_lte: Optional[DateTimeArg] = None,
        start_date_gte: Optional[DateTimeArg] = None,
        start_date_lte: Optional[DateTimeArg] = None,
        end_date_gte: Optional[DateTimeArg] = None,
        end_date_lte: Optional[DateTimeArg] = None,
        updated_at_gte: Optional[DateTimeArg] = None,
        updated_at_lte: Optional[DateTimeArg] = None,
        state: Optional[List[str]] = None,
        order_by: Optional[str] = None,
        fields: Optional[List[str]] = None,
        **options: Unpack[RequestOptions],
    ) -> DAGRunCollection:
        """List DAG runs. Pass ``~`` as ``dag_id`` to list the runs of every DAG.

        Datetime filters take aware datetimes (any UTC offset) or ISO 8601 text;
        a naive datetime is taken as UTC.

        :param dag_id: The DAG ID, or ``~`` for all DAGs.
        :param limit: The numbers of items to return (default 100; None leaves it to the server).
        :param offset: The number of items to skip before starting to collect the result set.
        :param execution_date_gte: Returns objects greater or equal to the specified date.
        :param execution_date_lte: Returns objects less than or equal to the specified date.
        :param start_date_gte: Returns objects greater or equal the specified date.
        :param start_date_lte: Returns objects less or equal the specified date.
        :param end_date_gte: Returns objects greater or equal the specified date.
        :param end_date_lte: Returns objects less than or equal to the specified date.
        :param updated_at_gte: Returns objects greater or equal the specified date. *New in version 2.6.0*
        :param updated_at_lte: Returns objects less or equal the specified date. *New in version 2.6.0*
        :param state: States to match (OR condition), e.g. ``["success", "failed"]``.
        :param order_by: The field to order the results by; prefix with ``-`` to reverse.
        :param fields: List of field for return.
        """
        return await self._call(GET_DAG_RUNS, locals())

    async def get_dag_runs_batch(
        self,
        titanium_list_dag_runs_form: Union[ListDagRunsForm, Dict[str, Any]],
        **options: Unpack[RequestOptions],
    ) -> DAGRunCollection:
        """List DAG runs (batch): a POST, to filter across many DAG IDs without a long URL.

        :param titanium_list_dag_runs_form: ``ListDagRunsForm(dag_ids=[...], states=[...], page_limit=...)``
            or an equivalent dict.
        """
        return await self._call(GET_DAG_RUNS_BATCH, locals())

    async def get_upstream_dataset_events(
        self, dag_id: str, dag_run_id: str, **options: Unpack[RequestOptions]
    ) -> DatasetEventCollection:
        """Get the dataset events that triggered a DAG run. *New in version 2.4.0*

        :param dag_id: The DAG ID.
        :param dag_run_id: The DAG run ID.
        """
        return await self._call(GET_UPSTREAM_DATASET_EVENTS, locals())

    async def post_dag_run(
        self,
        dag_id: str,
        titanium_dag_run: Union[DAGRun, Dict[str, Any]],
        **options: Unpack[RequestOptions],
    ) -> DAGRun:
        """Trigger a new DAG run.

        If the DAG is paused the run stays queued and its tasks do not run.
        Only the fields you set are sent; read-only fields are never sent.

        :param dag_id: The DAG ID.
        :param titanium_dag_run: ``DAGRun(dag_run_id=..., logical_date=..., conf={...}, note=...)``
            or an equivalent dict; ``DAGRun()`` lets the server choose everything.
        :raises ConflictException: a run with this ID or logical date exists.
        """
        return await self._call(POST_DAG_RUN, locals())

    async def set_dag_run_note(
        self,
        dag_id: str,
        dag_run_id: str,
        titanium_set_dag_run_note: Union[SetDagRunNote, Dict[str, Any]],
        **options: Unpack[RequestOptions],
    ) -> DAGRun:
        """Update the manual user note of a DAG run. *New in version 2.5.0*

        :param dag_id: The DAG ID.
        :param dag_run_id: The DAG run ID.
        :param titanium_set_dag_run_note: ``SetDagRunNote(note=...)`` or an equivalent dict.
        """
        return await self._call(SET_DAG_RUN_NOTE, locals())

    async def update_dag_run_state(
        self,
        dag_id: str,
        dag_run_id: str,
        titanium_update_dag_run_state: Union[UpdateDagRunState, Dict[str, Any]],
        **options: Unpack[RequestOptions],
    ) -> DAGRun:
        """Modify the state of a DAG run. *New in version 2.2.0*

        :param dag_id: The DAG ID.
        :param dag_run_id: The DAG run ID.
        :param titanium_update_dag_run_state: ``UpdateDagRunState(state="success"|"failed"|"queued")``
            or an equivalent dict.
        """
        return await self._call(UPDATE_DAG_RUN_STATE, locals())

    clear_dag_run_with_http_info = with_http_info(clear_dag_run)
    delete_dag_run_with_http_info = with_http_info(delete_dag_run)
    get_dag_run_with_http_info = with_http_info(get_dag_run)
    get_dag_runs_with_http_info = with_http_info(get_dag_runs)
    get_dag_runs_batch_with_http_info = with_http_info(get_dag_runs_batch)
    get_upstream_dataset_events_with_http_info = with_http_info(get_upstream_dataset_events)
    post_dag_run_with_http_info = with_http_info(post_dag_run)
    set_dag_run_note_with_http_info = with_http_info(set_dag_run_note)
    update_dag_run_state_with_http_info = with_http_info(update_dag_run_state)
