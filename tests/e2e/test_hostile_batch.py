"""Issue 8, the pipeline half: a batch that no file can break, through the ingest DAG's tasks.

One ingest run holds good files and one file of each hostile kind of `HOSTILE`. The failures no
file can cause on purpose (a suite, the frames, the load or a feedback write raising for one file,
archiving failing) are injected with monkeypatch, keyed on the file's content or sender so that
they follow the file whatever batch it is in: the DAG's task functions run in this process
(tests/dag_tasks.py; a task that raised would fail the test, where dag.test would retry it). The
full disk runs the real DAG with dag.test(): that Airflow fails notify at once, without a retry, is
what it asserts. Every kind asserts its exact outcome; the good files load with exact totals. The
lead can append the hostile-read kinds (tests/hostile_corpus.py) to `HOSTILE` as more `Kind`s:
they go in the same run.
"""

from __future__ import annotations

import errno
import json
import os
from dataclasses import dataclass
from pathlib import Path

import duckdb
import openpyxl
import pytest

from danvan.airflow_env import run_dag
from tests import dag_tasks
from tests.e2e.test_bad_submissions import recs, table
from tests.helpers import dag_test
from tests.unit.validation_cases import GOOD
from transforms import intake, isolation, pipeline
from transforms.feedback import feedback_paths
from transforms.isolation import MAX_ATTEMPTS

pytestmark = pytest.mark.e2e

A, W, R = "accepted", "accepted_with_warnings", "rejected"
LONG_STEM = "báo-cáo-" + "dân-vận-khéo-" * 14  # 8 + 14 x 19 bytes = 274 bytes: too long for a name
LONG_NAME = LONG_STEM.encode()[:251].decode("utf-8", "ignore") + ".csv"  # <= 255 bytes, the limit
LONG_SENDER = "06" * 127  # a 254-byte folder name
NOT_UTF8 = b"b\xe1o-c\xe1o.csv"  # latin-1 bytes: not UTF-8


@dataclass(frozen=True)
class Kind:
    kind: str
    sender: str
    name: str | bytes  # bytes: a name that is not UTF-8
    build: object
    verdict: str
    codes: tuple = ()  # issue codes expected (history_too_short aside), with multiplicity
    detail: str | None = None  # the error class named by file_unprocessable
    feedback: bool = True  # a workbook must be in the outbox
    units: int = 0  # unit rows loaded


def bad_value(n: int):  # rejected (value_negative); n makes the bytes differ from the other such files
    return table(recs(units=["02020"], u02020={"conferences_held": str(-n)}), "csv")


def noted(units, **kw):  # a good file with an unknown column: accepted with a warning
    return table([{**r, "ghi_chu": "x"} for r in recs(units=units, **kw)], "csv")


