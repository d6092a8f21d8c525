"""``--debug``: the library's DEBUG log (one line per request, retry and redirect) on stderr while a command runs.

The library never logs credentials, headers or bodies, and the command line logs no user name either.
"""

from __future__ import annotations

import logging
import sys

LOGGER = "titanium_airflow_client"


class DebugLog:
    """While entered (and enabled), the ``titanium_airflow_client`` logger writes DEBUG lines to stderr."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.logger = logging.getLogger(LOGGER)
        self.handler = logging.StreamHandler(sys.stderr)
        self.handler.setFormatter(logging.Formatter("debug: %(asctime)s %(name)s: %(message)s"))
        self.level = self.logger.level

    def __enter__(self) -> DebugLog:
        if self.enabled:
            self.logger.addHandler(self.handler)
            self.logger.setLevel(logging.DEBUG)
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.enabled:
            self.logger.removeHandler(self.handler)
            self.logger.setLevel(self.level)
