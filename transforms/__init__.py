"""Pure pipeline logic for danvan. Never imports Airflow: every function takes explicit inputs."""
