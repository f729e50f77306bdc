"""The sender's feedback workbook and CSV: formulas neutralised, Vietnamese intact, readable layout."""

from __future__ import annotations

import csv
import os
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest

from transforms.feedback import (
    CSV_COLUMNS,
    PROBLEM_COLUMNS,
    feedback_paths,
    neutralise,
    remove_feedback,
    write_feedback,
)
from transforms.rules import issue, rules

SUBMISSION = {
    "submission_id": "sub_0123456789abcdef",
    "sender_code": "064",
    "file_name": "báo-cáo Chợ Đồn.csv",
    "period": "2024S1",
    "received_at": datetime(2024, 7, 1, 8, 30, tzinfo=UTC),
    "verdict": "rejected",
    "status": "rejected",
    "error_count": 2,
    "warning_count": 1,
}
DANGEROUS = [
    "=1+1",
    '=HYPERLINK("http://example.com/x","bấm vào đây")',
    "+1",
    "-2",
    "@SUM(A1:A9)",
    "\tx",
    "\rx",
]


def problems(value="=1+1", column="conferences_held"):
    return [
        issue("value_not_integer", SUBMISSION["submission_id"], row_number=4, column=column, unit_code="02020", value=value),
        issue("unit_unknown", SUBMISSION["submission_id"], row_number=2, column="unit_code", unit_code="@x", value="@x"),
        issue("column_unknown", SUBMISSION["submission_id"], column="(columns)", value="ghi_chú"),
    ]  # fmt: skip


def cells(sheet):
    return [c for row in sheet.iter_rows() for c in row if c.value is not None]


@pytest.mark.parametrize("text", DANGEROUS, ids=repr)
def test_text_a_spreadsheet_would_run_gets_a_quote(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["abc", "02020", "a=b", "Tổng cộng", "", 5, None, -2])
def test_everything_else_is_left_alone(value):
    assert neutralise(value) == value


@pytest.mark.parametrize("text", DANGEROUS, ids=repr)
def test_workbook_and_csv_never_hold_a_formula(tmp_path, text):
    xlsx, csv_path = write_feedback(tmp_path, SUBMISSION, problems(value=text, column=text))
    wb = openpyxl.load_workbook(xlsx)
    for sheet in wb:
        for c in cells(sheet):
            assert c.data_type != "f", (sheet.title, c.coordinate, c.value)
            if isinstance(c.value, str):
                assert not c.value.startswith(("=", "+", "-", "@", "\t", "\r")), (c.coordinate, c.value)
    table = wb["Chi tiết - Problems"]
    value_col = [h for h, _, _ in PROBLEM_COLUMNS].index("Giá trị / Value") + 1
    column_col = [h for h, _, _ in PROBLEM_COLUMNS].index("Cột / Column") + 1
    # openpyxl's stdlib XML writer turns a stored CR into LF; with lxml installed (python-docx needs
    # it) openpyxl writes it as &#13; and it reads back as CR
    shown = {"'" + text, "'" + text.replace("\r", "\n")}
    typed = [
        table.cell(row=r, column=value_col) for r in range(2, table.max_row + 1)
        if table.cell(row=r, column=value_col).value in shown
    ]  # fmt: skip
    assert len(typed) == 1 and typed[0].data_type == "s"
    assert any(table.cell(row=r, column=column_col).value in shown for r in range(2, table.max_row + 1))

    raw = csv_path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel shows Vietnamese
    with csv_path.open(encoding="utf-8-sig", newline="") as fh:
        records = list(csv.DictReader(fh))
    assert [r["value"] for r in records if r["issue_code"] == "value_not_integer"] == ["'" + text]
    for r in records:
        for v in r.values():
            assert not v.startswith(("=", "+", "-", "@", "\t", "\r")), r


