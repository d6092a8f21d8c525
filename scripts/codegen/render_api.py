"""Python source of the API modules (async and blocking) and the package exports."""

from __future__ import annotations

from typing import Dict, List, Optional, Set, Tuple

from . import naming
from .models import ModelDef
from .operations import OperationDef, ParamDef
from .target import CORE, Target
from .text import docstring, first_paragraph, literal, new_in, summary_line, tuple_literal

PACKAGE = CORE  # v1's package: the docs pages (v1 only) name it
_ANNOTATIONS = {
    "str": "str",
    "int": "int",
    "bool": "bool",
    "float": "float",
    "datetime": "DateTimeArg",
    "list": "List[str]",
    "int_list": "List[int]",
    "csv": "List[str]",
}


def api_module(tag: str) -> str:
    return naming.snake(naming.api_class(tag))


def method_returns(op: OperationDef, variant: str) -> str:
    """What the method of ``variant`` ("", "_text" or "_stream") returns: one NDJSON line's model when it streams."""
    if variant == "_text":
        return "str"
    if variant == "_stream" or op.streams_only:
        return op.stream or "None"
    return op.returns or "None"


def _type_text(returns: str) -> str:
    """How a signature names a type: a model through the lazy ``models`` package (``models.DAG``), so that
    the module declaring a method imports none of its models; ``str`` and ``None`` as they are."""
    return returns if returns in ("None", "str") else f"models.{returns}"


def _declared(returns: str) -> str:
    """How an endpoint declares a type: a model as a function returning it, called on the endpoint's first use."""
    return returns if returns in ("None", "str") else f"lambda: models.{returns}"


def _streams(op: OperationDef, variant: str) -> bool:
    return variant == "_stream" or (variant == "" and op.streams_only)


def _endpoint_declaration(op: OperationDef, variant: str = "") -> Tuple[str, str]:
    """(constant name, declaration) of one endpoint; ``variant`` "_text" is the text/plain form, "_stream" NDJSON."""
    constant = naming.constant(op.operation_id + variant)
    name = op.operation_id + variant
    returns = method_returns(op, variant)
    args = [literal(name), literal(op.method), literal(op.path), _declared(returns)]
    queries = [p for p in op.params if p.location == "query"]
    if queries:
        args.append("query=" + tuple_literal([_query(p) for p in queries]))
    body = op.body
    if body is not None:
        extra = ""
        if op.body_required_fields:
            extra += ", required=" + tuple_literal([literal(f) for f in op.body_required_fields])
        if not body.required:
            extra += ", optional=True"
        args.append(f"body=Body({literal(body.name)}, {_declared(body.kind)}{extra})")
    headers = [p for p in op.params if p.location == "header"]
    if headers:
        args.append("headers=" + tuple_literal([f"({literal(p.name)}, {literal(p.header or '')})" for p in headers]))
    slash = [p.name for p in op.params if p.location == "path" and p.slash]
    if slash:
        args.append("slash_params=" + tuple_literal([literal(n) for n in slash]))
    ints = [p.name for p in op.params if p.location == "path" and p.kind == "int"]
    if ints:
        args.append("int_params=" + tuple_literal([literal(n) for n in ints]))
    if variant == "_text":
        args.append('accept="text/plain"')
    elif _streams(op, variant):
        args.append('accept="application/x-ndjson"')
    elif op.paging is not None:
        paging = op.paging
        parts = [literal(paging.items)]
        if paging.limit:
            parts += [f"limit={literal(paging.limit)}", f"offset={literal(paging.offset or '')}"]
        if paging.form:
            parts.append(f"form={literal(paging.form)}")
        if paging.cursor:
            parts.append(f"cursor={literal(paging.cursor)}")
        args.append(f"paging=Paging({', '.join(parts)})")
    if op.auth != "basic":
        args.append(f"auth={literal(op.auth)}")
    if op.since:
        args.append(f"since={literal(op.since)}")
    annotation = f": Endpoint[{returns}]" if returns in ("None", "str") else ""
    return constant, f"{constant}{annotation} = Endpoint({', '.join(args)})"


def _query(param: ParamDef) -> str:
    extra = ""
    if param.minimum is not None and param.kind == "int":
        extra += f", minimum={param.minimum}"
    if param.required:
        extra += ", required=True"
    if param.since:
        extra += f", since={literal(param.since)}"
    return f"Query({literal(param.name)}, {literal(param.kind)}{extra})"


