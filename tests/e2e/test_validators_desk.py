"""The validators' desk through the DAGs: senders' feedback in the outbox, Data Docs pages,
decisions by `danvan review` and by the review DAG's human-in-the-loop form (a real dag.test run:
Airflow's part is under test), and the warehouse following them after the next rollup. Ingest and
rollup runs call the DAGs' task functions (tests/dag_tasks.py)."""

from __future__ import annotations

import csv
import functools
import threading
import time

import openpyxl
import pytest

from danvan.airflow_env import run_dag, task_result
from danvan.cli import main
from tests import dag_tasks
from tests.e2e.test_pipeline_dags import drop, ingest, query, rollup
from tests.helpers import dag_test
from tests.unit.validation_cases import GOOD, rows, write_csv

pytestmark = pytest.mark.e2e

FORMULA_COLUMN = '=HYPERLINK("http://example.com/x","bấm")'


def ids(home) -> dict[str, str]:
    return dict(query(home, "select file_name, submission_id from submissions"))


def province(home, indicator="conferences_held"):
    return query(
        home,
        f"select value, reported_units from province_totals where province_code = '06' and indicator_code = '{indicator}'",
    )


def problems(path):
    sheet = openpyxl.load_workbook(path)["Chi tiết - Problems"]
    header = [c.value for c in sheet[1]]
    keep = ("Dòng / Row", "Cột / Column", "Giá trị / Value", "Mã lỗi / Code")
    return [tuple(r[header.index(k)] for k in keep) for r in sheet.iter_rows(min_row=2, values_only=True)]


def test_feedback_for_rejected_and_warned_files_and_data_docs_links(danvan_home, monkeypatch):
    monkeypatch.setenv("DANVAN_DATA_DOCS", "1")  # off elsewhere in the suite (tests/conftest.py)
    bad = [
        {**r, FORMULA_COLUMN: "x"} for r in rows(units=["01969", "063"], u01969={"conferences_held": "=1+1"})
    ]
    write_csv(danvan_home.inbox / "063" / "ngan-son.csv", bad)
    warned = [{**r, "ghi_chu": "x"} for r in rows(units=["02020", "064"])]
    write_csv(danvan_home.inbox / "064" / "cho-don.csv", warned)
    drop(danvan_home, "058", "tp-bac-kan.csv", rows(units=["01834", "058"]))
    (danvan_home.outbox / "058").mkdir(parents=True)
    stale = danvan_home.outbox / "058" / "tp-bac-kan.feedback.xlsx"
    stale.write_bytes(b"an earlier rejection of a file of the same name")

    notified = dag_tasks.ingest()["notify"]
    out = danvan_home.outbox
    assert sorted(notified["written"]) == sorted(
        str(out / s / f"{n}.feedback.{x}")
        for s, n in (("063", "ngan-son"), ("064", "cho-don"))
        for x in ("xlsx", "csv")
    )
    assert notified["removed"] == [str(stale)]  # a cleanly accepted file of that name: old feedback goes
    assert sorted(p.name for p in out.rglob("*.*")) == [
        "cho-don.feedback.csv", "cho-don.feedback.xlsx", "ngan-son.feedback.csv", "ngan-son.feedback.xlsx"]  # fmt: skip

    assert problems(out / "063" / "ngan-son.feedback.xlsx") == [
        (2, "conferences_held", "'=1+1", "value_not_integer"),
        ("cả tệp / whole file", "(columns)", "'" + FORMULA_COLUMN.lower(), "column_unknown"),
    ]
    summary = openpyxl.load_workbook(out / "063" / "ngan-son.feedback.xlsx")["Tóm tắt - Summary"]
    assert (summary["B2"].value, summary["C2"].value) == ("BỊ TỪ CHỐI", "REJECTED")
    assert problems(out / "064" / "cho-don.feedback.xlsx") == [
        ("cả tệp / whole file", "(columns)", "ghi_chu", "column_unknown")
    ]
    with (out / "063" / "ngan-son.feedback.csv").open(encoding="utf-8-sig", newline="") as fh:
        assert [(r["row_number"], r["value"], r["issue_code"]) for r in csv.DictReader(fh)] == [
            ("2", "'=1+1", "value_not_integer"), ("", "'" + FORMULA_COLUMN.lower(), "column_unknown")]  # fmt: skip

    rollup()
    pages = dict(query(danvan_home, "select file_name, data_docs_path from submissions"))
    site = danvan_home.data_docs
    assert (site / "index.html").exists()
    for name, suite in (("ngan-son.csv", "unit_report_values"), ("cho-don.csv", "submissions"),
                        ("tp-bac-kan.csv", "submissions")):  # fmt: skip
        page = site.joinpath(pages[name]) if pages[name] else None
        assert page is not None and page.exists() and page.is_relative_to(site), name
        assert f"/validations/{suite}/" in pages[name], (name, pages[name])
    assert "sub_" in (site / pages["ngan-son.csv"]).read_text(encoding="utf-8")  # failing rows by submission

    # rerunning notify gives the same files
    before = {p: p.read_bytes() for p in out.rglob("*.csv")}
    assert dag_tasks.ingest()["notify"] == {"written": [], "removed": []}
    assert {p: p.read_bytes() for p in out.rglob("*.csv")} == before


