"""TitaniumTitaniumDAGRun: the seed pages' name for DAGRun."""

from .dag_run import DAGRun

TitaniumTitaniumDAGRun = DAGRun

__all__ = ["TitaniumTitaniumDAGRun"]
