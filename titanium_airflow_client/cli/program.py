"""One run of the program: parse the command line, connect, call the command's handler, and turn
what went wrong into one error line and an exit status."""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from typing import NoReturn, Optional, Sequence

from titanium_airflow_client.cli.errors import EXIT_ERROR, EXIT_INTERRUPTED, EXIT_OK, UsageError, describe
from titanium_airflow_client.cli.parser import parse_args


def run() -> NoReturn:
    """The ``titanium-airflow`` program: :func:`main` on ``sys.argv``, the garbage collector paused for start-up.

    Start-up builds tens of thousands of objects that live until exit (modules, classes, validators);
    collecting them again and again while importing, and once more at exit, cost about a sixth of a
    command's start-up.
    """
    gc.disable()
    sys.exit(main(gc_paused=True))


def main(argv: Optional[Sequence[str]] = None, *, gc_paused: bool = False) -> int:
    """Run one command (``sys.argv`` by default); returns the exit status (see ``--help``).

    ``gc_paused``: the caller disabled the garbage collector for start-up (:func:`run` does); it is
    resumed before the command's handler runs, which may follow a run for hours.
    """
    try:
        args = parse_args(argv)
    except SystemExit as exc:  # --help, --version or a usage error
        return exc.code if isinstance(exc.code, int) else EXIT_OK if exc.code is None else EXIT_ERROR
    import logging

    from titanium_airflow_client.cli.config import configuration
    from titanium_airflow_client.cli.context import Context, subject
    from titanium_airflow_client.cli.debug import DebugLog
    from titanium_airflow_client.cli.generation import resolve
    from titanium_airflow_client.cli.output import Output

    out = Output(as_json=args.json)
    # pydantic looks for plugins in every installed distribution when it builds its first validator: 10 ms
    # of each command's start-up, and more with more packages installed. No plugin has a use in this program.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    with DebugLog(args.debug):
        # The library is imported from here on, once a command is to run.
        from titanium_airflow_client.exceptions import OpenApiException
        from titanium_airflow_client.sync import ApiClient

        try:
            config = configuration(args)
            api = resolve(config)
            with ApiClient(config) as client:
                context = Context(args, out, client, api)
                if gc_paused:
                    gc.freeze()  # what start-up built: no collection walks it again, nor the one at exit
                    gc.enable()
                code: int = args.handler(context)
                return code
        except UsageError as exc:
            out.error(str(exc))
            return EXIT_ERROR
        except OpenApiException as exc:
            cause = f" (cause: {exc.__cause__!r})" if exc.__cause__ else ""
            logging.getLogger(__name__).debug("%s: %s%s", type(exc).__name__, exc, cause)  # the transport's words
            out.error(describe(exc, subject(args)))
            return EXIT_ERROR
        except KeyboardInterrupt:
            out.note("interrupted")
            return EXIT_INTERRUPTED
        except BrokenPipeError:  # e.g. `| head`: the reader is gone; say nothing more
            with contextlib.suppress(OSError):
                sys.stdout = open(os.devnull, "w")  # noqa: SIM115  (no flush error at exit)
            return EXIT_OK
