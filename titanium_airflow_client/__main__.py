"""``python -m titanium_airflow_client``: the ``titanium-airflow`` command line."""

import sys

from titanium_airflow_client.cli import main

sys.exit(main())
