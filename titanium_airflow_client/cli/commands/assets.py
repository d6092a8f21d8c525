"""``titanium-airflow datasets`` / ``assets``: one group under both names, listing the server's own kind:
datasets on Airflow 2 (get_datasets), assets on Airflow 3 (get_assets)."""

from __future__ import annotations

from typing import Any, List

from titanium_airflow_client.cli.arguments import comma_list, given
from titanium_airflow_client.cli.commands.group import Commands, page_options
from titanium_airflow_client.cli.context import Context
from titanium_airflow_client.cli.errors import EXIT_OK
from titanium_airflow_client.cli.listing import fetch_listing
from titanium_airflow_client.cli.output import Column, attr


def _dag_ids(references: Any) -> List[str]:
    return [reference.dag_id for reference in references or []]


# The DAGs an asset schedules (each generation names the field its own way), and the tasks that produce it.
PRODUCERS: Column = ("producers", lambda asset: [f"{t.dag_id}.{t.task_id}" for t in asset.producing_tasks or []])
DATASET_COLUMNS: List[Column] = [
    ("id", attr("id")), ("uri", attr("uri")), ("consumers", lambda dataset: _dag_ids(dataset.consuming_dags)),
    PRODUCERS, ("updated_at", attr("updated_at")),
]
ASSET_COLUMNS: List[Column] = [
    ("id", attr("id")), ("name", attr("name")), ("uri", attr("uri")), ("group", attr("group")),
    ("consumers", lambda asset: _dag_ids(asset.scheduled_dags)), PRODUCERS, ("updated_at", attr("updated_at")),
]


def register(commands: Commands) -> None:
    group = commands.group(
        "datasets", "datasets (Airflow 2) or assets (Airflow 3): either name lists the server's own kind",
        aliases=["assets"],
    )
    parser = group.command(
        "list", list_assets, "list the datasets (get_datasets) or, on Airflow 3, the assets (get_assets)"
    )
    page_options(parser, "datasets or assets")
    parser.add_argument("--uri-pattern", metavar="TEXT", help="only those whose URI contains TEXT (uri_pattern)")
    parser.add_argument(
        "--dag", type=comma_list, action="extend", metavar="DAG_ID",
        help="only those these DAGs consume or produce (repeatable or comma-separated; dag_ids)",
    )


def list_assets(ctx: Context) -> int:
    args = ctx.args
    if ctx.v2:
        from titanium_airflow_client.v2.sync import AssetApi, AssetCollectionResponse

        query = given(
            limit=args.limit, offset=args.offset, order_by=[args.order_by] if args.order_by else None,
            uri_pattern=args.uri_pattern, dag_ids=args.dag,
        )
        collection, items = fetch_listing(
            AssetApi(ctx.client).get_assets, query, args.all, AssetCollectionResponse, "assets"
        )
        ctx.out.listing(collection, items, ASSET_COLUMNS, "assets")
        return EXIT_OK
    from titanium_airflow_client.sync import DatasetApi, DatasetCollection

    query = given(
        limit=args.limit, offset=args.offset, order_by=args.order_by, uri_pattern=args.uri_pattern,
        dag_ids=",".join(args.dag) if args.dag else None,  # Airflow 2 takes them comma-separated
    )
    datasets = DatasetApi(ctx.client).get_datasets
    collection, items = fetch_listing(datasets, query, args.all, DatasetCollection, "datasets")
    if (args.uri_pattern or args.dag) and not args.all and not ctx.out.as_json:
        # Airflow 2 counts every dataset, its filters ignored: no "N of M shown" from that count
        collection = collection.model_copy(update={"total_entries": None})
    ctx.out.listing(collection, items, DATASET_COLUMNS, "datasets")
    return EXIT_OK
