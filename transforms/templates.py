"""Report templates for every expected sender of a period (issue 11): one ``.xlsx`` each, in
Vietnamese, that the pipeline reads back whatever the office does around it.

Two layouts:

- ``units`` (the default): one row per unit the sender reports for (its communes and its own
  level before the reform; its own row otherwise), codes as text and names pre-filled and
  protected, one column per figure of the catalogue (``catalogue.wide_columns``: an indicator
  broken down gets a grouped two-row heading, "Tổng số" and one column per option), whole-number
  validation on every value cell.
- ``criteria``: one form per unit, as Party statistical forms are laid out: criteria as rows, the
  columns Kỳ này / Cùng kỳ năm trước / %, the previous year's accepted figures of the same period
  pre-filled (``previous``: given by the caller, from the warehouse). The forms are stacked on one
  sheet, a page each when printed.

Both carry a hidden machine row (``#danvan period=... layout=... sender=...`` then the code of
every column), which transforms/sheets.py recognises before any heading: reading never depends
on the label text. A "Hướng dẫn" sheet says how to fill and send it. Labels come from the
catalogue (schemas/indicators.yaml), units and senders from the reporting chain of the period
(``Reference.period_chain``): a new indicator, breakdown or sender needs no code here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from transforms import sheets
from transforms.catalogue import categories, indicators, parse_key, wide_columns
from transforms.files import write_atomically
from transforms.periods import label_vi, parse_period

LAYOUTS = ("units", "criteria")
MAX_VALUE = 999_999_999_999  # the value cap (transforms/validate.py VALUE_MAX_DIGITS = 12 digits)
TITLE_ROWS = 5  # sender, title, period and dates, deadline, a blank line
FONT = "Times New Roman"  # the font of Vietnamese administrative documents (Unicode)


@dataclass(frozen=True)
class Sender:
    code: str
    name: str
    units: tuple[tuple[str, str], ...]  # (code, name) of each unit it reports for, its own last


def senders_of(
    period: str, only: list[str] | None = None, reference=None, provinces: list[str] | None = None
) -> list[Sender]:
    """The expected senders of ``period`` (or those of ``only``, expected or not; of ``provinces``
    only, when given), each with the units it reports for, as the reporting chain of the period says."""
    from transforms.reference import Reference

    ref = reference or Reference.shared()
    chain = ref.period_chain([period])
    names = ref.period_units([period]).set_index("unit_code")["unit_name"].to_dict()
    if provinces:
        chain = chain[chain["province_code"].isin(provinces)]
    if only:
        chain = chain[chain["sender_code"].isin(only)]
    else:
        chain = chain[chain["is_expected"].astype(bool)]
    out = []
    for code, rows in chain.groupby("sender_code", sort=True):
        units = [
            (u, names.get(u, rows["sender_name"].iloc[0] if u == code else u)) for u in rows["unit_code"]
        ]
        units.sort(key=lambda u: (u[0] == code, u[0]))  # its communes first, its own row last
        out.append(Sender(code, str(rows["sender_name"].iloc[0]), tuple(units)))
    return out


def file_name(sender: Sender, period: str, layout: str) -> str:
    suffix = "" if layout == "units" else "-chi-tieu"
    return f"mau-bao-cao-{period}-{sender.code}{suffix}.xlsx"


def write_templates(
    period: str,
    out_dir: Path,
    senders: list[str] | None = None,
    layout: str = "units",
    reference=None,
    previous: dict | None = None,
) -> list[Path]:
    """One template per sender into ``out_dir`` (``mau-bao-cao-<period>-<sender>.xlsx``); returns
    the paths. ``previous``: {(unit_code, column): value} of the same period a year earlier, for
    the criteria layout. Raises ValueError for a period that is not in the calendar."""
    p = parse_period(period)
    if p is None or p.is_window:
        raise ValueError(f"{period}: not a reporting period of the calendar")
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {LAYOUTS}")
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for sender in senders_of(p.code, senders, reference):
        book = workbook(sender, p, layout, previous or {})
        path = out_dir / file_name(sender, p.code, layout)
        write_atomically(path, book.save)  # a sender's outbox never holds half a template
        paths.append(path)
    return paths


def _labels() -> tuple[dict[str, str], dict[str, str]]:
    ind = {i.code: i.label_vi for i in indicators()}
    opt = {o.code: o.label_vi for c in categories() for o in c.options}
    return ind, opt


def column_label(column: str) -> str:
    """A figure column in words: "Số mô hình được công nhận" or "... - Tập thể"."""
    ind, opt = _labels()
    key = parse_key(column)
    parts = [opt.get(o, o) for _, o in key.options]
    return " - ".join([ind.get(key.indicator, key.indicator), *parts])


def workbook(sender: Sender, period, layout: str, previous: dict):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Báo cáo"
    if layout == "units":
        _units_sheet(sheet, sender, period)
    else:
        _criteria_sheet(sheet, sender, period, previous)
    _guide(book.create_sheet("Hướng dẫn"), sender, period, layout)
    book.properties.title = f"Báo cáo công tác dân vận {label_vi(period.code)} - {sender.name}"
    book.properties.creator = "danvan"
    return book


def _styles():
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side

    thin = Side(style="thin", color="808080")
    return {
        "title": Font(name=FONT, bold=True, size=14),
        "bold": Font(name=FONT, bold=True, size=11),
        "plain": Font(name=FONT, size=11),
        "head_fill": PatternFill("solid", fgColor="DDEBF7"),
        "fixed_fill": PatternFill("solid", fgColor="F2F2F2"),
        "wrap": Alignment(wrap_text=True, vertical="center", horizontal="center"),
        "left": Alignment(vertical="center", horizontal="left"),
        "border": Border(left=thin, right=thin, top=thin, bottom=thin),
        "open": Protection(locked=False),
    }


def _title_block(sheet, sender: Sender, period, width: int, layout: str) -> None:
    s = _styles()
    lines = [
        (f"Đơn vị báo cáo: {sender.name} (mã {sender.code})", s["bold"]),
        (f"BÁO CÁO KẾT QUẢ CÔNG TÁC DÂN VẬN {label_vi(period.code).upper()}", s["title"]),
        (
            f"Kỳ báo cáo: {period.code}, từ ngày {period.start:%d/%m/%Y} đến ngày {period.end:%d/%m/%Y}"
            f" (số liệu chốt ngày {period.cutoff:%d/%m/%Y})",
            s["plain"],
        ),
        (f"Hạn gửi: {period.deadline:%d/%m/%Y}, vào thư mục inbox/{sender.code}/", s["plain"]),
    ]
    for row, (text, font) in enumerate(lines, start=1):
        cell = sheet.cell(row=row, column=1, value=text)
        cell.font = font
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=max(width, 1))


def _machine_row(sheet, row: int, period, layout: str, sender: Sender, columns: list[str]) -> None:
    marker = f"{sheets.MACHINE_MARK} period={period.code} layout={layout} sender={sender.code}"
    sheet.cell(row=row, column=1, value=marker)
    for i, code in enumerate(columns, start=2):
        sheet.cell(row=row, column=i, value=sheets.machine_text(code))
    sheet.row_dimensions[row].hidden = True


def _validation(sheet, ref: str) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    dv = DataValidation(
        type="whole",
        operator="between",
        formula1="0",
        formula2=str(MAX_VALUE),
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Số liệu không hợp lệ",
        error="Nhập số nguyên không âm (0, 1, 2, ...), không có dấu chấm hay chữ. Để trống nếu chưa có số liệu.",
        promptTitle="Số liệu",
        prompt="Số nguyên không âm; để trống = chưa báo cáo, 0 = không có.",
        showInputMessage=True,
    )
    sheet.add_data_validation(dv)
    dv.add(ref)


def _protect(sheet) -> None:
    """Codes, names and headings are locked; value cells are open. Rows may be inserted (a note
    above the table, a signature block below), formats changed; no password: this guards against
    slips, not people."""
    p = sheet.protection
    p.sheet = True
    p.insertRows = False
    p.deleteRows = True
    p.formatCells = False
    p.formatColumns = False
    p.formatRows = False


def _print_setup(sheet, head_rows: str) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = head_rows


def _units_sheet(sheet, sender: Sender, period) -> None:
    from openpyxl.utils import get_column_letter

    s = _styles()
    figures = wide_columns()
    ind_labels, opt_labels = _labels()
    width = 3 + len(figures)
    _title_block(sheet, sender, period, min(width, 12), "units")
    top, sub = TITLE_ROWS + 1, TITLE_ROWS + 2
    heads = [("STT", 6), ("Mã đơn vị", 11), ("Tên đơn vị", 28)]
    for col, (text, w) in enumerate(heads, start=1):
        sheet.cell(row=top, column=col, value=text)
        sheet.merge_cells(start_row=top, start_column=col, end_row=sub, end_column=col)
        sheet.column_dimensions[get_column_letter(col)].width = w
    col = 4
    by_indicator: dict[str, list[str]] = {}
    for c in figures:
        by_indicator.setdefault(parse_key(c).indicator, []).append(c)
    for code, cols in by_indicator.items():
        sheet.cell(row=top, column=col, value=ind_labels[code])
        if len(cols) == 1:
            sheet.merge_cells(start_row=top, start_column=col, end_row=sub, end_column=col)
        else:
            sheet.merge_cells(start_row=top, start_column=col, end_row=top, end_column=col + len(cols) - 1)
            for k, c in enumerate(cols):
                options = parse_key(c).options
                sheet.cell(row=sub, column=col + k, value=opt_labels[options[0][1]] if options else "Tổng số")
        for k in range(len(cols)):
            sheet.column_dimensions[get_column_letter(col + k)].width = 14
        col += len(cols)
    for row in (top, sub):
        sheet.row_dimensions[row].height = 60 if row == top else 30
        for c in range(1, width + 1):
            cell = sheet.cell(row=row, column=c)
            cell.font, cell.fill, cell.alignment, cell.border = (
                s["bold"],
                s["head_fill"],
                s["wrap"],
                s["border"],
            )
    machine = sub + 1
    _machine_row(sheet, machine, period, "units", sender, ["unit_code", "unit_name", *figures])
    first = machine + 1
    for n, (code, name) in enumerate(sender.units):
        row = first + n
        own = " (cấp huyện)" if code == sender.code and len(sender.units) > 1 else ""
        for c, value in enumerate((n + 1, code, f"{name}{own}"), start=1):
            cell = sheet.cell(row=row, column=c, value=value)
            cell.font, cell.fill, cell.border = s["plain"], s["fixed_fill"], s["border"]
            if c == 2:
                cell.number_format = "@"  # codes are text: 02020 keeps its zero
        for c in range(4, width + 1):
            cell = sheet.cell(row=row, column=c)
            cell.protection, cell.border, cell.font = s["open"], s["border"], s["plain"]
            cell.number_format = "#,##0"
    last = first + len(sender.units) - 1
    _validation(sheet, f"D{first}:{get_column_letter(width)}{last}")
    _signature(sheet, last + 2, width)
    sheet.freeze_panes = sheet.cell(row=first, column=4)
    _protect(sheet)
    _print_setup(sheet, f"{top}:{sub}")


def _signature(sheet, row: int, width: int) -> None:
    s = _styles()
    right = max(4, min(width, 10))
    for col, lines in (
        (2, ("Người lập biểu", "(Ký, ghi rõ họ tên)")),
        (right, ("Thủ trưởng đơn vị", "(Ký tên, đóng dấu)")),
    ):
        for k, text in enumerate(lines):
            cell = sheet.cell(row=row + k, column=col, value=text)
            cell.font = s["bold"] if k == 0 else s["plain"]


def _criteria_sheet(sheet, sender: Sender, period, previous: dict) -> None:
    from openpyxl.worksheet.pagebreak import Break

    s = _styles()
    figures = wide_columns()
    _title_block(sheet, sender, period, 8, "criteria")
    # A marker, B unit code, C value key (hidden: the machine's); D STT, E Chỉ tiêu, F Kỳ này,
    # G Cùng kỳ năm trước, H %
    machine = TITLE_ROWS
    _machine_row(
        sheet,
        machine,
        period,
        "criteria",
        sender,
        ["unit_code", "indicator_code", "stt", "", "value", "previous_value", "change_percent"],
    )
    for letter, w in zip("ABCDEFGH", (4, 9, 9, 6, 60, 14, 16, 12), strict=True):
        sheet.column_dimensions[letter].width = w
    for letter in "ABC":
        sheet.column_dimensions[letter].hidden = True
    row = machine + 1
    last_year = f"{period.year - 1}{period.code[4:]}"
    first_value = None
    for k, (code, name) in enumerate(sender.units):
        if k:
            sheet.row_breaks.append(Break(id=row - 1))  # one form a page
        own = " (cấp huyện)" if code == sender.code and len(sender.units) > 1 else ""
        sheet.cell(row=row, column=2, value="#")  # a template's own row: never a figure
        sheet.cell(row=row, column=5, value=f"Đơn vị: {name}{own} - mã {code}").font = s["bold"]
        row += 1
        sheet.cell(row=row, column=2, value="#")
        heads = ("STT", "Chỉ tiêu", "Kỳ này", f"Cùng kỳ năm trước ({last_year})", "% so với cùng kỳ")
        for c, text in enumerate(heads, start=4):
            cell = sheet.cell(row=row, column=c, value=text)
            cell.font, cell.fill, cell.alignment, cell.border = (
                s["bold"],
                s["head_fill"],
                s["wrap"],
                s["border"],
            )
        row += 1
        for n, column in enumerate(figures, start=1):
            key = parse_key(column)
            label = column_label(column)
            sheet.cell(row=row, column=2, value=code).number_format = "@"
            sheet.cell(row=row, column=3, value=sheets.machine_text(column))
            cells = [
                (4, n),
                (5, ("    - " + label.split(" - ", 1)[1]) if key.options else label),
                (7, previous.get((code, column))),
                (8, f'=IF(AND(ISNUMBER(F{row}),N(G{row})>0),F{row}/G{row},"")'),
            ]
            for c, value in cells:
                cell = sheet.cell(row=row, column=c, value=value)
                cell.font, cell.border = s["plain"], s["border"]
            sheet.cell(row=row, column=8).number_format = "0%"
            value = sheet.cell(row=row, column=6)
            value.protection, value.border, value.number_format = s["open"], s["border"], "#,##0"
            first_value = first_value or row
            row += 1
        row += 1
    if first_value:
        _validation(sheet, f"F{first_value}:F{row}")
    _signature(sheet, row + 1, 7)
    _protect(sheet)
    _print_setup(sheet, f"1:{TITLE_ROWS - 1}")


def _guide(sheet, sender: Sender, period, layout: str) -> None:
    s = _styles()
    lines = [
        ("HƯỚNG DẪN ĐIỀN VÀ GỬI BÁO CÁO", s["title"]),
        (
            f"Đơn vị: {sender.name} (mã {sender.code}). Kỳ báo cáo: {label_vi(period.code)} ({period.code}).",
            s["bold"],
        ),
        (
            f"Số liệu tính từ ngày {period.start:%d/%m/%Y} đến ngày {period.cutoff:%d/%m/%Y}; hạn gửi {period.deadline:%d/%m/%Y}.",
            s["plain"],
        ),
        ("", s["plain"]),
        (
            "1. Chỉ nhập số vào các ô trắng. Mã đơn vị, tên đơn vị và tên cột đã điền sẵn, không sửa.",
            s["plain"],
        ),
        (
            "2. Số liệu là số nguyên không âm: 0 = không có; để trống = chưa có số liệu. Không gõ dấu chấm, chữ hay ghi chú vào ô số.",
            s["plain"],
        ),
        (
            '3. Có thể thêm dòng ghi chú phía trên bảng, dòng "Tổng cộng" và phần ký tên phía dưới bảng: hệ thống tự nhận biết.',
            s["plain"],
        ),
        ("4. Không xóa hay sửa dòng ẩn ngay dưới tiêu đề cột: đó là mã để máy đọc.", s["plain"]),
        (
            f"5. Lưu tệp (Excel .xlsx hoặc .xls, LibreOffice .ods đều được) và tải vào thư mục inbox/{sender.code}/.",
            s["plain"],
        ),
        (
            "6. Kết quả kiểm tra và cách sửa (nếu có) được gửi lại vào thư mục outbox/"
            + sender.code
            + "/, trên chính bảng của đơn vị.",
            s["plain"],
        ),
        ("", s["plain"]),
        ("Các chỉ tiêu / Indicators", s["bold"]),
    ]
    if layout == "criteria":
        lines.insert(
            7,
            (
                '   Mỗi đơn vị một biểu; cột "Cùng kỳ năm trước" là số liệu đã được công nhận của cùng kỳ năm trước.',
                s["plain"],
            ),
        )
    for row, (text, font) in enumerate(lines, start=1):
        sheet.cell(row=row, column=1, value=text).font = font
    row = len(lines) + 1
    for c, text in enumerate(("Mã", "Chỉ tiêu", "Indicator"), start=1):
        sheet.cell(row=row, column=c, value=text).font = s["bold"]
    by_code = {i.code: i for i in indicators()}
    for column in wide_columns():
        row += 1
        key = parse_key(column)
        sheet.cell(row=row, column=1, value=column)
        sheet.cell(row=row, column=2, value=column_label(column))
        sheet.cell(row=row, column=3, value=by_code[key.indicator].label_en)
    sheet.column_dimensions["A"].width = 36
    sheet.column_dimensions["B"].width = 80
    sheet.column_dimensions["C"].width = 50


# ---- publishing: every expected sender's templates in its outbox when a period opens --------------
# the periods published when they open: the half-years (a year report's template: `danvan templates`)
TEMPLATE_KINDS = ("half_year",)


def open_periods(as_of) -> list[str]:
    """The reporting periods open on ``as_of`` (a date in Hà Nội): started and not past their
    deadline, of the kinds senders report (``TEMPLATE_KINDS``)."""
    from transforms.periods import calendar

    return [p.code for p in calendar() if p.kind in TEMPLATE_KINDS and p.start <= as_of <= p.deadline]


def previous_figures(warehouse_db: Path, period: str) -> dict:
    """{(unit_code, column): value} of the same period a year earlier, from the published
    warehouse (empty when there is none yet)."""
    import duckdb

    from transforms import sql
    from transforms.catalogue import column_of
    from transforms.warehouse import connect_reader

    p = parse_period(period)
    before = f"{p.year - 1}{p.code[4:]}"
    if not warehouse_db.exists():
        return {}
    con = connect_reader(warehouse_db)
    try:
        rows = sql.run(con, "templates/previous_figures", {"period": before}).fetchall()
    except duckdb.Error:
        return {}
    finally:
        con.close()
    return {(unit, column_of(ind, breakdown)): int(value) for unit, ind, breakdown, value in rows}


def publish(root: str, as_of, provinces: list[str] | None = None) -> dict:
    """Write every expected sender's templates (both layouts) of each period open on ``as_of``
    into ``outbox/<sender>/``, once: a template already there is kept (a sender may be filling
    it). ``provinces``: only their senders (a deployment for some provinces; default: the country,
    ~770 senders before the reform, ~3,500 after). Returns {period: number written}."""
    from transforms.config import Home
    from transforms.feedback import sender_folder

    h = Home(Path(root))
    written = {}
    for period in open_periods(as_of):
        p = parse_period(period)
        previous = None
        count = 0
        for sender in senders_of(period, provinces=provinces):
            folder = sender_folder(h.outbox, sender.code)
            for layout in LAYOUTS:
                path = folder / file_name(sender, period, layout)
                if path.exists():
                    continue
                if layout == "criteria" and previous is None:
                    previous = previous_figures(h.warehouse_db, period)
                folder.mkdir(parents=True, exist_ok=True)
                write_atomically(path, workbook(sender, p, layout, previous or {}).save)
                count += 1
        written[period] = count
    return written


# ---- the demo: offices' files -------------------------------------------------------------------
def fill(book, value_rows: list[tuple]) -> int:
    """Type ``(row, period, unit, column, value text)`` rows (as the readers give them) into a
    template's value cells, as an office would; returns the number of cells filled."""
    sheet = book["Báo cáo"]
    rows = list(sheet.iter_rows())
    at = next(k for k, r in enumerate(rows) if str(r[0].value or "").startswith(sheets.MACHINE_MARK))
    columns = {sheets.unescape(str(c.value)): c.column for c in rows[at] if c.value}
    unit_rows = {}
    for r in rows[at + 1 :]:
        code = r[columns["unit_code"] - 1].value
        if not code:
            break
        unit_rows[code] = r[0].row
    filled = 0
    for _, _, unit, column, text in value_rows:
        if unit in unit_rows and column in columns and text is not None:
            sheet.cell(row=unit_rows[unit], column=columns[column], value=int(text))
            filled += 1
    return filled