HOSTILE: list[Kind] = [
    # ---- one file's failure is its own verdict, the batch goes on
    Kind(
        "suite raises on one file's rows",
        "066",
        "066-na-ri.csv",
        table(recs(units=["066"]), "csv"),
        R,
        ("file_unprocessable",),
        "ValueError",
    ),
    Kind(
        "frame building raises on one file",
        "065",
        "065-cho-moi.csv",
        table(recs(units=["065"]), "csv"),
        R,
        ("file_unprocessable",),
        "KeyError",
    ),
    Kind(
        "reader raises something unexpected",
        "060",
        "060-bom.csv",
        table(recs(units=["01858"], u01858={"ghi_chu": "BOOM-MEMORY"}), "csv"),
        R,
        ("file_unprocessable",),
        "MemoryError",
    ),
    Kind(
        "load raises on one file's rows",
        "062",
        "062-ngan-son.csv",
        table(recs(units=["01936", "062"], u062={"documents_issued": 777}), "csv"),
        R,
        ("file_unprocessable",),
        "RuntimeError",
    ),
    Kind(
        "archiving fails",
        "058",
        "khong-doc-duoc.csv",
        table(recs(units=["01834"]), "csv"),
        R,
        ("file_unprocessable",),
        "PermissionError",
    ),
    Kind(
        "feedback write fails once",
        "060",
        "phan-hoi-loi.csv",
        noted(["01858", "060"]),
        R,
        ("column_unknown", "file_unprocessable"),
        "PermissionError",
    ),
    Kind(
        "feedback write fails always",
        "060",
        "phan-hoi-hong.csv",
        noted(["01861"], period="2024S2"),
        R,
        ("column_unknown", "file_unprocessable"),
        "PermissionError",
        feedback=False,
    ),
    # ---- sender folders that differ only by whitespace or dots never share an outbox
    Kind("folder 064", "064", "bao-cao.csv", bad_value(1), R, ("value_negative",)),
    Kind("folder '064 '", "064 ", "bao-cao.csv", table(recs(), "csv"), R, ("sender_unknown",)),
    Kind("folder '064.'", "064.", "bao-cao.csv", table(recs(), "csv"), R, ("sender_unknown",)),
    Kind("folder of 254 bytes", LONG_SENDER, "bao-cao.csv", table(recs(), "csv"), R, ("sender_unknown",)),
    # ---- names: safe, readable, capped, one-to-one
    Kind("255-byte name", "063", LONG_NAME, noted(["01969", "063"]), W, ("column_unknown",), units=2),
    Kind("newline in the name", "064", "bao\ncao.csv", bad_value(2), R, ("value_negative",)),
    Kind("tab and CR in the name", "064", "bao\tcao\r.csv", bad_value(3), R, ("value_negative",)),
    Kind("name not UTF-8", "064", NOT_UTF8, bad_value(4), R, ("value_negative",)),
    Kind(
        "forbidden characters",
        "058",
        'a:*?"<>|.csv',
        table(recs(units=["02020"]), "csv"),
        R,
        ("unit_outside_sender",),
    ),
    Kind(
        "stem ending in a space",
        "058",
        "bao-cao .csv",
        table(recs(units=["02026"]), "csv"),
        R,
        ("unit_outside_sender",),
    ),
    Kind(
        "same stem, no space",
        "058",
        "bao-cao.csv",
        table(recs(units=["02023"]), "csv"),
        R,
        ("unit_outside_sender",),
    ),
    Kind(
        "stem of one space", "061", " .csv", table(recs(units=["02020"]), "csv"), R, ("unit_outside_sender",)
    ),
    # ---- no figure lost: a resubmission leaving out a ward of the file it replaces
    Kind(
        "first file of 061",
        "061",
        "061-ba-be.csv",
        table(recs(units=["01888", "01891", "061"]), "csv"),
        A,
        feedback=False,
        units=3,
    ),
    Kind(
        "resubmission dropping a unit",
        "061",
        "061-ba-be-sua.csv",
        table(recs(units=["01888", "061"]), "csv"),
        W,
        ("units_dropped",),
        units=2,
    ),
]
GOOD_FILES: list[Kind] = [
    Kind(
        "good district",
        "064",
        "064-cho-don.csv",
        table(recs(units=["02020", "02023", "02026", "064"]), "csv"),
        A,
        feedback=False,
        units=4,
    ),
    Kind(
        "good xlsx",
        "058",
        "058-tp-bac-kan.xlsx",
        table(recs(units=["01834", "01837", "058"]), "xlsx"),
        A,
        feedback=False,
        units=3,
    ),
]


