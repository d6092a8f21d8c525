"""TitaniumUpdateDagRunState: the seed pages' name for UpdateDagRunState."""

from .update_dag_run_state import UpdateDagRunState

TitaniumUpdateDagRunState = UpdateDagRunState

__all__ = ["TitaniumUpdateDagRunState"]
