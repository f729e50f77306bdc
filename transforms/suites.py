"""Running the Great Expectations suites of expectations/ on pandas frames.

GX is imported here and nowhere else, once per process (~3 s): callers validate a whole batch of
files in one frame per suite, never one file at a time. The DuckDB datasource of GX 1.x does not
work, so frames are pandas. Rows are traced back through a ``row_id`` index column.
"""

from __future__ import annotations

import json
import os
from functools import cache
from typing import ClassVar

import pandas as pd

from transforms.config import EXPECTATIONS_DIR

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

SUITES = ("submissions", "unit_reports", "unit_report_values")


@cache
def _gx():
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig
    from great_expectations.execution_engine import PandasExecutionEngine
    from great_expectations.expectations.expectation import MulticolumnMapExpectation
    from great_expectations.expectations.metrics.map_metric_provider import (
        MulticolumnMapMetricProvider,
        multicolumn_condition_partial,
    )

    class MulticolumnValuesPartsSumToLast(MulticolumnMapMetricProvider):
        condition_metric_name = "multicolumn_values.parts_sum_to_last"
        condition_domain_keys = (
            "batch_id",
            "table",
            "column_list",
            "row_condition",
            "condition_parser",
            "ignore_row_if",
        )

        @multicolumn_condition_partial(engine=PandasExecutionEngine)
        def _pandas(cls, column_list, **kwargs):
            parts = column_list.iloc[:, :-1].astype("float64").sum(axis=1, skipna=False)
            return (parts == column_list.iloc[:, -1].astype("float64")).fillna(False).astype(bool)

    class ExpectMulticolumnPartsToSumToLast(MulticolumnMapExpectation):
        """The last column equals the sum of the others (GX's built-in only compares to a constant)."""

        map_metric: ClassVar[str] = "multicolumn_values.parts_sum_to_last"
        domain_keys: ClassVar[tuple] = MulticolumnValuesPartsSumToLast.condition_domain_keys
        success_keys: ClassVar[tuple] = ("mostly",)

    ctx = gx.get_context(mode="ephemeral")
    ctx.variables.progress_bars = ProgressBarsConfig(globally=False)
    asset = ctx.data_sources.add_pandas("danvan").add_dataframe_asset("frames")
    batch = asset.add_batch_definition_whole_dataframe("whole")
    definitions = {}
    for name in SUITES:
        spec = json.loads((EXPECTATIONS_DIR / f"{name}.json").read_text(encoding="utf-8"))
        suite = ctx.suites.add(gx.ExpectationSuite(**spec))
        definitions[name] = ctx.validation_definitions.add(
            gx.ValidationDefinition(name=name, data=batch, suite=suite)
        )
    return definitions


def suite_spec(name: str) -> dict:
    return json.loads((EXPECTATIONS_DIR / f"{name}.json").read_text(encoding="utf-8"))


def run_suite(name: str, frame: pd.DataFrame, parameters: dict | None = None) -> list[tuple[dict, list[int]]]:
    """Validate ``frame`` (which has a unique ``row_id`` column) with suite ``name``.

    Returns one (expectation meta, failing row_ids) pair per failed expectation. An expectation
    that raised is a defect of the suite, not of the data: it raises here instead of passing.
    """
    if frame.empty:
        return []
    result = _gx()[name].run(
        batch_parameters={"dataframe": frame},
        expectation_parameters=parameters or {},
        result_format={
            "result_format": "COMPLETE",
            "unexpected_index_column_names": ["row_id"],
            "return_unexpected_index_query": False,
        },
    )
    failed = []
    for r in result.results:
        info = r.exception_info or {}
        if info.get("raised_exception") or any(
            isinstance(v, dict) and v.get("raised_exception") for v in info.values()
        ):
            raise RuntimeError(f"suite {name}: expectation {r.expectation_config.type} raised: {info}")
        if not r.success:
            rows = [int(i["row_id"]) for i in r.result.get("unexpected_index_list") or []]
            failed.append((dict(r.expectation_config.meta or {}), rows))
    return failed