def inject(monkeypatch) -> None:
    """The failures no file can cause on purpose, each keyed on something of one file."""
    import transforms.feedback as feedback
    import transforms.intake as intake
    import transforms.load as load
    import transforms.validate as validate

    run_suite, totals, read, archive = (
        validate.run_suite,
        validate.declared_totals,
        validate.read_submission,
        intake.archive_file,
    )
    crosschecks, workbook = load.crosschecks.run, feedback._workbook
    failed_once = set()

    def suite(name, frame, parameters=None):
        if name == "unit_reports" and (frame["sender_code"] == "066").any():
            raise ValueError("a suite cannot digest 066's rows")
        return run_suite(name, frame, parameters)

    def frames(units):
        if (units["sender_code"] == "065").any():
            raise KeyError("065")
        return totals(units)

    def reader(path):
        if b"BOOM-MEMORY" in Path(path).read_bytes():
            raise MemoryError
        return read(path)

    def archiving(archive_dir, path):
        names = {c.path: c.file_name for c in intake.list_claimed(Path(path).parent)}
        if names.get(str(path)) == "khong-doc-duoc.csv":  # the sender's name, kept in the claim's sidecar
            raise PermissionError(13, "Permission denied", str(path))
        return archive(archive_dir, path)

    def checks(con, ids, **kw):
        if con.execute(
            "select count(*) from raw.unit_report_values where value = 777 and submission_id in "
            "(select unnest(?))",
            [list(ids)],
        ).fetchone()[0]:
            raise RuntimeError("load cannot take 777")
        return crosschecks(con, ids, **kw)

    def book(submission, problems, decision, status):
        name = submission["file_name"]
        if name == "phan-hoi-hong.csv" or (name == "phan-hoi-loi.csv" and name not in failed_once):
            failed_once.add(name)
            raise PermissionError(13, "Permission denied")
        return workbook(submission, problems, decision, status)

    monkeypatch.setattr(validate, "run_suite", suite)
    monkeypatch.setattr(validate, "declared_totals", frames)
    monkeypatch.setattr(validate, "read_submission", reader)
    monkeypatch.setattr(intake, "archive_file", archiving)
    monkeypatch.setattr(load.crosschecks, "run", checks)
    monkeypatch.setattr(feedback, "_workbook", book)


def drop(home, kinds: list[Kind]) -> dict[str, Kind]:
    """Write the files (mtimes a second apart, in list order); return claimed file name -> kind."""
    start = 1_700_000_000
    out = {}
    for n, k in enumerate(kinds):
        folder = home.inbox / k.sender
        folder.mkdir(parents=True, exist_ok=True)
        tmp = home.root / "tmp-build"
        k.build(tmp)
        target = os.fsencode(folder) + b"/" + (k.name if isinstance(k.name, bytes) else os.fsencode(k.name))
        os.replace(tmp, target)
        os.utime(target, (start + n, start + n))
        name = (
            os.fsdecode(target)
            .rsplit("/", 1)[1]
            .encode("utf-8", "surrogateescape")
            .decode("utf-8", "replace")
        )
        out[(k.sender, name)] = k
    return out


def outcome(home) -> dict[tuple, dict]:
    con = duckdb.connect(str(home.pipeline_db), read_only=True)
    try:
        out = {}
        for sid, sender, name, verdict in con.sql(
            "select submission_id, sender_code, file_name, verdict from raw.submissions"
        ).fetchall():
            issues = con.execute(
                "select issue_code, message_en from raw.submission_issues where submission_id = ? "
                "and issue_code <> 'history_too_short' order by issue_code",
                [sid],
            ).fetchall()
            units = con.execute(
                "select count(distinct unit_code) from raw.unit_report_values where submission_id = ?", [sid]
            ).fetchone()[0]
            sent = con.execute(
                "select count(*) from raw.feedback_sent where submission_id = ?", [sid]
            ).fetchone()[0]
            out[(sender, name)] = {
                "id": sid,
                "verdict": verdict,
                "issues": issues,
                "units": units,
                "sent": sent,
            }
        return out
    finally:
        con.close()


def test_the_hostile_kinds_are_many():
    assert len(HOSTILE) >= 20 and len({k.kind for k in HOSTILE}) == len(HOSTILE)


