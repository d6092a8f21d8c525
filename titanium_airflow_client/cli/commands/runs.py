"""``titanium-airflow runs``: list, show, trigger (and follow), annotate, change, clear and delete DAG runs."""

from __future__ import annotations

from typing import Any, Dict, List

from titanium_airflow_client.cli.arguments import (
    DAG_RUN_STATES,
    POLL_SECONDS,
    conf,
    dag_id_or_all,
    dag_run_states,
    given,
    iso_datetime,
    poll_seconds,
    seconds,
)
from titanium_airflow_client.cli.commands.group import (
    Commands,
    dag_id_argument,
    fields_option,
    only_with,
    page_options,
    run_id_argument,
    yes_option,
)
from titanium_airflow_client.cli.context import Context
from titanium_airflow_client.cli.errors import EXIT_OK, PROG
from titanium_airflow_client.cli.field_choice import check_fields, only_fields, only_fields_of_items
from titanium_airflow_client.cli.generation_apis import dag_api, dag_run_api, every, order_by
from titanium_airflow_client.cli.output import Column, attr, columns

RUN_COLUMNS: List[Column] = [
    ("dag_id", attr("dag_id")),
    ("dag_run_id", attr("dag_run_id")),
    ("state", attr("state")),
    ("run_type", attr("run_type")),
    ("logical_date", attr("logical_date")),
    ("start_date", attr("start_date")),
    ("end_date", attr("end_date")),
]
NOTE_COLUMNS: List[Column] = [*RUN_COLUMNS[:3], ("note", attr("note"))]
TASK_INSTANCE_REF_COLUMNS: List[Column] = [
    ("dag_id", attr("dag_id")),
    ("dag_run_id", attr("dag_run_id")),
    ("task_id", attr("task_id")),
]
DATE_FILTERS = ("execution_date", "start_date", "end_date", "updated_at")
SETTABLE_STATES = ("success", "failed", "queued")


def register(commands: Commands) -> None:
    group = commands.group("runs", "list, show, trigger, annotate, change, clear and delete DAG runs")

    parser = group.command("list", list_runs, "list DAG runs (get_dag_runs)")
    parser.add_argument(
        "dag_id", metavar="DAG_ID", nargs="?", default="~",
        help="the DAG's id; ~ (quote it in a shell) or nothing for the runs of every DAG",
    )
    page_options(parser, "runs")
    parser.add_argument(
        "--state", type=dag_run_states, action="extend", metavar="STATE",
        help=f"only runs in this state: {', '.join(DAG_RUN_STATES)} (repeatable or comma-separated: any of them)",
    )
    dates = parser.add_argument_group(
        "dates", "ISO 8601 date-times, e.g. 2026-01-02T03:04:05+02:00 or ...Z; no offset means UTC"
    )
    for name in DATE_FILTERS:
        for bound, meaning in (("gte", "at or after"), ("lte", "at or before")):
            dates.add_argument(
                f"--{name.replace('_', '-')}-{bound}", type=iso_datetime, metavar="ISO", help=f"{name} {meaning} ISO"
            )
    fields_option(parser)

    parser = group.command("get", show_run, "show a DAG run (get_dag_run)")
    dag_id_argument(parser)
    run_id_argument(parser)
    fields_option(parser)

    parser = group.command(
        "trigger", trigger_run,
        "trigger a DAG run, optionally wait for its end (post_dag_run; trigger_dag_run on Airflow 3)",
    )
    dag_id_argument(parser)
    parser.add_argument("--run-id", help="the run's id (default: chosen by the server)")
    parser.add_argument("--conf", type=conf, metavar="JSON|@FILE", help="the run's conf: a JSON object, @file or @-")
    parser.add_argument("--note", help="a note on the run")
    parser.add_argument(
        "--logical-date", type=iso_datetime, metavar="ISO",
        help="the run's logical date (default: now; none on Airflow 3)",
    )
    parser.add_argument("--unpause", action="store_true", help="unpause the DAG first if it is paused")
    parser.add_argument(
        "--wait", action="store_true",
        help="follow the run to its end (wait_for_dag_run): its state and tasks by state; exit 0 on success, 1 on"
        " failure, after naming the failed tasks and the tail of the first one's log",
    )
    parser.add_argument(
        "--poll-interval", type=seconds, metavar="S", help=f"with --wait: seconds between looks ({POLL_SECONDS:g})"
    )
    parser.add_argument("--timeout", type=seconds, metavar="S", help="with --wait: give up after S seconds (exit 3)")
    only_with(parser, "--wait", "--poll-interval", "--timeout")

    parser = group.command(
        "note", note_run, "set the note of a DAG run (set_dag_run_note; patch_dag_run on Airflow 3)"
    )
    dag_id_argument(parser)
    run_id_argument(parser)
    parser.add_argument("note", metavar="TEXT", help="the note's text")

    parser = group.command(
        "set-state", set_run_state, "set the state of a DAG run (update_dag_run_state; patch_dag_run on Airflow 3)"
    )
    dag_id_argument(parser)
    run_id_argument(parser)
    parser.add_argument(
        "state", metavar="STATE", choices=SETTABLE_STATES, help=f"the new state: {', '.join(SETTABLE_STATES)}"
    )

    parser = group.command("clear", clear_run, "clear a DAG run so its tasks run again (clear_dag_run)")
    dag_id_argument(parser)
    run_id_argument(parser)
    parser.add_argument("--dry-run", action="store_true", help="only list the task instances that would be cleared")
    yes_option(parser)

    parser = group.command("delete", delete_run, "delete a DAG run (delete_dag_run)")
    dag_id_argument(parser)
    run_id_argument(parser)
    yes_option(parser)


