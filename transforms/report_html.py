"""The report as one HTML page for the browser, readable offline: the same header, sections and
charts as the .docx (charts inline as data: URIs), the annex table, and the provenance of every
figure. No script, no CDN, no external file."""

from __future__ import annotations

import base64
from html import escape

from transforms.report import Report, annex_rows, vn, vn_pct
from transforms.report_xlsx import GROUP_VI

STYLE = """
body { font-family: "Times New Roman", Times, serif; font-size: 14pt; color: #000; background: #eee; margin: 0; }
main { background: #fff; max-width: 165mm; margin: 12px auto; padding: 20mm 15mm 20mm 30mm; box-shadow: 0 0 4px #999; }
.head { display: flex; justify-content: space-between; text-align: center; }
.head div { width: 48%; } .head p { margin: 2px 0; white-space: pre; }
.title { text-align: center; margin: 18px 0 6px; } .title h1 { font-size: 16pt; margin: 0; }
.title h2 { font-size: 14pt; margin: 2px 0; } .draft { text-align: center; font-style: italic; font-size: 12pt; }
h3 { font-size: 14pt; margin: 14px 0 6px; } p.body { text-align: justify; text-indent: 12.7mm; margin: 0 0 6px; line-height: 1.35; }
figure { text-align: center; margin: 10px 0; } figure img { max-width: 100%; } figcaption { font-style: italic; font-size: 12pt; }
table.annex { border-collapse: collapse; width: 100%; font-size: 12pt; margin-top: 6px; }
table.annex td, table.annex th { border: 1px solid #000; padding: 2px 5px; } td.n { text-align: right; white-space: nowrap; }
tr.group td { font-weight: bold; } .sign { display: flex; justify-content: space-between; margin-top: 24px; }
.sign div { width: 48%; } .sign .right { text-align: center; font-weight: bold; } .nn { font-size: 11pt; }
details { font-size: 11pt; margin-top: 18px; } code { font-size: 10pt; }
@media print { body { background: #fff; } main { box-shadow: none; margin: 0; } details { display: none; } }
"""


def render(report: Report, charts: list) -> str:
    from transforms.report_docx import recipients

    committee, board, number = report.issuer
    e = escape
    out = [
        "<!doctype html>",
        '<html lang="vi"><head><meta charset="utf-8">',
        f"<title>Báo cáo {e(report.subject)}</title><style>{STYLE}</style></head><body><main>",
        '<div class="head"><div>',
        f"<p>{e(committee)}</p><p><b>{e(board)}</b></p><p>*</p><p>{e(number)}</p>",
        "</div><div>",
        f"<p><b><u>ĐẢNG CỘNG SẢN VIỆT NAM</u></b></p><p>&nbsp;</p><p><i>{e(report.date_line())}</i></p>",
        "</div></div>",
        '<div class="title"><h1>BÁO CÁO</h1>',
        f"<h2>{e(report.subject[0].upper() + report.subject[1:])}</h2><p>-----</p></div>",
        f'<p class="draft">(Bản dự thảo, tổng hợp từ số liệu các đơn vị đã báo cáo; {e(report.parts_phrase())})</p>',
    ]
    for heading, paragraphs in report.sections:
        out.append(f"<h3>{e(heading)}</h3>")
        out += [f'<p class="body">{e(t)}</p>' for t in paragraphs]
        if heading.startswith("I."):
            for chart in charts:
                data = base64.b64encode(chart.png).decode("ascii")
                out.append(
                    f'<figure><img alt="{e(chart.title)}" src="data:image/png;base64,{data}">'
                    f"<figcaption>Biểu đồ: {e(chart.title)}</figcaption></figure>"
                )
    out.append('<div class="sign"><div class="nn"><p><b><i>Nơi nhận:</i></b></p>')
    out += [f"<p>{e(line)}</p>" for line in recipients(report)]
    out.append('</div><div class="right"><p>T/M BAN</p><p>TRƯỞNG BAN</p><p>&nbsp;</p><p>&nbsp;</p>')
    out.append('<p style="font-weight:normal">[Họ và tên]</p></div></div>')

    out.append(f"<h3>PHỤ LỤC: SỐ LIỆU THỐNG KÊ {e(report.period_label.upper())}</h3>")
    out.append('<table class="annex"><tr><th>STT</th><th>Chỉ tiêu</th><th>Kỳ này</th>')
    out.append("<th>Cùng kỳ năm trước</th><th>So sánh (%)</th></tr>")
    group, i = None, 0
    for r in annex_rows(report):
        if r["group"] != group:
            group, i = r["group"], 0
            out.append(
                f'<tr class="group"><td></td><td colspan="4">{e(GROUP_VI.get(group, group))}</td></tr>'
            )
        i += 0 if r["is_breakdown"] else 1
        mark = " *" if r["incomplete"] else ""
        number, label = ("", f"<i>{e(r['label_vi'])}</i>") if r["is_breakdown"] else (i, e(r["label_vi"]))
        out.append(
            f"<tr><td>{number}</td><td>{label}</td><td class='n'>{vn(r['value'])}{mark}</td>"
            f"<td class='n'>{vn(r['prior'])}</td><td class='n'>{vn_pct(r['pct'])}</td></tr>"
        )
    out.append("</table><p class='nn'>(*) số liệu chưa đầy đủ: thiếu báo cáo của đơn vị hoặc kỳ.</p>")

    out.append("<details><summary>Nguồn số liệu (provenance)</summary><table class='annex'>")
    out.append("<tr><th>Chỉ tiêu</th><th>Số liệu</th><th>Truy vấn</th><th>Báo cáo đã chấp nhận</th></tr>")
    for p in report.provenance:
        out.append(
            f"<tr><td>{e(p['label_vi'])}</td><td class='n'>{e(p['text'])}</td><td><code>{e(p['query'])}</code></td>"
            f"<td><code>{e(', '.join(p['submission_ids']))}</code></td></tr>"
        )
    out.append("</table></details></main></body></html>")
    return "\n".join(out)