def test_vietnamese_round_trips_and_comes_first(tmp_path):
    found = problems(value="mười hai")
    xlsx, csv_path = write_feedback(tmp_path, SUBMISSION, found)
    wb = openpyxl.load_workbook(xlsx)
    assert wb.sheetnames == ["Tóm tắt - Summary", "Chi tiết - Problems"]
    summary = {r[0]: r[1:] for r in wb["Tóm tắt - Summary"].iter_rows(values_only=True)}
    assert summary["Mục / Item"] == ("Tiếng Việt", "English")
    assert summary["Kết quả / Verdict"] == ("BỊ TỪ CHỐI", "REJECTED")
    assert summary["Số lỗi / Errors"] == (2, 2) and summary["Số cảnh báo / Warnings"] == (1, 1)
    assert summary["Tệp / File"][0] == "báo-cáo Chợ Đồn.csv"
    assert summary["Việc cần làm / What to do next"][0].startswith("Tệp chưa được chấp nhận")
    table = list(wb["Chi tiết - Problems"].iter_rows(values_only=True))
    header = [h for h, _, _ in PROBLEM_COLUMNS]
    assert list(table[0]) == header
    assert header.index("Nội dung (tiếng Việt)") < header.index("Message (English)")
    by_code = {r[header.index("Mã lỗi / Code")]: dict(zip(header, r, strict=True)) for r in table[1:]}
    wrong = by_code["value_not_integer"]
    expected = next(i for i in found if i["issue_code"] == "value_not_integer")
    assert wrong["Nội dung (tiếng Việt)"] == expected["message_vi"]
    assert "mười hai" in wrong["Nội dung (tiếng Việt)"]
    assert wrong["Cách sửa (tiếng Việt)"] == rules()["value_not_integer"].fix_vi
    assert wrong["How to fix (English)"] == rules()["value_not_integer"].fix_en
    assert wrong["Dòng / Row"] == 4 and wrong["Mức độ / Severity"] == "Lỗi / Error"
    assert by_code["column_unknown"]["Dòng / Row"] == "cả tệp / whole file"
    # errors first, by row; then warnings
    assert [r[header.index("Mã lỗi / Code")] for r in table[1:]] == [
        "unit_unknown",
        "value_not_integer",
        "column_unknown",
    ]

    with csv_path.open(encoding="utf-8-sig", newline="") as fh:
        records = list(csv.DictReader(fh))
    assert list(records[0]) == list(CSV_COLUMNS)
    row = next(r for r in records if r["issue_code"] == "value_not_integer")
    assert row["message_vi"] == expected["message_vi"] and row["value"] == "mười hai"
    assert row["file_name"] == "báo-cáo Chợ Đồn.csv" and row["status"] == "rejected"
    assert unicodedata.is_normalized("NFC", row["fix_vi"])


def test_layout_bold_frozen_header_wide_columns_wrapped_messages(tmp_path):
    xlsx, _ = write_feedback(tmp_path, SUBMISSION, problems())
    wb = openpyxl.load_workbook(xlsx)
    for sheet in wb:
        assert sheet.freeze_panes == "A2"
        assert all(c.font.bold for c in sheet[1])
    table = wb["Chi tiết - Problems"]
    widths = {
        h: table.column_dimensions[chr(ord("A") + i)].width for i, (h, _, _) in enumerate(PROBLEM_COLUMNS)
    }
    caps = {h: cap for h, _, cap in PROBLEM_COLUMNS}
    for i, (h, _, cap) in enumerate(PROBLEM_COLUMNS):
        longest = max(len(str(c.value or "")) for c in table[chr(ord("A") + i)])
        assert widths[h] >= min(longest, cap), h  # as wide as the text, up to the cap
    assert widths["Nội dung (tiếng Việt)"] == caps["Nội dung (tiếng Việt)"]  # long messages: capped, wrapped
    assert widths["Mã đơn vị / Unit"] < 20
    assert all(c.alignment.wrap_text for row in table.iter_rows(min_row=2) for c in row)
    assert table.auto_filter.ref == table.dimensions


def test_rewriting_overwrites_the_same_two_files(tmp_path):
    first = write_feedback(tmp_path, SUBMISSION, problems())
    again = write_feedback(
        tmp_path,
        {**SUBMISSION, "verdict": "accepted_with_warnings", "status": "accepted_with_warnings"},
        problems()[2:],
    )
    assert first == again
    assert sorted(p.name for p in (tmp_path / "064").iterdir()) == [
        "báo-cáo Chợ Đồn.feedback.csv",
        "báo-cáo Chợ Đồn.feedback.xlsx",
    ]
    wb = openpyxl.load_workbook(again[0])
    assert wb["Tóm tắt - Summary"]["B2"].value == "ĐƯỢC CHẤP NHẬN, CÓ CẢNH BÁO"
    assert wb["Chi tiết - Problems"].max_row == 2
    assert remove_feedback(tmp_path, "064", "báo-cáo Chợ Đồn.xlsx") == list(first)
    assert list((tmp_path / "064").iterdir()) == []


def test_a_review_decision_is_explained(tmp_path):
    decision = {
        "decision": "reject",
        "reason": "=Số liệu quý trước bị lặp lại",
        "decided_by": "Nguyễn Thị Lan",
        "decided_at": datetime(2024, 7, 3, 2, 15, tzinfo=UTC),
    }
    sub = {**SUBMISSION, "verdict": "accepted", "status": "rejected", "error_count": 0, "warning_count": 0}
    xlsx, csv_path = write_feedback(tmp_path, sub, [], decision)
    summary = {
        r[0]: r[1:] for r in openpyxl.load_workbook(xlsx)["Tóm tắt - Summary"].iter_rows(values_only=True)
    }
    assert summary["Kết quả / Verdict"][0].startswith("BỊ TỪ CHỐI")
    vi, en = summary["Quyết định thẩm định / Review decision"]
    # Vietnam time (UTC+7), day first
    assert (
        vi.startswith("Từ chối bởi Nguyễn Thị Lan lúc 03/07/2024 09:15 (giờ Việt Nam)") and "=Số liệu" in vi
    )
    assert en.startswith("Rejected by Nguyễn Thị Lan")
    assert summary["Việc cần làm / What to do next"][0].startswith("Cán bộ thẩm định đã từ chối")
    with csv_path.open(encoding="utf-8-sig", newline="") as fh:
        assert list(csv.reader(fh)) == [list(CSV_COLUMNS)]


