"""A sheet as a district office really fills it (issue 11), for the reader tests and the corpus.

Title rows, a date line, STT, Vietnamese headings from the catalogue's labels (with a unit in
brackets), the column-number row, a figure typed "1.137", a code typed as a number (2023 for
02023), a blank separator, "Tổng cộng" in the name column and a signature block. The committed
``tests/fixtures/bao-cao-cho-don.xls`` and ``.ods`` are this sheet saved by LibreOffice
(``python -m tests.office_sheets``; CI has no LibreOffice, so the bytes are committed).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl

from tests.helpers import CODES, GOOD
from transforms.catalogue import indicators

FIXTURES = Path(__file__).parent / "fixtures"
LO_PROFILE = "-env:UserInstallation=file:///tmp/danvan-lo-profile"  # never another LibreOffice's profile
TITLE = "BÁO CÁO KẾT QUẢ CÔNG TÁC DÂN VẬN 6 THÁNG ĐẦU NĂM 2024"
UNITS = [("02020", "Thị trấn Bằng Lũng"), (2023, "Xã Xuân Lạc"), ("064", "Huyện Chợ Đồn")]
DOTTED = ("conference_attendees", "1.137")  # on the first unit's row: read as 1137
FIRST_ROW = 9  # the sheet row of the first unit (see rows())
LEGACY = {  # "Báo cáo kết quả công tác dân vận" and "Tên đơn vị" typed in legacy font encodings
    "TCVN3": ("B¸o c¸o kÕt qu¶ c«ng t¸c d©n vËn", "Tªn ®¬n vÞ"),
    "VNI": ("Baùo caùo keát quaû coâng taùc daân vaän", "Teân ñôn vò"),
}


def figures(n: int) -> dict:
    """The figures of the ``n``-th unit row (GOOD, and the dotted attendees on the first)."""
    row = dict(GOOD)
    if n == 0:
        row[DOTTED[0]] = int(DOTTED[1].replace(".", ""))
    return row


def total() -> dict:
    return {c: sum(figures(n)[c] for n in range(len(UNITS))) for c in CODES}


def rows(title: str = TITLE, heading: str = "Tên đơn vị") -> list[list]:
    labels = {i.code: i.label_vi for i in indicators()}
    sheet = [
        ["HUYỆN ỦY CHỢ ĐỒN", None, None, None, "ĐẢNG CỘNG SẢN VIỆT NAM"],
        ["BAN DÂN VẬN", None, None, None, "Chợ Đồn, ngày 18 tháng 6 năm 2024"],
        [],
        [title],
        ["(Kèm theo Công văn số 12-CV/BDV)"],
        [],
        [
            "STT",
            "Mã đơn vị",
            heading,
            *(f"{labels[c]} (số)" if k % 3 == 0 else labels[c] for k, c in enumerate(CODES)),
        ],
        ["(1)", "(2)", "(3)", *(f"({k})" for k in range(4, 4 + len(CODES)))],
    ]
    for n, (code, name) in enumerate(UNITS):
        f = figures(n)
        cells = [DOTTED[1] if (n == 0 and c == DOTTED[0]) else f[c] for c in CODES]
        sheet.append([n + 1, code, name, *cells])
        if n == 1:
            sheet.append([])  # a blank separator between communes and the district's own row
    sheet.append([None, None, "Tổng cộng", *(total()[c] for c in CODES)])
    sheet += [
        [],
        [None, "Người lập biểu", None, None, None, "Thủ trưởng đơn vị"],
        [None, "(Ký, ghi rõ họ tên)", None, None, None, "(Ký tên, đóng dấu)"],
        [],
        [None, "Nguyễn Thị Lan", None, None, None, "Hoàng Văn Minh"],
    ]
    return sheet


# sheet rows of the units: title block 8 rows, the separator after the second unit, then the total
UNIT_ROWS = [FIRST_ROW, FIRST_ROW + 1, FIRST_ROW + 3]
TOTAL_ROW = FIRST_ROW + 4


def write_xlsx(path: Path, sheet: list[list] | None = None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Báo cáo"
    for cells in rows() if sheet is None else sheet:
        ws.append(cells)
    wb.save(path)
    return path


def legacy_xlsx(kind: str):
    title, heading = LEGACY[kind]

    def build(path: Path) -> None:
        write_xlsx(path, rows(title=title, heading=heading))

    return build


def convert(xlsx: Path, fmt: str, out_dir: Path) -> Path:
    """LibreOffice's own save of ``xlsx`` as ``fmt`` (xls, ods)."""
    subprocess.run(
        ["soffice", LO_PROFILE, "--headless", "--convert-to", fmt, "--outdir", str(out_dir), str(xlsx)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return out_dir / f"{xlsx.stem}.{fmt}"


def main() -> int:
    import tempfile

    FIXTURES.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        source = write_xlsx(Path(tmp) / "bao-cao-cho-don.xlsx")
        for fmt in ("xls", "ods"):
            made = convert(source, fmt, Path(tmp))
            (FIXTURES / made.name).write_bytes(made.read_bytes())
            print(FIXTURES / made.name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
