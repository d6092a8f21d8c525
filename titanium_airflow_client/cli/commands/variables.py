"""``titanium-airflow variables``: list, show, set, delete, import and export Airflow variables.

A value is a string, stored as given: one that looks like JSON stays that text (Airflow stores strings).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any, Callable, Dict, Iterator, List, Optional, Sequence, Set, Tuple

from titanium_airflow_client.cli.arguments import given
from titanium_airflow_client.cli.commands.group import Commands, fields_option, page_options, yes_option
from titanium_airflow_client.cli.context import Context
from titanium_airflow_client.cli.errors import EXIT_ERROR, EXIT_OK
from titanium_airflow_client.cli.field_choice import check_fields, detail_of_fields
from titanium_airflow_client.cli.output import Column, attr, columns

if TYPE_CHECKING:
    from titanium_airflow_client.cli.variable_file import Entry

VARIABLE_COLUMNS: List[Column] = [("key", attr("key")), ("value", attr("value")), ("description", attr("description"))]
RESULT_COLUMNS: List[Column] = [("key", lambda row: row[0]), ("result", lambda row: row[1])]
MASK = "***"


def register(commands: Commands) -> None:
    group = commands.group("variables", "list, show, set, delete, import and export variables")

    parser = group.command("list", list_variables, "list variables (get_variables)")
    page_options(parser, "variables")
    fields_option(parser)

    parser = group.command("get", show_variable, "show a variable (get_variable)")
    key_argument(parser)
    fields_option(parser)

    parser = group.command(
        "set", set_variable,
        "create or update a variable (patch_variable; post_variables/post_variable on a 404)",
    )
    key_argument(parser)
    parser.add_argument(
        "value", metavar="VALUE", help="the value, stored as given: text that looks like JSON stays text"
    )
    parser.add_argument(
        "--description", help="the variable's description (an update without it keeps the one it has)"
    )

    parser = group.command("delete", delete_variable, "delete a variable (delete_variable)")
    key_argument(parser)
    yes_option(parser)

    parser = group.command(
        "import", import_variables,
        "create or update the variables of a JSON file; exit 2 when one fails\n"
        "(Airflow 2: patch_variable, else post_variables, for each; Airflow 3: one bulk_variables)",
    )
    parser.add_argument(
        "file", metavar="FILE",
        help='a JSON object, as `airflow variables export` writes it: {"key": "value", '
             '"other": {"value": "...", "description": "..."}}; - for stdin',
    )

    parser = group.command(
        "export", export_variables,
        "write every variable to a JSON file, as `variables import` reads it\n"
        "(get_variables, all pages; get_variable for a value Airflow 2 leaves out)",
    )
    parser.add_argument(
        "file", metavar="FILE", nargs="?",
        help="the file to write (a new one is readable by its owner alone); stdout when left out or -",
    )


def key_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("variable_key", metavar="KEY", help="the variable's key")


def variable_api(ctx: Context) -> Any:
    """The VariableApi of the server's generation (the same method names, but for post_variable(s))."""
    if ctx.v2:
        from titanium_airflow_client.v2.sync import VariableApi

        return VariableApi(ctx.client)
    from titanium_airflow_client.sync import VariableApi as VariableApiV1

    return VariableApiV1(ctx.client)


def variable_models(ctx: Context) -> Tuple[type, type]:
    """The generation's models of a variable listing and of a variable (their fields are ``--fields``')."""
    if ctx.v2:
        from titanium_airflow_client.v2.models import VariableCollectionResponse, VariableResponse

        return VariableCollectionResponse, VariableResponse
    from titanium_airflow_client.models import Variable, VariableCollection

    return VariableCollection, Variable


def list_variables(ctx: Context) -> int:
    from titanium_airflow_client.cli.listing import fetch_paged_fields

    collection_type, variable_type = variable_models(ctx)
    collection = fetch_paged_fields(ctx, variable_api(ctx).get_variables, collection_type, "variables", variable_type)
    shown = columns(ctx.args.fields, VARIABLE_COLUMNS, variable_type)
    ctx.out.listing(collection, collection.variables, shown, "variables")
    return EXIT_OK


