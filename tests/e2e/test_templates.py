"""Templates out, filled templates back (issue 11): every Bắc Kạn district's 2024S1 template,
filled in as an office would (a note row inserted above, a "Tổng cộng" row, the signature block
the template has), goes through the ingest and rollup DAGs' tasks and is accepted with the exact
totals; LibreOffice's .xls and .ods copies read exactly like the .xlsx. The chase DAG's task
publishes templates into each expected sender's outbox."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import duckdb
import openpyxl
import pandas as pd
import pytest

from danvan.airflow_env import load_dag
from tests import dag_tasks
from tests.filled_templates import BAC_KAN_DISTRICTS, FIXTURE, fill
from transforms.catalogue import indicator_codes
from transforms.readers import read_submission
from transforms.templates import write_templates

pytestmark = pytest.mark.e2e


def test_filled_templates_of_the_8_bac_kan_districts_are_accepted_with_exact_totals(danvan_home, tmp_path):
    paths = write_templates("2024S1", tmp_path, list(BAC_KAN_DISTRICTS))
    assert [p.name for p in paths] == [f"mau-bao-cao-2024S1-{d}.xlsx" for d in BAC_KAN_DISTRICTS]
    written = []
    for n, (district, path) in enumerate(zip(BAC_KAN_DISTRICTS, paths, strict=True)):
        out = danvan_home.inbox / district / f"bao-cao-{district}.xlsx"
        out.parent.mkdir(parents=True)
        written.append(fill(path, out, note_above=n % 2 == 0, total_row=n % 3 == 0))
    summary = dag_tasks.ingest()["load"]
    assert (summary["received"], summary["accepted"], summary["rejected"]) == (8, 8, 0)
    dag_tasks.rollup("asset_triggered")

    expected = pd.concat(written)[list(indicator_codes())].sum().astype(int).to_dict()
    con = duckdb.connect(str(danvan_home.warehouse_db), read_only=True)
    try:
        got = dict(
            con.sql(
                "select indicator_code, value from province_totals "
                "where period = '2024S1' and province_code = '06' and breakdown = 'total'"
            ).fetchall()
        )
        errors = con.sql("select count(*) from submission_issues where severity = 'error'").fetchall()
        units = con.sql(
            "select count(distinct commune_code) from commune_totals where period = '2024S1'"
        ).fetchall()
    finally:
        con.close()
    assert got == expected
    assert errors == [(0,)]
    communes = sum(len(w) for w in written) - len(BAC_KAN_DISTRICTS)  # each district's own row aside
    assert units == [(communes,)]


def test_xls_and_ods_copies_of_a_filled_template_read_the_same(tmp_path):
    [template] = write_templates("2024S1", tmp_path, ["064"])
    fill(template, tmp_path / "filled.xlsx")
    read = read_submission(tmp_path / "filled.xlsx")
    for suffix in (".xls", ".ods"):
        copy = read_submission(FIXTURE.with_suffix(suffix))
        # a difference means the template changed: regenerate with `python -m tests.filled_templates`
        assert (copy.unit_rows, copy.value_rows, copy.periods) == (
            read.unit_rows,
            read.value_rows,
            ["2024S1"],
        )
    assert len(read.unit_rows) == 21 and read.notes == [] and read.unknown_columns == []


def test_the_criteria_layout_reads_back_as_the_units_layout(tmp_path):
    [units] = write_templates("2024S1", tmp_path, ["065"])
    [criteria] = write_templates(
        "2024S1", tmp_path, ["065"], layout="criteria", previous={("065", "conferences_held"): 7}
    )
    values = fill(units, tmp_path / "units.xlsx")
    book = openpyxl.load_workbook(criteria)
    sheet = book["Báo cáo"]
    from transforms import sheets

    for row in sheet.iter_rows(min_row=1):
        unit, key = row[1].value, row[2].value
        if str(row[0].value or "").startswith(sheets.MACHINE_MARK):
            continue
        if unit and not str(unit).startswith("#") and key and not str(key).startswith("#"):
            value = values.loc[unit].get(sheets.unescape(key))
            if value is not None and not pd.isna(value):
                row[5].value = int(value)
            if unit == "065" and key == "conferences_held":
                assert row[6].value == 7  # last year's accepted figure, pre-filled
    book.save(tmp_path / "criteria.xlsx")
    wide = read_submission(tmp_path / "units.xlsx")
    long = read_submission(tmp_path / "criteria.xlsx")
    assert long.shape == "long" and long.periods == ["2024S1"]
    as_set = {(u, k, v) for _, _, u, k, v in wide.value_rows if v is not None}
    assert {(u, k, v) for _, _, u, k, v in long.value_rows if v is not None} == as_set


def test_the_chase_dag_publishes_templates_once_when_a_period_opens(danvan_home, monkeypatch):
    monkeypatch.setenv("DANVAN_TEMPLATE_PROVINCES", "06")
    publish = load_dag("chase_reports").task_dict["publish_templates"].python_callable
    run = SimpleNamespace(run_after=datetime(2024, 1, 2, 1, 0, tzinfo=UTC))  # 08:00 in Hà Nội
    first = publish(dag_run=run)
    assert first == {"2024S1": 26}  # 8 districts, the province, 4 bodies; two layouts each
    assert (danvan_home.outbox / "064" / "mau-bao-cao-2024S1-064.xlsx").exists()
    assert (danvan_home.outbox / "CQ06-03" / "mau-bao-cao-2024S1-CQ06-03-chi-tieu.xlsx").exists()
    assert publish(dag_run=run) == {"2024S1": 0}  # once


def test_danvan_templates_writes_one_file_per_sender_and_the_examples_read(tmp_path, capsys):
    from danvan.cli import main
    from transforms.config import SCHEMAS_DIR

    assert (
        main(["templates", "--period", "2024S1", "--sender", "064", "--sender", "06", "--out", str(tmp_path)])
        == 0
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "mau-bao-cao-2024S1-06.xlsx",
        "mau-bao-cao-2024S1-064.xlsx",
    ]
    assert main(["templates", "--period", "2024N9", "--out", str(tmp_path)]) == 1  # a window is no report
    for name, shape in (
        ("mau-bao-cao-2024S1-064.xlsx", "wide"),
        ("mau-bao-cao-2024S1-064-chi-tieu.xlsx", "long"),
    ):
        read = read_submission(SCHEMAS_DIR / "examples" / name)  # an empty template: every unit, no figure
        assert (read.shape, read.periods, len(read.unit_rows), read.notes) == (shape, ["2024S1"], 21, [])
