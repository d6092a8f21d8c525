"""GetDagSource200Response: the JSON body of get_dag_source."""

from __future__ import annotations

from typing import Optional

from pydantic import Field

from ._base import ApiModel


class GetDagSource200Response(ApiModel):
    """Source code of a DAG file."""

    content: Optional[str] = Field(default=None, description="The DAG file's source code.")