def test_cli_review_accept_and_reject_follow_into_the_warehouse(danvan_home, capsys):
    warned = [{**r, "ghi_chu": "x"} for r in rows(units=["02020", "02023", "064"])]
    write_csv(danvan_home.inbox / "064" / "cho-don.csv", warned)
    drop(danvan_home, "058", "tp-bac-kan.csv", rows(units=["01834", "058"]))
    drop(danvan_home, "063", "ngan-son.csv", rows(units=["01969"], u01969={"conferences_held": "-2"}))
    ingest()
    rollup()
    sid = ids(danvan_home)
    assert province(danvan_home) == [(5 * GOOD["conferences_held"], 5)]
    capsys.readouterr()

    assert main(["review", "list"]) == 0
    listed = capsys.readouterr().out
    assert sid["cho-don.csv"] in listed and sid["tp-bac-kan.csv"] not in listed
    assert main(["review", "show", sid["ngan-son.csv"]]) == 0
    shown = capsys.readouterr().out
    assert "value_negative" in shown and "Sửa:" in shown and "Fix:" in shown and "data docs" in shown

    assert main(["review", "accept", sid["ngan-son.csv"], "--reason", "ok", "--by", "Lan"]) == 1
    err = capsys.readouterr().err
    assert "Không thể chấp nhận" in err and "Cannot accept: the file has 1 error(s)" in err
    assert main(["review", "reject", sid["ngan-son.csv"], "--reason", "x", "--by", "Lan"]) == 1
    assert "Only an accepted file can be rejected" in capsys.readouterr().err
    assert main(["review", "reopen", sid["cho-don.csv"], "--reason", "x", "--by", "Lan"]) == 1
    assert "There is no decision to reopen" in capsys.readouterr().err

    assert (
        main(
            ["review", "accept", sid["cho-don.csv"], "--reason", "Cột ghi chú không ảnh hưởng", "--by", "Lan"]
        )
        == 0
    )
    assert (
        main(
            [
                "review",
                "reject",
                sid["tp-bac-kan.csv"],
                "--reason",
                "Số liệu chép từ kỳ trước",
                "--by",
                "Minh",
            ]
        )
        == 0
    )
    assert "Status is now rejected" in capsys.readouterr().out
    assert (danvan_home.outbox / "058" / "tp-bac-kan.feedback.xlsx").exists()  # the sender is told why

    # nothing changes in the published warehouse until the next rollup
    assert province(danvan_home) == [(5 * GOOD["conferences_held"], 5)]
    rollup()
    assert sorted(
        query(danvan_home, "select file_name, status, is_current, reviewed_by from submissions")
    ) == [
        ("cho-don.csv", "accepted", True, "Lan"),
        ("ngan-son.csv", "rejected", False, None),
        ("tp-bac-kan.csv", "rejected", False, "Minh"),
    ]
    assert sorted(
        query(danvan_home, "select file_name, decision, reason, decided_by from review_decisions")
    ) == [
        ("cho-don.csv", "accept", "Cột ghi chú không ảnh hưởng", "Lan"),
        ("tp-bac-kan.csv", "reject", "Số liệu chép từ kỳ trước", "Minh"),
    ]
    # the accepted file still counts; the rejected one dropped out of the province and its district
    assert province(danvan_home) == [(3 * GOOD["conferences_held"], 3)]
    assert query(danvan_home, "select count(*) from district_totals where district_code = '058'") == [(0,)]
    assert query(danvan_home, "select senders_accepted from completeness where province_code = '06'") == [
        (1,)
    ]


@functools.cache
def core_api():
    """Airflow's public REST API in this process (built once: a core app takes seconds to build)."""
    from airflow.api_fastapi.app import create_app
    from fastapi.testclient import TestClient

    return TestClient(create_app("core"))


