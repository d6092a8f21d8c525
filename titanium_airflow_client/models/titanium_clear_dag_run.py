"""TitaniumClearDagRun: the seed pages' name for ClearDagRun."""

from .clear_dag_run import ClearDagRun

TitaniumClearDagRun = ClearDagRun

__all__ = ["TitaniumClearDagRun"]