def list_runs(ctx: Context) -> int:
    args = ctx.args
    api = dag_run_api(ctx)
    filters = {
        f"{_date_filter(ctx, name)}_{bound}": getattr(args, f"{name}_{bound}")
        for name in DATE_FILTERS
        for bound in ("gte", "lte")
    }
    query = given(
        limit=args.limit, offset=args.offset, order_by=order_by(ctx, args.order_by), state=args.state, **filters
    )
    if not ctx.v2:
        query.update(given(fields=args.fields))  # Airflow 3 has no fields parameter: cut here (field_choice)
    dag_id = dag_id_or_all(args.dag_id)
    if dag_id != args.dag_id:
        import logging

        logging.getLogger(__name__).debug("listing the runs of every DAG (~) for %r", args.dag_id)
    collection = _run_collection(ctx, api, dag_id, query)
    if not collection.dag_runs and not collection.total_entries and dag_id != "~":
        dag_api(ctx).get_dag(dag_id)  # the server lists no runs for an unknown DAG: make that an error (404)
    ctx.out.listing(collection, collection.dag_runs, columns(args.fields, RUN_COLUMNS), "DAG runs")
    return EXIT_OK


def _date_filter(ctx: Context, name: str) -> str:
    """The query parameter of ``--<name>-gte/lte``: Airflow 3 calls the execution date the logical date."""
    return "logical_date" if ctx.v2 and name == "execution_date" else name


def _run_collection(ctx: Context, api: Any, dag_id: str, query: Dict[str, Any]) -> Any:
    """One page of runs, or all of them (``--all``), as the generation's collection; ``--fields`` applied."""
    if ctx.v2:
        from titanium_airflow_client.v2.sync import DAGRunCollectionResponse, DAGRunResponse

        if ctx.args.fields:
            check_fields(DAGRunResponse, ctx.args.fields)
        if ctx.args.all:
            runs = list(every(api.get_dag_runs, dag_id, **query))
            collection: Any = DAGRunCollectionResponse(dag_runs=runs, total_entries=len(runs))
        else:
            collection = api.get_dag_runs(dag_id, **query)
        return only_fields_of_items(collection, "dag_runs", DAGRunResponse, ctx.args.fields)
    from titanium_airflow_client.models import DAGRunCollection

    if ctx.args.all:
        runs = list(every(api.get_dag_runs, dag_id, **query))
        return DAGRunCollection(dag_runs=runs, total_entries=len(runs))
    return api.get_dag_runs(dag_id, **query)


def show_run(ctx: Context) -> int:
    args = ctx.args
    api = dag_run_api(ctx)
    if ctx.v2:
        run = only_fields(api.get_dag_run(args.dag_id, args.dag_run_id), args.fields)
    else:
        run = api.get_dag_run(args.dag_id, args.dag_run_id, **given(fields=args.fields))
    ctx.out.detail(run, first=args.fields or ())
    return EXIT_OK


