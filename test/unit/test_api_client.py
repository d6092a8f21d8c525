"""The request pipeline against a local recording server: headers, auth, errors, decoding."""

from __future__ import annotations

import asyncio
import concurrent.futures
import copy
import json
import multiprocessing
import pickle
import socket
import time
import warnings
from typing import Any, Callable, Type

import pytest
from multidict import CIMultiDict, CIMultiDictProxy

import titanium_airflow_client
import titanium_airflow_client.sync
from titanium_airflow_client import (
    ApiClient,
    ApiConnectionError,
    ApiDecodeError,
    ApiException,
    ApiResponse,
    ApiResponseTooLargeError,
    ApiTimeoutError,
    ApiTypeError,
    ApiValueError,
    ApiVersionError,
    BadRequestException,
    Configuration,
    ConflictException,
    DAGApi,
    DAGRun,
    DAGRunApi,
    ForbiddenException,
    NotFoundException,
    OpenApiException,
    ServiceException,
    UnauthorizedException,
    WaitTimeoutError,
    exceptions,
)
from titanium_airflow_client.rest import CLOSED_DURING_CALL
from titanium_airflow_client.rest import ApiException as RestApiException

from .conftest import DEADLINE, NEVER, FakeAirflow

PROBLEM_404 = {
    "detail": "DAGRun with DAG ID: 'd' and DagRun ID: 'r' not found",
    "status": 404,
    "title": "DAGRun not found",
    "type": "https://airflow.apache.org/docs/apache-airflow/2.11.2/stable-rest-api-ref.html#section/Errors/NotFound",
}


async def test_every_request_carries_auth_accept_and_user_agent(
    fake_airflow: FakeAirflow, api_client: ApiClient
) -> None:
    await DAGApi(api_client).get_dag("d")
    headers = fake_airflow.last.headers
    assert headers["Authorization"] == "Basic YWRtaW46czNjcmV0"  # admin:s3cret
    assert headers["Accept"] == "application/json"
    assert headers["User-Agent"] == f"titanium-airflow-client/{titanium_airflow_client.__version__} (python)"


async def test_requests_without_body_have_no_content_type_or_body(
    fake_airflow: FakeAirflow, api_client: ApiClient
) -> None:
    fake_airflow.reply(204)
    await DAGRunApi(api_client).delete_dag_run("d", "r")
    request = fake_airflow.last
    assert (request.method, request.path) == ("DELETE", "/api/v1/dags/d/dagRuns/r")
    assert "Content-Type" not in request.headers
    assert request.body == b""


async def test_requests_with_body_are_json(fake_airflow: FakeAirflow, api_client: ApiClient) -> None:
    fake_airflow.reply(200, {"dag_id": "d", "dag_run_id": "r", "state": "queued"})
    run = await DAGRunApi(api_client).post_dag_run("d", DAGRun(dag_run_id="r", conf={"k": [1, 2]}))
    assert fake_airflow.last.headers["Content-Type"] == "application/json"
    assert fake_airflow.last.json() == {"dag_run_id": "r", "conf": {"k": [1, 2]}}
    assert isinstance(run, DAGRun)
    assert run.dag_run_id == "r"


async def test_bearer_token_and_refresh_take_effect_per_request(fake_airflow: FakeAirflow) -> None:
    configuration = Configuration(host=fake_airflow.host, access_token="t1")
    async with ApiClient(configuration) as client:
        api = DAGApi(client)
        await api.get_dag("d")
        assert fake_airflow.last.headers["Authorization"] == "Bearer t1"
        configuration.access_token = "t2"
        await api.get_dag("d")
        assert fake_airflow.last.headers["Authorization"] == "Bearer t2"


async def test_no_credentials_sends_no_authorization(fake_airflow: FakeAirflow) -> None:
    async with ApiClient(Configuration(host=fake_airflow.host)) as client:
        await DAGApi(client).get_dag("d")
    assert "Authorization" not in fake_airflow.last.headers


async def test_ambiguous_credentials_are_rejected_before_sending(fake_airflow: FakeAirflow) -> None:
    configuration = Configuration(host=fake_airflow.host, username="u", password="p", access_token="t")
    async with ApiClient(configuration) as client:
        with pytest.raises(ApiValueError, match="either access_token or username/password"):
            await DAGApi(client).get_dag("d")
    assert fake_airflow.requests == []


