"""``titanium-airflow runs``: list, show, trigger (and follow), annotate, change, clear and delete DAG runs."""

from __future__ import annotations

from typing import List

from titanium_airflow_client.cli.arguments import (
    DAG_RUN_STATES,
    conf,
    dag_id_or_all,
    dag_run_states,
    given,
    iso_datetime,
    seconds,
)
from titanium_airflow_client.cli.commands.group import (
    Commands,
    dag_id_argument,
    fields_option,
    page_options,
    run_id_argument,
    yes_option,
)
from titanium_airflow_client.cli.context import Context
from titanium_airflow_client.cli.errors import EXIT_OK, PROG
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

    parser = group.command("trigger", trigger_run, "trigger a DAG run, optionally wait for its end (post_dag_run)")
    dag_id_argument(parser)
    parser.add_argument("--run-id", help="the run's id (default: chosen by the server)")
    parser.add_argument("--conf", type=conf, metavar="JSON|@FILE", help="the run's conf: a JSON object, @file or @-")
    parser.add_argument("--note", help="a note on the run")
    parser.add_argument(
        "--logical-date", type=iso_datetime, metavar="ISO", help="the run's logical date (default: now)"
    )
    parser.add_argument("--unpause", action="store_true", help="unpause the DAG first if it is paused")
    parser.add_argument(
        "--wait", action="store_true", help="follow the run to its end; exit 0 on success, 1 on failure"
    )
    parser.add_argument("--poll-interval", type=seconds, default=2.0, metavar="S", help="seconds between polls (2)")
    parser.add_argument("--timeout", type=seconds, metavar="S", help="with --wait: give up after S seconds (exit 3)")

    parser = group.command("note", note_run, "set the note of a DAG run (set_dag_run_note)")
    dag_id_argument(parser)
    run_id_argument(parser)
    parser.add_argument("note", metavar="TEXT", help="the note's text")

    parser = group.command("set-state", set_run_state, "set the state of a DAG run (update_dag_run_state)")
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
    from titanium_airflow_client.models import DAGRunCollection
    from titanium_airflow_client.sync import DAGApi, DAGRunApi, paginate

    args = ctx.args
    api = DAGRunApi(ctx.client)
    filters = {f"{name}_{bound}": getattr(args, f"{name}_{bound}") for name in DATE_FILTERS for bound in ("gte", "lte")}
    query = given(
        limit=args.limit, offset=args.offset, order_by=args.order_by, state=args.state, fields=args.fields, **filters
    )
    dag_id = dag_id_or_all(args.dag_id)
    if dag_id != args.dag_id:
        import logging

        logging.getLogger(__name__).debug("listing the runs of every DAG (~) for %r", args.dag_id)
    if args.all:
        runs = list(paginate(api.get_dag_runs)(dag_id, **query))
        collection = DAGRunCollection(dag_runs=runs, total_entries=len(runs))
    else:
        collection = api.get_dag_runs(dag_id, **query)
    if not collection.dag_runs and not collection.total_entries and dag_id != "~":
        DAGApi(ctx.client).get_dag(dag_id)  # the server lists no runs for an unknown DAG: make that an error (404)
    ctx.out.listing(collection, collection.dag_runs, columns(args.fields, RUN_COLUMNS), "DAG runs")
    return EXIT_OK


def show_run(ctx: Context) -> int:
    from titanium_airflow_client.sync import DAGRunApi

    args = ctx.args
    run = DAGRunApi(ctx.client).get_dag_run(args.dag_id, args.dag_run_id, **given(fields=args.fields))
    ctx.out.detail(run, first=args.fields or ())
    return EXIT_OK


def trigger_run(ctx: Context) -> int:
    from titanium_airflow_client.cli.follow import follow
    from titanium_airflow_client.models import DAG, DAGRun
    from titanium_airflow_client.sync import DAGApi, DAGRunApi

    args, out = ctx.args, ctx.out
    dag_id: str = args.dag_id
    if args.wait or args.unpause:
        dags = DAGApi(ctx.client)
        if dags.get_dag(dag_id).is_paused:
            if args.unpause:
                dags.patch_dag(dag_id, DAG(is_paused=False), update_mask=["is_paused"])
                out.note(f"unpaused DAG {dag_id}")
            else:
                out.note(
                    f"warning: DAG {dag_id} is paused: the run stays queued until it is unpaused "
                    f"(--unpause, or `{PROG} dags unpause {dag_id}`)"
                )
    request = DAGRun(**given(dag_run_id=args.run_id, conf=args.conf, note=args.note, logical_date=args.logical_date))
    run = DAGRunApi(ctx.client).post_dag_run(dag_id, request)
    if not args.wait:
        out.model(run, RUN_COLUMNS)
        return EXIT_OK
    out.note(f"triggered {dag_id} run {run.dag_run_id}")
    return follow(ctx, run, args.poll_interval, args.timeout, RUN_COLUMNS)


def note_run(ctx: Context) -> int:
    from titanium_airflow_client.models import SetDagRunNote
    from titanium_airflow_client.sync import DAGRunApi

    args = ctx.args
    run = DAGRunApi(ctx.client).set_dag_run_note(args.dag_id, args.dag_run_id, SetDagRunNote(note=args.note))
    ctx.out.model(run, NOTE_COLUMNS)
    return EXIT_OK


def set_run_state(ctx: Context) -> int:
    from titanium_airflow_client.models import UpdateDagRunState
    from titanium_airflow_client.sync import DAGRunApi

    args = ctx.args
    run = DAGRunApi(ctx.client).update_dag_run_state(args.dag_id, args.dag_run_id, UpdateDagRunState(state=args.state))
    ctx.out.model(run, RUN_COLUMNS)
    return EXIT_OK


def clear_run(ctx: Context) -> int:
    from titanium_airflow_client.models import ClearDagRun, DAGRun
    from titanium_airflow_client.sync import DAGRunApi

    args, out = ctx.args, ctx.out
    if not args.dry_run:
        ctx.confirm(f"Clear every task instance of run {args.dag_run_id} of DAG {args.dag_id}?")
    answer = DAGRunApi(ctx.client).clear_dag_run(args.dag_id, args.dag_run_id, ClearDagRun(dry_run=args.dry_run))
    if out.as_json:
        out.json_text(answer.to_json())
        return EXIT_OK
    result = answer.actual_instance
    if isinstance(result, DAGRun):
        out.table([result], RUN_COLUMNS)
    else:
        out.table(result.task_instances or [], TASK_INSTANCE_REF_COLUMNS)
        if args.dry_run:
            out.note("dry run: these task instances would be cleared; nothing was changed")
    return EXIT_OK


def delete_run(ctx: Context) -> int:
    from titanium_airflow_client.sync import DAGRunApi

    args = ctx.args
    ctx.confirm(f"Delete run {args.dag_run_id} of DAG {args.dag_id}?")
    DAGRunApi(ctx.client).delete_dag_run(args.dag_id, args.dag_run_id)
    if not ctx.out.as_json:
        ctx.out.note(f"deleted run {args.dag_run_id} of DAG {args.dag_id}")
    return EXIT_OK
