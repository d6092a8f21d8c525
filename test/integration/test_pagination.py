"""paginate() against the real server: every item, in order, whatever the page size."""

from __future__ import annotations

from typing import List

from titanium_airflow_client import DAGApi, DAGRunApi, ListDagRunsForm, paginate

from .conftest import SANDBOX_DAG, Runs

PAGING_DAGS = [f"tit_page_{i:02d}" for i in range(12)]


async def test_paginate_dags_pages_by_five_through_all_twelve(dag_api: DAGApi) -> None:
    paged = [dag.dag_id async for dag in paginate(dag_api.get_dags)(tags=["paging"], limit=5, order_by="dag_id")]
    assert paged == PAGING_DAGS
    whole = await dag_api.get_dags(tags=["paging"], order_by="dag_id")
    assert whole.total_entries == 12 and [dag.dag_id for dag in whole.dags or []] == paged


async def test_paginate_dags_from_an_offset_in_reverse(dag_api: DAGApi) -> None:
    paged = [
        dag.dag_id
        async for dag in paginate(dag_api.get_dags, prefetch=0)(tags=["paging"], limit=4, offset=3, order_by="-dag_id")
    ]
    assert paged == list(reversed(PAGING_DAGS))[3:]


async def test_paginate_dag_runs_of_one_dag_and_of_all_dags(runs: Runs, dag_run_api: DAGRunApi) -> None:
    created: List[str] = []
    for _ in range(7):
        run = await runs.sandbox_run("paging")
        assert run.dag_run_id is not None
        created.append(run.dag_run_id)
    one_dag = [run.dag_run_id async for run in paginate(dag_run_api.get_dag_runs)(SANDBOX_DAG, limit=3, order_by="id")]
    assert [run_id for run_id in one_dag if run_id in created] == created  # creation order, none lost or doubled
    assert len(one_dag) == len(set(one_dag)) == (await dag_run_api.get_dag_runs(SANDBOX_DAG, limit=1)).total_entries
    every_dag = [
        (run.dag_id, run.dag_run_id)
        async for run in paginate(dag_run_api.get_dag_runs, prefetch=2)("~", limit=4, order_by="id")
    ]
    assert len(every_dag) == len(set(every_dag))
    assert {(SANDBOX_DAG, run_id) for run_id in created} <= set(every_dag)


async def test_paginate_the_batch_form_with_filters(runs: Runs, dag_run_api: DAGRunApi) -> None:
    created = []
    for _ in range(5):
        run = await runs.sandbox_run("batch-paging")
        created.append(run.dag_run_id)
    form = ListDagRunsForm(dag_ids=[SANDBOX_DAG], states=["queued"], page_limit=2, order_by="id")
    paged = [run async for run in paginate(dag_run_api.get_dag_runs_batch)(form)]
    assert all(run.dag_id == SANDBOX_DAG and run.state == "queued" for run in paged)
    paged_ids = [run.dag_run_id for run in paged]
    assert [run_id for run_id in paged_ids if run_id in created] == created
    whole = await dag_run_api.get_dag_runs_batch(form.model_copy(update={"page_limit": 1000}))
    assert paged_ids == [run.dag_run_id for run in whole.dag_runs or []]