async def test_default_and_per_call_headers(fake_airflow: FakeAirflow) -> None:
    configuration = Configuration(host=fake_airflow.host, default_headers={"X-Proxy-Auth": "p1", "X-Team": "a"})
    async with ApiClient(configuration) as client:
        client.set_default_header("X-Extra", "e")
        await DAGApi(client).get_dag("d", _headers={"X-Team": "b"})
    headers = fake_airflow.last.headers
    assert (headers["X-Proxy-Auth"], headers["X-Team"], headers["X-Extra"]) == ("p1", "b", "e")


async def test_header_settings_changed_after_the_client_was_built_are_sent(fake_airflow: FakeAirflow) -> None:
    configuration = Configuration(host=fake_airflow.host, default_headers={"X-Team": "a"}, user_agent="ua/1")
    async with ApiClient(configuration, "X-Client", "c1") as client:
        api = DAGApi(client)
        await api.get_dag("d")
        configuration.default_headers["X-Team"] = "b"
        configuration.default_headers["X-Added"] = "later"
        configuration.user_agent = "ua/2"
        client.default_headers["X-Client"] = "c2"
        await api.get_dag("d")
        assert client.user_agent == "ua/2"
        client.user_agent = "ua/client"  # the client's own setting wins over the configuration's
        del configuration.default_headers["X-Added"]
        await api.get_dag("d")
    first, second, third = (request.headers for request in fake_airflow.requests)
    assert (first["X-Team"], first["User-Agent"], first["X-Client"], "X-Added" in first) == ("a", "ua/1", "c1", False)
    assert (second["X-Team"], second["User-Agent"], second["X-Client"]) == ("b", "ua/2", "c2")
    assert second["X-Added"] == "later"
    assert (third["User-Agent"], "X-Added" in third) == ("ua/client", False)


async def test_headers_of_any_case_replace_each_other(fake_airflow: FakeAirflow) -> None:
    configuration = Configuration(host=fake_airflow.host, default_headers={"accept": "application/x-ndjson"})
    async with ApiClient(configuration) as client:
        await DAGApi(client).get_dag("d")
        await DAGApi(client).get_dag("d", _headers={"ACCEPT": "text/plain", "user-agent": "mine"})
    first, second = (request.headers for request in fake_airflow.requests)
    assert first.getall("Accept") == ["application/x-ndjson"]
    assert (second.getall("Accept"), second.getall("User-Agent")) == (["text/plain"], ["mine"])


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        (lambda client: client.default_headers.__setitem__("Transfer-Encoding ", "chunked"), "not a valid header name"),
        (lambda client: client.default_headers.__setitem__("X-A", "1\r\nX-B: 2"), "control character"),
        (lambda client: client.configuration.default_headers.__setitem__("Bad Name", "v"), "not a valid header name"),
        (lambda client: setattr(client.configuration, "user_agent", "ua\n"), "control character"),
        (lambda client: client.default_headers.__setitem__("X-A", 5), "must be str"),
    ],
)
async def test_headers_edited_behind_the_setters_backs_are_checked_when_sent(
    fake_airflow: FakeAirflow, edit: Callable[[ApiClient], None], problem: str
) -> None:
    async with ApiClient(Configuration(host=fake_airflow.host)) as client:
        await DAGApi(client).get_dag("d")
        edit(client)
        with pytest.raises((ApiValueError, ApiTypeError), match=f"default headers: .*{problem}"):
            await DAGApi(client).get_dag("d")
    assert len(fake_airflow.requests) == 1  # the bad header never went out


@pytest.mark.parametrize(
    ("status", "exception"),
    [
        (400, BadRequestException),
        (401, UnauthorizedException),
        (403, ForbiddenException),
        (404, NotFoundException),
        (409, ConflictException),
        (405, ApiException),
        (500, ServiceException),
        (503, ServiceException),
    ],
)
async def test_error_statuses_map_to_exceptions(
    fake_airflow: FakeAirflow, api_client: ApiClient, status: int, exception: Type[ApiException]
) -> None:
    problem = {**PROBLEM_404, "status": status}
    fake_airflow.reply(status, problem, content_type="application/problem+json")
    with pytest.raises(exception) as caught:
        await DAGRunApi(api_client).get_dag_run("d", "r")
    error = caught.value
    assert type(error) is exception
    assert error.status == status
    assert error.problem is not None and error.problem.title == "DAGRun not found"
    assert error.problem.detail == PROBLEM_404["detail"]
    assert error.body is not None and b"DAGRun not found" in error.body
    assert error.headers is not None and error.headers["Content-Type"] == "application/problem+json"
    assert "DAGRun not found" in str(error) and "GET " in str(error)


