"""danvan's Airflow plugin (entry point ``airflow.plugins`` in pyproject.toml): the run-note
listener (``danvan/listeners.py``) and the UI's default time zone (``danvan/ui_timezone.py``)."""

from __future__ import annotations

from airflow.plugins_manager import AirflowPlugin

from danvan import listeners
from danvan.ui_timezone import DEFAULT, DefaultTimezone


class DanvanPlugin(AirflowPlugin):
    name = "danvan"
    listeners = [listeners]  # noqa: RUF012 - the attributes Airflow reads
    fastapi_root_middlewares = [  # noqa: RUF012
        {"middleware": DefaultTimezone, "args": [], "kwargs": {"tz": DEFAULT}, "name": "danvan UI time zone"}
    ]