def show_variable(ctx: Context) -> int:
    check_fields(variable_models(ctx)[1], ctx.args.fields)
    variable = variable_api(ctx).get_variable(ctx.args.variable_key)
    detail_of_fields(ctx.out, variable, ctx.args.fields, first=("key", "value", "description"))
    return EXIT_OK


def set_variable(ctx: Context) -> int:
    args = ctx.args
    variable, created = put_variable(ctx, variable_api(ctx), args.variable_key, args.value, args.description)
    ctx.out.model(variable, VARIABLE_COLUMNS)
    if not ctx.out.as_json:
        ctx.out.note(f"{'created' if created else 'updated'} variable {args.variable_key}")
    return EXIT_OK


def put_variable(ctx: Context, api: Any, key: str, value: str, description: Optional[str]) -> Tuple[Any, bool]:
    """Update the variable (its value, and its description when given); create it when the server has none.

    Returns the server's variable and whether it was created.
    """
    from titanium_airflow_client.exceptions import NotFoundException

    body: Dict[str, Any] = {"key": key, "value": value}
    if description is not None:
        body["description"] = description
    # Airflow 3 writes what the mask names; Airflow 2 refuses "value" in a mask, and writes what the body holds.
    mask = sorted(set(body) - {"key"}) if ctx.v2 else None
    try:
        return api.patch_variable(key, body, **given(update_mask=mask)), False
    except NotFoundException:
        post = api.post_variable if ctx.v2 else api.post_variables
        return post(body), True


def delete_variable(ctx: Context) -> int:
    key = ctx.args.variable_key
    ctx.confirm(f"Delete variable {key}?")
    variable_api(ctx).delete_variable(key)
    if not ctx.out.as_json:
        ctx.out.note(f"deleted variable {key}")
    return EXIT_OK


# --------------------------------------------------------------------------- import


class Outcome:
    """What an import did: the keys created, those updated, and why each other one failed; ``unanswered``
    when the bulk request was sent and got no answer (the server may have done it)."""

    def __init__(self) -> None:
        self.created: List[str] = []
        self.updated: List[str] = []
        self.failed: Dict[str, str] = {}
        self.unanswered = False


def import_variables(ctx: Context) -> int:
    from titanium_airflow_client.cli.variable_file import read_variables
    from titanium_airflow_client.exceptions import ApiException, OpenApiException

    entries = read_variables(ctx.args.file)
    outcome = Outcome()
    try:
        if ctx.v2:
            _import_bulk(ctx, entries, outcome)
        else:
            _import_each(ctx, entries, outcome)
    except OpenApiException as exc:  # e.g. the connection was lost: say what was done before the error line
        done = [entry for entry in entries if entry.key in outcome.created or entry.key in outcome.updated]
        if done:  # Airflow 2, part of the way
            _report(ctx, done, outcome)
            ctx.out.note(f"stopped after {len(done)} of {len(entries)} variables")
        elif outcome.unanswered and not isinstance(exc, ApiException):
            ctx.out.note("the bulk request got no answer: see `variables list` for what was imported")
        else:
            ctx.out.note("nothing was imported")
        raise
    _report(ctx, entries, outcome)
    if outcome.failed:
        ctx.out.error(f"{len(outcome.failed)} of {len(entries)} variables not imported: {', '.join(outcome.failed)}")
        return EXIT_ERROR
    return EXIT_OK


def _import_each(ctx: Context, entries: Sequence[Entry], outcome: Outcome) -> None:
    """Airflow 2: each variable on its own (patch, else post); one refused does not stop the others."""
    from titanium_airflow_client.cli.errors import describe
    from titanium_airflow_client.exceptions import ApiException, ApiValueError

    api = variable_api(ctx)
    for key, value, description in entries:
        try:
            _, created = put_variable(ctx, api, key, value, description)
        except (ApiException, ApiValueError) as exc:  # the server's refusal, or the client's
            outcome.failed[key] = describe(exc)
            continue
        (outcome.created if created else outcome.updated).append(key)


