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
            "verdict": s,
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
        ((), "success", ["Không có tệp nào chờ xử lý / nothing waiting"]),
        (
            ("accepted", "rejected", "accepted_with_warnings", "duplicate"),
            "success",
            [
                "**4 tệp / files: 1 chấp nhận, 1 có cảnh báo, 1 từ chối, 1 trùng / 1 accepted, "
                "1 accepted with warnings, 1 rejected, 1 duplicate**",
                "Từ chối / rejected:",
                "- 061/f1.csv 2024S1: 1 lỗi/errors",
                "Có cảnh báo / with warnings:",
                "- 062/f2.csv 2024S1: 1 cảnh báo/warnings",
                "Phản hồi / feedback: `outbox/<sender>/`",
            ],
        ),
        (("accepted",), "failed", ["**Lỗi / failed**: xem log của tác vụ đỏ / see the red task's log", ""]),
    ],
)
def test_run_note(statuses, state, expected):
    note = runlog.run_note(_summary(*statuses), state).split("\n")
    assert note[: len(expected)] == expected


def test_an_empty_sweep_is_labelled_as_such():
    note = runlog.run_note(_summary(), "success", "scheduled")
    assert note == "Không có tệp nào chờ xử lý / nothing waiting (quét định kỳ 10 phút / 10-minute sweep)"


def test_run_note_of_a_run_that_failed_before_load():
    assert (
        runlog.run_note(None, "failed") == "**Lỗi / failed**: xem log của tác vụ đỏ / see the red task's log"
    )


@pytest.mark.parametrize("name_length", [26, 300])
def test_a_long_note_lists_what_fits_in_airflows_1000_characters_and_counts_the_rest(name_length):
    # PostgreSQL refuses a note over 1,000 characters (dag_run_note.content), which stops the
    # scheduler's loop: the note must fit whatever the file names
    summary = _summary(*["rejected"] * 60)
    for s in summary["submissions"]:
        s["file_name"] = "x" * name_length
    note = runlog.run_note(summary, "success")
    assert len(note) <= runlog.NOTE_MAX_CHARS
    listed = [line for line in note.split("\n") if line.endswith("1 lỗi/errors")]
    assert 0 < len(listed) < 60 if name_length < 100 else len(listed) < 4
    assert f"- ... +{60 - len(listed)} : `danvan review list --status all`" in note


def test_a_national_run_lists_every_rejected_file():
    summary = _summary(*["rejected"] * 14, *["accepted"] * 691)
    for s in summary["submissions"]:
        s["file_name"] = "bao-cao-dan-van-2024S1.csv"
    note = runlog.run_note(summary, "success")
    assert len([line for line in note.split("\n") if line.startswith("- 0")]) == 14
    assert len(note) <= runlog.NOTE_MAX_CHARS