async def test_error_with_non_json_body_keeps_raw_body(fake_airflow: FakeAirflow, api_client: ApiClient) -> None:
    fake_airflow.reply(502, body=b"<html>Bad gateway</html>", content_type="text/html")
    with pytest.raises(ServiceException) as caught:
        await DAGApi(api_client).get_dag("d")
    assert caught.value.problem is None
    assert caught.value.body == b"<html>Bad gateway</html>"
    assert "Bad gateway" in str(caught.value)


def test_exception_hierarchy_and_rest_reexport() -> None:
    assert RestApiException is ApiException
    for cls in (ApiException, ApiTypeError, ApiValueError, ApiTimeoutError, ApiConnectionError, ApiDecodeError):
        assert issubclass(cls, OpenApiException)
    assert issubclass(ApiTypeError, TypeError) and issubclass(ApiValueError, ValueError)
    assert issubclass(ApiTimeoutError, TimeoutError) and issubclass(ApiConnectionError, ConnectionError)


class FutureError(ApiException):
    """A subclass added later, with an __init__ of its own: pickling must need nothing from it."""

    def __init__(self, hint: str, status: int) -> None:
        self.hint = hint
        super().__init__(status, "Teapot")


EXCEPTION_URL = "http://127.0.0.1:8080/api/v1/dags/d"
# What aiohttp hands over: a read-only, case-insensitive view, which cannot be pickled itself.
EXCEPTION_HEADERS = CIMultiDictProxy(CIMultiDict([("Content-Type", "application/problem+json"), ("X-Id", "1"),
                                                  ("x-id", "2")]))


def example_exception(cls: type) -> BaseException:
    """A fully populated instance of any library exception class."""
    if issubclass(cls, FutureError):
        return cls("brew", 418)
    if issubclass(cls, ApiResponseTooLargeError):
        return cls("GET", EXCEPTION_URL, 1 << 20, 200, "OK", EXCEPTION_HEADERS)
    if issubclass(cls, ApiDecodeError):
        return cls("cannot decode the response", 200, "OK", b"<html>", EXCEPTION_HEADERS, method="GET",
                   url=EXCEPTION_URL)
    if issubclass(cls, ApiException):
        return cls(404, "NOT FOUND", json.dumps(PROBLEM_404).encode(), EXCEPTION_HEADERS, method="GET",
                   url=EXCEPTION_URL)
    if issubclass(cls, ApiTimeoutError):
        return cls("GET", EXCEPTION_URL, (5.0, 30.0))
    if issubclass(cls, ApiConnectionError):
        return cls("GET", EXCEPTION_URL, "ServerDisconnectedError: Server disconnected")
    if issubclass(cls, WaitTimeoutError):
        return cls("DAG run d/r", "running", 30.0, dag_id="d", dag_run_id="r")
    if cls is OpenApiException:
        return cls("something failed")
    if issubclass(cls, ApiVersionError):
        return cls("get_dag_stats()", "2.10", "2.9.3", "GET version")
    return cls("limit must be an int", ["query", "limit", 0])  # the _PathException family


ATTRIBUTES = ("status", "reason", "body", "headers", "problem", "method", "url", "error", "path_to_item", "hint",
              "limit", "args", "what", "state", "timeout", "dag_id", "dag_run_id", "task_id", "operation", "needed",
              "server_version")
COPIERS: dict[str, Callable[[Any], Any]] = {
    "pickle": lambda error: pickle.loads(pickle.dumps(error)),
    "pickle-protocol-2": lambda error: pickle.loads(pickle.dumps(error, protocol=2)),
    "copy": copy.copy,
    "deepcopy": copy.deepcopy,
}


