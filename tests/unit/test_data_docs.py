"""Great Expectations Data Docs: one page per suite run of a batch, reruns overwrite, old runs pruned."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest

from tests.unit.validation_cases import receipt, rows, write_csv
from transforms import pipeline, suites
from transforms.config import home
from transforms.validate import validate_batch

T0 = datetime(2024, 7, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def kept(tmp_path_factory):
    """The GX results of one small batch: a good file and one with a negative value."""
    d = tmp_path_factory.mktemp("files")
    good = write_csv(d / "good.csv", rows())
    bad = write_csv(d / "bad.csv", rows(u02020={"conferences_held": "-2"}))
    with suites.keep_results() as results:
        validate_batch([receipt(good), receipt(bad)])
    return results


def pages(site):
    return sorted(p.relative_to(site).as_posix() for p in (site / "validations").rglob("*.html"))


def test_one_page_per_suite_run_with_the_failing_rows_by_submission(tmp_path, kept):
    assert [name for name, _ in kept] == list(suites.SUITES)
    site = tmp_path / "data_docs"
    built = suites.build_data_docs(site, kept, run_name="run.0", batch_id="b0", run_time=T0)
    assert sorted(built) == sorted(suites.SUITES)
    assert pages(site) == sorted(
        f"validations/{s}/run.0/20240701T000000.000000Z/b0.html" for s in suites.SUITES
    )
    assert built == {
        s: str(site / f"validations/{s}/run.0/20240701T000000.000000Z/b0.html") for s in suites.SUITES
    }
    html = (site / built["unit_report_values"]).read_text(encoding="utf-8")
    assert "sub_bad" in html and "row_number" in html  # which file and row failed, not just a row_id
    assert (site / "index.html").exists()


LOADED = re.compile(r"<(?:script|link|img)\b[^>]*?(?:src|href)=\"([^\"]+)\"")


def test_pages_load_nothing_from_the_internet(tmp_path, kept):
    """Offline: every stylesheet, script and image a page loads is a file of the site."""
    site = tmp_path / "data_docs"
    built = suites.build_data_docs(site, kept, run_name="run.0", batch_id="b0", run_time=T0)
    for page in [site / "index.html", *map(Path, built.values())]:
        loaded = LOADED.findall(page.read_text(encoding="utf-8"))
        assert len(loaded) >= 15, page  # bootstrap, jquery, bootstrap-table, vega, fonts, logo...
        remote = [u for u in loaded if "://" in u]
        assert remote == [], (page, remote)
        missing = [u for u in loaded if u != "#" and not (page.parent / u.split("?")[0]).is_file()]
        assert missing == [], (page, missing)
    fonts = site / "static/vendor/@fortawesome/fontawesome-free/webfonts"
    assert (fonts / "fa-solid-900.woff2").is_file()  # all.min.css loads them by relative path


def test_a_rerun_overwrites_its_pages_and_old_runs_are_pruned(tmp_path, kept):
    site = tmp_path / "data_docs"
    for n in range(4):
        suites.build_data_docs(
            site, kept, run_name=f"run.{n}", batch_id="b", run_time=T0 + timedelta(hours=n), keep=6
        )
    suites.build_data_docs(
        site, kept, run_name="run.3", batch_id="b", run_time=T0 + timedelta(hours=3), keep=6
    )
    results = sorted(p.relative_to(site / "results").parts[1] for p in (site / "results").rglob("*.json"))
    assert (
        results == ["run.2"] * 3 + ["run.3"] * 3
    )  # the newest 6 results; the rerun of run.3 replaced itself
    assert {p.split("/")[2] for p in pages(site)} == {"run.2", "run.3"}  # pages of pruned results are gone
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "run.3" in index and "run.0" not in index


def test_a_page_shows_at_most_a_few_failing_rows(tmp_path, kept, monkeypatch):
    monkeypatch.setattr(suites, "DOCS_ROWS", 0)
    site = tmp_path / "data_docs"
    suites.build_data_docs(site, kept, run_name="r", batch_id="b", run_time=T0)
    stored = json.loads(next((site / "results" / "unit_report_values").rglob("*.json")).read_text())
    assert all(not (r["result"].get("unexpected_index_list") or []) for r in stored["results"])


def test_each_submission_links_to_the_page_of_its_worst_problem(tmp_path, monkeypatch):
    monkeypatch.setenv("DANVAN_DATA_DOCS", "1")  # off elsewhere in the suite (tests/conftest.py)
    h = home(tmp_path / "home").ensure()
    good = write_csv(tmp_path / "064" / "good.csv", rows())
    bad = write_csv(tmp_path / "064" / "bad.csv", rows(u02020={"conferences_held": "-2"}))
    receipts = [{**receipt(p), "path": str(p), "received_at": T0.isoformat()} for p in (good, bad)]
    out = pipeline.validate_batch(str(h.root), receipts, run_key="manual__x.0")
    links = dict(pd.read_parquet(f"{out}/submissions.parquet")[["submission_id", "data_docs_path"]].values)
    assert "/validations/submissions/manual__x.0/" in links["sub_good"]
    assert "/validations/unit_report_values/manual__x.0/" in links["sub_bad"]
    assert all(h.data_docs.joinpath(p).exists() for p in links.values())


def test_data_docs_can_be_turned_off(tmp_path, monkeypatch):
    monkeypatch.setenv("DANVAN_DATA_DOCS", "0")
    h = home(tmp_path / "home").ensure()
    good = write_csv(tmp_path / "064" / "good.csv", rows())
    receipts = [{**receipt(good), "path": str(good), "received_at": T0.isoformat()}]
    out = pipeline.validate_batch(str(h.root), receipts, run_key="manual__x.0")
    assert pd.read_parquet(f"{out}/submissions.parquet")["data_docs_path"].isna().all()
    assert not h.data_docs.exists()
