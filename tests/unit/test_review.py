"""Validators' decisions: append-only, only the allowed ones, and the warehouse follows them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import duckdb
import openpyxl
import pytest

from transforms import pipeline
from transforms.config import home
from transforms.feedback import write_feedback
from transforms.review import DecisionRefused, record_decision, reports, state
from transforms.status import label
from transforms.warehouse import build, open_pipeline

T0 = datetime(2024, 7, 1, tzinfo=UTC)
# sender 064, period 2024S1: A accepted, then B accepted with warnings (B supersedes A), C rejected,
# D the same bytes as A again. Each accepted file reports conferences_held for commune 02020.
SUBMISSIONS = {
    "sub_a": ("accepted", 0, 0, None, 2),
    "sub_b": ("accepted_with_warnings", 0, 1, None, 5),
    "sub_c": ("rejected", 1, 0, None, None),
    "sub_d": ("duplicate", 0, 0, "sub_a", None),
}


def seed(con: duckdb.DuckDBPyConnection) -> None:
    for n, (sid, (verdict, errors, warnings, dup, value)) in enumerate(SUBMISSIONS.items()):
        con.execute(
            "insert into raw.submissions values (?, '064', '2024S1', ?, ?, '/archive/x', ?, 'csv', 'wide', ?, ?, ?, ?, 1)",
            [sid, f"{sid}.csv", sid if sid != "sub_d" else "sub_a", T0 + timedelta(days=n), verdict, dup, errors, warnings],
        )  # fmt: skip
        if value is not None:
            con.execute(
                "insert into raw.unit_report_values"
                " (submission_id, row_number, unit_code, is_declared_total, indicator_code, value) values (?, 2, '02020', false, 'conferences_held', ?)",
                [sid, value],
            )
    con.execute(
        "insert into raw.submission_issues values ('sub_b', 3, 'petitions_resolved', '02020', "
        "'petitions_resolved_exceed_received', 'warning', '9', 'Số đơn thư đã giải quyết (9) nhiều hơn', 'Resolved (9) more')"
    )
    con.execute("insert into raw.submission_issues values ('sub_c', 2, 'conferences_held', '02020', "
                "'value_negative', 'error', '-2', 'Giá trị \"-2\" là số âm.', 'Value \"-2\" is negative.')")  # fmt: skip


@pytest.fixture
def con(tmp_path):
    c = open_pipeline(tmp_path / "pipeline.duckdb")
    seed(c)
    yield c
    c.close()


def at(minutes: int) -> datetime:
    return T0 + timedelta(days=10, minutes=minutes)


def decide(con, sid, decision, minutes, reason="xem lại số liệu", by="Lan"):
    return record_decision(con, sid, decision, reason, by, at(minutes))


def decisions(con) -> list[tuple]:
    return con.sql(
        "select decision_id, submission_id, decision, reason, decided_by, decided_at at time zone 'UTC' "
        "from raw.review_decisions order by decided_at"
    ).fetchall()


@pytest.mark.parametrize(
    ("sid", "decision", "says"),
    [
        ("sub_c", "accept", "Cannot accept: the file has 1 error(s)"),
        ("sub_d", "accept", "duplicates submission sub_a"),
        ("sub_a", "accept", "Nothing to accept: the file has no warnings"),
        ("sub_c", "reject", "Only an accepted file can be rejected; this one is rejected"),
        ("sub_d", "reject", "this one is duplicate"),
        ("sub_b", "reopen", "There is no decision to reopen"),
        ("sub_x", "reject", "No submission sub_x"),
        ("sub_b", "approve", "Unknown decision"),
    ],
)
def test_what_is_not_allowed_is_refused_in_both_languages(con, sid, decision, says):
    with pytest.raises(DecisionRefused) as refused:
        decide(con, sid, decision, 1)
    assert says in refused.value.message_en
    assert refused.value.message_vi and refused.value.message_vi != refused.value.message_en
    assert decisions(con) == []


def test_a_reason_and_a_name_are_required_and_time_has_a_zone(con):
    with pytest.raises(DecisionRefused, match="needs a reason"):
        record_decision(con, "sub_b", "accept", "  ", "Lan", at(1))
    with pytest.raises(DecisionRefused, match="name of who decides"):
        record_decision(con, "sub_b", "accept", "ok", "", at(1))
    with pytest.raises(ValueError, match="timezone-aware"):
        record_decision(con, "sub_b", "accept", "ok", "Lan", datetime(2024, 7, 11))


def test_accept_reject_reopen_sequence_is_appended_never_rewritten(con):
    decide(con, "sub_b", "accept", 1, reason="cảnh báo đã được giải trình")
    assert state(con, "sub_b")["status"] == "accepted"
    with pytest.raises(DecisionRefused, match="Already accepted by Lan"):
        decide(con, "sub_b", "accept", 2)
    first = decisions(con)
    decide(con, "sub_b", "reject", 3, by="Minh")
    assert state(con, "sub_b")["status"] == "rejected"
    with pytest.raises(DecisionRefused, match="this one is rejected"):
        decide(con, "sub_b", "reject", 4)
    decide(con, "sub_b", "reopen", 5)
    assert state(con, "sub_b")["status"] == "accepted_with_warnings"
    assert state(con, "sub_b")["decision"] is None
    with pytest.raises(DecisionRefused, match="no decision to reopen"):
        decide(con, "sub_b", "reopen", 6)
    decide(con, "sub_a", "reject", 7)  # a superseded file was accepted: it can be rejected too
    rows = decisions(con)
    assert rows[: len(first)] == first  # earlier rows untouched
    assert [(r[1], r[2], r[4]) for r in rows] == [
        ("sub_b", "accept", "Lan"),
        ("sub_b", "reject", "Minh"),
        ("sub_b", "reopen", "Lan"),
        ("sub_a", "reject", "Lan"),
    ]
    assert rows[0][3] == "cảnh báo đã được giải trình"
    assert all(r[5] == at(m).replace(tzinfo=None) for r, m in zip(rows, (1, 3, 5, 7), strict=True))


def test_the_same_decision_written_twice_is_recorded_once(con):
    first = decide(con, "sub_b", "accept", 1)
    assert decide(con, "sub_b", "accept", 1) == first  # a retried task: no refusal, no second row
    assert len(decisions(con)) == 1


def test_a_decision_older_than_the_latest_is_refused(con):
    decide(con, "sub_b", "accept", 10)
    with pytest.raises(DecisionRefused, match="A later decision was recorded"):
        decide(con, "sub_b", "reject", 5)


def test_errors_cannot_be_accepted_even_when_no_other_file_counts(con):
    decide(con, "sub_b", "reject", 1)
    decide(con, "sub_a", "reject", 2)  # nothing accepted is left for 064 in 2024S1
    with pytest.raises(DecisionRefused, match=r"Cannot accept: the file has 1 error\(s\)"):
        decide(con, "sub_c", "accept", 3)
    assert state(con, "sub_c")["status"] == "rejected"


def shown_to_sender_and_validator(tmp_path, con) -> dict[str, tuple[str, str]]:
    """Per submission: the status the validators' desk reads and (for the two whose status the
    decisions move) the verdict line of the sender's feedback workbook, from the raw rows now."""
    out = {}
    for item in reports(con, list(SUBMISSIONS)):
        s = item["submission"]
        line = None
        if s["submission_id"] in ("sub_a", "sub_b"):
            xlsx, _ = write_feedback(tmp_path / "outbox", s, item["issues"], item["decision"])
            line = openpyxl.load_workbook(xlsx, read_only=True)["Tóm tắt - Summary"]["B2"].value
        out[s["submission_id"]] = (s["status"], line)
    return out