def _import_bulk(ctx: Context, entries: Sequence[Entry], outcome: Outcome) -> None:
    """Airflow 3: one bulk request: a create action for the keys the server lacks, update actions for
    the others (value alone, or value and description); the server says which succeeded. The server
    refuses the request whole when one entity is invalid (e.g. a key too long): nothing is changed then."""
    from titanium_airflow_client.sync import paginate

    api = variable_api(ctx)
    every: Callable[..., Iterator[Any]] = paginate(api.get_variables)
    existing = {variable.key for variable in every()}
    new = [entry for entry in entries if entry.key not in existing]
    actions: List[Dict[str, Any]] = []
    if new:
        actions.append({"action": "create", "action_on_existence": "fail", "entities": [_body(e) for e in new]})
    for with_description in (False, True):
        updates = [e for e in entries if e.key in existing and (e.description is not None) == with_description]
        if updates:
            actions.append({
                "action": "update", "action_on_non_existence": "fail", "entities": [_body(e) for e in updates],
                "update_mask": ["value", "description"] if with_description else ["value"],
            })
    if not actions:
        return
    outcome.unanswered = True
    answer = api.bulk_variables({"actions": actions})
    outcome.unanswered = False
    created, created_errors = _succeeded(answer.create)
    updated, updated_errors = _succeeded(answer.update)
    for entry in entries:
        if entry.key in created and entry.key not in existing:
            outcome.created.append(entry.key)
        elif entry.key in updated and entry.key in existing:
            outcome.updated.append(entry.key)
        else:
            errors = created_errors if entry.key not in existing else updated_errors
            outcome.failed[entry.key] = _reason(entry.key, errors)


def _body(entry: Entry) -> Dict[str, Any]:
    body: Dict[str, Any] = {"key": entry.key, "value": entry.value}
    if entry.description is not None:
        body["description"] = entry.description
    return body


def _succeeded(action: Any) -> Tuple[Set[str], List[str]]:
    """The keys one action of a bulk answer did, and its error messages."""
    if action is None:
        return set(), []
    errors = [str(error.get("error", error)) for error in action.errors or []]
    return set(action.success or []), errors


def _reason(key: str, errors: List[str]) -> str:
    """Why ``key`` failed: the server's messages that name it, else all of the action's."""
    naming = [error for error in errors if repr(key) in error or key in error]
    chosen = naming or errors
    return "; ".join(chosen) if chosen else "not done (the server gave no reason)"


def _report(ctx: Context, entries: Sequence[Entry], outcome: Outcome) -> None:
    out = ctx.out
    if out.as_json:
        import json

        out.json_text(json.dumps({"created": outcome.created, "updated": outcome.updated, "failed": outcome.failed}))
        return
    results = {key: "created" for key in outcome.created}
    results.update({key: "updated" for key in outcome.updated})
    results.update({key: f"failed: {reason}" for key, reason in outcome.failed.items()})
    if entries:
        out.table([(entry.key, results.get(entry.key, "-")) for entry in entries], RESULT_COLUMNS)
    counts = (len(outcome.created), len(outcome.updated), len(outcome.failed))
    out.note("{} created, {} updated, {} failed".format(*counts) if entries else "no variables in the file")


# --------------------------------------------------------------------------- export


def export_variables(ctx: Context) -> int:
    from titanium_airflow_client.cli.variable_file import Entry, write_variables
    from titanium_airflow_client.sync import paginate

    api = variable_api(ctx)
    entries: List[Entry] = []
    every: Callable[..., Iterator[Any]] = paginate(api.get_variables)
    for item in every():
        value = getattr(item, "value", None)
        if value is None:  # a listing without values: ask for the variable itself
            value = api.get_variable(item.key).value
        entries.append(Entry(item.key, value if value is not None else "", item.description))
    entries.sort(key=lambda entry: entry.key)
    path = ctx.args.file
    count = write_variables(entries, path)
    masked = [entry.key for entry in entries if entry.value == MASK or f'"{MASK}"' in entry.value]
    if masked:
        names = ", ".join(masked)
        ctx.out.note(f"warning: the server masked the secrets of {names} ({MASK}): the file holds them masked")
    if path not in (None, "-"):
        ctx.out.note(f"exported {count} variables to {path}")
    return EXIT_OK
