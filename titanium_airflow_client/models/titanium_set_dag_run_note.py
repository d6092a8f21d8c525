"""TitaniumSetDagRunNote: the seed pages' name for SetDagRunNote."""

from .set_dag_run_note import SetDagRunNote

TitaniumSetDagRunNote = SetDagRunNote

__all__ = ["TitaniumSetDagRunNote"]
