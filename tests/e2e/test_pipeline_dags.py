"""The DAGs' tasks on a throwaway DANVAN_HOME, asserting exact numbers.

Every good row carries the same figures (tests/unit/validation_cases.GOOD: conferences_held = 2,
conference_attendees = 80, ...), so each total below is rows x figure and can be checked by hand.
The runs call the DAGs' own task functions in order (tests/dag_tasks.py: a task that fails raises);
the real DAGs run with dag.test() in tests/e2e/test_bad_submissions.py (the corpus: ingest twice,
then the rollup), tests/dags/test_dag_integrity.py (an ingest with nothing waiting), the review
form (tests/e2e/test_validators_desk.py) and the full disk (tests/e2e/test_hostile_batch.py).
"""

from __future__ import annotations

import os
import shutil

import duckdb
import openpyxl
import pandas as pd
import pytest

from tests import dag_tasks
from tests.unit.validation_cases import CODES, GOOD, rows, write_csv

pytestmark = pytest.mark.e2e


def drop(home, sender, name, records, fmt="csv"):
    path = home.inbox / sender / name
    path.parent.mkdir(parents=True, exist_ok=True)
    frame = pd.DataFrame(records)
    if fmt == "csv":
        write_csv(path, records)
    elif fmt == "xlsx":
        wb = openpyxl.Workbook()
        wb.active.append(list(frame.columns))
        for r in records:
            wb.active.append([str(v) if k in ("period", "unit_code") else v for k, v in r.items()])
        wb.save(path)
    elif fmt == "json":
        frame.to_json(path, orient="records", force_ascii=False)
    elif fmt == "parquet":
        frame[CODES] = frame[CODES].astype("Int64")
        frame.to_parquet(path)
    elif fmt == "long-csv":
        long = frame.melt(id_vars=["period", "unit_code"], var_name="indicator_code", value_name="value")
        write_csv(path, long.to_dict("records"))
    return path


def ingest(conf=None):
    """One ingest run (settle_seconds 0); the summary its load task returns."""
    return dag_tasks.ingest(conf)["load"]


def rollup(run_type="asset_triggered"):
    """The rollup as it follows an ingest or a decision (publishes only what changed)."""
    dag_tasks.rollup(run_type)


def query(home, sql):
    con = duckdb.connect(str(home.warehouse_db), read_only=True)
    try:
        return con.sql(sql).fetchall()
    finally:
        con.close()


def test_a_mixed_batch_loads_every_good_file_and_flags_the_bad_ones(danvan_home):
    drop(danvan_home, "064", "cho-don.csv", rows(units=["02020", "02023", "064"]))
    drop(danvan_home, "058", "tp-bac-kan.xlsx", rows(units=["01834", "01837", "058"]), "xlsx")
    drop(danvan_home, "060", "bach-thong.json", rows(units=["01858", "01861"]), "json")
    drop(danvan_home, "061", "cho-moi.parquet", rows(units=["01888", "060"]), "parquet")  # 060 not under 061
    drop(danvan_home, "062", "na-ri.csv", rows(units=["01936", "01939"]), "long-csv")
    drop(danvan_home, "063", "ngan-son.csv", rows(units=["01969"], u01969={"conferences_held": "-2"}))
    (danvan_home.inbox / "065").mkdir()
    (danvan_home.inbox / "065" / "cho-moi.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")

    summary = ingest()
    assert {k: summary[k] for k in ("received", "accepted", "rejected")} == {
        "received": 7,
        "accepted": 4,
        "rejected": 3,
    }
    rollup()

    assert sorted(query(danvan_home, "select file_name, status, error_count from submissions")) == [
        ("bach-thong.json", "accepted", 0),
        ("cho-don.csv", "accepted", 0),
        ("cho-moi.parquet", "rejected", 1),
        ("cho-moi.xlsx", "rejected", 1),
        ("na-ri.csv", "accepted", 0),
        ("ngan-son.csv", "rejected", 1),
        ("tp-bac-kan.xlsx", "accepted", 0),
    ]
    assert sorted(
        query(
            danvan_home,
            """
        select s.file_name, i.issue_code, i.row_number, i.column_name, i.value
        from submission_issues i join submissions s using (submission_id)
        where i.severity <> 'info'""",
        )
    ) == [
        ("cho-moi.parquet", "unit_outside_sender", 2, "unit_code", "060"),
        ("cho-moi.xlsx", "file_corrupt", None, None, None),
        ("ngan-son.csv", "value_negative", 2, "conferences_held", "-2"),
    ]
    # 3 + 3 + 2 + 2 accepted unit rows, each with conferences_held = 2
    assert query(
        danvan_home,
        "select value, reported_units from province_totals "
        "where province_code = '06' and indicator_code = 'conferences_held'",
    ) == [(20, 10)]
    assert sorted(
        query(
            danvan_home,
            "select district_code, value from district_totals where indicator_code = 'conference_attendees'",
        )
    ) == [("058", 3 * GOOD["conference_attendees"]), ("060", 2 * 80), ("062", 2 * 80), ("064", 3 * 80)]
    assert query(
        danvan_home, "select count(*) from commune_totals where indicator_code = 'models_registered'"
    ) == [(8,)]
    # 065's file is unreadable: its period is unknown, so it counts for no period. Expected: the 8
    # districts, the province's own level and its 4 registered bodies (schemas/reporting_chain.yaml)
    assert query(
        danvan_home,
        "select expected_senders, senders_with_files, senders_accepted "
        "from completeness where province_code = '06'",
    ) == [(13, 6, 4)]
    assert list(danvan_home.claimed.rglob("*.*")) == []  # everything claimed was recorded
    assert len(list(danvan_home.archive.rglob("*.*"))) == 7


