"""TitaniumDAGRun: the seed pages' name for DAGRun."""

from .dag_run import DAGRun

TitaniumDAGRun = DAGRun

__all__ = ["TitaniumDAGRun"]