def _annotation(param: ParamDef) -> str:
    if param.location == "path":
        return param.kind
    if param.location == "body":
        text = f"Union[{_type_text(param.kind)}, Dict[str, Any]]"
    elif param.location == "header":
        text = "str"
    else:
        text = _ANNOTATIONS[param.kind]
    return text if param.required else f"Optional[{text}]"


def _default(param: ParamDef) -> object:
    """A parameter's default in the signature: a list one (``order_by=["id"]``) is None, which leaves it to
    the server (the same value, and no mutable default). So is that of a parameter newer than the oldest
    supported server (``get_xcom_entry(stringify=True)``, 2.10): sent only when given, so a call that does not
    use it works on the older server too."""
    return None if isinstance(param.default, list) or param.since else param.default


def _server_default_said(param: ParamDef) -> bool:
    """The docstring says the server's default where the signature's None leaves it to the server."""
    return param.default is not None and _default(param) is None


def _signature(op: OperationDef, returns: str, name: str, streams: bool) -> str:
    parts = ["self"]
    for param in op.params:
        default = "" if param.required else f" = {_default(param)!r}"
        parts.append(f"{param.name}: {_annotation(param)}{default}")
    parts.append("**options: Unpack[RequestOptions]")
    returns = _type_text(returns)
    head, returns = ("def", f"AsyncIterator[{returns}]") if streams else ("async def", returns)
    return f"    {head} {name}(\n        " + ",\n        ".join(parts) + f",\n    ) -> {returns}:\n"


def _method_doc(op: OperationDef, variant: str) -> str:
    lines = [summary_line(op.summary, op.operation_id)]
    description = op.description
    if description:
        lines += ["", description]
    if op.since:
        lines += ["", new_in(op.since)]
    if variant == "_text":
        lines += ["", f"The text/plain form of :meth:`{op.operation_id}`: returns the answer as text."]
    elif _streams(op, variant):
        of = f" of :meth:`{op.operation_id}`" if variant else ""
        lines += [
            "",
            f"The NDJSON form{of}: an async iterator of one ``{op.stream}`` per line, as the server sends them;"
            " leaving the ``async for`` closes the response.",
        ]
    params = [p for p in op.params]
    if params:
        lines.append("")
        for param in params:
            text = first_paragraph(param.description) or f"The {param.name.replace('_', ' ')}."
            if _server_default_said(param):
                text = f"{text.rstrip('.')}. The server's default: ``{param.default!r}``."
            if param.location == "body":
                text = f"``{param.kind}(...)`` or an equivalent dict. {text}".strip()
            if param.since:
                text = f"{text.rstrip('.')}. {new_in(param.since)}"
            lines.append(f":param {param.name}: {text}".rstrip())
    return docstring("\n".join(lines), 8)


def _method(op: OperationDef, variant: str = "") -> str:
    constant, _ = _endpoint_declaration(op, variant)
    name = op.operation_id + variant
    streams = _streams(op, variant)
    call = f"self._stream({constant}, locals())" if streams else f"await self._call({constant}, locals())"
    return (
        _signature(op, method_returns(op, variant), name, streams)
        + _method_doc(op, variant)
        + f"        return {call}\n"
    )


