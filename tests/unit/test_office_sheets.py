"""Sheets as offices fill them (issue 11): Vietnamese headings, title rows, STT, the signature
block, "Tổng cộng" in the name column, periods in words, "1.137", codes without their leading
zero, .xls and .ods, legacy font encodings. One validation batch for the module."""

from __future__ import annotations

import pytest

from tests import office_sheets as sheet
from tests.unit.validation_cases import CODES, Cases
from transforms import sheets
from transforms.readers import UnreadableFile, read_submission, shape_rows
from transforms.rules import rules

A = "accepted"
EXPECTED_NOTES = [("unit_code_leading_zero", 10, "unit_code", "2023"), ("value_thousands_grouped", 9, "conference_attendees", "1.137")]  # fmt: skip


@pytest.fixture(scope="module")
def cases(tmp_path_factory) -> Cases:
    folder = tmp_path_factory.mktemp("office")
    c = Cases(folder)
    c.add_bytes("xlsx", ".xlsx", sheet.write_xlsx(folder / "src.xlsx").read_bytes())
    for fmt in ("xls", "ods"):
        c.add_bytes(fmt, f".{fmt}", (sheet.FIXTURES / f"bao-cao-cho-don.{fmt}").read_bytes())
    for kind in sheet.LEGACY:
        sheet.legacy_xlsx(kind)(folder / f"legacy-{kind}.xlsx")
        c.add_bytes(f"legacy_{kind}", ".xlsx", (folder / f"legacy-{kind}.xlsx").read_bytes())
    return c


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "ods"])
def test_the_office_sheet_is_accepted_in_one_submission_with_info_notes(cases, fmt):
    assert cases.verdict(fmt) == A
    assert sorted(cases.issues(fmt)) == sorted(EXPECTED_NOTES)
    values = cases.values(fmt)
    assert sorted(set(values["unit_code"])) == ["02020", "02023", "064", "TOTAL"]
    got = values.set_index(["unit_code", "indicator_code"])["value"]
    assert got[("02020", "conference_attendees")] == 1137
    assert got[("TOTAL", "conference_attendees")] == 1137 + 80 + 80  # the declared total adds up
    assert len(values) == 4 * len(CODES)


def test_xls_and_ods_read_exactly_like_the_xlsx(tmp_path):
    reads = [
        read_submission(sheet.write_xlsx(tmp_path / "a.xlsx")),
        read_submission(sheet.FIXTURES / "bao-cao-cho-don.xls"),
        read_submission(sheet.FIXTURES / "bao-cao-cho-don.ods"),
    ]
    for r in reads:
        assert r.unit_rows == [(9, "02020"), (10, "2023"), (12, "064"), (13, "TOTAL")]
        assert (r.value_rows, r.notes, r.periods) == (reads[0].value_rows, reads[0].notes, ["2024S1"])
        assert r.unknown_columns == [] and r.missing_indicators == [] and r.missing_columns == []


@pytest.mark.parametrize("kind", list(sheet.LEGACY))
def test_legacy_font_encodings_are_rejected_with_how_to_convert(cases, kind):
    assert cases.issues(f"legacy_{kind}") == [("file_legacy_encoding", None, None, kind)]
    [found] = cases.issue_rows(f"legacy_{kind}").itertuples()
    assert kind in found.message_vi
    fix = rules()["file_legacy_encoding"].fix_vi
    assert "Unikey" in fix and "Unicode" in fix


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("BÁO CÁO KẾT QUẢ CÔNG TÁC DÂN VẬN 6 THÁNG ĐẦU NĂM 2024", "2024S1"),
        ("6 tháng cuối năm 2024", "2024S2"),
        ("Sáu tháng đầu năm 2025", "2025S1"),
        ("năm 2024", "2024"),
        ("Báo cáo quý II/2024", "2024Q2"),
        ("quý 4 năm 2023", "2023Q4"),
        ("tháng 6/2024", "202406"),
        ("Tháng 11 năm 2024", "202411"),
        ("9 tháng năm 2024", "2024N9"),
        ("Chợ Đồn, ngày 18 tháng 6 năm 2024", None),  # a date line is when, not what
        ("Kỳ báo cáo: 6 tháng", None),
        ("Hướng dẫn", None),
    ],
)
def test_periods_written_in_vietnamese_become_codes(text, code):
    assert sheets.period_from_text(text) == code


