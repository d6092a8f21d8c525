"""TitaniumTitaniumClearDagRun200Response: the seed pages' name for ClearDagRun200Response."""

from .clear_dag_run200_response import ClearDagRun200Response

TitaniumTitaniumClearDagRun200Response = ClearDagRun200Response

__all__ = ["TitaniumTitaniumClearDagRun200Response"]
