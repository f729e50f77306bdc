"""The report as a Word document in the Party's format (Hướng dẫn 36-HD/VPTW, 2018): A4, Times New
Roman (Unicode, TCVN 6909:2001), margins top and bottom 20 mm, left 30 mm, right 15 mm; the issuing
body top left with its number, "ĐẢNG CỘNG SẢN VIỆT NAM" top right over the place and date line;
"BÁO CÁO" and its subject centred; numbered sections; "Nơi nhận" bottom left, the signature block
bottom right. python-docx, imported only here."""

from __future__ import annotations

import io

from transforms.report import Report

FONT = "Times New Roman"
BODY_PT = 14


def render(report: Report, charts: list) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)

    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    normal.paragraph_format.space_after = Pt(0)

    def para(
        text="", *, bold=False, italic=False, size=None, align=None, indent=True, underline=False, after=6
    ):
        p = doc.add_paragraph()
        if align is not None:
            p.alignment = align
        else:
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            if indent:
                p.paragraph_format.first_line_indent = Mm(12.7)
        p.paragraph_format.space_after = Pt(after)
        p.paragraph_format.line_spacing = 1.15
        run = p.add_run(text)
        run.bold, run.italic, run.underline = bold, italic, underline
        if size:
            run.font.size = Pt(size)
        return p

    def cell_line(cell, text, *, bold=False, italic=False, underline=False, size=13, first=False):
        p = cell.paragraphs[0] if first else cell.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(text)
        run.bold, run.italic, run.underline = bold, italic, underline
        run.font.size = Pt(size)
        return p

    # the header: issuing body | ĐẢNG CỘNG SẢN VIỆT NAM
    committee, board, number = report.issuer
    header = doc.add_table(rows=1, cols=2)
    header.alignment = WD_TABLE_ALIGNMENT.CENTER
    header.autofit = False
    left, right = header.rows[0].cells
    left.width, right.width = Mm(75), Mm(90)
    cell_line(left, committee, size=14, first=True)
    cell_line(left, board, bold=True, size=14)
    cell_line(left, "*", size=14)
    cell_line(left, number, size=14)
    cell_line(right, "ĐẢNG CỘNG SẢN VIỆT NAM", bold=True, underline=True, size=15, first=True)
    cell_line(right, "")
    cell_line(right, report.date_line(), italic=True, size=14)

    para("", after=6)
    para("BÁO CÁO", bold=True, size=16, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    para(
        report.subject[0].upper() + report.subject[1:],
        bold=True,
        size=14,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        after=0,
    )
    para("-----", align=WD_ALIGN_PARAGRAPH.CENTER, after=12)
    para(
        f"(Bản dự thảo, tổng hợp từ số liệu các đơn vị đã báo cáo; {report.parts_phrase()})",
        italic=True,
        size=12,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        after=12,
    )

    charts = list(charts)
    for heading, paragraphs in report.sections:
        para(heading, bold=True, indent=True, after=6)
        for text in paragraphs:
            para(text)
        if heading.startswith("I.") and charts:
            for chart in charts:
                p = doc.add_paragraph()
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                p.add_run().add_picture(io.BytesIO(chart.png), width=Mm(160))
                para(f"Biểu đồ: {chart.title}", italic=True, size=12, align=WD_ALIGN_PARAGRAPH.CENTER)

    # Nơi nhận | signature
    para("", after=6)
    sign = doc.add_table(rows=1, cols=2)
    sign.autofit = False
    left, right = sign.rows[0].cells
    left.width, right.width = Mm(80), Mm(85)
    p = left.paragraphs[0]
    run = p.add_run("Nơi nhận:")
    run.bold, run.italic = True, True
    run.font.size = Pt(12)
    for line in recipients(report):
        q = left.add_paragraph()
        r = q.add_run(line)
        r.font.size = Pt(11)
    cell_line(
        right,
        "T/M BAN" if report.scope.kind != "commune" else "T/M KHỐI DÂN VẬN",
        bold=True,
        size=14,
        first=True,
    )
    cell_line(right, "TRƯỞNG BAN", bold=True, size=14)
    for _ in range(3):
        cell_line(right, "")
    cell_line(right, "[Họ và tên]", size=14)

    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def recipients(report: Report) -> list[str]:
    """The "Nơi nhận" lines of the report."""
    s = report.scope
    if s.kind in ("province", "group"):
        upper = ["- Ban Dân vận Trung ương (b/c),", "- Thường trực Tỉnh ủy (b/c),"]
    elif s.kind == "district":
        upper = ["- Ban Dân vận Tỉnh ủy (b/c),", "- Thường trực Huyện ủy (b/c),"]
    else:
        upper = ["- Đảng ủy (b/c),"]
    return [*upper, "- Các đơn vị trong khối dân vận,", "- Lưu Văn phòng."]