def test_resubmission_supersedes_and_same_bytes_are_a_duplicate(danvan_home, tmp_path):
    first = drop(danvan_home, "064", "bao-cao.csv", rows(units=["02020", "064"]))
    kept = shutil.copy(first, tmp_path / "bao-cao.csv")
    ingest()
    drop(danvan_home, "064", "bao-cao-sua.csv", rows(units=["02020", "064"], u02020={"conferences_held": 7}))
    shutil.copy(kept, danvan_home.inbox / "064" / "bao-cao-lan-2.csv")  # the first file again
    summary = ingest()
    assert (summary["accepted"], summary["duplicate"]) == (1, 1)
    rollup()
    assert sorted(query(danvan_home, "select file_name, status, version, is_current from submissions")) == [
        ("bao-cao-lan-2.csv", "duplicate", None, False),
        ("bao-cao-sua.csv", "accepted", 2, True),
        ("bao-cao.csv", "superseded", 1, False),
    ]
    assert query(
        danvan_home,
        "select value from district_totals "
        "where district_code = '064' and indicator_code = 'conferences_held'",
    ) == [(7 + 2,)]
    # the nightly full rebuild gives the warehouse the ingests' incremental publishes gave
    before = query(danvan_home, "select * from province_totals order by all")
    rollup("scheduled")
    assert query(danvan_home, "select * from province_totals order by all") == before


def test_explicit_files_in_conf_and_a_run_with_nothing_to_do(danvan_home, tmp_path):
    assert ingest()["received"] == 0  # nothing waiting: the run still succeeds
    outside = write_csv(tmp_path / "064" / "tu-may-chu.csv", rows(units=["02020"]))
    summary = ingest({"files": [str(outside)]})
    assert [s["verdict"] for s in summary["submissions"]] == ["accepted"]
    assert outside.exists()  # a file named in conf is archived, never moved or deleted