def render_api(
    target: Target, tag: str, ops: List[OperationDef], models: Dict[str, ModelDef], description: Optional[str]
) -> str:
    cls = naming.api_class(tag)
    typing_names: Set[str] = set()
    endpoint_names = {"Endpoint"}
    uses_models = False
    declarations: List[str] = []
    constants: List[str] = []
    methods: List[str] = []
    twins: List[str] = []
    need_datetime = False
    for op in ops:
        for variant in op.variants:
            constant, declaration = _endpoint_declaration(op, variant)
            declarations.append(declaration)
            constants.append(constant)
            methods.append(_method(op, variant))
            if _streams(op, variant):
                typing_names.add("AsyncIterator")  # a stream has no http-info twin: its answer is never whole
            else:
                twins.append(
                    f"    {op.operation_id + variant}_with_http_info = with_http_info({op.operation_id + variant})"
                )
        uses_models = uses_models or bool(op.returns or op.stream)
        for param in op.params:
            if param.location == "query":
                endpoint_names.add("Query")
            if param.location == "body":
                endpoint_names.add("Body")
                uses_models = True
                typing_names |= {"Any", "Dict", "Union"}
            if param.kind in ("list", "int_list", "csv"):
                typing_names.add("List")
            if param.kind == "datetime":
                need_datetime = True
            if not param.required:
                typing_names.add("Optional")
        if op.paging is not None:
            endpoint_names.add("Paging")
    if need_datetime:
        endpoint_names.add("DateTimeArg")
    # The package, not the models: each model is imported when first used (see _type_text).
    model_imports = f"from {target.package} import models\n" if uses_models else ""
    typing_line = f"from typing import {', '.join(sorted(typing_names))}\n\n" if typing_names else ""
    about = first_paragraph(description or "") or f"The {tag} endpoints"
    if "AsyncIterator" in typing_names:
        habits = (
            "Every method is a coroutine, but for the NDJSON streams, which are async iterators. Besides its own "
            "parameters each takes the per-call options ``_request_timeout``, ``_headers`` and ``_retries``; each "
            "coroutine has a ``<method>_with_http_info`` twin returning an :class:`ApiResponse`."
        )
    else:
        habits = (
            "Every method is a coroutine. Besides its own parameters each takes the "
            "per-call options ``_request_timeout``, ``_headers`` and ``_retries``, and has a "
            "``<method>_with_http_info`` twin returning an :class:`ApiResponse`."
        )
    class_doc = f"{about.rstrip('.')}.\n\n{habits}"
    return (
        f'"""{cls}: the {tag} endpoints of the Airflow REST API ({target.airflow})."""\n\n{target.header}\n\n'
        "from __future__ import annotations\n\n"
        f"{typing_line}"
        "from typing_extensions import Unpack\n\n"
        f"from {CORE}.api._base import BaseApi, with_http_info\n"
        f"from {CORE}.api_client import RequestOptions\n"
        f"from {CORE}.endpoint import {', '.join(sorted(endpoint_names))}\n"
        f"{model_imports}\n\n" + "\n".join(declarations) + "\n\nENDPOINTS = " + tuple_literal(constants) + "\n\n\n"
        f"class {cls}(BaseApi):\n{docstring(class_doc, 4)}\n    endpoints = ENDPOINTS\n\n"
        + "\n".join(methods)
        + "\n"
        + "\n".join(twins)
        + "\n"
    )


def render_sync_api(target: Target, tag: str, ops: List[OperationDef]) -> str:
    cls = naming.api_class(tag)
    module = api_module(tag)
    names: List[str] = []
    streams: List[str] = []
    for op in ops:
        for variant in op.variants:
            (streams if _streams(op, variant) else names).append(op.operation_id + variant)
    lines = [f"    {n} = blocking(Async{cls}.{n})" for n in names]
    lines += [f"    {n} = blocking_iterator(Async{cls}.{n})" for n in streams]
    lines += [""] + [f"    {n}_with_http_info = blocking(Async{cls}.{n}_with_http_info)" for n in names]
    helpers = "BlockingApi, blocking" + (", blocking_iterator" if streams else "")
    return (
        f'"""{cls} with blocking calls."""\n\n{target.header}\n\n'
        "from __future__ import annotations\n\n"
        f"from {target.package}.api.{module} import {cls} as Async{cls}\n"
        f"from {CORE}.sync.client import {helpers}\n\n\n"
        f"class {cls}(BlockingApi):\n"
        f'    """The {tag} endpoints with blocking calls: the async {cls} run on the client\'s loop."""\n\n'
        f"    _async_class = Async{cls}\n\n" + "\n".join(lines) + "\n"
    )


def render_lazy_init(target: Target, package: str, doc: str, exports: Dict[str, str]) -> str:
    """A package ``__init__`` whose names are imported on first use (PEP 562)."""
    names = sorted(exports, key=lambda n: (exports[n], n))
    checking = "\n".join(
        f"    import {exports[n]} as {n}" if _is_module(exports[n], n) else f"    from {exports[n]} import ({n} as {n})"
        for n in names
    )
    table = "\n".join(f"    {literal(n)}: {literal(exports[n][len(CORE) + 1 :])}," for n in names)
    listing = "\n".join(f"    {literal(n)}," for n in sorted(exports, key=lambda n: (n != "__version__", n)))
    return (
        f'"""{doc}"""\n\n{target.header}\n\n'
        "from typing import TYPE_CHECKING\n\n"
        f"from {CORE}._lazy import lazy_exports\n\n"
        f"if TYPE_CHECKING:\n{checking}\n\n"
        f"_EXPORTS = {{\n{table}\n}}\n\n__all__ = [\n{listing}\n]\n\n"
        "__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)\n"
    )


def _is_module(module: str, name: str) -> bool:
    """Whether the export ``name`` is the module itself (``models``), not a name defined in it."""
    return module.rsplit(".", 1)[-1] == name
