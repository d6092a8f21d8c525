"""TaskExtraLinksInner: one item of ``Task.extra_links`` (inline in the spec)."""

from __future__ import annotations

from typing import Optional

from pydantic import Field

from .class_reference import ClassReference


class TaskExtraLinksInner(ClassReference):
    """An operator extra link of a task.

    The spec wraps the link's class in ``class_ref``; the server dumps the
    ClassReference itself (``module_path``, ``class_name``). Both shapes parse.
    """

    class_ref: Optional[ClassReference] = Field(
        default=None, description="Class of the extra link (spec shape)."
    )
