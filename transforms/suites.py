"""Running the Great Expectations suites of expectations/ on pandas frames.

GX is imported here and nowhere else, once per process (a costly import: the README has the
measured figures): callers validate a whole batch of files in one frame per suite, never one file
at a time. The DuckDB datasource of GX 1.x does not work, so frames are pandas. Rows are traced
back through a ``row_id`` index column.

Data Docs: ``keep_results`` collects the GX results of a batch's suite runs and ``build_data_docs``
renders them into a static site, one page per suite run (never per file), keeping only the
latest results so the site stays fast (GX rebuilds its index from every stored result).
"""

from __future__ import annotations

import contextlib
import copy
import json
import logging
import os
from collections.abc import Iterator
from contextvars import ContextVar
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import ClassVar

import pandas as pd

from transforms import docs_assets
from transforms.config import EXPECTATIONS_DIR
from transforms.locks import exclusive

# GX logs at INFO while it imports and runs: ~200 "Skipping registering function ..." lines, metric
# registry and default-value notes in every validate task's log. Its warnings and errors still show.
logging.getLogger("great_expectations").setLevel(logging.WARNING)

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

SUITES = ("submissions", "unit_reports", "unit_report_values")
DOCS_SITE = "danvan"
DOCS_KEEP = 50  # validation results kept in the Data Docs site (3 per batch at most)
DOCS_ROWS = 50  # failing rows listed per expectation on a page (the issues table has them all)

_KEPT: ContextVar[list | None] = ContextVar("danvan_gx_results", default=None)


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
        spec = suite_spec(name)
        suite = ctx.suites.add(gx.ExpectationSuite(**spec))
        definitions[name] = ctx.validation_definitions.add(
            gx.ValidationDefinition(name=name, data=batch, suite=suite)
        )
    return definitions


def suite_spec(name: str) -> dict:
    """A suite of expectations/ as its JSON says (the value regexes are read from it by validate)."""
    return json.loads((EXPECTATIONS_DIR / f"{name}.json").read_text(encoding="utf-8"))


def run_suite(name: str, frame: pd.DataFrame, parameters: dict | None = None) -> list[tuple[dict, list[int]]]:
    """Validate ``frame`` (which has a unique ``row_id`` column) with suite ``name``.

    Returns one (expectation meta, failing row_ids) pair per failed expectation. An expectation
    that raised is a defect of the suite, not of the data: it raises here instead of passing.
    """
    if frame.empty:
        return []
    # submission_id/row_number too, so that a Data Docs page says which file and row failed
    index_columns = ["row_id", *(c for c in ("submission_id", "row_number") if c in frame.columns)]
    result = _gx()[name].run(
        batch_parameters={"dataframe": frame},
        expectation_parameters=parameters or {},
        result_format={
            "result_format": "COMPLETE",
            "unexpected_index_column_names": index_columns,
            "return_unexpected_index_query": False,
        },
    )
    kept = _KEPT.get()
    if kept is not None:
        kept.append((name, result))
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


# ------------------------------------------------------------------------------------ Data Docs
@contextlib.contextmanager
def keep_results() -> Iterator[list]:
    """Collect the (suite name, GX result) of every run_suite call inside, for build_data_docs.

    A context variable rather than a parameter: the validation code stays unaware of Data Docs.
    """
    kept: list = []
    token = _KEPT.set(kept)
    try:
        yield kept
    finally:
        _KEPT.reset(token)


@cache
def _docs_context(site_root: str):
    """An in-memory context whose validation results and Data Docs site are files under site_root.

    Not a file context: nothing but results and HTML is written, and no suite or definition is
    persisted (the suites stay in expectations/, and parallel batches never race on GX's config).
    """
    import great_expectations as gx
    from great_expectations.data_context.types.base import DataContextConfig, InMemoryStoreBackendDefaults

    root = Path(site_root)
    config = DataContextConfig(store_backend_defaults=InMemoryStoreBackendDefaults())
    config.stores["validation_results_store"]["store_backend"] = {
        "class_name": "TupleFilesystemStoreBackend",
        "base_directory": str(root / "results"),
    }
    config.data_docs_sites = {
        DOCS_SITE: {
            "class_name": "SiteBuilder",
            "show_how_to_buttons": False,
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(root)},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            "site_section_builders": {"expectations": "None", "profiling": "None"},
        }
    }
    return gx.get_context(mode="ephemeral", project_config=config)


def build_data_docs(
    site_root: Path, results: list, *, run_name: str, batch_id: str, run_time: datetime, keep: int = DOCS_KEEP
) -> dict[str, str]:
    """Render a batch's suite results into the Data Docs site; return {suite name: page path}.

    Keys are deterministic (run_name, run_time, batch_id come from the batch, not the clock), so a
    rerun overwrites its own pages. Only the newest ``keep`` results stay: older ones are deleted
    and GX's index build removes their pages. One builder at a time (a lock file in the site).
    """
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
        ValidationResultIdentifier,
    )

    if not results:
        return {}
    site_root.mkdir(parents=True, exist_ok=True)
    ctx = _docs_context(str(site_root))
    store = ctx.validation_results_store
    run_id = RunIdentifier(run_name=run_name, run_time=run_time)
    keys = {}
    with exclusive(site_root / ".lock"):
        for name, result in results:
            key = ValidationResultIdentifier(ExpectationSuiteIdentifier(name=name), run_id, batch_id)
            store.set(key, _trimmed(result, run_id))
            keys[name] = key
        _prune(store, keep, set(keys.values()))
        ctx.build_data_docs(site_names=[DOCS_SITE], resource_identifiers=list(keys.values()))
        pages = {
            name: ctx.get_docs_sites_urls(resource_identifier=key, site_name=DOCS_SITE, only_if_exists=False)[
                0
            ]["site_url"].removeprefix("file://")
            for name, key in keys.items()
        }
        if docs_assets.vendor_into(site_root):  # offline: the CDNs' files served by the site itself
            for page in [site_root / "index.html", *map(Path, pages.values())]:
                if page.is_file():
                    docs_assets.localise(page, site_root)
    return pages


def _trimmed(result, run_id):
    """A copy small enough to render fast: failing rows capped (the issues table has them all)."""
    out = copy.deepcopy(result)
    out.meta["run_id"] = run_id
    for r in out.results:
        for field in ("unexpected_index_list", "unexpected_list"):
            if isinstance(r.result.get(field), list):
                r.result[field] = r.result[field][:DOCS_ROWS]
    return out


def _prune(store, keep: int, protect: set) -> None:
    keys = sorted(store.list_keys(), key=lambda k: (k.run_id.run_time, k.to_tuple()), reverse=True)
    for key in keys[keep:]:
        if key not in protect:
            store.remove_key(key)
