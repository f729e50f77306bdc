"""Readers turn any accepted format into the same long rows, keeping codes as text."""

import json

import openpyxl
import pandas as pd
import pytest

from transforms.catalogue import indicator_codes
from transforms.readers import UnreadableFile, read_submission

HEADER = ["period", "unit_code", "unit_name", "conferences_held", "conference_attendees"]
ROWS = [["2024S1", "01840", "Xã A", "2", "80"], ["2024S1", "064", "Huyện", "1", "40"]]


def write(path, fmt, header=HEADER, rows=ROWS):
    if fmt in ("csv", "csv-bom"):
        text = "\n".join(",".join(r) for r in [header, *rows]) + "\n"
        path.write_bytes(text.encode("utf-8-sig" if fmt == "csv-bom" else "utf-8"))
    elif fmt == "xlsx":
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.append(["BÁO CÁO CÔNG TÁC DÂN VẬN"])  # title rows above the header are common
        ws.append([])
        ws.append(header)
        for r in rows:
            ws.append([r[0], r[1], r[2], *(int(v) for v in r[3:])])
        wb.save(path)
    elif fmt == "json":
        path.write_text(
            json.dumps([dict(zip(header, r, strict=True)) for r in rows], ensure_ascii=False),
            encoding="utf-8",
        )
    elif fmt == "parquet":
        frame = pd.DataFrame(rows, columns=header)
        frame[header[3:]] = frame[header[3:]].astype("Int64")
        frame.to_parquet(path)
    return path


@pytest.mark.parametrize(
    ("fmt", "suffix", "first_row"),
    [
        ("csv", ".csv", 2),
        ("csv-bom", ".csv", 2),
        ("xlsx", ".xlsx", 4),
        ("json", ".json", 1),
        ("parquet", ".parquet", 1),
    ],
)
def test_every_format_gives_the_same_rows_with_codes_as_text(tmp_path, fmt, suffix, first_row):
    read = read_submission(write(tmp_path / f"r{suffix}", fmt))
    assert read.shape == "wide"
    assert read.periods == ["2024S1"]
    assert read.units["unit_code"].tolist() == ["01840", "064"]
    assert read.units["row_number"].tolist() == [first_row, first_row + 1]
    got = {(r.unit_code, r.indicator_code): r.value_text for r in read.values.itertuples()}
    assert got[("01840", "conference_attendees")] == "80"
    assert got[("064", "conferences_held")] == "1"


def test_long_shape_is_recognised_from_its_columns(tmp_path):
    header = ["period", "unit_code", "indicator_code", "value"]
    rows = [["2024S1", "01840", "conferences_held", "2"], ["2024S1", "01840", "Conference_Attendees", "80"]]
    read = read_submission(write(tmp_path / "long.csv", "csv", header, rows))
    assert read.shape == "long"
    assert sorted(read.values["indicator_code"]) == ["conference_attendees", "conferences_held"]
    assert read.units["row_number"].tolist() == [2]


@pytest.mark.parametrize("label", ["TOTAL", "total", "Tổng cộng", "TỔNG CỘNG"])
def test_declared_total_rows_are_recognised(tmp_path, label):
    read = read_submission(write(tmp_path / "t.csv", "csv", rows=[*ROWS, ["2024S1", label, "", "3", "120"]]))
    assert read.units["unit_code"].tolist() == ["01840", "064", "TOTAL"]


def test_blank_lines_are_skipped_but_row_numbers_stay_true(tmp_path):
    p = tmp_path / "gap.csv"
    p.write_text("period,unit_code,conferences_held\n2024S1,01840,1\n\n2024S1,01843,2\n", encoding="utf-8")
    assert read_submission(p).units["row_number"].tolist() == [2, 4]


def test_missing_columns_and_unknown_columns_are_reported(tmp_path):
    p = tmp_path / "odd.csv"
    p.write_text("period,ma_don_vi,conferences_held,ghi_chu\n2024S1,01840,1,x\n", encoding="utf-8")
    read = read_submission(p)
    assert (read.shape, read.missing_columns) == ("unknown", ["unit_code"])
    p.write_text("period,unit_code,conferences_held,ghi_chu\n2024S1,01840,1,x\n", encoding="utf-8")
    read = read_submission(p)
    assert read.unknown_columns == ["ghi_chu"]
    assert read.missing_indicators == [c for c in indicator_codes() if c != "conferences_held"]


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("empty.csv", b"", "file_empty"),
        ("blank.csv", b"\n\n", "file_empty"),
        ("utf16.csv", "period,unit_code\n2024S1,Xã Đồng\n".encode("utf-16-le"), "file_encoding"),  # no BOM
        ("broken.xlsx", b"PK\x03\x04 this is not a workbook", "file_corrupt"),
        ("broken.json", b'[{"period": "2024S1",', "file_corrupt"),
        ("object.json", b'{"period": "2024S1"}', "file_corrupt"),
        ("empty.json", b"[]", "file_empty"),
        ("broken.parquet", b"PAR1 nope", "file_corrupt"),
        ("report.xls", b"\xd0\xcf\x11\xe0", "file_corrupt"),  # .xls is read (python-calamine)
        ("report.docx", b"PK", "file_format_unsupported"),
    ],
)
def test_unreadable_files_get_their_own_code(tmp_path, name, content, code):
    p = tmp_path / name
    p.write_bytes(content)
    with pytest.raises(UnreadableFile) as err:
        read_submission(p)
    assert err.value.code == code


def test_excel_numbers_that_lost_their_zero_stay_as_typed(tmp_path):
    """A numeric cell 1840 is not silently padded to 01840: the suite reports it as unknown."""
    wb = openpyxl.Workbook()
    wb.active.append(["period", "unit_code", "conferences_held"])
    wb.active.append(["2024S1", 1840, 2.0])
    wb.save(tmp_path / "n.xlsx")
    read = read_submission(tmp_path / "n.xlsx")
    assert read.units["unit_code"].tolist() == ["1840"]
    assert read.values["value_text"].tolist() == ["2"]
