"""TitaniumTitaniumDatasetEventCollection: the seed pages' name for DatasetEventCollection."""

from .dataset_event_collection import DatasetEventCollection

TitaniumTitaniumDatasetEventCollection = DatasetEventCollection

__all__ = ["TitaniumTitaniumDatasetEventCollection"]