def warehouse(tmp_path, con):
    """Build the warehouse from the pipeline file as the rollup does (nobody else has it open);
    check on the way that review and feedback show every submission's status as the mart does."""
    shown = shown_to_sender_and_validator(tmp_path, con)
    con.close()
    target = build(tmp_path / "pipeline.duckdb", tmp_path / "warehouse.duckdb")
    w = duckdb.connect(str(target), read_only=True)
    try:
        subs = {
            r[0]: r[1:]
            for r in w.sql(
                "select submission_id, status, is_current, verdict, review_decision, reviewed_by from submissions"
            ).fetchall()
        }
        total = w.sql(
            "select value from commune_totals where commune_code = '02020' and indicator_code = 'conferences_held'"
        ).fetchall()
        log = w.sql(
            "select submission_id, decision, decided_by from review_decisions order by decided_at"
        ).fetchall()
    finally:
        w.close()
    for sid, (status, *_) in subs.items():  # one lifecycle, three readers
        assert shown[sid][0] == status, sid
    for sid in ("sub_a", "sub_b"):
        assert shown[sid][1].startswith(label(subs[sid][0]).upper()), (sid, shown[sid])
    return subs, total, log, open_pipeline(tmp_path / "pipeline.duckdb")


def test_status_and_rollups_follow_the_decisions_after_a_rebuild(tmp_path):
    con = open_pipeline(tmp_path / "pipeline.duckdb")
    seed(con)
    subs, total, log, con = warehouse(tmp_path, con)
    assert subs["sub_b"] == ("accepted_with_warnings", True, "accepted_with_warnings", None, None)
    assert subs["sub_a"][:2] == ("superseded", False)
    assert total == [(5,)] and log == []

    decide(con, "sub_b", "accept", 1, by="Lan")
    subs, total, log, con = warehouse(tmp_path, con)
    assert subs["sub_b"] == ("accepted", True, "accepted_with_warnings", "accept", "Lan")
    assert total == [(5,)] and log == [("sub_b", "accept", "Lan")]

    decide(
        con, "sub_b", "reject", 2, by="Minh"
    )  # B stops counting: A, the earlier accepted file, is current again
    subs, total, log, con = warehouse(tmp_path, con)
    assert subs["sub_b"] == ("rejected", False, "accepted_with_warnings", "reject", "Minh")
    assert subs["sub_a"][:2] == ("accepted", True)
    assert total == [(2,)] and len(log) == 2

    decide(con, "sub_a", "reject", 3)  # nothing accepted left for 064 in 2024S1
    subs, total, _, con = warehouse(tmp_path, con)
    assert not any(s[1] for s in subs.values())
    assert total == []  # no current file reports the commune

    decide(con, "sub_b", "reopen", 4)  # back to the pipeline's verdict
    subs, total, log, con = warehouse(tmp_path, con)
    assert subs["sub_b"] == ("accepted_with_warnings", True, "accepted_with_warnings", None, None)
    assert subs["sub_a"][:2] == ("rejected", False)
    assert total == [(5,)] and [d[1] for d in log] == ["accept", "reject", "reject", "reopen"]
    assert subs["sub_c"][:2] == ("rejected", False) and subs["sub_d"][:2] == ("duplicate", False)
    con.close()