def test_no_file_breaks_the_batch_and_every_one_gets_its_own_verdict(danvan_home, monkeypatch):
    inject(monkeypatch)
    kinds = drop(danvan_home, [*GOOD_FILES, *HOSTILE])
    summary = dag_tasks.ingest()["load"]
    assert summary["received"] == len(kinds)

    got = outcome(danvan_home)
    assert set(got) == set(kinds)
    problems = []
    for key, k in kinds.items():
        o = got[key]
        codes = tuple(c for c, _ in o["issues"])
        if (o["verdict"], codes, o["units"]) != (k.verdict, tuple(sorted(k.codes)), k.units):
            problems.append(f"{k.kind}: {o['verdict']} {codes} {o['units']} units")
        if k.detail:
            messages = [m for c, m in o["issues"] if c == "file_unprocessable"]
            if len(messages) != 1 or f"({k.detail})" not in messages[0] or "Traceback" in messages[0]:
                problems.append(f"{k.kind}: {messages}")
        xlsx, csv_path = feedback_paths(danvan_home.outbox, key[0], key[1])
        if xlsx.exists() != k.feedback or csv_path.exists() != k.feedback:
            problems.append(f"{k.kind}: feedback {'missing' if k.feedback else 'unexpected'} at {xlsx}")
        if k.feedback and xlsx.exists():
            summary_sheet = openpyxl.load_workbook(xlsx)["Tóm tắt - Summary"]
            cells = {r[0]: r[1] for r in summary_sheet.iter_rows(values_only=True)}
            if cells["Mã lần nộp / Submission id"] != o["id"]:
                problems.append(f"{k.kind}: the workbook at {xlsx} is another file's")
            if len(xlsx.name.encode()) > 200 or len(xlsx.parent.name.encode()) > 200:
                problems.append(f"{k.kind}: name too long {xlsx}")
    assert problems == [], "\n".join(problems)

    # the one feedback that cannot be written is still due: the next run tries again
    assert got[("060", "phan-hoi-hong.csv")]["sent"] == 0 and got[("060", "phan-hoi-loi.csv")]["sent"] == 1
    # names: readable, a short hash only when something had to change; folders one-to-one
    folders = sorted(p.name for p in danvan_home.outbox.iterdir())
    assert len(folders) == 11 and "064" in folders and "058" in folders
    assert {f for f in folders if f.startswith("064")} - {"064"} == {
        f for f in folders if f.startswith("064~")
    }
    assert len([f for f in folders if f.startswith("064~")]) == 2
    assert sorted(p.name for p in (danvan_home.outbox / "058").glob("*.xlsx")) == sorted(
        p.name
        for p in [
            feedback_paths(danvan_home.outbox, "058", n)[0]
            for n in ("khong-doc-duoc.csv", 'a:*?"<>|.csv', "bao-cao .csv", "bao-cao.csv")
        ]
    )
    assert len(list((danvan_home.outbox / "058").glob("*.xlsx"))) == 4
    assert (danvan_home.outbox / "064" / "bao-cao.feedback.xlsx").exists()
    [dropped] = [m for c, m in got[("061", "061-ba-be-sua.csv")]["issues"] if c == "units_dropped"]
    assert "units 01891 that the file it replaces (061-ba-be.csv)" in dropped
    # nothing is left claimed; the file that could not be archived is kept in quarantine/
    assert [p for p in danvan_home.claimed.rglob("*") if p.is_file()] == []
    kept = [str(p) for p in danvan_home.quarantine.rglob("*") if p.is_file()]
    con = duckdb.connect(str(danvan_home.pipeline_db), read_only=True)
    try:  # under our name; the submission's archive_path says where its bytes are
        recorded = con.sql("select archive_path from raw.submissions where file_name = 'khong-doc-duoc.csv'")
        assert kept == [path for (path,) in recorded.fetchall()]
    finally:
        con.close()

    # the good files (and the accepted hostile ones) roll up with exact totals
    dag_tasks.rollup("asset_triggered")
    con = duckdb.connect(str(danvan_home.warehouse_db), read_only=True)
    try:
        held = con.sql(
            "select district_code, value from district_totals where period = '2024S1' "
            "and indicator_code = 'conferences_held' order by all"
        ).fetchall()
        province = con.sql(
            "select value from province_totals where period = '2024S1' "
            "and indicator_code = 'conferences_held'"
        ).fetchall()
    finally:
        con.close()
    per_unit = GOOD["conferences_held"]
    assert held == [
        ("058", 3 * per_unit),
        ("061", 2 * per_unit),
        ("063", 2 * per_unit),
        ("064", 4 * per_unit),
    ]
    assert province == [(11 * per_unit,)]


