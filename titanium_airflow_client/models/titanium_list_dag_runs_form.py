"""TitaniumListDagRunsForm: the seed pages' name for ListDagRunsForm."""

from .list_dag_runs_form import ListDagRunsForm

TitaniumListDagRunsForm = ListDagRunsForm

__all__ = ["TitaniumListDagRunsForm"]
