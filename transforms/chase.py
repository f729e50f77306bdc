"""The chase list: who has not sent a period's report, with its deadline and the working days it is
late, and the reminders that go to them.

Who is expected and what counts as sent is decided once, in the ``reporting_status`` mart (the
reporting chain valid in the period, the deadline from the calendar, the current accepted file).
This module only reads it, on the published warehouse, and words it for people:

- ``danvan status --period 2024S1 --missing`` prints the senders with no accepted file;
- the ``chase_reports`` DAG (daily, 08:00 Asia/Ho_Chi_Minh) calls ``run``: each sender whose
  deadline has passed with nothing accepted gets **one** reminder per period in its outbox folder
  (a ledger, ``reminders.json`` in DANVAN_HOME, remembers what was written, so a sender who deletes it
  is not reminded again every morning), and each province's officer gets a fresh chase list
  (xlsx) of that province's senders in the province's outbox folder.

Only periods whose deadline passed within the last ``CHASE_WINDOW_DAYS`` days are chased: on the
first morning of a new installation, years of history do not turn into thousands of reminders.
``as_of`` is always given by the caller (the DAG's run date, the CLI's today): no clock is read here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb

from transforms import sql
from transforms.feedback import neutralise, sender_folder
from transforms.files import write_atomically, write_text_atomically
from transforms.periods import label_vi, parse_period

CHASE_WINDOW_DAYS = 90  # a period is chased for this many days after its deadline
CHASED = ("missing", "rejected_only")
# The ledger is saved every this many reminders (a national morning after a deadline is ~3,000):
# after a crash, at most these are written again the next morning, to the same paths.
LEDGER_EVERY = 200  # statuses that mean "nothing accepted yet"
STATUS_VI = {
    "on_time": "Đã nộp đúng hạn",
    "late": "Đã nộp muộn",
    "missing": "Chưa nộp",
    "rejected_only": "Đã gửi nhưng bị từ chối, chưa có báo cáo hợp lệ",
}
KIND_VI = {"province": "Tỉnh", "district": "Huyện", "commune": "Xã", "body": "Cơ quan, đơn vị"}


@dataclass(frozen=True)
class StatusRow:
    """One expected sender x period, as the ``reporting_status`` mart has it (``working_days_late``
    counted to ``as_of`` for a sender with nothing accepted)."""

    period: str
    province_code: str
    province_name: str | None
    sender_code: str
    sender_name: str | None
    sender_kind: str
    sector: str | None
    deadline_date: date
    status: str
    first_received_at: datetime | None
    accepted_at: datetime | None
    working_days_late: int | None

    @property
    def chased(self) -> bool:
        return self.status in CHASED


def status_rows(con: duckdb.DuckDBPyConnection, periods: Iterable[str], as_of: date) -> list[StatusRow]:
    """Every expected sender of these periods, with what arrived (see warehouse/queries/chase/)."""
    codes = sorted(set(periods))
    if not codes:
        return []
    cur = sql.run(con, "chase/status_rows", {"periods": codes, "as_of": as_of})
    return [StatusRow(*row) for row in cur.fetchall()]


def missing(
    con: duckdb.DuckDBPyConnection, period: str, as_of: date, province: str | None = None
) -> list[StatusRow]:
    """The senders of ``period`` (of one province if given) that have no accepted file yet."""
    return [
        r
        for r in status_rows(con, [period], as_of)
        if r.chased and (province is None or r.province_code == province)
    ]


def periods_due(
    con: duckdb.DuckDBPyConnection, as_of: date, window_days: int = CHASE_WINDOW_DAYS
) -> list[str]:
    """The periods to chase on ``as_of``: deadline passed, less than ``window_days`` days ago."""
    cur = sql.run(con, "chase/periods_due", {"as_of": as_of, "window_days": int(window_days)})
    return [code for code, *_ in cur.fetchall()]


def run(root: str | Path, as_of: date, warehouse_db: Path | None = None) -> dict:
    """The morning chase: reminders to late senders (once each) and one chase list per province.

    Returns what was written: ``{"as_of", "periods", "reminders", "chase_lists", "already_reminded"}``.
    With no published warehouse yet there is nobody to chase."""
    from transforms.config import Home
    from transforms.warehouse import connect_reader

    h = Home(Path(root))
    db = warehouse_db or h.warehouse_db
    summary = {
        "as_of": as_of.isoformat(),
        "periods": [],
        "reminders": [],
        "chase_lists": [],
        "already_reminded": 0,
    }
    if not db.exists():
        return summary
    con = connect_reader(db)
    try:
        due = periods_due(con, as_of)
        rows = status_rows(con, due, as_of)
    finally:
        con.close()
    summary["periods"] = due
    ledger_path = h.root / "reminders.json"
    ledger = _read_ledger(ledger_path)
    for row in rows:
        if not row.chased:
            continue
        key = f"{row.period}|{row.sender_code}"
        if key in ledger:
            summary["already_reminded"] += 1
            continue
        path = reminder_path(h.outbox, row)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomically(path, reminder_text(row, as_of), "utf-8-sig")
        ledger[key] = {"written_at": as_of.isoformat(), "path": str(path.relative_to(h.root))}
        summary["reminders"].append(str(path))
        if len(summary["reminders"]) % LEDGER_EVERY == 0:
            _write_ledger(ledger_path, ledger)
    _write_ledger(ledger_path, ledger)
    for (period, province), group in _by_province(rows).items():
        path = chase_list_path(h.outbox, province, period)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, lambda tmp, g=group: chase_workbook(g, as_of).save(tmp))
        summary["chase_lists"].append(str(path))
    return summary


def local_day(moment: datetime) -> date:
    """The calendar day in Hà Nội of an aware moment (a DAG run's ``run_after``): deadlines are
    Vietnamese dates, and 08:00 there is 01:00 UTC."""
    from zoneinfo import ZoneInfo

    return moment.astimezone(ZoneInfo("Asia/Ho_Chi_Minh")).date()


def reminder_path(outbox: Path, row: StatusRow) -> Path:
    return sender_folder(outbox, row.sender_code) / f"nhac-nop-bao-cao-{row.period}.txt"


def chase_list_path(outbox: Path, province_code: str, period: str) -> Path:
    return sender_folder(outbox, province_code) / f"danh-sach-chua-nop-{period}.xlsx"


def reminder_text(row: StatusRow, as_of: date) -> str:
    """The reminder a sender reads: Vietnamese first, then English."""
    p = parse_period(row.period)
    span = f" (từ {_d(p.start)} đến {_d(p.end)})" if p else ""
    days = row.working_days_late or 0
    vi = [
        "NHẮC NỘP BÁO CÁO CÔNG TÁC DÂN VẬN",
        "",
        f"Kính gửi: {row.sender_name or row.sender_code} (mã {row.sender_code})",
        "",
        f"Đến ngày {_d(as_of)}, chưa nhận được báo cáo {label_vi(row.period)}{span} của đơn vị.",
        f"Hạn nộp là ngày {_d(row.deadline_date)}; báo cáo đã chậm {days} ngày làm việc.",
    ]
    if row.status == "rejected_only":
        vi.append(
            "Các tệp đơn vị đã gửi đều bị từ chối: xem tệp phản hồi (.feedback.xlsx) trong thư mục này, "
            "sửa theo hướng dẫn và gửi lại."
        )
    vi += [f"Đề nghị đơn vị gửi báo cáo vào thư mục inbox/{row.sender_code}/ sớm nhất có thể.", ""]
    en = [
        "REMINDER: MASS-MOBILISATION REPORT NOT RECEIVED",
        "",
        f"To: {row.sender_name or row.sender_code} (code {row.sender_code})",
        f"As of {as_of.isoformat()} no accepted report for period {row.period} has been received.",
        f"The deadline was {row.deadline_date.isoformat()}; the report is {days} working day(s) late.",
    ]
    if row.status == "rejected_only":
        en.append("Every file you sent was rejected: see the .feedback.xlsx in this folder, fix and resend.")
    en.append(f"Please send it to inbox/{row.sender_code}/ as soon as possible.")
    return "\n".join([*vi, "-" * 60, *en, ""])


def chase_workbook(rows: list[StatusRow], as_of: date):
    """One province's chase list for one period: every expected sender, the ones with nothing
    accepted first, with the deadline, status and working days late; the counts on top."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    first = rows[0]
    ordered = sorted(rows, key=lambda r: (not r.chased, r.sender_code))
    wb = Workbook()
    ws = wb.active
    ws.title = "Danh sách"
    sent = sum(r.status in ("on_time", "late") for r in rows)
    on_time = sum(r.status == "on_time" for r in rows)
    ws.append([f"DANH SÁCH ĐƠN VỊ CHƯA NỘP BÁO CÁO {label_vi(first.period).upper()}"])
    ws.append([f"{first.province_name or 'Tỉnh'} (mã {first.province_code}) — cập nhật đến ngày {_d(as_of)}"])
    ws.append([f"Hạn nộp: {_d(first.deadline_date)}. Đã nộp {sent}/{len(rows)} đơn vị, {on_time} đúng hạn."])
    ws.append([])
    headings = [
        ("STT", "No."),
        ("Mã đơn vị", "Code"),
        ("Tên đơn vị", "Name"),
        ("Cấp / loại", "Kind"),
        ("Lĩnh vực", "Sector"),
        ("Hạn nộp", "Deadline"),
        ("Tình trạng", "Status"),
        ("Số ngày làm việc chậm", "Working days late"),
    ]
    ws.append([vi for vi, _ in headings])
    ws.append([en for _, en in headings])
    for cell in ws[5]:
        cell.font = Font(bold=True)
    for cell in ws[6]:
        cell.font = Font(italic=True, color="666666")
    ws["A1"].font = Font(bold=True, size=13)
    late_fill = PatternFill("solid", fgColor="FDE2E1")
    for n, r in enumerate(ordered, start=1):
        ws.append(
            [
                n,
                neutralise(r.sender_code),
                neutralise(r.sender_name or ""),
                KIND_VI.get(r.sender_kind, r.sender_kind),
                neutralise(r.sector or ""),
                _d(r.deadline_date),
                STATUS_VI.get(r.status, r.status),
                r.working_days_late if r.working_days_late is not None else "",
            ]
        )
        ws.cell(ws.max_row, 2).number_format = "@"
        if r.chased:
            for cell in ws[ws.max_row]:
                cell.fill = late_fill
    for letter, width in zip("ABCDEFGH", (6, 12, 38, 14, 16, 12, 44, 16), strict=True):
        ws.column_dimensions[letter].width = width
    for cell in ws[5]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[5].height = 30
    for (cell,) in ws.iter_rows(min_row=7, max_col=1):
        cell.alignment = Alignment(horizontal="center")
    ws.freeze_panes = "A7"
    for row in ws.iter_rows():  # one font with every Vietnamese glyph, on Windows and LibreOffice alike
        for cell in row:
            f = cell.font
            cell.font = Font(name="Arial", bold=f.bold, italic=f.italic, color=f.color, size=f.size or 11)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "5:6"
    return wb


def _by_province(rows: list[StatusRow]) -> dict[tuple[str, str], list[StatusRow]]:
    """Rows grouped by (period, province), for provinces with at least one sender to chase."""
    groups: dict[tuple[str, str], list[StatusRow]] = {}
    for r in rows:
        groups.setdefault((r.period, r.province_code), []).append(r)
    return {k: g for k, g in groups.items() if any(r.chased for r in g)}


def _write_ledger(path: Path, ledger: dict) -> None:
    write_text_atomically(path, json.dumps(ledger, indent=1, sort_keys=True))


def _read_ledger(path: Path) -> dict:
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        return {}


def _d(day: date) -> str:
    return day.strftime("%d/%m/%Y")
