"""The report's statistical annex (phụ lục, .xlsx): the criteria as rows in a numbered tree, the
columns "Kỳ này / Cùng kỳ năm trước / (%)" with their column-number row "1, 2, 3, 4 (= 2 x 100 / 3)",
as the Party's statistical forms lay them out (Biểu số 7-BTCTW); one sheet per unit below the
scope when asked. Values are written as numbers (no formulas: every cell has its value)."""

from __future__ import annotations

import io

from transforms.report import Report, annex_rows

GROUP_VI = {
    "models": 'Mô hình "Dân vận khéo"',
    "documents": "Văn bản lãnh đạo, chỉ đạo",
    "conferences": "Hội nghị quán triệt, tuyên truyền, sơ kết, tổng kết",
    "trainings": "Tập huấn, bồi dưỡng nghiệp vụ",
    "inspections": "Kiểm tra, giám sát",
    "commendations": "Thi đua, khen thưởng",
    "citizens": "Tiếp công dân, giải quyết đơn thư",
    "dialogues": "Đối thoại với Nhân dân",
}
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
COUNT_FORMAT = "#,##0"  # shown 4.819 under a Vietnamese locale
PCT_FORMAT = "0.0"


def render(report: Report, *, per_unit: bool = False) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    wb = Workbook()
    ws = wb.active
    ws.title = "Phụ lục"
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    bold = Font(name="Times New Roman", bold=True, size=12)
    plain = Font(name="Times New Roman", size=12)
    italic = Font(name="Times New Roman", size=12, italic=True)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)

    committee, board, _ = report.issuer
    ws["A1"], ws["A2"] = committee, board
    ws["A1"].font, ws["A2"].font = plain, bold
    ws["E1"] = "Phụ lục"
    ws["E1"].font = Font(name="Times New Roman", bold=True, italic=True, size=12)
    ws.merge_cells("A4:F4")
    ws["A4"] = f"SỐ LIỆU THỐNG KÊ CÔNG TÁC DÂN VẬN {report.period_label.upper()}"
    ws.merge_cells("A5:F5")
    ws["A5"] = f"{report.scope.name} ({report.parts_phrase()})"
    for c in ("A4", "A5"):
        ws[c].font, ws[c].alignment = bold, centre

    headers = ("STT", "Chỉ tiêu", "Kỳ này", "Cùng kỳ năm trước", "So sánh (%)", "Ghi chú")
    numbers = ("A", "1", "2", "3", "4 = 2 x 100 / 3", "5")
    for col, (h, n) in enumerate(zip(headers, numbers, strict=True), start=1):
        for row, text in ((7, h), (8, n)):
            cell = ws.cell(row=row, column=col, value=text)
            cell.font, cell.alignment, cell.border = (bold if row == 7 else plain), centre, box
    row, group, n_group, n_item = 9, None, 0, 0
    for r in annex_rows(report):
        if r["group"] != group:
            group, n_item = r["group"], 0
            n_group += 1
            for col, value in enumerate((ROMAN[n_group - 1], GROUP_VI.get(group, group)), start=1):
                cell = ws.cell(row=row, column=col, value=value)
                cell.font, cell.border = bold, box
            for col in range(3, 7):
                ws.cell(row=row, column=col).border = box
            row += 1
        n_item += 0 if r["is_breakdown"] else 1
        values = (None if r["is_breakdown"] else n_item, r["label_vi"], r["value"], r["prior"],
                  round(r["pct"], 1) if r["pct"] is not None else None,
                  "chưa đầy đủ" if r["incomplete"] else None)  # fmt: skip
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=row, column=col, value=value)
            cell.font, cell.border = (italic if r["is_breakdown"] else plain), box
            cell.number_format = PCT_FORMAT if col == 5 else COUNT_FORMAT
            if col in (1, 3, 4, 5):
                cell.alignment = Alignment(horizontal="center" if col == 1 else "right")
        row += 1
    for col, width in zip("ABCDEF", (6, 58, 12, 14, 14, 14), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "C9"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0  # one page wide, as many long as it takes
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "7:8"

    if per_unit and report.members:
        for m in report.members:
            sheet = wb.create_sheet(_sheet_title(m["code"], m["name"]))
            sheet["A1"] = f"{m['name']} - {report.period_label}"
            sheet["A1"].font = bold
            for col, h in enumerate(("STT", "Chỉ tiêu", "Kỳ này"), start=1):
                cell = sheet.cell(row=3, column=col, value=h)
                cell.font, cell.alignment, cell.border = bold, centre, box
            for i, r in enumerate(annex_rows(report), start=1):
                for col, value in enumerate((i, r["label_vi"], m["values"].get(r["code"])), start=1):
                    cell = sheet.cell(row=3 + i, column=col, value=value)
                    cell.font, cell.border, cell.number_format = plain, box, COUNT_FORMAT
            for col, width in zip("ABC", (6, 58, 12), strict=True):
                sheet.column_dimensions[col].width = width

    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _sheet_title(code: str, name: str) -> str:
    """An Excel sheet name (at most 31 characters, none of []:*?/\\)."""
    clean = "".join(ch for ch in f"{code} {name}" if ch not in "[]:*?/\\")
    return clean[:31]
