"""Feedback for the sender: one workbook (and a CSV twin) per submission that was rejected or has
warnings, in ``outbox/<sender_code>/<file stem>.feedback.xlsx|.csv``.

District officers open these in Excel or LibreOffice, so every text cell is neutralised the way
OWASP advises against CSV/formula injection: a value the sender typed (``=HYPERLINK(...)``, ``-2``,
``@SUM(...)``) must come back as text, never run. Text starting with ``= + - @``, a tab or a CR gets
a leading ``'``, and workbook cells are also forced to the string type, so openpyxl never stores a
formula. Vietnamese comes first everywhere, then English. Files are replaced atomically: a rerun
overwrites the same files, and a reader never sees half of one.
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from transforms.files import write_atomically
from transforms.rules import rules
from transforms.status import label

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
FOR_SENDERS = ("error", "warning")  # `info` notes are for validators (what could not be checked)
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
SEVERITY = {"error": ("Lỗi", "Error"), "warning": ("Cảnh báo", "Warning"), "info": ("Thông tin", "Info")}
WHOLE_FILE = "cả tệp / whole file"
# one row per problem: (header, issue key, column width cap; longer text wraps)
PROBLEM_COLUMNS = (
    ("STT / No.", "no", 8),
    ("Mức độ / Severity", "severity", 22),
    ("Dòng / Row", "row_number", 20),
    ("Cột / Column", "column_name", 30),
    ("Mã đơn vị / Unit", "unit_code", 16),
    ("Giá trị / Value", "value", 30),
    ("Nội dung (tiếng Việt)", "message_vi", 60),
    ("Cách sửa (tiếng Việt)", "fix_vi", 60),
    ("Message (English)", "message_en", 55),
    ("How to fix (English)", "fix_en", 55),
    ("Mã lỗi / Code", "issue_code", 30),
)
CSV_COLUMNS = (
    "submission_id",
    "sender_code",
    "file_name",
    "period",
    "status",
    "severity",
    "row_number",
    "column_name",
    "unit_code",
    "value",
    "issue_code",
    "message_vi",
    "fix_vi",
    "message_en",
    "fix_en",
)
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # openpyxl refuses these; tab/LF/CR are fine


def neutralise(value):
    """Text a spreadsheet would run as a formula, made inert with a leading ``'``; other values as is."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def feedback_paths(outbox: Path, sender_code: str | None, file_name: str) -> tuple[Path, Path]:
    """Where a submission's workbook and CSV go: the sender's outbox folder, named by the file's stem.

    Both names are safe whatever was submitted (see ``_safe_name``), and two different names never
    map to one: ``064`` and ``064 `` are different senders with different folders."""
    folder = sender_folder(outbox, sender_code)
    stem = _safe_name(Path(Path(file_name).name).stem or "file")
    return folder / f"{stem}.feedback.xlsx", folder / f"{stem}.feedback.csv"


def sender_folder(outbox: Path, sender_code: str | None) -> Path:
    """A sender's own folder in the outbox: feedback, reminders and chase lists all go there."""
    return outbox / _safe_name(sender_code or "_no_sender")


def remove_feedback(outbox: Path, sender_code: str | None, file_name: str) -> list[Path]:
    """Remove an earlier feedback of the same name (a newer file of that name was accepted cleanly)."""
    removed = []
    for p in feedback_paths(outbox, sender_code, file_name):
        try:
            p.unlink()  # not exists() then unlink(): a notify and a decision may both be here
        except FileNotFoundError:
            continue
        removed.append(p)
    return removed


def write_feedback(
    outbox: Path, submission: dict, issues: Iterable[dict], decision: dict | None = None
) -> tuple[Path, Path]:
    """Write the workbook and its CSV twin for one submission; return their paths.

    ``submission``: submission_id, sender_code, file_name, period, received_at, verdict (the
    pipeline's), status (as the lifecycle model says: ``review.states``), error_count, warning_count. ``issues``: rows of submission_issues (fix hints come
    from the rule catalogue unless given; ``info`` rows are left out). ``decision``: the validator's standing decision, if any
    (decision, reason, decided_by, decided_at).
    """
    problems = sorted(
        (_with_fix(i) for i in issues if i["severity"] in FOR_SENDERS),
        key=lambda i: (
            SEVERITY_ORDER.get(i["severity"], 9),
            i.get("row_number") is not None,
            i.get("row_number") or 0,
            i.get("column_name") or "",
            i["issue_code"],
        ),
    )
    xlsx, csv_path = feedback_paths(outbox, submission.get("sender_code"), submission["file_name"])
    xlsx.parent.mkdir(parents=True, exist_ok=True)
    status = submission["status"]
    if decision is not None:
        _keep_earlier(xlsx, decision)
    own = _own_table(submission)
    write_atomically(
        xlsx,
        lambda tmp: _with_own_sheet(_workbook(submission, problems, decision, status), own, problems).save(
            tmp
        ),
    )
    write_atomically(csv_path, lambda tmp: _csv(tmp, submission, problems, status))
    return xlsx, csv_path


