"""``titanium-airflow``: Airflow's REST API from the command line.

Every command is one or two calls of the blocking API (:mod:`titanium_airflow_client.sync`);
parameters, checks and errors are the library's own. Tables for people, ``--json`` for
programs: the exact JSON of the returned model.

- ``program``: one run, from the command line to the exit status (``main``; ``run`` is the console script)
- ``parser``: the top-level parser, the options every command shares, argv rewriting
- ``commands/``: one module per command group (``dags``, ``tasks``, ``runs``), listed in ``commands.GROUPS``
- ``context``: what a handler receives; ``arguments``: argparse types; ``config``: flags and environment
- ``output``: tables, records, JSON; ``run_wait``: ``runs trigger --wait`` (``progress_line``: its progress);
  ``errors``: exit statuses and the one error line; ``debug``: ``--debug``; the README lists the others

Parsing imports none of the library (no aiohttp, pydantic or models): handlers import what they call.
"""

from titanium_airflow_client.cli.program import main, run

__all__ = ["main", "run"]