@pytest.mark.parametrize("how", COPIERS)
@pytest.mark.parametrize("name", [*exceptions.__all__, "FutureError", "ApiConnectionError(closed)"])
def test_every_exception_survives_pickle_and_copy(name: str, how: str) -> None:
    if name == "ApiConnectionError(closed)":  # what the blocking facade raises: no method or URL
        error: BaseException = ApiConnectionError(None, None, CLOSED_DURING_CALL)
    else:
        error = example_exception(FutureError if name == "FutureError" else getattr(exceptions, name))
    clone = COPIERS[how](error)
    assert type(clone) is type(error)
    for attribute in ATTRIBUTES:
        assert getattr(clone, attribute, "-") == getattr(error, attribute, "-"), attribute
    assert str(clone) == str(error) and repr(clone) == repr(error)
    headers = getattr(clone, "headers", None)
    if headers is not None:  # still case-insensitive, every value kept
        assert headers["content-type"] == "application/problem+json" and headers.getall("X-ID") == ["1", "2"]


def call_in_worker(host: str) -> None:
    """Runs in a child process: one blocking call, whose exception must reach the parent intact."""
    configuration = Configuration(host=host, retries=0, request_timeout=30)
    with titanium_airflow_client.sync.ApiClient(configuration) as client:
        titanium_airflow_client.sync.DAGApi(client).get_dag("d")


async def test_exceptions_raised_in_a_process_pool_worker_reach_the_parent_intact(fake_airflow: FakeAirflow) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        refused = f"http://127.0.0.1:{sock.getsockname()[1]}/api/v1"
    fake_airflow.reply(503, {"title": "busy", "status": 503}, content_type="application/problem+json",
                       headers={"X-Request-Id": "abc"})
    # spawn: the exception crosses by pickle alone, as on macOS and Windows.
    with concurrent.futures.ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        with pytest.raises(ApiConnectionError) as refused_error:
            await asyncio.wait_for(asyncio.wrap_future(pool.submit(call_in_worker, refused)), 120)
        # The pool survived it (an exception that cannot be unpickled breaks the pool: BrokenProcessPool).
        with pytest.raises(ServiceException) as status_error:
            await asyncio.wait_for(asyncio.wrap_future(pool.submit(call_in_worker, fake_airflow.host)), 120)
    connection = refused_error.value
    assert (connection.method, connection.url) == ("GET", f"{refused}/dags/d")
    assert str(connection).startswith(f"GET {refused}/dags/d failed: ") and connection.reason in str(connection)
    service = status_error.value
    assert (service.status, service.reason, service.method, service.url) == (
        503, "Service Unavailable", "GET", f"{fake_airflow.host}/dags/d")
    assert json.loads(service.body or b"") == {"title": "busy", "status": 503}
    assert service.headers is not None and service.headers["x-request-id"] == "abc"
    assert service.problem is not None and service.problem.title == "busy"


@pytest.mark.parametrize("timeout", [(5,), (), (1, 2, 3), [1, 2], [5]])
async def test_a_timeout_tuple_must_be_a_connect_read_pair(
    fake_airflow: FakeAirflow, api_client: ApiClient, timeout: Any
) -> None:
    with pytest.raises(ApiTypeError, match=r"^request_timeout must be seconds or a \(connect, read\) pair"):
        Configuration(request_timeout=timeout)
    configuration = Configuration()
    with pytest.raises(ApiTypeError, match=r"^request_timeout must be"):
        configuration.request_timeout = timeout
    assert configuration.request_timeout == 60.0
    with pytest.raises(ApiTypeError, match=r"^_request_timeout must be seconds or a \(connect, read\) pair"):
        await DAGApi(api_client).get_dag("d", _request_timeout=timeout)
    assert fake_airflow.requests == []


@pytest.mark.parametrize(
    "body",
    [b'{"dag_id": "d", "is_paused": tr', b"<html>proxy error</html>", b'{"dag_id": ["not", "a", "str"]}'],
)
async def test_undecodable_success_body_raises_decode_error(
    fake_airflow: FakeAirflow, api_client: ApiClient, body: bytes
) -> None:
    fake_airflow.reply(200, body=body)
    with pytest.raises(ApiDecodeError) as caught:
        await DAGApi(api_client).get_dag("d")
    assert caught.value.status == 200
    assert caught.value.body == body
    assert "cannot decode the response of get_dag() as DAG" in str(caught.value)


