"""docs/<Api>.md: one page per API class, in the seed pages' layout (test/seeds/), from one template.

Per method: the signature, summary and description, a complete example, the parameters, the
return type, authorization, the HTTP headers and the response statuses with the exception each
raises. Text comes from the spec, amended by spec/v1-docs.yaml (prose.py); the examples come from
api_examples.py, already formatted, passed in as python source.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from . import naming
from .api_examples import seed_type
from .docs_index import DocsIndex
from .markdown import MARKER, cell, link
from .operations import OperationDef, ParamDef
from .prose import OperationProse, Prose
from .render_api import PACKAGE
from .text import new_in

COMMON = """\
All URIs are relative to the Configuration's `host` (default `http://localhost:8080/api/v1`).
The examples are complete scripts for the project's local Airflow at `http://127.0.0.1:28080/api/v1`
(user `admin`, password `admin`), which `make up` starts; they use the DAGs in `test/dags/` and raise on any error.
What they create, change or delete is named `docs_example_*`, and the runs they read are finished runs with such
names (`test/integration/test_doc_examples.py` prepares them); the seeded `tit_variable`, `tit_pool` and
`tit_connection` are only read.

Every method is a coroutine (`await` it inside `async with ApiClient(...)`). Besides the parameters listed, each
takes the per-call keyword options `_request_timeout` (seconds, or a `(connect, read)` pair), `_headers` (extra
headers for this call; they win over all others) and `_retries` (overrides `Configuration.retries`), and has a
`<method>_with_http_info` twin with the same parameters that returns an
[`ApiResponse`](../titanium_airflow_client/api_response.py) (`status_code`, `headers`, `data`, `raw_data`).
An error status raises an `ApiException` subclass whose `status`, `body` and `problem` (an [Error](Error.md))
tell what went wrong: 400 `BadRequestException`, 401 `UnauthorizedException`, 403 `ForbiddenException`,
404 `NotFoundException`, 409 `ConflictException`, 5xx `ServiceException`. Arguments the client can tell are wrong
raise `ApiTypeError` or `ApiValueError` before anything is sent."""

AUTHORIZATION = (
    "HTTP Basic (`username`/`password`) or Bearer (`access_token`), from the Configuration; sent on every request"
)
BACK = (
    "[[Back to top]](#) [[Back to API list]](../README.md#endpoints) [[Back to Model list]](../README.md#models) "
    "[[Back to README]](../README.md)"
)
# The seed pages name the return types of these tags' operations "TitaniumTitanium…".
SEED_RETURN_TAGS = frozenset({"DAGRun"})

_EXCEPTIONS = {
    400: "BadRequestException",
    401: "UnauthorizedException",
    403: "ForbiddenException",
    404: "NotFoundException",
    409: "ConflictException",
}
_PARAM_TYPES = {"datetime": "datetime", "list": "List[str]", "csv": "List[str]"}


def exception_for(status: int) -> Optional[str]:
    if status < 400:
        return None
    return "ServiceException" if status >= 500 else _EXCEPTIONS.get(status, "ApiException")


class ApiPages:
    def __init__(self, index: DocsIndex, prose: Prose, responses: Dict[str, Dict[str, Any]]) -> None:
        self.index = index
        self.prose = prose
        self.responses = responses  # operation id → the spec's responses, resolved: status → description

    def page(self, tag: str, examples: Dict[str, str]) -> str:
        """The page of one tag; ``examples`` maps method name → formatted example source."""
        api = naming.api_class(tag)
        methods = self.methods(tag)
        lines = [MARKER, f"# {PACKAGE}.{api}", ""]
        if tag in self.prose.pages:
            lines += [self.prose.pages[tag], ""]
        lines += [COMMON, "", "Method | HTTP request | Description", "------------- | ------------- | -------------"]
        for op, variant in methods:
            name = op.operation_id + variant
            lines.append(f"[**{name}**]({api}.md#{name}) | **{op.method}** {op.path} | {self._summary(op, variant)}")
        lines += ["", ""]
        for op, variant in methods:
            lines += self._method(tag, op, variant, examples[op.operation_id + variant])
        return "\n".join(lines)

    def methods(self, tag: str) -> List[tuple[OperationDef, str]]:
        """(operation, "" or "_text") of every method of the tag's class, sorted by name."""
        found = []
        for op in self.index.by_tag[tag]:
            found.append((op, ""))
            if op.text:
                found.append((op, "_text"))
        return sorted(found, key=lambda pair: pair[0].operation_id + pair[1])

    def _summary(self, op: OperationDef, variant: str) -> str:
        summary = op.summary or op.operation_id
        return f"{summary.rstrip('.')} (as text)" if variant else summary

    def _method(self, tag: str, op: OperationDef, variant: str, example: str) -> List[str]:
        name = op.operation_id + variant
        prose = self.prose.operation(op.operation_id)
        arguments = ", ".join(p.name if p.required else f"{p.name}={p.name}" for p in op.params)
        returns = "str" if variant else op.returns
        description = prose.description_for(op.description, op.summary)
        if variant:
            description = (
                f"The `text/plain` form of [`{op.operation_id}`](#{op.operation_id}): the same request with "
                f"`Accept: text/plain`, and the answer's text as a `str`."
            )
        lines = [f"# **{name}**", f"> {returns + ' ' if returns else ''}{name}({arguments})", ""]
        lines += [self._summary(op, variant), ""]
        if description:
            lines += [description, ""]
        if op.since:
            lines += [f"*{new_in(op.since)}*", ""]
        lines += ["### Example", "", "", "```python", example.rstrip("\n"), "```", "", "", ""]
        lines += ["### Parameters", "", "", *self._parameters(op, prose), ""]
        lines += ["### Return type", "", self._return_type(tag, op, variant), ""]
        lines += ["### Authorization", "", AUTHORIZATION, ""]
        content_type = "application/json" if op.body is not None else "Not defined"
        accept = "text/plain" if variant else (prose.accept or "application/json")
        lines += [
            "### HTTP request headers",
            "",
            f" - **Content-Type**: {content_type}",
            f" - **Accept**: {accept}",
            "",
        ]
        lines += ["### HTTP response details", "", "| Status code | Description | Response headers |"]
        lines += ["|-------------|-------------|------------------|"]
        lines += self._statuses(op, prose)
        lines += ["", BACK, ""]
        return lines

    def _parameters(self, op: OperationDef, prose: OperationProse) -> List[str]:
        if not op.params:
            return ["This endpoint does not need any parameter."]
        rows = ["Name | Type | Description  | Notes", "------------- | ------------- | ------------- | -------------"]
        for param in op.params:
            description = prose.params.get(param.name, param.description)
            seed = seed_type(op, param) if param.location == "body" else ""
            if seed:
                description = f"{description} The seed's `{seed}`, the same class.".strip()
            notes = "" if param.required else "[optional]"
            if param.default is not None:
                notes += f" [default to {param.default!r}]"
            if param.since:
                notes += f" [{new_in(param.since).rstrip('.')}]"
            rows.append(f" **{param.name}** | {self._param_type(param)}| {cell(description)} | {notes}".rstrip())
        return rows

    def _param_type(self, param: ParamDef) -> str:
        if param.location == "body":
            return f"{link(param.kind)} or dict"
        return f"**{_PARAM_TYPES.get(param.kind, param.kind)}**"

    def _return_type(self, tag: str, op: OperationDef, variant: str) -> str:
        if variant:
            return "**str**: the answer's text (`text/plain`)"
        if op.returns is None:
            return "void (empty response body): the method returns `None`."
        text = link(op.returns)
        seed = f"TitaniumTitanium{op.returns}"
        if tag in SEED_RETURN_TAGS and seed in naming.SEED_ALIASES:
            page = self.index.alias_page(op.returns)
            text += f" (the seed's `{seed}`, the same class; see [{page}]({page}.md))"
        return text

    def _statuses(self, op: OperationDef, prose: OperationProse) -> List[str]:
        spec = self.responses[op.operation_id]
        rows = []
        for status in sorted(set(spec) | set(prose.responses), key=int):
            text = prose.response_for(status, spec.get(status))
            if text is None:
                continue
            exception = exception_for(int(status))
            if exception:
                text = f"{text.rstrip('.')} (`{exception}`)."
            rows.append(f"**{status}** | {cell(text)} |  -  |")
        return rows
