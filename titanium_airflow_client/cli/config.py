"""The connection: flags, else environment variables, made into a Configuration (flags win)."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING, Mapping, Optional

from titanium_airflow_client.cli.errors import DEFAULT_HOST, UsageError

if TYPE_CHECKING:
    from titanium_airflow_client.configuration import Configuration

ENV_HOST = "TITANIUM_AIRFLOW_HOST"
ENV_USERNAME = "TITANIUM_AIRFLOW_USERNAME"
ENV_PASSWORD = "TITANIUM_AIRFLOW_PASSWORD"
ENV_TOKEN = "TITANIUM_AIRFLOW_TOKEN"


def configuration(args: argparse.Namespace, environ: Optional[Mapping[str, str]] = None) -> Configuration:
    """The Configuration from the flags, else the environment; asks for a missing password on a terminal."""
    import logging

    from titanium_airflow_client.configuration import Configuration

    env = {key: value for key, value in (os.environ if environ is None else environ).items() if value}
    host = args.host or env.get(ENV_HOST) or DEFAULT_HOST
    if args.token is not None and (args.username is not None or args.password is not None):
        raise UsageError("give --token or --username/--password, not both")
    username: Optional[str]
    password: Optional[str]
    token: Optional[str]
    if args.token is not None:
        username, password, token = None, None, args.token
    elif args.username is not None or args.password is not None:
        username = args.username if args.username is not None else env.get(ENV_USERNAME)
        password = args.password if args.password is not None else env.get(ENV_PASSWORD)
        token = None
    else:
        username, password, token = env.get(ENV_USERNAME), env.get(ENV_PASSWORD), env.get(ENV_TOKEN)
        if token is not None and (username is not None or password is not None):
            raise UsageError(
                f"both {ENV_TOKEN} and {ENV_USERNAME}/{ENV_PASSWORD} are set; unset one, or choose with a flag"
            )
    if password is not None and username is None:
        raise UsageError(f"a password needs a user name: --username or {ENV_USERNAME}")
    if username is not None and password is None:
        if not sys.stdin.isatty():
            raise UsageError(f"no password for {username}: --password or {ENV_PASSWORD}")
        import getpass

        password = getpass.getpass(f"password for {username}: ")
    config = Configuration(host=host, username=username, password=password, access_token=token)
    auth = "user and password" if username else "bearer token" if token else "none"
    logging.getLogger(__name__).debug("host %s, authentication: %s", config.host, auth)  # never who, nor the secret
    return config