async def test_with_http_info_returns_the_whole_response(fake_airflow: FakeAirflow, api_client: ApiClient) -> None:
    fake_airflow.reply(200, {"dag_id": "d"}, headers={"X-Trace": "abc"})
    response = await DAGApi(api_client).get_dag_with_http_info("d", fields=["dag_id"])
    assert isinstance(response, ApiResponse)
    assert response.status_code == 200
    assert response.headers["X-Trace"] == "abc"
    assert response.data.dag_id == "d"
    assert response.raw_data == b'{"dag_id": "d"}'
    assert fake_airflow.last.raw_path == "/api/v1/dags/d?fields=dag_id"


async def test_with_http_info_of_a_delete_has_no_data(fake_airflow: FakeAirflow, api_client: ApiClient) -> None:
    fake_airflow.reply(204)
    response = await DAGApi(api_client).delete_dag_with_http_info("d")
    assert (response.status_code, response.data, response.raw_data) == (204, None, b"")


async def test_unknown_keyword_is_rejected_not_dropped(fake_airflow: FakeAirflow, api_client: ApiClient) -> None:
    with pytest.raises(ApiTypeError, match="get_dag\\(\\) got unexpected keyword argument\\(s\\): field"):
        await DAGApi(api_client).get_dag("d", field=["dag_id"])  # type: ignore[call-arg]
    assert fake_airflow.requests == []


async def test_connection_refused_raises_api_connection_error() -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    configuration = Configuration(host=f"http://127.0.0.1:{port}/api/v1", retries=0)
    async with ApiClient(configuration) as client:
        with pytest.raises(ApiConnectionError) as caught:
            await DAGApi(client).get_dag("d")
    assert f"GET http://127.0.0.1:{port}/api/v1/dags/d failed" in str(caught.value)
    assert caught.value.__cause__ is not None


async def test_slow_server_raises_api_timeout_error(fake_airflow: FakeAirflow, api_client: ApiClient) -> None:
    fake_airflow.reply(200, {"dag_id": "d"}, delay=NEVER)  # only the timeout can end these calls
    with pytest.raises(ApiTimeoutError) as caught:
        await asyncio.wait_for(DAGApi(api_client).get_dag("d", _request_timeout=0.2), DEADLINE)
    assert f"GET {fake_airflow.host}/dags/d timed out" in str(caught.value)
    assert isinstance(caught.value.__cause__, (asyncio.TimeoutError, TimeoutError))
    fake_airflow.reply(200, {"dag_id": "d"}, delay=NEVER)
    with pytest.raises(ApiTimeoutError):  # a (connect, read) pair bounds the read
        await asyncio.wait_for(DAGApi(api_client).get_dag("d", _request_timeout=(DEADLINE, 0.2)), DEADLINE)


@pytest.mark.parametrize("timeout", [0, -1, float("inf"), "5", (1, 2, 3), [1, 2]])
async def test_bad_timeouts_are_rejected(api_client: ApiClient, timeout: object) -> None:
    with pytest.raises((ApiTypeError, ApiValueError), match="_request_timeout"):
        await DAGApi(api_client).get_dag("d", _request_timeout=timeout)  # type: ignore[arg-type]


async def test_client_closes_without_unclosed_session_warning(fake_airflow: FakeAirflow) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        client = ApiClient(Configuration(host=fake_airflow.host))  # built anywhere, session made on use
        await DAGApi(client).get_dag("d")
        await client.close()
        await client.close()  # twice is fine


def test_configuration_repr_hides_secrets() -> None:
    text = repr(Configuration(username="u", password="hunter2", access_token=None))
    assert "hunter2" not in text and "password='***'" in text
    assert "tok-123" not in repr(Configuration(access_token="tok-123"))


@pytest.mark.parametrize("host", ["localhost:8080", "ftp://x", ""])
def test_configuration_rejects_bad_host(host: str) -> None:
    with pytest.raises(ApiValueError, match="host must be an http"):
        Configuration(host=host)


def test_configuration_defaults() -> None:
    configuration = Configuration()
    assert configuration.host == "http://localhost:8080/api/v1"
    assert configuration.verify_ssl is True
    assert configuration.retries == 2
    assert configuration.request_timeout == 60.0
    assert configuration.connection_pool_maxsize == 100