@pytest.mark.parametrize(
    ("heading", "column"),
    [
        ("Mã đơn vị", "unit_code"),
        ("MÃ ĐƠN VỊ", "unit_code"),
        ("ma don vi", "unit_code"),
        ("Tên đơn vị", "unit_name"),
        ("Ðơn vị", "unit_name"),  # U+00D0, as some keyboards type Đ
        ("STT", "stt"),
        ("Kỳ báo cáo", "period"),
        ("Số hội nghị quán triệt, tuyên truyền", "conferences_held"),
        ("SỐ HỘI NGHỊ QUÁN TRIỆT, TUYÊN TRUYỀN (cuộc)", "conferences_held"),
        ("hội nghị quán triệt, tuyên truyền", "conferences_held"),  # without "Số"
        ("Lượt người tham dự hội nghị", "conference_attendees"),
        ("conferences_held", "conferences_held"),
        ("Ghi chú", "ghi chú"),  # not a column we know: kept as written (column_unknown)
    ],
)
def test_headings_are_matched_from_the_catalogue_labels(heading, column):
    assert sheets.canonical_column(heading) == column


def test_every_catalogue_label_is_a_heading():
    from transforms.catalogue import indicators

    for ind in indicators():
        assert sheets.canonical_column(ind.label_vi) == ind.code
        assert sheets.canonical_column(ind.label_vi.upper()) == ind.code


def test_a_csv_with_vietnamese_headings_and_the_period_in_words():
    header = ["Kỳ báo cáo", "Mã đơn vị", "Tên đơn vị", "Số hội nghị quán triệt, tuyên truyền"]
    read = shape_rows(
        header,
        [(2, ["6 tháng cuối năm 2024", "02020", "Thị trấn Bằng Lũng", "1.234.567"]), (3, ["", "", "", ""])],
    )
    assert read.shape == "wide" and read.periods == ["2024S2"]
    assert read.value_rows == [(2, "2024S2", "02020", "conferences_held", "1234567")]
    assert read.notes == [("value_thousands_grouped", 2, "conferences_held", "1.234.567")]


def test_names_are_nfc_and_u00d0_is_d_with_stroke():
    decomposed = "Đo\u0302ng"  # Đông with a combining circumflex
    assert sheets.clean_text(decomposed) == "Đông"
    assert sheets.clean_text("\u00d0ồng") == "\u0110ồng"


def test_a_sheet_without_a_known_heading_is_read_as_before(tmp_path):
    path = sheet.write_xlsx(tmp_path / "x.xlsx", [["a", "b"], ["1", "2"]])
    read = read_submission(path)
    assert read.shape == "unknown" and "unit_code" in read.missing_columns
    with pytest.raises(UnreadableFile):
        read_submission(sheet.write_xlsx(tmp_path / "empty.xlsx", []))


def test_feedback_is_written_on_the_senders_own_sheet(cases, tmp_path):
    import openpyxl

    from transforms.feedback import OWN_SHEET, write_feedback

    bad = [list(r) for r in sheet.rows()]
    bad[sheet.FIRST_ROW - 1][3 + CODES.index("conferences_held")] = -2  # a negative count
    path = sheet.write_xlsx(tmp_path / "bao-cao-sai.xlsx", bad)
    issues = [
        {"issue_code": "value_negative", "severity": "error", "row_number": sheet.FIRST_ROW,
         "column_name": "conferences_held", "unit_code": "02020", "value": "-2",
         "message_vi": "Giá trị -2 âm.", "message_en": "Negative.", "submission_id": "s"},
        {"issue_code": "unit_code_leading_zero", "severity": "info", "row_number": 10,
         "column_name": "unit_code", "unit_code": "02023", "value": "2023",
         "message_vi": "x", "message_en": "x", "submission_id": "s"},
    ]  # fmt: skip
    submission = {
        "submission_id": "s", "sender_code": "064", "file_name": path.name, "period": "2024S1",
        "received_at": "2024-06-18T03:00:00", "verdict": "rejected", "status": "rejected",
        "error_count": 1, "warning_count": 0, "archive_path": str(path),
    }  # fmt: skip
    xlsx, _ = write_feedback(tmp_path / "outbox", submission, issues)
    wb = openpyxl.load_workbook(xlsx)
    assert wb.sheetnames == [OWN_SHEET, "Tóm tắt - Summary", "Chi tiết - Problems"]
    own = wb[OWN_SHEET]
    cell = own.cell(row=sheet.FIRST_ROW, column=4 + CODES.index("conferences_held"))
    assert cell.value == -2 and cell.fill.fgColor.rgb.endswith("FFC7CE")
    assert cell.comment.text.startswith(
        "Lỗi - Số hội nghị quán triệt, tuyên truyền - Thị trấn Bằng Lũng: Giá trị -2 âm."
    )
    assert own.cell(row=10, column=2).comment is None  # info notes are for validators
    assert own.cell(row=4, column=1).value == sheet.TITLE  # the sender's rows where they were
    summary = {r[0]: r[1] for r in wb["Tóm tắt - Summary"].iter_rows(values_only=True)}
    assert summary["Thời điểm nhận / Received (giờ Việt Nam / Vietnam time)"] == "18/06/2024 10:00"
