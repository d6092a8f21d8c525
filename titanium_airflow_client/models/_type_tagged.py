"""Shared base of the objects Airflow tags with a ``__type`` key (the schedule-interval family)."""

from __future__ import annotations

from typing import Any, Callable, Dict, Optional, Tuple

from pydantic import Field, SerializationInfo, SerializerFunctionWrapHandler, model_serializer

from ._base import ApiModel


class TypeTaggedModel(ApiModel):
    """An object whose ``__type`` key names its kind.

    Subclasses narrow ``type`` to a ``Literal`` with a default, so callers need not
    pass it; the tag is still written when unset fields are left out, because
    the server picks the schema by it.
    """

    type: Optional[str] = Field(default=None, alias="__type", description="Kind of object.")

    @model_serializer(mode="wrap")
    def _write_type_tag(
        self, handler: SerializerFunctionWrapHandler, info: SerializationInfo
    ) -> Dict[str, Any]:
        data: Dict[str, Any] = handler(self)
        key = "__type" if info.by_alias else "type"
        # Only exclude_unset/exclude_defaults drop a defaulted tag; put it back (first, like the server).
        if key not in data and self.type is not None and (info.exclude_unset or info.exclude_defaults):
            data = {key: self.type, **data}
        return data


def type_tag_discriminator(key: str, known: Tuple[str, ...], fallback: str) -> Callable[[Any], str]:
    """The discriminator of a union of type-tagged models: the ``key`` tag of a raw or built value,
    or ``fallback`` for kinds this client does not know (so a newer server's answer still parses)."""
    kinds = frozenset(known)

    def kind(value: Any) -> str:
        if isinstance(value, dict):
            tag = value.get(key, value.get("type"))
        else:
            tag = getattr(value, "type", None)
        return tag if isinstance(tag, str) and tag in kinds else fallback

    kind.__name__ = f"{key.strip('_')}_tag"
    return kind