# ------------------------------------------------------------------------------------------ content
def _with_fix(issue: dict) -> dict:
    rule = rules().get(issue["issue_code"])
    return {
        **issue,
        "fix_vi": issue.get("fix_vi") or (rule.fix_vi if rule else ""),
        "fix_en": issue.get("fix_en") or (rule.fix_en if rule else ""),
    }


def _next_steps(submission: dict, decision: dict | None) -> tuple[str, str]:
    if decision and decision["decision"] == "reject":
        return (
            "Cán bộ thẩm định đã từ chối tệp này (xem lý do ở trên). Số liệu của tệp không còn được "
            "tổng hợp. Hãy sửa theo lý do đó rồi gửi lại cả tệp vào thư mục của đơn vị.",
            "A validator rejected this file (see the reason above). Its figures are no longer counted. "
            "Fix what the reason says, then send the whole file again to your folder.",
        )
    if decision and decision["decision"] == "accept":
        return (
            "Cán bộ thẩm định đã xem các cảnh báo và chấp nhận tệp. Không cần làm gì thêm.",
            "A validator reviewed the warnings and accepted the file. Nothing more to do.",
        )
    if submission["status"] == "superseded":
        return (
            "Một tệp mới hơn của đơn vị cho cùng kỳ đã thay thế tệp này; số liệu của tệp này không còn được "
            "tổng hợp. Không cần làm gì thêm với tệp này.",
            "A newer file of your unit for the same period replaced this one; its figures are no longer "
            "counted. Nothing more to do with this file.",
        )
    if submission["verdict"] == "rejected":
        return (
            "Tệp chưa được chấp nhận nên chưa có số liệu nào được tổng hợp. Hãy sửa tất cả các lỗi ở "
            "trang “Chi tiết - Problems” (mỗi dòng ghi rõ dòng, cột, giá trị và cách sửa), rồi gửi lại "
            "cả tệp vào thư mục của đơn vị. Tệp mới sẽ được kiểm tra lại từ đầu.",
            "The file was not accepted, so none of its figures were counted. Fix every error on the "
            "“Chi tiết - Problems” sheet (each line gives the row, column, value and how to fix it), "
            "then send the whole file again to your folder. The new file is checked from scratch.",
        )
    return (
        "Tệp đã được chấp nhận và số liệu đã được tổng hợp. Cán bộ thẩm định sẽ xem các cảnh báo ở trang "
        "“Chi tiết - Problems”. Nếu có số liệu sai, hãy sửa và gửi lại cả tệp (tệp mới thay thế tệp "
        "này); nếu số liệu đúng, không cần làm gì.",
        "The file was accepted and its figures are counted. A validator will look at the warnings on "
        "the “Chi tiết - Problems” sheet. If a figure is wrong, fix it and send the whole file again "
        "(the new file replaces this one); if the figures are right, there is nothing to do.",
    )


