"""``titanium-airflow pools``: list, show, set (create or update) and delete pools."""

from __future__ import annotations

import argparse
from typing import Any, Dict, List, Tuple

from titanium_airflow_client.cli.arguments import given, int_at_least
from titanium_airflow_client.cli.commands.group import Commands, fields_option, page_options, yes_option
from titanium_airflow_client.cli.context import Context
from titanium_airflow_client.cli.errors import EXIT_OK, UsageError
from titanium_airflow_client.cli.field_choice import check_fields, detail_of_fields
from titanium_airflow_client.cli.output import Column, attr, columns

POOL_COLUMNS: List[Column] = [
    (name, attr(name))
    for name in (
        "name", "slots", "open_slots", "occupied_slots", "running_slots", "queued_slots", "scheduled_slots",
        "deferred_slots", "include_deferred", "description",
    )
]
SETTABLE = ("slots", "description", "include_deferred")


def register(commands: Commands) -> None:
    group = commands.group("pools", "list, show, set and delete pools")

    parser = group.command("list", list_pools, "list pools (get_pools)")
    page_options(parser, "pools")
    fields_option(parser)

    parser = group.command("get", show_pool, "show a pool (get_pool)")
    pool_name_argument(parser)
    fields_option(parser)

    parser = group.command(
        "set", set_pool,
        "create a pool, or change the fields given of an existing one (get_pool, then patch_pool or post_pool)",
    )
    pool_name_argument(parser)
    parser.add_argument(
        "--slots", type=int_at_least(-1), metavar="N", help="the pool's slots, -1 for unlimited (needed to create one)"
    )
    parser.add_argument("--description", help="the pool's description")
    parser.add_argument(
        "--include-deferred", action=argparse.BooleanOptionalAction, default=None,
        help="whether deferred tasks take slots of the pool (a new pool: no)",
    )

    parser = group.command("delete", delete_pool, "delete a pool; the default pool cannot be (delete_pool)")
    pool_name_argument(parser)
    yes_option(parser)


def pool_name_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("pool_name", metavar="NAME", help="the pool's name")


def pool_api(ctx: Context) -> Any:
    """The PoolApi of the server's generation (the same method names on both)."""
    if ctx.v2:
        from titanium_airflow_client.v2.sync import PoolApi

        return PoolApi(ctx.client)
    from titanium_airflow_client.sync import PoolApi as PoolApiV1

    return PoolApiV1(ctx.client)


def pool_models(ctx: Context) -> Tuple[type, type]:
    """The generation's models of a pool listing and of a pool (their fields are ``--fields``')."""
    if ctx.v2:
        from titanium_airflow_client.v2.models import PoolCollectionResponse, PoolResponse

        return PoolCollectionResponse, PoolResponse
    from titanium_airflow_client.models import Pool, PoolCollection

    return PoolCollection, Pool


def list_pools(ctx: Context) -> int:
    from titanium_airflow_client.cli.listing import fetch_paged_fields

    collection_type, pool_type = pool_models(ctx)
    collection = fetch_paged_fields(ctx, pool_api(ctx).get_pools, collection_type, "pools", pool_type)
    ctx.out.listing(collection, collection.pools, columns(ctx.args.fields, POOL_COLUMNS, pool_type), "pools")
    return EXIT_OK


def show_pool(ctx: Context) -> int:
    check_fields(pool_models(ctx)[1], ctx.args.fields)
    pool = pool_api(ctx).get_pool(ctx.args.pool_name)
    detail_of_fields(ctx.out, pool, ctx.args.fields, first=("name", "slots"))
    return EXIT_OK


def set_pool(ctx: Context) -> int:
    from titanium_airflow_client.exceptions import NotFoundException

    args = ctx.args
    name: str = args.pool_name
    changes = given(slots=args.slots, description=args.description, include_deferred=args.include_deferred)
    if not changes:
        raise UsageError("nothing to set: give --slots, --description or --include-deferred/--no-include-deferred")
    api = pool_api(ctx)
    try:
        current = api.get_pool(name)
    except NotFoundException:
        if "slots" not in changes:
            raise UsageError(f"pool {name} does not exist; give --slots to create it") from None
        pool = api.post_pool({"name": name, **changes})
        created = True
    else:
        pool = api.patch_pool(name, _patch_body(ctx, name, current, changes), update_mask=sorted(changes))
        created = False
    ctx.out.model(pool, POOL_COLUMNS)
    if not ctx.out.as_json:
        ctx.out.note(f"{'created' if created else 'updated'} pool {name}")
    return EXIT_OK


def _patch_body(ctx: Context, name: str, current: Any, changes: Dict[str, Any]) -> Dict[str, Any]:
    """The pool as it is with the changes; update_mask says which fields change. Both servers validate the
    body whole (Airflow 3 wants slots and include_deferred even when the mask leaves them out)."""
    body = {field: getattr(current, field) for field in SETTABLE if getattr(current, field) is not None}
    body.update(changes)
    body["pool" if ctx.v2 else "name"] = name  # Airflow 3's patch body names the pool "pool"
    return body


def delete_pool(ctx: Context) -> int:
    name = ctx.args.pool_name
    ctx.confirm(f"Delete pool {name}?")
    pool_api(ctx).delete_pool(name)
    if not ctx.out.as_json:
        ctx.out.note(f"deleted pool {name}")
    return EXIT_OK
