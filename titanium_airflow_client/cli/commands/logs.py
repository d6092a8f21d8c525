"""``titanium-airflow logs DAG RUN TASK``: print a task try's log, or follow it until the task ends (or until
``--timeout``: exit 3, like ``runs trigger --wait --timeout``)."""

from __future__ import annotations

from typing import Optional

from titanium_airflow_client.cli.arguments import POLL_SECONDS, int_at_least, poll_seconds, positive_int, seconds
from titanium_airflow_client.cli.commands.group import (
    Commands,
    dag_id_argument,
    only_with,
    run_id_argument,
    task_id_argument,
)
from titanium_airflow_client.cli.context import Context
from titanium_airflow_client.cli.errors import EXIT_OK, EXIT_WAIT_TIMEOUT, PROG, UsageError, subject_text
from titanium_airflow_client.cli.output import cell
from titanium_airflow_client.cli.task_log import (
    UNMAPPED,
    entry_json,
    entry_lines,
    line_json,
    log_entries,
    task_instance,
)


def register(commands: Commands) -> None:
    parser = commands.command(
        "logs", print_log,
        "print a task try's log (get_log; the try from get_task_instance), or follow it as it grows (follow_log)",
    )
    dag_id_argument(parser)
    run_id_argument(parser)
    task_id_argument(parser)
    parser.add_argument(
        "--try", dest="try_number", type=positive_int, metavar="N", help="the try (default: the latest one)"
    )
    parser.add_argument(
        "--map-index", type=int_at_least(UNMAPPED), default=UNMAPPED, metavar="I",
        help="the map index of a mapped task instance (default: -1, an unmapped task)",
    )
    parser.add_argument(
        "--follow", "-f", action="store_true",
        help="follow the log until the task ends; without --try, its retries too (exit 130 on Ctrl-C)",
    )
    parser.add_argument(
        "--poll-interval", type=seconds, metavar="S", help=f"with --follow: seconds between reads ({POLL_SECONDS:g})"
    )
    parser.add_argument(
        "--timeout", type=seconds, metavar="S",
        help="with --follow: stop following after S seconds, the lines so far printed (exit 3; the task goes on)",
    )
    only_with(parser, "--follow", "--poll-interval", "--timeout")


def print_log(ctx: Context) -> int:
    args = ctx.args
    ids = (args.dag_id, args.dag_run_id, args.task_id)
    instance = task_instance(ctx, *ids, args.map_index)  # unknown ids: a 404 naming them
    latest = instance.try_number or 0
    state = cell(instance.state) if instance.state is not None else "none"
    from titanium_airflow_client.log_follow import FINAL_TASK_STATES

    try_number = args.try_number or latest
    if try_number > latest and (state in FINAL_TASK_STATES or not args.follow):  # --follow waits for a try to come
        raise UsageError(f"{_name(ctx)} has no try {try_number}: its latest is {latest} (state {state})")
    if args.follow:
        return _follow(ctx)
    if try_number == 0:
        raise UsageError(f"{_name(ctx)} has not run yet (state {state}): no log")
    write = ctx.out.out.write
    for entry in log_entries(ctx, *ids, try_number, args.map_index):
        if ctx.out.as_json:
            write(entry_json(entry) + "\n")
        else:
            for line in entry_lines(entry):
                write(line + "\n")
    ctx.out.out.flush()
    return EXIT_OK


def _follow(ctx: Context) -> int:
    """Each line as it comes (follow_log), until the task instance is final and its log complete, or until
    ``--timeout``: each line is printed as it comes, so giving up loses none."""
    from titanium_airflow_client.exceptions import ApiValueError, WaitTimeoutError
    from titanium_airflow_client.sync import follow_log

    args = ctx.args
    lines = follow_log(
        ctx.client, args.dag_id, args.dag_run_id, args.task_id, try_number=args.try_number,
        map_index=args.map_index, poll_interval=poll_seconds(args.poll_interval), timeout=args.timeout, api=ctx.api,
    )
    out = ctx.out.out
    try:
        for line in lines:
            out.write((line_json(line) if ctx.out.as_json else line) + "\n")
            out.flush()
    except ApiValueError as exc:  # the try asked for never ran, and the task is over
        raise UsageError(f"{_name(ctx)}: {str(exc).removeprefix('follow_log(): ')}") from None
    except WaitTimeoutError as exc:
        ctx.out.note(
            f"gave up following after {args.timeout:g}s: {_name(ctx)} {_where_it_is(exc.state)};"
            f" follow it again with: {_follow_command(ctx)}"
        )
        return EXIT_WAIT_TIMEOUT
    return EXIT_OK


def _where_it_is(state: Optional[str]) -> str:
    """The task instance's last state seen, in words: ``is running and goes on``."""
    from titanium_airflow_client.log_follow import FINAL_TASK_STATES

    if state is None:  # the time ran out before its state was read
        return "was not read in time"
    if state in FINAL_TASK_STATES:  # over, but the worker was still writing its last lines
        return f"is {state}, its log still growing"
    return "has no state yet and goes on" if state == "none" else f"is {state} and goes on"


def _follow_command(ctx: Context) -> str:
    """The command line that follows the same log again (without --timeout), quoted for a shell."""
    import shlex

    args = ctx.args
    words = [PROG, "logs", args.dag_id, args.dag_run_id, args.task_id, "--follow"]
    if args.try_number is not None:
        words += ["--try", str(args.try_number)]
    if args.map_index != UNMAPPED:
        words += ["--map-index", str(args.map_index)]
    return shlex.join(words)


def _name(ctx: Context) -> str:
    args = ctx.args
    task = args.task_id if args.map_index == UNMAPPED else f"{args.task_id}[{args.map_index}]"
    return subject_text((("DAG", args.dag_id), ("run", args.dag_run_id), ("task", task)))