def _summary_rows(submission: dict, problems: list[dict], decision: dict | None, status: str) -> list:
    errors = sum(p["severity"] == "error" for p in problems)
    warnings = sum(p["severity"] == "warning" for p in problems)
    vi, en = label(status), label(status, "en")
    if decision:
        vi += " (theo quyết định của cán bộ thẩm định)"
        en += " (by a validator's decision)"
    rows = [
        ("Kết quả / Verdict", vi.upper(), en.upper()),
        ("Số lỗi / Errors", errors, errors),
        ("Số cảnh báo / Warnings", warnings, warnings),
    ]
    if decision:
        at = _vn_text(decision["decided_at"])
        verb_vi, verb_en = (
            ("Chấp nhận", "Accepted") if decision["decision"] == "accept" else ("Từ chối", "Rejected")
        )
        rows.append(
            (
                "Quyết định thẩm định / Review decision",
                f"{verb_vi} bởi {decision['decided_by']} lúc {at} (giờ Việt Nam). Lý do: {decision['reason']}",
                f"{verb_en} by {decision['decided_by']} at {at} (Vietnam time). Reason: {decision['reason']}",
            )
        )
    rows += [
        ("Việc cần làm / What to do next", *_next_steps(submission, decision)),
        ("Tệp / File", submission["file_name"], submission["file_name"]),
        ("Đơn vị gửi / Sender", submission.get("sender_code") or "", submission.get("sender_code") or ""),
        ("Kỳ báo cáo / Period", submission.get("period") or "", submission.get("period") or ""),
        (
            "Thời điểm nhận / Received (giờ Việt Nam / Vietnam time)",
            *(_vn_text(submission.get("received_at")),) * 2,
        ),
        ("Mã lần nộp / Submission id", submission["submission_id"], submission["submission_id"]),
    ]
    if any(_needs_neutralising(p) for p in problems):
        rows.append(
            (
                "Ghi chú / Note",
                "Giá trị bắt đầu bằng = + - @ được thêm dấu ' ở đầu để bảng tính hiển thị đúng như đã gõ, "
                "không chạy như công thức.",
                "Values starting with = + - @ get a leading ' so that a spreadsheet shows them as typed "
                "and never runs them as formulas.",
            )
        )
    return rows


def _needs_neutralising(problem: dict) -> bool:
    return any(neutralise(problem.get(k)) != problem.get(k) for k in ("value", "column_name", "unit_code"))


def _problem_cells(no: int, p: dict) -> list:
    vi, en = SEVERITY.get(p["severity"], (p["severity"], p["severity"]))
    values = {
        **p,
        "no": no,
        "severity": f"{vi} / {en}",
        "row_number": WHOLE_FILE if p.get("row_number") is None else int(p["row_number"]),
    }
    return [values.get(key) for _, key, _ in PROBLEM_COLUMNS]


# ---------------------------------------------------------------------------------------- writers
def _keep_earlier(xlsx: Path, decision: dict) -> Path | None:
    """A validator's decision never silently replaces the feedback the sender already has: the
    earlier workbook is kept beside it as ``<stem>.feedback.truoc-quyet-dinh-<decision>.xlsx``
    ("before decision ..."), unless it was written for this very decision (a rerun of notify)."""
    if not xlsx.exists():
        return None
    from openpyxl import load_workbook

    decision_id = str(decision.get("decision_id") or decision.get("decided_at") or "")
    try:
        book = load_workbook(xlsx, read_only=True)
        earlier_for = book.properties.identifier
        book.close()
    except Exception:  # noqa: BLE001 - an unreadable earlier workbook is kept all the same
        earlier_for = None
    if earlier_for == decision_id:
        return None
    kept = xlsx.with_name(
        xlsx.name.replace(".feedback.xlsx", f".feedback.truoc-quyet-dinh-{_safe_name(decision_id)[:40]}.xlsx")
    )
    if not kept.exists():
        try:
            os.replace(xlsx, kept)
        except FileNotFoundError:  # moved or removed meanwhile by another notify or decision
            return None
    return kept


def _with_own_sheet(wb, own, problems: list[dict]):
    """The sender's own sheet first (when the file is a sheet or a CSV), the workbook opening on it."""
    if own and own[0]:
        _own_sheet(wb.create_sheet(OWN_SHEET, 0), own, problems)
        wb.active = 0
    return wb


def _workbook(submission: dict, problems: list[dict], decision: dict | None, status: str):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    summary = wb.active
    summary.title = "Tóm tắt - Summary"
    if decision is not None:  # which decision this workbook reports (see _keep_earlier)
        wb.properties.identifier = str(decision.get("decision_id") or decision.get("decided_at") or "")
    header = ("Mục / Item", "Tiếng Việt", "English")
    _fill(summary, header, _summary_rows(submission, problems, decision, status))
    _layout(summary, (36, 70, 70))
    summary["B2"].font = summary["C2"].font = Font(
        bold=True, color="C00000" if status == "rejected" else "000000"
    )

    sheet = wb.create_sheet("Chi tiết - Problems")
    _fill(
        sheet, [h for h, _, _ in PROBLEM_COLUMNS], [_problem_cells(n, p) for n, p in enumerate(problems, 1)]
    )
    _layout(sheet, [cap for _, _, cap in PROBLEM_COLUMNS])
    if problems:
        sheet.auto_filter.ref = sheet.dimensions
    return wb


