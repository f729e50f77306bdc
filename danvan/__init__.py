"""Airflow glue and command line for danvan. The pipeline logic itself lives in ``transforms``."""