def test_pipeline_records_under_the_lock_and_tells_the_sender(tmp_path):
    h = home(tmp_path / "home").ensure()
    c = open_pipeline(h.pipeline_db)
    seed(c)
    c.close()
    out = pipeline.record_decision(
        str(h.root), "sub_b", "reject", "Số liệu lặp lại kỳ trước", "Minh", at(1).isoformat()
    )
    assert (out["decision"], out["status"], out["decided_at"]) == ("reject", "rejected", at(1).isoformat())
    assert out["feedback"]["written"] == [
        str(h.outbox / "064" / "sub_b.feedback.xlsx"),
        str(h.outbox / "064" / "sub_b.feedback.csv"),
    ]
    summary = {
        r[0]: r[1]
        for r in openpyxl.load_workbook(out["feedback"]["written"][0]).active.iter_rows(values_only=True)
    }
    assert summary["Quyết định thẩm định / Review decision"].endswith("Lý do: Số liệu lặp lại kỳ trước")
    out = pipeline.record_decision(str(h.root), "sub_b", "reopen", "nhầm", "Minh", at(2).isoformat())
    assert out["status"] == "accepted_with_warnings"  # the warnings feedback again, without a decision
    with pytest.raises(DecisionRefused):
        pipeline.record_decision(str(h.root), "sub_c", "accept", "ok", "Minh", at(3).isoformat())