def _fill(sheet, header, rows) -> None:
    from openpyxl.styles import Alignment, Font

    top_left = Alignment(wrap_text=True, vertical="top", horizontal="left")
    sheet.append([_cell_text(h) for h in header])
    for cell in sheet[1]:
        cell.data_type = "s"
        cell.font = Font(bold=True)
        cell.alignment = top_left
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values, start=1):
            cell = sheet.cell(row=r, column=c)
            if isinstance(value, str):
                cell.value = _cell_text(value)
                cell.data_type = "s"  # a string, whatever it looks like: never a formula
            else:
                cell.value = value
            cell.alignment = top_left
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"


def _layout(sheet, caps) -> None:
    """Each column as wide as its longest line (Vietnamese counted in composed characters), capped;
    longer text wraps, and each row is made tall enough for its wrapped lines (LibreOffice and
    Excel do not grow a row written without a height). Printed landscape, one page wide."""
    from openpyxl.utils import get_column_letter

    widths = []
    for i, cap in enumerate(caps, start=1):
        longest = max(
            (_display_len(line) for c in sheet[get_column_letter(i)] for line in _lines(c.value)), default=0
        )
        widths.append(min(max(longest + 2, 8), cap))
        sheet.column_dimensions[get_column_letter(i)].width = widths[-1]
    for row in sheet.iter_rows():
        lines = max(
            sum(-(-_display_len(line) // max(w - 2, 1)) or 1 for line in _lines(c.value))
            for c, w in zip(row, widths, strict=False)
        )
        sheet.row_dimensions[row[0].row].height = 15 * max(lines, 1) + 2
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _lines(value) -> list[str]:
    return str("" if value is None else value).splitlines() or [""]


def _csv(path: Path, submission: dict, problems: list[dict], status: str) -> None:
    """UTF-8 with a BOM: Excel then shows Vietnamese correctly when the file is double-clicked."""
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(CSV_COLUMNS)
        for p in problems:
            row = {**submission, **p, "status": status}
            writer.writerow([neutralise(_clean(row.get(c))) for c in CSV_COLUMNS])


def _cell_text(value: str) -> str:
    return neutralise(_ILLEGAL_XML.sub("\ufffd", value))


def _clean(value):
    return _ILLEGAL_XML.sub("\ufffd", value) if isinstance(value, str) else value


def _display_len(text: str) -> int:
    return len(unicodedata.normalize("NFC", text))


def _vn_text(value) -> str:
    """A moment as Vietnam reads it: Asia/Ho_Chi_Minh, day first ("01/07/2024 15:30"). Stored
    times are UTC (a naive one is UTC)."""
    if value is None or value == "":
        return ""
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(ZoneInfo("Asia/Ho_Chi_Minh")).strftime("%d/%m/%Y %H:%M")


# ------------------------------------------------------------------------------ the sender's own sheet
OWN_SHEET = "Bảng đã gửi - Your sheet"
FILLS = {"error": "FFC7CE", "warning": "FFEB9C"}  # Excel's own "bad" and "neutral" highlight colours


def _own_table(submission: dict):
    """The sender's rows and recognised columns (readers.sender_table), when the file is a sheet
    or a CSV still in the archive; None otherwise."""
    path = submission.get("archive_path")
    if not path or not Path(path).exists():
        return None
    from transforms.readers import sender_table

    return sender_table(Path(path))


def _label(column: str | None) -> str | None:
    if not column:
        return None
    from transforms.catalogue import parse_key
    from transforms.templates import column_label

    ids = {"unit_code": "Mã đơn vị", "unit_name": "Tên đơn vị", "period": "Kỳ báo cáo"}
    if column in ids:
        return ids[column]
    return column_label(column) if parse_key(column).known_indicator else None


def _own_sheet(sheet, own, problems: list[dict]) -> None:
    """The sender's table at its own row numbers, each problem cell highlighted (red: error,
    yellow: warning) with the problem in Vietnamese (and its fix) as the cell's comment; a row's
    problem with no column of its own marks the row's unit code."""
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from transforms.sheets import MACHINE_MARK, canonical_column

    rows, index = own
    width = 1
    for number, cells in rows:
        for c, value in enumerate(cells, start=1):
            if value is None:
                continue
            cell = sheet.cell(row=number, column=c)
            if isinstance(value, str):
                cell.value, cell.data_type = _cell_text(value), "s"
            elif isinstance(value, int | float) and not isinstance(value, bool):
                cell.value = value
            else:
                cell.value = _cell_text(str(value))
                cell.data_type = "s"
            width = max(width, c)
    for number, cells in rows:  # a template's machine row stays hidden, as in the template
        if cells and isinstance(cells[0], str) and cells[0].startswith(MACHINE_MARK):
            sheet.row_dimensions[number].hidden = True
    names = {
        n: cells[index["unit_name"]]
        for n, cells in rows
        if "unit_name" in index and index["unit_name"] < len(cells)
    }
    notes: dict[tuple[int, int], list[dict]] = {}
    for p in problems:
        row = p.get("row_number")
        if row is None or (isinstance(row, float) and row != row):
            continue
        column = index.get(p.get("column_name") or "", index.get("unit_code"))
        if column is None:
            continue
        notes.setdefault((int(row), column + 1), []).append(p)
    for (row, col), found in notes.items():
        cell = sheet.cell(row=row, column=col)
        worst = min(found, key=lambda p: SEVERITY_ORDER.get(p["severity"], 9))["severity"]
        cell.fill = PatternFill("solid", fgColor=FILLS.get(worst, "FFEB9C"))
        cell.font = Font(bold=True)
        texts = []
        for p in found:
            vi = SEVERITY.get(p["severity"], (p["severity"],))[0]
            where = _label(p.get("column_name"))
            unit = names.get(row)
            head = " - ".join(str(x) for x in (vi, where, unit) if x)
            texts.append(f"{head}: {p['message_vi']}\nCách sửa: {p['fix_vi']}")
        comment = Comment(_ILLEGAL_XML.sub("\ufffd", "\n\n".join(texts))[:30000], "danvan")
        comment.width, comment.height = 420, 60 + 70 * len(texts)
        cell.comment = comment
    code_at = index.get("unit_code")
    heading = next(
        (n for n, cells in rows if code_at is not None and code_at < len(cells) and isinstance(cells[code_at], str)
         and canonical_column(cells[code_at]) == "unit_code"),
        None,
    )  # fmt: skip
    for c in range(1, width + 1):
        sheet.column_dimensions[get_column_letter(c)].width = 12 if c > 3 else (6 if c == 1 else 24)
    if heading:
        sheet.row_dimensions[heading].height = 90
        for cell in sheet[heading]:
            cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
            cell.font = Font(bold=True)
        sheet.print_title_rows = f"{heading}:{heading}"
    # A4 landscape at a size people read: the name columns repeat on every page across
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.scale = 85
    sheet.page_setup.cellComments = "atEnd"  # the problems, printed after the sheet
    sheet.print_title_cols = "A:C"
    sheet.print_options.gridLines = True
    sheet.sheet_properties.tabColor = "C00000"


MAX_NAME_BYTES = 120  # of a stem or folder, UTF-8: "<stem>.feedback.xlsx" and its temp name stay < 255


def _safe_name(name: str) -> str:
    """A path component that stays inside the outbox (no separators, no ``..``, no control
    characters, no bytes that are not UTF-8, at most MAX_NAME_BYTES), readable, and one-to-one:
    when anything had to change, a short hash of the name as given is appended, so ``064``,
    ``064 `` and ``064.`` stay three folders and two long names never share a cut."""
    cleaned = "".join(
        "_" if ch in '/\\:*?"<>|' or ord(ch) < 32 or ord(ch) == 127 or 0xD800 <= ord(ch) <= 0xDFFF else ch
        for ch in name
    ).strip(". ")
    cut = cleaned.encode("utf-8")[:MAX_NAME_BYTES].decode("utf-8", "ignore").rstrip(". ")
    if cut == name and cut:
        return cut
    digest = hashlib.sha256(name.encode("utf-8", "surrogateescape")).hexdigest()[:8]
    return f"{cut or '_'}~{digest}"
