"""What a run did, in words: the run note, the asset event's counts, the log lines (transforms/runlog.py)."""

from __future__ import annotations

import pytest

from transforms import runlog


def _summary(*statuses: str) -> dict:
    subs = [
        {
            "submission_id": f"sub_{i:016x}",
            "sender_code": f"0{60 + i}",
            "file_name": f"f{i}.csv",
            "period": "2024S1",
            "status": s,
            "error_count": int(s == "rejected"),
            "warning_count": int(s == "accepted_with_warnings"),
        }
        for i, s in enumerate(statuses)
    ]
    counts = {k: statuses.count(k) for k in runlog.VERDICTS}
    return {"received": len(statuses), **counts, "submissions": subs}


def test_event_counts_name_every_verdict_warned_files_too():
    assert runlog.counts(_summary("accepted_with_warnings")) == {
        "received": 1,
        "accepted": 0,
        "accepted_with_warnings": 1,
        "rejected": 0,
        "duplicate": 0,
    }


@pytest.mark.parametrize(
    ("statuses", "state", "expected"),
    [
        ((), "success", ["Không có tệp nào chờ xử lý / nothing waiting (quét định kỳ / sweep)"]),
        (
            ("accepted", "rejected", "accepted_with_warnings", "duplicate"),
            "success",
            [
                "**4 tệp / files: 1 chấp nhận, 1 có cảnh báo, 1 từ chối, 1 trùng / 1 accepted, "
                "1 accepted with warnings, 1 rejected, 1 duplicate**",
                "- rejected: 061/f1.csv kỳ/period 2024S1, 1 lỗi/errors, 0 cảnh báo/warnings (sub_0000000000000001)",
                "- accepted_with_warnings: 062/f2.csv kỳ/period 2024S1, 0 lỗi/errors, 1 cảnh báo/warnings "
                "(sub_0000000000000002)",
                "",
                "Phản hồi cho đơn vị gửi / feedback for senders: `outbox/<sender>/`",
            ],
        ),
        (("accepted",), "failed", ["**Lỗi / failed**: xem log của tác vụ đỏ / see the red task's log", ""]),
    ],
)
def test_run_note(statuses, state, expected):
    note = runlog.run_note(_summary(*statuses), state).split("\n")
    assert note[: len(expected)] == expected


def test_run_note_of_a_run_that_failed_before_load():
    assert (
        runlog.run_note(None, "failed") == "**Lỗi / failed**: xem log của tác vụ đỏ / see the red task's log"
    )


def test_a_national_run_lists_the_first_files_and_counts_the_rest():
    note = runlog.run_note(_summary(*["rejected"] * (runlog.NOTE_MAX_FILES + 3)), "success").split("\n")
    assert len([line for line in note if line.startswith("- rejected")]) == runlog.NOTE_MAX_FILES
    assert "- ... 3 more: `danvan review list --status all`" in note
