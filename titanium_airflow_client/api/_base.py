"""What every API class shares: the single call into the ApiClient, and the http-info twins."""

from __future__ import annotations

import inspect
import typing
from typing import Any, AsyncIterator, Callable, ClassVar, Coroutine, Mapping, Optional, Protocol, Tuple, TypeVar

from typing_extensions import Concatenate, ParamSpec

from titanium_airflow_client.api_client import ApiClient
from titanium_airflow_client.api_response import ApiResponse
from titanium_airflow_client.endpoint import Endpoint
from titanium_airflow_client.exceptions import ApiTypeError

T = TypeVar("T")
P = ParamSpec("P")
ApiT = TypeVar("ApiT", bound="BaseApi")


class _DataCall(Protocol):
    def __call__(self, endpoint: Endpoint[T], arguments: Mapping[str, Any], /) -> Coroutine[Any, Any, T]: ...


class BaseApi:
    """An API class: one method per endpoint, each a signature, a docstring and ``self._call``."""

    # The endpoints this class's methods call, declared in its module.
    endpoints: ClassVar[Tuple[Endpoint[Any], ...]] = ()

    def __init__(self, api_client: ApiClient) -> None:
        if not isinstance(api_client, ApiClient):
            raise ApiTypeError(f"{type(self).__name__} needs an ApiClient, got {type(api_client).__name__}")
        self.api_client = api_client
        self._http_info_view = _HttpInfoView(api_client)
        # What every method calls: the client's call_data itself, so that a call passes through no
        # function of this class, and its coroutine is the client's (no frame of ours on each resume).
        self._call: _DataCall = api_client.call_data

    def _stream(self, endpoint: Endpoint[T], arguments: Mapping[str, Any]) -> AsyncIterator[T]:
        """The items of an NDJSON answer as they arrive (see ``ApiClient.stream``); the arguments are
        checked now, the request goes out when iteration starts."""
        return self.api_client.stream(endpoint, arguments)


def endpoint_of(api: BaseApi, name: str) -> Optional[Endpoint[Any]]:
    """The endpoint the method ``name`` of ``api`` calls, if it is one of its class's."""
    return next((endpoint for endpoint in api.endpoints if endpoint.operation_id == name), None)


class _HttpInfoView:
    """Stands in for ``self`` when a method runs as its ``_with_http_info`` twin: its
    ``_call`` hands back the whole ApiResponse instead of only the data."""

    __slots__ = ("api_client",)

    def __init__(self, api_client: ApiClient) -> None:
        self.api_client = api_client

    async def _call(self, endpoint: Endpoint[T], arguments: Mapping[str, Any]) -> ApiResponse[T]:
        return await self.api_client.call(endpoint, arguments)


def with_http_info(
    method: Callable[Concatenate[ApiT, P], Coroutine[Any, Any, T]],
) -> Callable[Concatenate[ApiT, P], Coroutine[Any, Any, ApiResponse[T]]]:
    """The ``<method>_with_http_info`` twin of an API method: same parameters, same
    request, but it returns the :class:`ApiResponse` (status_code, headers, data, raw_data)."""

    async def twin(self: ApiT, /, *args: P.args, **kwargs: P.kwargs) -> ApiResponse[T]:
        # The method body is `return await self._call(...)`; run it against the view.
        result: Any = await method(self._http_info_view, *args, **kwargs)  # type: ignore[arg-type]
        return result  # type: ignore[no-any-return]

    name = f"{method.__name__}_with_http_info"
    twin.__name__ = name
    twin.__qualname__ = method.__qualname__.rsplit(".", 1)[0] + "." + name
    twin.__module__ = method.__module__
    twin.__doc__ = (
        f"Same as :meth:`{method.__name__}`, returning an :class:`ApiResponse` with "
        f"status_code, headers, data and raw_data.\n\n{method.__doc__ or ''}"
    )
    # ApiResponse["models.DAG"] holds a forward reference, resolved with the method's other annotations.
    copy_signature(method, twin, wrap_return=lambda returns: ApiResponse.__class_getitem__(returns))  # type: ignore[attr-defined]
    return twin


def copy_signature(
    source: Callable[..., Any], target: Callable[..., Any], wrap_return: Callable[[Any], Any] = lambda t: t
) -> None:
    """Give ``target`` the parameters and types of ``source``, so that help(), inspect.signature() and
    typing.get_type_hints() show them on the derived method.

    The annotations are copied as written (text, e.g. ``"models.DAG"``), not resolved: resolving would
    import every model a class names when the class is defined. ``__wrapped__`` points
    typing.get_type_hints() at ``source``'s module to resolve them in.
    """
    signature = inspect.signature(source)
    # From the annotations, not the signature: a twin's signature shows its return type as text (_as_text).
    returns = wrap_return(source.__annotations__.get("return", signature.return_annotation))
    target.__annotations__ = {**source.__annotations__, "return": returns}
    target.__signature__ = signature.replace(return_annotation=_as_text(returns))  # type: ignore[attr-defined]
    target.__wrapped__ = source  # type: ignore[attr-defined]


def _as_text(annotation: Any) -> Any:
    """``ApiResponse[ForwardRef("models.DAG")]`` as ``"ApiResponse[models.DAG]"``: as help() shows the other
    annotations, which are text."""
    args = typing.get_args(annotation)
    if not args or not all(isinstance(arg, typing.ForwardRef) for arg in args):
        return annotation
    origin = typing.get_origin(annotation)
    return f"{origin.__name__}[{', '.join(arg.__forward_arg__ for arg in args)}]"
