"""What every model shares: tolerant parsing, request encoding and the wire form of datetimes.

Models are the bottom layer: they import nothing from the rest of the package.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone
from enum import Enum
from typing import Any, ClassVar, Dict, Optional, Union, get_args

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer
from pydantic_core import to_jsonable_python
from typing_extensions import Annotated, Self

_MINUTE = timedelta(minutes=1)


def format_datetime(value: datetime) -> str:
    """RFC 3339 text Airflow accepts, e.g. ``2026-01-01T00:00:00+00:00``.

    A naive datetime is taken to be UTC (Airflow's own default time zone), so
    the result never depends on the client machine's local zone.
    """
    offset = value.utcoffset()
    if offset is None:
        value = value.replace(tzinfo=timezone.utc)
    elif offset % _MINUTE:  # RFC 3339 offsets are whole minutes (old local mean times are not)
        try:
            value = value.astimezone(timezone.utc)
        except OverflowError:
            raise ValueError(f"{value.isoformat()} is out of range once expressed in UTC") from None
    return value.isoformat()


def check_json_value(value: object, where: str) -> None:
    """Raise ValueError naming ``where`` when ``value`` is not plain JSON data.

    Plain JSON data is dict with str keys, list, tuple, str, int, finite float, bool and None.
    Anything else (a set, a Decimal, a datetime, a NaN, an int key...) would reach the server
    changed or not at all, so it is refused rather than converted silently.
    """
    if value is None or isinstance(value, (str, int)):  # bool is an int
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{where} is {value!r}, which JSON cannot represent")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise ValueError(f"{where} has the key {key!r} ({type(key).__name__}); JSON keys are str")
            check_json_value(item, f"{where}[{key!r}]")
        return
    if isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            check_json_value(item, f"{where}[{index}]")
        return
    raise ValueError(
        f"{where} is a {type(value).__name__}, which JSON cannot represent as it is; convert it first"
        " (to a list, str, int or float)"
    )


def _is_free_form(annotation: object) -> bool:
    """Whether a field's type holds ``Any`` somewhere (``Dict[str, Any]``): values pydantic does not check."""
    return annotation is Any or any(_is_free_form(arg) for arg in get_args(annotation))


# The serializer only runs when a request is encoded; parsing stays in pydantic-core.
DateTime = Annotated[datetime, PlainSerializer(format_datetime, return_type=str, when_used="json")]

# A count the server dumps as a float (``1.0``): whole values become int, a fraction stays a float
# rather than failing the whole answer.
WholeNumber = Annotated[Union[int, float], Field(union_mode="left_to_right")]


def _holds_model(value: object) -> bool:
    """Whether ``value`` is an ApiModel or a list/tuple/dict holding one (at any depth)."""
    if isinstance(value, ApiModel):
        return True
    if isinstance(value, (list, tuple)):
        return any(_holds_model(item) for item in value)
    if isinstance(value, dict):
        return any(_holds_model(item) for item in value.values())
    return False


def _request_value(value: Any) -> Any:
    """JSON-ready form of a field's value, nested models as their own request bodies."""
    if isinstance(value, ApiModel):
        return value.to_request_body()
    if isinstance(value, (list, tuple)):
        return [_request_value(item) for item in value]
    if isinstance(value, dict):
        return {key: _request_value(item) for key, item in value.items()}
    return to_jsonable_python(value)


class ApiEnum(str, Enum):
    """String enum that keeps values this client does not know instead of failing.

    ``DagState("restarting_v9")`` returns a pseudo-member whose ``value`` is the
    server's text; it compares equal to that string and is not listed by
    iteration over the enum.
    """

    @classmethod
    def _missing_(cls, value: object) -> Optional[ApiEnum]:
        if not isinstance(value, str):
            return None
        member = str.__new__(cls, value)
        member._name_ = value.upper()
        member._value_ = value
        return member

    def __str__(self) -> str:
        return str(self.value)


class ApiModel(BaseModel):
    """Base of every request and response model.

    - Unknown fields (from newer servers) are kept, not dropped: ``model_extra``.
    - Every field is optional, so partial objects (``fields=...``) parse.
    - Requests carry only the fields the caller set, never read-only ones,
      plus the fields the server needs even though the spec calls them optional.
    """

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
        protected_namespaces=(),
        # NaN and infinities stay floats when dumped, so encoding a request refuses them
        # (JSON has no such values) instead of pydantic's default of silently sending null.
        ser_json_inf_nan="constants",
        # Validators are built when a model is first used, not when the package is imported.
        defer_build=True,
    )

    # Fields the server fills in; left out of request bodies (aliases are not used here: field names).
    __read_only_fields__: ClassVar[frozenset[str]] = frozenset()
    # Fields always sent with their current value, because the server's default differs from the spec's.
    __always_sent_fields__: ClassVar[tuple[str, ...]] = ()
    # Fields typed with Any (e.g. conf): set by __pydantic_init_subclass__, checked before sending.
    __free_form_fields__: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        cls.__free_form_fields__ = tuple(
            name for name, field in cls.model_fields.items() if _is_free_form(field.annotation)
        )

    def to_request_body(self) -> Dict[str, Any]:
        """JSON-ready dict for a request body: set fields only, read-only fields left out.

        Raises ValueError when a free-form value (a ``conf``, an unknown field) is not plain JSON data.
        """
        for name in self.__free_form_fields__:
            if name in self.model_fields_set:
                check_json_value(getattr(self, name), name)
        for name, value in (self.model_extra or {}).items():
            check_json_value(value, name)
        body: Dict[str, Any] = self.model_dump(
            mode="json", by_alias=True, exclude_unset=True, exclude=set(self.__read_only_fields__)
        )
        for name in self.__always_sent_fields__:
            field = type(self).model_fields[name]
            key = field.alias or name
            if key not in body:
                body[key] = self.model_dump(mode="json", include={name}, by_alias=True)[key]
        # Models nested in a body (e.g. a bulk body's actions) follow the same rules as the body itself:
        # model_dump alone would drop their always-sent fields (a bulk action's "action") and keep read-only ones.
        for name, field in type(self).model_fields.items():
            if name in body or (field.alias or name) in body:
                value = getattr(self, name)
                if _holds_model(value):
                    body[field.alias or name] = _request_value(value)
        return body

    # OpenAPI-Generator conventions, so its users feel at home.
    def to_dict(self) -> Dict[str, Any]:
        """The fields that were set (or received), by their JSON names."""
        return self.model_dump(by_alias=True, exclude_unset=True)

    def to_json(self) -> str:
        """JSON text of :meth:`to_dict`."""
        return self.model_dump_json(by_alias=True, exclude_unset=True)

    def to_str(self) -> str:
        """Pretty text of :meth:`to_dict`."""
        import pprint  # on first use: no model needs it to be built or decoded

        return pprint.pformat(self.to_dict())

    @classmethod
    def from_dict(cls, obj: Dict[str, Any]) -> Self:
        """Validate a dict (JSON names or field names) into this model."""
        return cls.model_validate(obj)

    @classmethod
    def from_json(cls, json_str: str | bytes) -> Self:
        """Validate JSON text into this model."""
        return cls.model_validate_json(json_str)
