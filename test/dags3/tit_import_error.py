"""tit_import_error: a DAG file that fails to import on purpose, for GET /api/v2/importErrors.

Each parse by the DAG processor records an import error whose filename is this file's path (relative
to the bundle: "tit_import_error.py", bundle "dags-folder") and whose stack_trace ends with
"RuntimeError: TITANIUM-IMPORT-ERROR: tit_import_error.py fails to import on purpose".
It defines no DAG, and the other files in this folder parse as usual. (The DAG processor only parses
files that mention both "airflow" and "dag", as this docstring does.)
"""

raise RuntimeError("TITANIUM-IMPORT-ERROR: tit_import_error.py fails to import on purpose")