def respond(dag_id: str, answers: dict, user: str, done: threading.Event, seen: dict) -> None:
    """A validator answering the Required Actions forms, through Airflow's public REST API (the
    calls the UI makes: list the HITL details waiting for a response, then PATCH one). ``answers``:
    task id -> a function of the form's options giving (option, params_input); each form shown is
    kept in ``seen``. An option the form did not offer is refused with 400 before the real answer."""
    from airflow.api_fastapi.app import get_auth_manager
    from airflow.api_fastapi.auth.managers.simple.user import SimpleAuthManagerUser

    api = core_api()
    token = get_auth_manager().generate_jwt(SimpleAuthManagerUser(username=user, role="admin"))
    api.headers["Authorization"] = f"Bearer {token}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and not done.is_set() and len(seen) < len(answers):
        waiting = api.get(f"/api/v2/dags/{dag_id}/dagRuns/~/hitlDetails", params={"response_received": False})
        assert waiting.status_code == 200, waiting.text
        for detail in waiting.json()["hitl_details"]:
            ti = detail["task_instance"]
            seen[ti["task_id"]] = detail
            url = (
                f"/api/v2/dags/{dag_id}/dagRuns/{ti['dag_run_id']}/taskInstances/{ti['task_id']}/"
                f"{ti['map_index']}/hitlDetails"
            )
            option, params_input = answers[ti["task_id"]](detail["options"])
            not_offered = next(o for o in ("accept", "reject", "reopen", "?") if o not in detail["options"])
            refused = api.patch(url, json={"chosen_options": [not_offered], "params_input": params_input})
            assert refused.status_code == 400, refused.text
            answered = api.patch(url, json={"chosen_options": [option], "params_input": params_input})
            assert answered.status_code == 200, answered.text
        time.sleep(0.1)


def review_in_airflow(conf: dict, answers: dict):
    done, errors, seen = threading.Event(), [], {}

    def answer() -> None:
        try:
            respond("review_submissions", answers, "Nguyễn Thị Lan", done, seen)
        except BaseException as exc:  # surfaced in the test below, not lost in the thread
            errors.append(exc)

    responder = threading.Thread(target=answer)
    responder.start()
    try:
        state, run = run_dag("review_submissions", conf)
    finally:
        done.set()
        responder.join()
    assert errors == []
    return state, run, seen


@dag_test
def test_a_decision_in_the_airflow_form_is_recorded_the_same_way(danvan_home):
    warned = [{**r, "ghi_chu": "x"} for r in rows(units=["02020", "064"])]
    write_csv(danvan_home.inbox / "064" / "cho-don.csv", warned)
    drop(danvan_home, "063", "ngan-son.csv", rows(units=["01969"], u01969={"conferences_held": "-2"}))
    ingest()
    rollup()
    sid = ids(danvan_home)

    # No id to copy: the first form lists the files waiting for review; then only the decisions
    # the rules allow are offered (a warned file that counts: accept or reject, nothing to reopen).
    decide = {
        "pick": lambda options: (options[0], {}),
        "decide": lambda _: ("accept", {"reason": "Đã kiểm tra cột ghi chú"}),
    }
    state, run, seen = review_in_airflow({}, decide)
    assert state == "success"
    assert seen["pick"]["options"] == [
        f"064 · cho-don.csv · 2024S1 · 1 cảnh báo/warnings · {sid['cho-don.csv']}"
    ]
    form = seen["decide"]
    assert form["options"] == ["accept", "reject"]
    assert form["subject"] == "Thẩm định / Review: 064 · cho-don.csv · 2024S1"
    assert "cho-don.csv" in form["body"] and "ghi_chu" in form["body"]
    reason = form["params"]["reason"]
    assert (reason["schema"]["type"], reason["schema"]["minLength"], reason["value"]) == ("string", 3, None)
    recorded = task_result(run, "record")
    assert (recorded["decision"], recorded["decided_by"], recorded["status"]) == (
        "accept",
        "Nguyễn Thị Lan",
        "accepted",
    )

    # A file with errors: no decision applies, so no form is shown and nothing is recorded.
    state, run, seen = review_in_airflow({"submission_id": sid["ngan-son.csv"]}, {"decide": decide["decide"]})
    assert state == "failed" and seen == {}
    assert {ti.task_id: ti.state for ti in run.get_task_instances()}["describe"] == "failed"

    rollup()
    assert query(danvan_home, "select file_name, decision, decided_by from review_decisions") == [
        ("cho-don.csv", "accept", "Nguyễn Thị Lan")
    ]
    assert query(
        danvan_home, "select status, reviewed_by from submissions where file_name = 'cho-don.csv'"
    ) == [("accepted", "Nguyễn Thị Lan")]
