"""TitaniumTitaniumDAGRunCollection: the seed pages' name for DAGRunCollection."""

from .dag_run_collection import DAGRunCollection

TitaniumTitaniumDAGRunCollection = DAGRunCollection

__all__ = ["TitaniumTitaniumDAGRunCollection"]