def trigger_run(ctx: Context) -> int:
    args, out = ctx.args, ctx.out
    dag_id: str = args.dag_id
    if args.wait or args.unpause:
        _check_paused(ctx, dag_id)
    fields = given(dag_run_id=args.run_id, conf=args.conf, note=args.note)
    if ctx.v2:
        from titanium_airflow_client.v2.sync import TriggerDAGRunPostBody

        # Airflow 3 needs logical_date in the body; null means a run without one (its manual runs' default).
        body = TriggerDAGRunPostBody.model_validate({"logical_date": args.logical_date, **fields})
        run = dag_run_api(ctx).trigger_dag_run(dag_id, body)
    else:
        from titanium_airflow_client.models import DAGRun

        run = dag_run_api(ctx).post_dag_run(dag_id, DAGRun(**fields, **given(logical_date=args.logical_date)))
    if not args.wait:
        out.model(run, RUN_COLUMNS)
        return EXIT_OK
    from titanium_airflow_client.cli.run_wait import wait_for_run

    out.note(f"triggered {dag_id} run {run.dag_run_id}")
    return wait_for_run(ctx, dag_id, run.dag_run_id or "", poll_seconds(args.poll_interval), args.timeout, RUN_COLUMNS)


def _check_paused(ctx: Context, dag_id: str) -> None:
    """Unpause the DAG with ``--unpause``; else warn that the run of a paused DAG stays queued."""
    dags = dag_api(ctx)
    if not dags.get_dag(dag_id).is_paused:
        return
    if ctx.args.unpause:
        if ctx.v2:
            from titanium_airflow_client.v2.sync import DAGPatchBody

            dags.patch_dag(dag_id, DAGPatchBody(is_paused=False), update_mask=["is_paused"])
        else:
            from titanium_airflow_client.models import DAG

            dags.patch_dag(dag_id, DAG(is_paused=False), update_mask=["is_paused"])
        ctx.out.note(f"unpaused DAG {dag_id}")
    else:
        ctx.out.note(
            f"warning: DAG {dag_id} is paused: the run stays queued until it is unpaused "
            f"(--unpause, or `{PROG} dags unpause {dag_id}`)"
        )


def note_run(ctx: Context) -> int:
    args = ctx.args
    if ctx.v2:
        run = _patch_run_v2(ctx, note=args.note)
    else:
        from titanium_airflow_client.models import SetDagRunNote

        run = dag_run_api(ctx).set_dag_run_note(args.dag_id, args.dag_run_id, SetDagRunNote(note=args.note))
    ctx.out.model(run, NOTE_COLUMNS)
    return EXIT_OK


def set_run_state(ctx: Context) -> int:
    args = ctx.args
    if ctx.v2:
        run = _patch_run_v2(ctx, state=args.state)
    else:
        from titanium_airflow_client.models import UpdateDagRunState

        run = dag_run_api(ctx).update_dag_run_state(
            args.dag_id, args.dag_run_id, UpdateDagRunState(state=args.state)
        )
    ctx.out.model(run, RUN_COLUMNS)
    return EXIT_OK


def _patch_run_v2(ctx: Context, **change: str) -> Any:
    """Airflow 3 changes a run's note and state with one method, ``patch_dag_run``."""
    from titanium_airflow_client.v2.sync import DAGRunPatchBody

    body = DAGRunPatchBody.model_validate(change)
    return dag_run_api(ctx).patch_dag_run(ctx.args.dag_id, ctx.args.dag_run_id, body, update_mask=list(change))


def clear_run(ctx: Context) -> int:
    args, out = ctx.args, ctx.out
    if not args.dry_run:
        ctx.confirm(f"Clear every task instance of run {args.dag_run_id} of DAG {args.dag_id}?")
    clear_body: Any
    if ctx.v2:
        from titanium_airflow_client.v2.sync import DAGRunClearBody as clear_body
    else:
        from titanium_airflow_client.models import ClearDagRun as clear_body
    # dry_run is always sent: Airflow 3's default is a dry run, Airflow 2's a real clear
    answer = dag_run_api(ctx).clear_dag_run(args.dag_id, args.dag_run_id, clear_body(dry_run=args.dry_run))
    if out.as_json:
        out.json_text(answer.to_json())
        return EXIT_OK
    result = answer.actual_instance
    if getattr(result, "task_instances", None) is None and getattr(result, "dag_run_id", None) is not None:
        out.table([result], RUN_COLUMNS)  # Airflow answers the run itself after a real clear
    else:
        out.table(result.task_instances or [], TASK_INSTANCE_REF_COLUMNS)
        if args.dry_run:
            out.note("dry run: these task instances would be cleared; nothing was changed")
    return EXIT_OK


def delete_run(ctx: Context) -> int:
    args = ctx.args
    ctx.confirm(f"Delete run {args.dag_run_id} of DAG {args.dag_id}?")
    dag_run_api(ctx).delete_dag_run(args.dag_id, args.dag_run_id)
    if not ctx.out.as_json:
        ctx.out.note(f"deleted run {args.dag_run_id} of DAG {args.dag_id}")
    return EXIT_OK
