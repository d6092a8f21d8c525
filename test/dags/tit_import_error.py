"""tit_import_error: a DAG file that fails to import on purpose, for GET /importErrors.

Each parse by the scheduler records an import error whose filename is this file's path and whose
stack_trace ends with "RuntimeError: TITANIUM-IMPORT-ERROR: tit_import_error.py fails to import on purpose".
It defines no DAG, and the other files in this folder parse as usual. (The scheduler only parses files
that mention both "airflow" and "dag", as this docstring does.)
"""

raise RuntimeError("TITANIUM-IMPORT-ERROR: tit_import_error.py fails to import on purpose")
