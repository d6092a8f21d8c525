"""Error answers of Airflow 3 (FastAPI): ``{"detail": "..."}`` and 422's list of validation errors."""

from __future__ import annotations

import json
import pickle
from typing import Any, Optional

import pytest

from titanium_airflow_client import ApiClient, DAGApi, NotFoundException
from titanium_airflow_client.exceptions import (
    ApiException,
    ForbiddenException,
    UnprocessableEntityException,
    exception_for_status,
)
from titanium_airflow_client.validation import ValidationErrorItem

from .conftest import FakeAirflow

URL = "http://127.0.0.1:8080/api/v2/dags"
LIMIT_ERROR = {"type": "int_parsing", "loc": ["query", "limit"], "msg": "Input should be a valid integer",
               "input": "ten", "url": "https://errors.pydantic.dev/2.11/v/int_parsing"}
MISSING_ERROR = {"type": "missing", "loc": ["body", "dag_run_id"], "msg": "Field required",
                 "input": {"password": "secret-in-the-input"}}


def unprocessable(*items: Any) -> UnprocessableEntityException:
    error = exception_for_status(422)(422, "Unprocessable Entity", json.dumps({"detail": list(items)}).encode(),
                                      {"Content-Type": "application/json"}, method="GET", url=URL)
    assert isinstance(error, UnprocessableEntityException)
    return error


def test_422_maps_to_unprocessable_entity_with_typed_errors() -> None:
    error = unprocessable(LIMIT_ERROR, MISSING_ERROR)
    assert isinstance(error, ApiException) and error.status == 422
    assert error.errors == [ValidationErrorItem.model_validate(LIMIT_ERROR), ValidationErrorItem.model_validate(
        MISSING_ERROR)]
    first = error.errors[0]
    assert (first.type, first.loc, first.msg, first.input, first.where) == (
        "int_parsing", ["query", "limit"], "Input should be a valid integer", "ten", "query.limit")
    assert first.url is not None and first.ctx is None
    assert error.detail == "query.limit: Input should be a valid integer; body.dag_run_id: Field required"
    text = str(error)
    assert "Detail: query.limit: Input should be a valid integer; body.dag_run_id: Field required" in text
    assert f"Request: GET {URL}" in text
    assert "secret-in-the-input" not in text and "secret-in-the-input" not in repr(error.errors)  # input is not shown


def test_str_of_many_validation_errors_shows_the_first_three() -> None:
    error = unprocessable(*({"type": "missing", "loc": ["body", f"f{i}"], "msg": "Field required"} for i in range(5)))
    assert len(error.errors) == 5
    assert "Detail: body.f0: Field required; body.f1: Field required; body.f2: Field required; and 2 more" in str(error)
    assert error.detail is not None and error.detail.count("Field required") == 5


def test_422_with_a_string_detail_and_items_that_are_not_errors() -> None:
    error = exception_for_status(422)(422, "Unprocessable Entity", b'{"detail": "Invalid cursor"}')
    assert isinstance(error, UnprocessableEntityException)
    assert error.errors == [] and error.detail == "Invalid cursor" and "Detail: Invalid cursor" in str(error)
    odd = unprocessable("not an error", {"loc": "not a list"}, LIMIT_ERROR)
    assert [item.type for item in odd.errors] == ["int_parsing"]  # the rest stays in .body


@pytest.mark.parametrize("body", [b"<html>422</html>", b"", b'{"detail": 5}', b"[1, 2]", b'{"detail": ['])
def test_422_without_fastapi_details_keeps_the_raw_body(body: bytes) -> None:
    error = exception_for_status(422)(422, "Unprocessable Entity", body)
    assert isinstance(error, UnprocessableEntityException)
    assert (error.errors, error.detail) == ([], None)
    assert error.body == body


def test_a_fastapi_string_detail_shows_in_every_error_message() -> None:
    error = exception_for_status(403)(403, "Forbidden", b'{"detail": "Invalid JWT token"}', method="GET", url=URL)
    assert isinstance(error, ForbiddenException)
    assert error.detail == "Invalid JWT token"
    assert str(error) == f"(403)\nReason: Forbidden\nRequest: GET {URL}\nDetail: Invalid JWT token"


def test_an_airflow_3_detail_object_shows_its_message_or_itself() -> None:
    # GET .../taskInstances?task_group_id=<unknown> on Airflow 3.3 (see test/integration_v2).
    body = b'{"detail": {"reason": "not_found", "message": "Task group nope not found"}}'
    error = exception_for_status(404)(404, "Not Found", body, method="GET", url=URL)
    assert isinstance(error, NotFoundException) and error.detail == "Task group nope not found"
    assert str(error).endswith("\nDetail: Task group nope not found")
    conflict = {"reason": "Unique constraint violation", "statement": "INSERT INTO pool ...", "orig_error": "dup"}
    error = exception_for_status(409)(409, "Conflict", json.dumps({"detail": conflict}).encode())
    assert error.detail is not None and json.loads(error.detail) == conflict  # nothing of it is lost


def test_an_rfc_7807_problem_shows_as_before() -> None:
    problem = {"title": "DAG not found", "detail": "DAG with dag_id: 'd' not found", "status": 404, "type": "x"}
    error = exception_for_status(404)(404, "NOT FOUND", json.dumps(problem).encode())
    assert error.problem is not None and error.problem.title == "DAG not found"
    assert error.detail == "DAG with dag_id: 'd' not found"
    assert "Problem: DAG not found: DAG with dag_id: 'd' not found" in str(error)


@pytest.mark.parametrize("detail", [None, ""])
def test_a_problem_without_detail_shows_its_title_alone(detail: Optional[str]) -> None:
    # Airflow 2.11 refuses a missing permission with {"title": "Forbidden", "detail": null, ...}.
    problem = {"title": "Forbidden", "detail": detail, "status": 403, "type": "x"}
    error = exception_for_status(403)(403, "FORBIDDEN", json.dumps(problem).encode(), method="PATCH", url=URL)
    assert isinstance(error, ForbiddenException)
    assert str(error).splitlines()[-1] == "Problem: Forbidden"
    assert "None" not in str(error)


def test_validation_errors_survive_pickle() -> None:
    error = unprocessable(LIMIT_ERROR)
    clone = pickle.loads(pickle.dumps(error))
    assert type(clone) is UnprocessableEntityException
    assert (clone.errors, clone.detail, str(clone)) == (error.errors, error.detail, str(error))


async def test_a_422_answer_raises_unprocessable_entity(fake_airflow: FakeAirflow, api_client: ApiClient) -> None:
    fake_airflow.reply(422, {"detail": [LIMIT_ERROR]})
    with pytest.raises(UnprocessableEntityException) as caught:
        await DAGApi(api_client).get_dag("d")
    assert caught.value.errors[0].where == "query.limit"
    fake_airflow.reply(404, {"detail": "The Dag with ID: `d` was not found"})
    with pytest.raises(NotFoundException, match="Detail: The Dag with ID: `d` was not found"):
        await DAGApi(api_client).get_dag("d")
