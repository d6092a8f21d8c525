"""Run as a script: how much memory a 2xx body that does not decode costs the client, at its peak.

``python -m test.unit.decode_failure_probe SIZE {plain,gzip}`` serves SIZE NUL bytes (as they are,
or gzip-compressed) from a local server, lets ``get_dag_runs`` fail on them, renders the error as a
user would (str, repr, the whole traceback), and prints one JSON line: the body size, the growth of
the peak RSS over the RSS before the call, and the length of the rendered error. A process of its
own, so that the peak is this call's alone.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import resource
import sys
import traceback

from aiohttp import web

from titanium_airflow_client import ApiClient, ApiDecodeError, Configuration, DAGRunApi


def rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize()


async def main(size: int, encoding: str) -> None:
    body = gzip.compress(b"\0" * size, 1) if encoding == "gzip" else b"\0" * size
    headers = {"Content-Type": "application/json", **({"Content-Encoding": "gzip"} if encoding == "gzip" else {})}

    async def answer(request: web.Request) -> web.Response:
        return web.Response(body=body, headers=headers)

    app = web.Application()
    app.router.add_get("/{tail:.*}", answer)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    configuration = Configuration(host=f"http://127.0.0.1:{port}/api/v1", retries=0, max_response_bytes=None)
    async with ApiClient(configuration) as api_client:
        before = rss_bytes()
        try:
            await DAGRunApi(api_client).get_dag_runs("d")
        except ApiDecodeError as error:
            rendered = str(error) + repr(error) + "".join(traceback.format_exception(error))
        else:
            raise AssertionError("the body decoded")
    await runner.cleanup()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"body": size, "growth": peak - before, "rendered": len(rendered)}))


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), sys.argv[2]))