def demo_office_files(inbox: Path, examples: Path) -> list[str]:
    """What `danvan demo` adds to the generated files: Pác Nặm (060) sends its 2024S1 figures on
    the filled Vietnamese template, with one warning (its first commune resolved one petition more
    than it received); Chợ Đồn (064) sends 2024S1 as an old .xls (the example in schemas/examples,
    saved by LibreOffice). Returns what was replaced, as "old -> new" lines."""
    from transforms.readers import read_submission

    done = []
    generated = inbox / "060" / "BC-dan-van-kheo-6-thang-dau-2024.xlsx"
    read = read_submission(generated)
    [sender] = senders_of("2024S1", ["060"])
    book = workbook(sender, parse_period("2024S1"), "units", {})
    first = read.unit_rows[0][1]
    received = next(int(t) for _, _, u, c, t in read.value_rows if (u, c) == (first, "petitions_received"))
    values = [
        (n, p, u, c, str(received + 1) if (u, c) == (first, "petitions_resolved") else t)
        for n, p, u, c, t in read.value_rows
    ]
    fill(book, values)
    target = inbox / "060" / "Bao cao dan van 6 thang dau nam 2024 - Pac Nam.xlsx"
    book.save(target)
    generated.unlink()
    done.append(f"{generated.name} -> {target.name}")
    old = inbox / "064" / "bao-cao-dan-van-2024S1.xlsx"
    xls = examples / "mau-bao-cao-2024S1-064-da-dien.xls"
    (inbox / "064" / "bao-cao-cho-don-6-thang-2024.xls").write_bytes(xls.read_bytes())
    old.unlink()
    done.append(f"{old.name} -> bao-cao-cho-don-6-thang-2024.xls")
    return done