@dag_test
def test_a_full_disk_stops_the_run_loses_nothing_and_the_next_run_does_it_all(danvan_home, monkeypatch):
    """ENOSPC while writing the validation results: DiskFull, the file stays claimed, nothing is
    recorded or half-written. With space again a run records it; ENOSPC while writing its feedback
    fails that run after load's commit, at once (no retry), and the feedback is written by the
    next notify (from what the raw layer says is due: the run's own list is gone)."""
    import transforms.feedback as feedback
    import transforms.isolation as iso

    noted = [{**r, "ghi_chu": "x"} for r in recs(units=["02020", "02023", "064"])]
    table(noted, "csv")(danvan_home.root / "f.csv")
    (danvan_home.inbox / "064").mkdir(parents=True)
    os.replace(danvan_home.root / "f.csv", danvan_home.inbox / "064" / "cho-don.csv")
    write, atomic = iso.write_artefacts, feedback.write_atomically

    def full(*a, **kw):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(iso, "write_artefacts", full)
    [batch] = pipeline.plan(str(danvan_home.root), [], settle_seconds=0, now=2e9)
    receipts = pipeline.archive_batch(str(danvan_home.root), batch)
    with pytest.raises(iso.DiskFull, match="while writing the validation results"):
        pipeline.validate_batch(str(danvan_home.root), receipts, run_key="full")
    assert [c.file_name for c in intake.list_claimed(danvan_home.claimed)] == ["cho-don.csv"]
    assert not danvan_home.pipeline_db.exists() or outcome(danvan_home) == {}
    assert list(danvan_home.work.rglob("*.parquet")) == []  # nothing half-written to be taken for whole

    monkeypatch.setattr(iso, "write_artefacts", write)
    monkeypatch.setattr(feedback, "write_atomically", full)
    state, run = run_dag("ingest_submissions", {"settle_seconds": 0})
    assert state == "failed"  # in notify, after load's commit, at once: no retry
    [notify] = [ti for ti in run.get_task_instances() if ti.task_id == "notify"]
    assert (notify.state, notify.try_number) == ("failed", 1)
    from danvan.cli import _disk_full  # what `danvan run` prints, found in the run's log

    assert _disk_full(danvan_home.logs / "danvan-run.log", 0).startswith(
        "no space left on the device while writing feedback. Nothing half-written is kept"
    )
    [o] = outcome(danvan_home).values()
    assert (o["verdict"], o["units"], o["sent"]) == (W, 3, 0)
    assert list(danvan_home.claimed.rglob("*.csv")) == [] and list(danvan_home.outbox.rglob("*.xlsx")) == []
    assert isolation.read_attempts(danvan_home.attempts_file) == {}

    monkeypatch.setattr(feedback, "write_atomically", atomic)
    assert pipeline.notify(str(danvan_home.root), {})["written"] == [
        str(p) for p in feedback_paths(danvan_home.outbox, "064", "cho-don.csv")
    ]
    assert [o["sent"] for o in outcome(danvan_home).values()] == [1]
    assert pipeline.notify(str(danvan_home.root), {}) == {"written": [], "removed": []}  # once


def test_a_file_planned_again_and_again_is_quarantined_and_the_next_run_succeeds(danvan_home):
    """Runs that never finish a file (killed, or failing outside what isolation catches) leave it
    claimed; the run after MAX_ATTEMPTS of them records it rejected and moves it to quarantine/."""
    folder = danvan_home.inbox / "064"
    table(recs(units=["02020", "064"]), "csv")(danvan_home.root / "f.csv")
    folder.mkdir(parents=True)
    os.replace(danvan_home.root / "f.csv", folder / "tram-lan.csv")
    for n in range(1, MAX_ATTEMPTS + 1):  # each plan is a run that then died
        [[planned]] = pipeline.plan(str(danvan_home.root), [], settle_seconds=0, now=2e9)
        assert isolation.read_attempts(danvan_home.attempts_file) == {planned["path"]: n}

    run = dag_tasks.ingest()
    [(key, o)] = outcome(danvan_home).items()
    assert key == ("064", "tram-lan.csv") and o["verdict"] == R
    assert [c for c, _ in o["issues"]] == ["file_unprocessable"] and "(RepeatedFailure)" in o["issues"][0][1]
    assert len(list(danvan_home.quarantine.rglob("*.csv"))) == 1  # set aside, under our name
    assert list(danvan_home.claimed.iterdir()) == [] and run["load"]["received"] == 0
    assert feedback_paths(danvan_home.outbox, "064", "tram-lan.csv")[0].exists()  # the sender is told
    assert json.loads(danvan_home.attempts_file.read_text()) == {}
