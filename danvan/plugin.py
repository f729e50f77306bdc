"""danvan's Airflow plugin (entry point ``airflow.plugins`` in pyproject.toml): the run-note listener."""

from __future__ import annotations

from airflow.plugins_manager import AirflowPlugin

from danvan import listeners


class DanvanPlugin(AirflowPlugin):
    name = "danvan"
    listeners = [listeners]  # noqa: RUF012 - the attribute Airflow reads