@pytest.mark.parametrize(("sender", "name"), [("../..", "x.csv"), (None, "a/b.csv"), ("064", "..")])
def test_paths_stay_inside_the_outbox(tmp_path, sender, name):
    for p in feedback_paths(tmp_path, sender, name):
        assert p.resolve().is_relative_to(tmp_path.resolve())
        assert p.parent.parent == tmp_path


def test_control_characters_from_a_file_do_not_break_the_workbook(tmp_path):
    xlsx, _ = write_feedback(tmp_path, SUBMISSION, problems(value="a\x00b\x1fc"))
    values = [c.value for c in cells(openpyxl.load_workbook(xlsx)["Chi tiết - Problems"])]
    assert "a\ufffdb\ufffdc" in values


def test_info_notes_are_for_validators_not_senders(tmp_path):
    note = {**problems()[2], "issue_code": "history_too_short", "severity": "info"}
    xlsx, csv_path = write_feedback(tmp_path, SUBMISSION, [*problems(), note])
    codes = [
        r[-1]
        for r in openpyxl.load_workbook(xlsx)["Chi tiết - Problems"].iter_rows(min_row=2, values_only=True)
    ]
    assert "history_too_short" not in codes and len(codes) == 3
    assert "history_too_short" not in csv_path.read_text(encoding="utf-8-sig")


def test_a_superseded_file_says_so_and_what_to_do(tmp_path):
    sub = {**SUBMISSION, "verdict": "accepted_with_warnings", "status": "superseded", "error_count": 0}
    xlsx, _ = write_feedback(tmp_path, sub, problems()[2:])
    summary = {
        r[0]: r[1:] for r in openpyxl.load_workbook(xlsx)["Tóm tắt - Summary"].iter_rows(values_only=True)
    }
    assert summary["Kết quả / Verdict"] == ("ĐÃ ĐƯỢC THAY BẰNG TỆP MỚI HƠN", "SUPERSEDED BY A NEWER FILE")
    assert summary["Việc cần làm / What to do next"][1].startswith("A newer file of your unit")


def test_feedback_another_process_moved_or_removed_meanwhile_is_no_failure(tmp_path, monkeypatch):
    """A notify and a validator's decision (another DAG, or `danvan review`) may handle one
    file's feedback at once. The one that finds it already removed, or already kept aside, goes
    on: a FileNotFoundError here once counted as feedback that cannot be written, and that
    rejects the submission (transforms/pipeline.py: notify)."""
    import transforms.feedback as fb

    def lose_the_race(real):
        def call(path, *args, **kwargs):  # the other process got there first
            if os.path.exists(path):
                os.unlink(path)
            return real(path, *args, **kwargs)

        return call

    sub = {**SUBMISSION, "verdict": "accepted_with_warnings", "status": "accepted_with_warnings"}
    first = write_feedback(tmp_path, sub, [])
    with monkeypatch.context() as m:
        m.setattr(Path, "unlink", lose_the_race(Path.unlink))
        assert remove_feedback(tmp_path, "064", SUBMISSION["file_name"]) == []
    assert not any(p.exists() for p in first)

    xlsx, _ = write_feedback(tmp_path, sub, [])
    decision = {"decision_id": "dec_1", "decision": "reject", "reason": "lặp", "decided_by": "Lan",
                "decided_at": datetime(2024, 7, 3, 2, 15, tzinfo=UTC)}  # fmt: skip
    with monkeypatch.context() as m:
        m.setattr(fb.os, "replace", lose_the_race(os.replace))
        assert fb._keep_earlier(xlsx, decision) is None  # nothing left to keep aside
    assert not xlsx.exists() and list(xlsx.parent.glob("*truoc-quyet-dinh*")) == []


def test_a_decision_keeps_the_earlier_workbook_beside_the_new_one(tmp_path):
    """A validator's reversal writes a new workbook that says so; the earlier one is never deleted."""
    sub = {**SUBMISSION, "verdict": "accepted_with_warnings", "status": "accepted_with_warnings"}
    first, _ = write_feedback(tmp_path, sub, [])
    decision = {"decision_id": "dec_1", "decision": "reject", "reason": "lặp số liệu", "decided_by": "Lan",
                "decided_at": datetime(2024, 7, 3, 2, 15, tzinfo=UTC)}  # fmt: skip
    rejected = {**sub, "status": "rejected"}
    again, _ = write_feedback(tmp_path, rejected, [], decision)
    assert again == first
    kept = first.with_name(first.name.replace(".feedback.xlsx", ".feedback.truoc-quyet-dinh-dec_1.xlsx"))
    assert kept.exists()  # what the sender had before the decision
    write_feedback(tmp_path, rejected, [], decision)  # notify again: the same decision, no second copy
    assert sorted(p.name for p in first.parent.glob("*.xlsx")) == sorted([first.name, kept.name])
    summary = {
        r[0]: r[1] for r in openpyxl.load_workbook(first)["Tóm tắt - Summary"].iter_rows(values_only=True)
    }
    assert (
        summary["Kết quả / Verdict"].startswith("BỊ TỪ CHỐI")
        and "Lan" in summary["Quyết định thẩm định / Review decision"]
    )