async def test_idempotent_request_is_retried_on_503_then_succeeds(fake_airflow: FakeAirflow) -> None:
    fake_airflow.reply(503, {"title": "busy"}, headers={"Retry-After": "0"})
    fake_airflow.reply(502, body=b"bad gateway", content_type="text/plain", headers={"Retry-After": "0"})
    fake_airflow.reply(200, {"dag_id": "d"})
    async with ApiClient(Configuration(host=fake_airflow.host, retries=2)) as client:
        dag = await DAGApi(client).get_dag("d")
    assert dag.dag_id == "d"
    assert len(fake_airflow.requests) == 3


async def test_retries_give_up_with_the_last_error(fake_airflow: FakeAirflow) -> None:
    for _ in range(3):
        fake_airflow.reply(503, {"title": "busy", "status": 503}, headers={"Retry-After": "0"})
    async with ApiClient(Configuration(host=fake_airflow.host, retries=1)) as client:
        with pytest.raises(ServiceException):
            await DAGApi(client).get_dag("d")
        assert len(fake_airflow.requests) == 2  # the first try and one retry
        fake_airflow.requests.clear()
        with pytest.raises(ServiceException):
            await DAGApi(client).get_dag("d", _retries=0)  # per-call override
        assert len(fake_airflow.requests) == 1


async def test_post_is_not_retried_after_reaching_the_server(fake_airflow: FakeAirflow) -> None:
    fake_airflow.reply(503, {"title": "busy"}, headers={"Retry-After": "0"})
    async with ApiClient(Configuration(host=fake_airflow.host, retries=3)) as client:
        with pytest.raises(ServiceException):
            await DAGRunApi(client).post_dag_run("d", DAGRun())
    assert len(fake_airflow.requests) == 1


@pytest.mark.parametrize("status", [400, 404, 500])
async def test_other_errors_are_not_retried(fake_airflow: FakeAirflow, status: int) -> None:
    fake_airflow.reply(status, {"title": "no"})
    async with ApiClient(Configuration(host=fake_airflow.host, retries=3)) as client:
        with pytest.raises(ApiException):
            await DAGApi(client).get_dag("d")
    assert len(fake_airflow.requests) == 1


async def test_retry_after_seconds_is_honoured(fake_airflow: FakeAirflow) -> None:
    fake_airflow.reply(429, {"title": "slow down"}, headers={"Retry-After": "1"})
    fake_airflow.reply(200, {"dag_id": "d"})
    loop = asyncio.get_running_loop()
    async with ApiClient(Configuration(host=fake_airflow.host, retries=1)) as client:
        started = loop.time()
        await DAGApi(client).get_dag("d")
        waited = loop.time() - started
    assert len(fake_airflow.requests) == 2
    assert waited >= 0.95  # the server asked for one second


def test_retry_delay_policy() -> None:
    from email.utils import formatdate

    from titanium_airflow_client.rest import BACKOFF_MAX, RETRY_AFTER_MAX, retry_delay

    assert retry_delay(1, "2") == 2.0
    assert retry_delay(1, "100000") == RETRY_AFTER_MAX
    assert retry_delay(1, "-5") == 0.0
    before = time.time()
    ten_seconds_on = int(before + 10)  # an HTTP date has whole seconds
    in_ten_seconds = retry_delay(1, formatdate(before + 10, usegmt=True))
    after = time.time()
    assert ten_seconds_on - after <= in_ten_seconds <= ten_seconds_on - before  # the date, seen from when it was read
    assert in_ten_seconds <= 10.0
    for attempt in range(1, 12):  # full jitter under an exponential cap
        assert 0.0 <= retry_delay(attempt, None) <= min(BACKOFF_MAX, 0.25 * 2 ** (attempt - 1))
    assert 0.0 <= retry_delay(1, "not a date") <= 0.25


async def test_refused_connection_is_retried_even_for_post(caplog: pytest.LogCaptureFixture) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    configuration = Configuration(host=f"http://127.0.0.1:{port}/api/v1", retries=2)
    caplog.set_level("DEBUG", logger="titanium_airflow_client")
    async with ApiClient(configuration) as client:
        with pytest.raises(ApiConnectionError):
            await DAGRunApi(client).post_dag_run("d", DAGRun())
    retries = [r.getMessage() for r in caplog.records if "; retry " in r.getMessage()]
    assert len(retries) == 2, retries
    assert all(message.startswith(f"POST http://127.0.0.1:{port}/api/v1/dags/d/dagRuns failed") for message in retries)