def test_after_the_reform_communes_the_province_and_a_body_report_and_one_is_late(danvan_home):
    """Lai Châu (12) in 2026S1, through the real ingest DAG once: the reporting chain expects its 38
    communes, its own level and its 4 bodies (43). Arrival times come from the files' mtimes
    (``arrival_from_mtime``, as ``danvan run --arrival-from-mtime``): one commune is a working day late."""
    from datetime import UTC, datetime, time, timedelta

    from tests.unit.test_reporting_status import working_day_after
    from transforms.periods import parse_period

    deadline = parse_period("2026S1").deadline

    def arrives(day, path):  # 10:00 in Vietnam (UTC+7)
        at = datetime.combine(day, time(10), tzinfo=UTC) - timedelta(hours=7)
        os.utime(path, (at.timestamp(), at.timestamp()))
        return at.replace(tzinfo=None)

    on_time, late = deadline - timedelta(days=1), working_day_after(deadline, 1)
    sent = {
        sender: arrives(day, drop(danvan_home, sender, f"bao-cao-{sender}.csv", records))
        for sender, day, records in [
            ("03388", on_time, rows("2026S1", ["03388"])),
            ("03390", on_time, rows("2026S1", ["03390"])),
            ("03394", late, rows("2026S1", ["03394"])),
            ("03405", on_time, rows("2026S1", ["03405"], u03405={"conferences_held": "-1"})),  # rejected
            ("12", on_time, rows("2026S1", ["12"])),  # the province's own level
            ("CQ12-03", on_time, rows("2026S1", ["CQ12-03"])),  # Công an tỉnh Lai Châu
            ("106", on_time, rows("2026S1", ["106"])),  # a district folder: there are none after the reform
        ]
    }
    summary = ingest({"arrival_from_mtime": True})
    assert (summary["received"], summary["accepted"], summary["rejected"]) == (7, 5, 2)
    rollup()

    assert sorted(query(danvan_home, "select sender_code, received_at from submissions")) == sorted(
        sent.items()
    )
    # one round trip: the district folder's row is judged too (no districts after the reform)
    assert query(
        danvan_home,
        "select s.sender_code, i.issue_code from submission_issues i join submissions s using (submission_id) "
        "where i.severity = 'error' order by 1, 2",
    ) == [("03405", "value_negative"), ("106", "sender_unknown"), ("106", "unit_unknown")]
    assert query(
        danvan_home,
        "select expected_senders, senders_with_files, senders_accepted, senders_on_time, senders_late, "
        "completeness_rate from completeness where period = '2026S1' and province_code = '12'",
    ) == [(43, 6, 5, 4, 1, round(5 / 43, 4))]
    assert query(
        danvan_home,
        "select sender_code, sender_kind, status, working_days_late from reporting_status "
        "where period = '2026S1' and status <> 'missing' order by sender_code",
    ) == [
        ("03388", "commune", "on_time", 0),
        ("03390", "commune", "on_time", 0),
        ("03394", "commune", "late", 1),
        ("03405", "commune", "rejected_only", None),
        ("12", "province", "on_time", 0),
        ("CQ12-03", "body", "on_time", 0),
    ]
    assert query(
        danvan_home,
        "select count(*), count(distinct province_code) from reporting_status where period = '2026S1'",
    ) == [(3321 + 34 + 136, 34)]  # every expected sender of the country, each once
    assert query(
        danvan_home,
        "select count(*) from reporting_status where period = '2026S1' and province_code = '12' "
        "and status = 'missing'",
    ) == [(43 - 6,)]
    # 5 accepted rows of conferences_held = 2: 3 communes, the province's own, the body's
    assert query(
        danvan_home,
        "select value, reported_units, expected_senders, reporting_senders from province_totals "
        "where period = '2026S1' and province_code = '12' and indicator_code = 'conferences_held'",
    ) == [(5 * GOOD["conferences_held"], 5, 43, 5)]
    assert query(
        danvan_home,
        "select body_code, sector, value from body_totals where indicator_code = 'conferences_held'",
    ) == [("CQ12-03", "an ninh", GOOD["conferences_held"])]
    assert query(danvan_home, "select count(*) from district_totals") == [(0,)]

    # The chase list reads the same reporting_status: who in Lai Châu has nothing accepted yet.
    from transforms import chase
    from transforms.warehouse import connect_reader

    con = connect_reader(danvan_home.warehouse_db)
    try:
        chased = chase.missing(con, "2026S1", working_day_after(deadline, 3), province="12")
    finally:
        con.close()
    assert len(chased) == 43 - 5  # 37 missing and the commune whose only file was rejected
    assert {(r.sender_code, r.status) for r in chased if r.status != "missing"} == {
        ("03405", "rejected_only")
    }
    assert {r.working_days_late for r in chased} == {3}
    assert {r.province_name for r in chased} == {"Tỉnh Lai Châu"}
