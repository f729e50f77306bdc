"""Reading a submitted file into rows, whatever its format and shape.

Everything is read as text: codes keep their leading zeros (``02020`` is never ``2020``) and
values are judged later, by the suites, against what the sender actually typed. ``row_number`` is
the row a person sees in the file (CSV line with the header on line 1, XLSX sheet row; JSON/Parquet
record number), so that feedback points at the right place.

Files are small (a district sends ~15 rows) and come by the hundred, so a file is read into plain
Python rows: per-file pandas calls cost ~30 ms each and dominated a national half-year. The
validator builds one frame per batch from these rows.

No file can take the batch down: every file is bounded (the caps below) before it is parsed, and
whatever a reader raises becomes an issue code (``read_submission``), never a traceback.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import math
import re
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from transforms import sheets
from transforms.catalogue import category_codes, indicator_codes, is_value_column, parse_key

# .xls (Excel 97-2003, still common in offices), .ods (LibreOffice) and .xlsb are read by
# python-calamine; .xlsx by the sparse, capped parser below (see _read_xlsx)
SPREADSHEETS = (".xlsx", ".xls", ".xlsb", ".ods")
FORMATS = (".csv", ".json", ".parquet", *SPREADSHEETS)
WIDE_REQUIRED = ("period", "unit_code")
LONG_REQUIRED = ("period", "unit_code", "indicator_code", "value")
OPTIONAL = ("unit_name",)
TOTAL_LABELS = {"total", "tổng cộng", "tong cong"}
HEADER_SEARCH_ROWS = 20  # xlsx: title rows above the header are common in Vietnamese templates
VALUE_COLUMNS = ("row_number", "period", "unit_code", "indicator_code", "value_text")
UNIT_COLUMNS = ("row_number", "unit_code")

# ---- Caps. Every file is bounded in bytes, rows and columns (and an xlsx in what its zip holds)
# BEFORE it is parsed, so that no single file costs more than ~1 GB or ~30 s. A real report is far
# below each: a district sends ~15 unit rows x 19 indicators; the largest plausible file is a
# national long file, and the submissions suite caps unit rows at 5,000 anyway (5,000 units x 19
# indicators ~ 95,000 long rows). A file over a cap is rejected with ``file_too_large``, whose
# value names the cap. The same values are in the ``checks`` text of file_too_large in
# expectations/rules.yaml (tests/unit/test_hostile_read.py keeps the two in step).
MAX_FILE_BYTES = 20_000_000  # 100k long rows of JSON records (~90 bytes each) is ~9 MB: 2x that
MAX_ROWS = 100_000  # data rows (lines, records): 5,000 units (the suite's cap) x 19 indicators = 95,000
MAX_COLUMNS = 500  # 19 indicators + ids + notes; a 16k-column sheet row is a bomb, not a report
MAX_ZIP_MEMBERS = 1_000  # an xlsx from Excel or LibreOffice holds ~10-30 parts
MAX_ZIP_MEMBER_BYTES = 50_000_000  # one part, uncompressed: 95k long rows of sheet XML is ~15 MB
MAX_ZIP_TOTAL_BYTES = 100_000_000  # all parts together, uncompressed
# any other part (styles, workbook, theme: ~10-100 KB from Excel) is parsed whole into objects
MAX_ZIP_OTHER_PART_BYTES = 5_000_000
MAX_ZIP_RATIO = 200  # uncompressed / compressed for a part over 1 MB; sheet XML compresses ~5-20x
ZIP_RATIO_FLOOR = 1_000_000  # smaller parts (styles, an empty sheet) may compress better: not judged
# xlsx is what people fill in (wide: at most 5,000 unit rows); machines send long files as CSV,
# JSON or Parquet. Parsing sheet XML costs ~10-25 us an element in Python, so xlsx has its own caps:
MAX_XLSX_ROWS = 20_000  # data rows: 4x the unit-row cap of the submissions suite
MAX_XLSX_ELEMENTS = 600_000  # <row> and <c> parsed, empty or not: 5,000 wide rows are ~115,000
MAX_SHEET_DIMENSION = (MAX_XLSX_ROWS + HEADER_SEARCH_ROWS, MAX_COLUMNS)  # the declared <dimension>
MAX_NUMBER_CHARS = 30  # an xlsx number longer than this stays text (int() of 4,300+ digits raises)
MAX_PARQUET_BYTES = 20_000_000  # all row groups, uncompressed, as the footer declares them
# cells (rows x cells read): the memory bound whatever the shape (~100 bytes a cell as Python
# rows). The largest real file: 95,000 long rows x 4 cells, or 5,000 wide rows x 25: 10x that.
MAX_CELLS = 4_000_000

_LINE_END = re.compile(r"\r\n|\r|\n")


class UnreadableFile(Exception):
    """A file we cannot turn into rows. ``code`` is the stable issue code; ``value`` (optional)
    is what the sender sees in the value column (the cap a file broke)."""

    def __init__(self, code: str, detail: str = "", value: str | None = None):
        super().__init__(detail or code)
        self.code = code
        self.detail = detail
        self.value = value


def _too_large(what: str, actual, limit: int) -> UnreadableFile:
    return UnreadableFile("file_too_large", f"{what}: {actual:,} > {limit:,}", value=f"{what} > {limit:,}")


def note(
    code: str, row_number: int | None = None, column: str | None = None, value: str | None = None
) -> tuple:
    """A problem found while reading that does not stop the file being read (a ragged row, a
    repeated column, a formula without its result); validate turns it into an issue."""
    return (code, row_number, column, value)


class Uncached:
    """An xlsx formula cell saved without its result: ``data_only`` reads None, a figure lost."""

    def __init__(self, formula: str):
        self.formula = formula


@dataclass
class ReadResult:
    """A file as long rows ``(row_number, period, unit_code, indicator_code, value_text)`` and its
    unit rows ``(row_number, unit_code)`` (for long files, the first row of each unit); ``notes``
    are ``note(...)`` tuples found while reading."""

    shape: str  # wide | long | unknown
    value_rows: list[tuple] = field(default_factory=list)
    unit_rows: list[tuple] = field(default_factory=list)
    missing_columns: list[str] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)
    missing_indicators: list[str] = field(default_factory=list)
    periods: list[str] = field(default_factory=list)
    notes: list[tuple] = field(default_factory=list)

    @property
    def values(self) -> pd.DataFrame:
        return pd.DataFrame(self.value_rows, columns=list(VALUE_COLUMNS))

    @property
    def units(self) -> pd.DataFrame:
        return pd.DataFrame(self.unit_rows, columns=list(UNIT_COLUMNS))


def read_submission(path: Path) -> ReadResult:
    """Read ``path``; raise UnreadableFile with a stable code when it cannot be read.

    Whatever a reader raises becomes an UnreadableFile: an error the readers do not know is
    ``file_unprocessable``, with the error's class in the detail (never a traceback)."""
    try:
        return _read(path)
    except UnreadableFile:
        raise
    except RecursionError as exc:
        raise UnreadableFile("file_corrupt", "nested too deep") from exc
    except Exception as exc:  # noqa: BLE001 - see the docstring
        raise UnreadableFile("file_unprocessable", type(exc).__name__) from exc


def _read(path: Path) -> ReadResult:
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise UnreadableFile("file_format_unsupported", suffix or "(no extension)")
    size = path.stat().st_size
    if size == 0:
        raise UnreadableFile("file_empty")
    if size > MAX_FILE_BYTES:
        raise _too_large("bytes", size, MAX_FILE_BYTES)
    reader = {".csv": _read_csv, ".xlsx": _read_xlsx, ".json": _read_json, ".parquet": _read_parquet}.get(
        suffix, _read_calamine
    )
    header, rows, notes = reader(path)
    if len(header) > MAX_COLUMNS:
        raise _too_large("columns", len(header), MAX_COLUMNS)
    return shape_rows(header, rows, notes)


def shape_rows(header: list, rows: list[tuple[int, list]], notes: list[tuple] = ()) -> ReadResult:
    """Recognise the shape from the header and turn ``(row_number, cells)`` into long rows."""
    # headings in Vietnamese or as codes (sheets.canonical_column); STT is not a column of figures
    names = [sheets.canonical_column(c) for c in header]
    if not any(names):
        raise UnreadableFile("file_no_header")
    names = ["" if n in sheets.IGNORED_COLUMNS else n for n in names]
    notes = list(notes)
    index = _columns(names, rows, notes)
    codes = indicator_codes()
    categories = category_codes()
    # figures: an indicator (its total), ``indicator:option`` (a breakdown) or a legacy column name
    value_columns = [name for name in index if name not in LONG_REQUIRED and is_value_column(name)]
    wanted = set(LONG_REQUIRED) | set(OPTIONAL) | set(categories) | set(value_columns)
    kept = {name: i for name, i in index.items() if name in wanted}
    others = [i for name, i in index.items() if name not in wanted]
    records = []
    ids = set(LONG_REQUIRED[:3]) | set(OPTIONAL)
    for number, cells in rows:
        texts = {}
        for name, i in kept.items():
            cell = cells[i] if i < len(cells) else None
            if isinstance(cell, Uncached):
                notes.append(note("value_formula_uncached", number, name, cell.formula))
                cell = None
            text = _cell_text(cell)
            if text is not None and name not in ids:
                grouped = sheets.dotted_count(text)
                if grouped is not None:  # 4.819 is four thousand, as Vietnamese writes it
                    notes.append(note("value_thousands_grouped", number, name, text))
                    text = grouped
            texts[name] = text
        # blank lines are not rows; a row with only a note in an unknown column still is one
        if any(v is not None for v in texts.values()) or any(
            i < len(cells) and _cell_text(cells[i]) is not None for i in others
        ):
            records.append((number, texts))
    cols = set(index)
    periods = sorted({_period(t.get("period")) for _, t in records} - {None})
    if set(LONG_REQUIRED) <= cols:
        known = set(LONG_REQUIRED) | set(OPTIONAL) | set(categories)
        given = [c for c in categories if c in cols]  # one optional column per category
        values = [
            (
                n,
                _period(t["period"]),
                normalise_unit_code(t["unit_code"]),
                _long_key(t["indicator_code"], {c: t[c] for c in given}),
                t["value"],
            )
            for n, t in records
        ]
        first_rows: dict = {}
        for n, _, unit, _, _ in values:
            first_rows.setdefault(unit, n)
        return ReadResult(
            "long",
            values,
            [(n, u) for u, n in first_rows.items()],
            unknown_columns=[c for c in index if c not in known],
            periods=periods,
            notes=notes,
        )
    present = [c for c in codes if c in cols]
    parts = [c for c in value_columns if c not in codes]  # breakdowns: an empty cell is no figure
    # a wide file without its period column is still read (columns_missing says so): its rows are
    # checked in the same round trip
    if "unit_code" in cols and (present or parts):
        known = set(WIDE_REQUIRED) | set(OPTIONAL) | set(value_columns)
        broken_down = {parse_key(c).indicator for c in parts}
        values, units = [], []
        for n, t in records:
            period, unit = _period(t.get("period")), normalise_unit_code(t["unit_code"])
            units.append((n, unit))
            values.extend((n, period, unit, c, t[c]) for c in present)
            values.extend((n, period, unit, c, t[c]) for c in parts if t[c] is not None)
        return ReadResult(
            "wide",
            values,
            units,
            unknown_columns=[c for c in index if c not in known],
            missing_columns=[c for c in WIDE_REQUIRED if c not in cols],
            missing_indicators=[c for c in codes if c not in cols and c not in broken_down],
            periods=periods,
            notes=notes,
        )
    missing = [c for c in WIDE_REQUIRED if c not in cols] or ["<indicator columns>"]
    # no header recognised: rows cannot be ragged against it (columns_missing says it all)
    notes = [n for n in notes if n[0] != "row_ragged"]
    return ReadResult("unknown", missing_columns=missing, periods=periods, notes=notes)


def _columns(names: list[str], rows: list[tuple[int, list]], notes: list) -> dict[str, int]:
    """Column name -> cell index. A repeated header is never dropped silently: the copy that holds
    values is used; if both hold values, ``column_duplicate`` (which is right cannot be told),
    else ``column_repeated`` (the empty copy is ignored)."""
    positions: dict[str, list[int]] = {}
    for i, name in enumerate(names):
        if name:  # an empty header cell is not a column
            positions.setdefault(name, []).append(i)
    index = {}
    for name, at in positions.items():
        if len(at) == 1:
            index[name] = at[0]
            continue
        filled = [i for i in at if any(i < len(c) and _cell_text(c[i]) is not None for _, c in rows)]
        index[name] = filled[0] if filled else at[0]
        if len(filled) > 1:
            notes.append(note("column_duplicate", None, name, f"{len(at)} x {name}"))
        else:
            notes.append(note("column_repeated", None, name, f"{len(at)} x {name}"))
    return index


def normalise_unit_code(value) -> str | None:
    """Codes stay text. ``TOTAL``/``Tổng cộng`` (any case) become ``TOTAL``: a declared total."""
    if not isinstance(value, str) or not value.strip():
        return None
    v = sheets.clean_text(value.strip())
    return "TOTAL" if v.lower() in TOTAL_LABELS or sheets.fold(v) in sheets.TOTAL_NAMES else v


def _period(value: str | None) -> str | None:
    """A code as typed (upper case), or the code a Vietnamese phrase names ("6 tháng đầu năm 2024")."""
    if not value:
        return None
    code = value.upper()
    if code.isascii() and not code.isalpha() and " " not in code:
        return code
    return sheets.period_from_text(value) or code


def _indicator(value: str | None) -> str | None:
    if value and "_x" in value:  # a template's key, escaped as OOXML says (sheets.machine_text)
        value = sheets.unescape(value)
    return value.lower() if value else None


def _sniff(first_line: str) -> str:
    try:
        return csv.Sniffer().sniff(first_line, delimiters=",;\t").delimiter
    except csv.Error:
        return csv.excel.delimiter  # one column, or nothing to tell: the ordinary comma


_SNIFF_CACHE_LINE = 4096  # only header lines this short are cached (a hostile 20 MB line is not kept)


@lru_cache(maxsize=256)
def _delimiter(first_line: str) -> str:
    """The delimiter of a header line, cached: a national batch has thousands of files with the
    same header (sniffing was ~1 ms a file, a third of reading a small CSV)."""
    return _sniff(first_line)


def _long_key(indicator: str | None, options: dict[str, str | None]) -> str | None:
    """A long row's value key: its indicator, and ``:category=option`` for each category column
    filled in (``models_recognized:field=kinh_te``); validate judges the options."""
    indicator = _indicator(indicator)
    given = [f"{c}={v.lower()}" for c, v in options.items() if v is not None]
    return ":".join([indicator, *given]) if indicator and given else indicator


def _norm_header(c) -> str:
    return str(c).strip().lstrip("\ufeff").strip().lower() if c is not None else ""


def _cell_text(v) -> str | None:
    """One cell as the sender typed it; numbers that are whole (Excel's 12.0) print as ``12``."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    if isinstance(v, Uncached):
        return None
    s = sheets.clean_text(str(v).strip())
    return s or None


def _ragged(header: list, rows: list[tuple[int, list]], *, short_too: bool) -> list[tuple]:
    """Rows with more non-empty cells than the header has columns (and, in CSV, fewer cells)."""
    width = max((i + 1 for i, c in enumerate(header) if _norm_header(c)), default=0)
    out = []
    for number, cells in rows:
        if not any(_cell_text(c) is not None for c in cells):
            continue
        extra = any(_cell_text(c) is not None for c in cells[width:])
        if extra or (short_too and len(cells) < width):
            out.append(note("row_ragged", number, None, f"{len(cells)} / {width}"))
    return out


def _decode(data: bytes) -> str:
    """UTF-8 (BOM or not), or UTF-16 with its BOM. UTF-16 without a BOM decodes as UTF-8 full of
    NUL characters: that is an encoding problem, not a file with strange column names."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise UnreadableFile("file_encoding", f"UTF-16, byte {exc.start}") from exc
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise UnreadableFile("file_encoding", f"byte {exc.start}") from exc
    if "\x00" in text:
        raise UnreadableFile("file_encoding", f"NUL at character {text.index(chr(0))}: UTF-16 without BOM?")
    return text


def _read_csv(path: Path) -> tuple[list, list[tuple[int, list]], list]:
    text = _decode(path.read_bytes())
    if not text.strip():
        raise UnreadableFile("file_empty")
    first_line = _LINE_END.split(text, 1)[0]
    delimiter = _delimiter(first_line) if len(first_line) <= _SNIFF_CACHE_LINE else _sniff(first_line)
    # newline="": lines end at \n, \r\n or a lone \r (Excel for Mac), quoted line breaks kept
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows, line, seen = [], 0, 0
    try:
        for cells in reader:
            if len(rows) > MAX_ROWS:  # the header and MAX_ROWS data rows are allowed
                raise _too_large("rows", len(rows), MAX_ROWS)
            if len(cells) > MAX_COLUMNS:
                raise _too_large("columns", len(cells), MAX_COLUMNS)
            seen += len(cells)
            if seen > MAX_CELLS:
                raise _too_large("cells", seen, MAX_CELLS)
            rows.append((line + 1, cells))  # the line where the record starts, as an editor shows it
            line = reader.line_num
    except csv.Error as exc:
        raise UnreadableFile("file_corrupt", f"line {reader.line_num}: {exc}") from exc
    header, data = rows[0][1], rows[1:]
    return header, data, _ragged(header, data, short_too=True)


def _check_zip(path: Path) -> None:
    """Judge an xlsx by its zip directory before anything is decompressed."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnreadableFile("file_corrupt", type(exc).__name__) from exc
    if len(infos) > MAX_ZIP_MEMBERS:
        raise _too_large("zip parts", len(infos), MAX_ZIP_MEMBERS)
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise UnreadableFile("file_corrupt", f"encrypted part {info.filename[:60]}")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise UnreadableFile(
                "file_corrupt", f"compression method {info.compress_type} of {info.filename[:60]}"
            )
        if info.file_size > MAX_ZIP_MEMBER_BYTES:
            raise _too_large("bytes in one zip part", info.file_size, MAX_ZIP_MEMBER_BYTES)
        bulky = info.filename.startswith("xl/worksheets/") or info.filename == "xl/sharedStrings.xml"
        if not bulky and info.file_size > MAX_ZIP_OTHER_PART_BYTES:
            raise _too_large(f"bytes in {info.filename[:60]}", info.file_size, MAX_ZIP_OTHER_PART_BYTES)
        if info.file_size > ZIP_RATIO_FLOOR and info.file_size > MAX_ZIP_RATIO * max(info.compress_size, 1):
            raise _too_large(
                "zip compression ratio", info.file_size // max(info.compress_size, 1), MAX_ZIP_RATIO
            )
        total += info.file_size
    if total > MAX_ZIP_TOTAL_BYTES:
        raise _too_large("bytes unzipped", total, MAX_ZIP_TOTAL_BYTES)


def _sheet_rows(src, shared_strings, date_styles: set, epoch):
    """``(row number, [(column, value), ...])`` for each ``<row>`` of a sheet's XML, streamed and
    sparse (cells as they are, never padded to a declared size), with ``data_only`` semantics:
    a formula's saved result, or ``Uncached`` when it has none. A number longer than
    ``MAX_NUMBER_CHARS`` stays text. A declared ``<dimension>`` over ``MAX_SHEET_DIMENSION`` and
    more than ``MAX_XLSX_ELEMENTS`` rows and cells (empty ones too: they cost the same to parse)
    stop the file. ~3x faster than openpyxl's cell parser on inline strings."""
    from xml.etree.ElementTree import iterparse

    from openpyxl.utils.cell import column_index_from_string, range_boundaries
    from openpyxl.utils.datetime import from_excel

    number, elements = 0, 0
    for _, el in iterparse(src, events=("end",)):
        tag = el.tag.rpartition("}")[2]
        if tag == "dimension":
            _, _, max_col, max_row = range_boundaries(el.get("ref", "A1"))
            if (max_row or 0) > MAX_SHEET_DIMENSION[0] or (max_col or 0) > MAX_SHEET_DIMENSION[1]:
                raise _too_large("sheet dimension", max(max_row or 0, max_col or 0), max(MAX_SHEET_DIMENSION))
            continue
        if tag != "row":
            continue
        elements += 1 + len(el)
        if elements > MAX_XLSX_ELEMENTS:
            raise _too_large("rows and cells in the sheet", elements, MAX_XLSX_ELEMENTS)
        r = el.get("r")
        number = int(r) if r and r.isdigit() else number + 1
        col, cells = 0, []
        for c in el:
            ref = c.get("r")
            col = column_index_from_string(ref.rstrip("0123456789")) if ref else col + 1
            typed, formula, rich = None, None, None
            for child in c:
                name = child.tag.rpartition("}")[2]
                if name == "v":
                    typed = child.text
                elif name == "f":
                    formula = child.text or ""
                elif name == "is":
                    rich = "".join(t.text or "" for t in child.iter() if t.tag.rpartition("}")[2] == "t")
            kind = c.get("t", "n")
            if kind == "inlineStr":
                value = rich
            elif not typed:
                value = Uncached("=" + formula) if formula is not None else None
            elif kind == "s":
                value = shared_strings[int(typed)]
            elif kind == "b":
                value = typed.strip() not in ("0", "false")
            elif kind != "n" or len(typed) > MAX_NUMBER_CHARS:
                value = typed  # str, e (#REF!), d (ISO date): as written
            else:
                try:
                    value = int(typed) if typed.lstrip("-").isdigit() else float(typed)
                    if c.get("s") and int(c.get("s")) in date_styles:
                        value = from_excel(value, epoch)
                except (ValueError, OverflowError):
                    value = typed
            if value is not None:
                cells.append((col, value))
        el.clear()  # an empty <row> stays in the tree: bounded by MAX_XLSX_ELEMENTS
        yield number, cells


def _read_xlsx(path: Path) -> tuple[list, list[tuple[int, list]], list]:
    return _xlsx_table(_xlsx_rows(path))


_FORMULA = re.compile(rb"<(?:\w+:)?f[ >/]")
_LONG_NUMBER = re.compile(rb"<(?:\w+:)?v>[^<]{%d,}<" % (MAX_NUMBER_CHARS + 1))
_ODD_TYPES = re.compile(rb'\bt="(?:e|d)"')
_ROW = re.compile(rb"<row[ >/]")  # not <rowBreaks>
_EMPTY_ROW = re.compile(rb"<row\b[^>]*/>")
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension ref="(?:[A-Z]+[0-9]+:)?([A-Z]+)([0-9]+)"')


def _plain_xlsx(path: Path) -> bool:
    """Whether python-calamine may read this xlsx (~6x faster than the parser below on a filled
    template: 5 vs 34 ms): every worksheet declares a <dimension> within the caps, holds no
    formula (whose missing result only the parser below can tell), no number longer than
    MAX_NUMBER_CHARS, no error or ISO-date cell, and no more rows and cells than
    MAX_XLSX_ELEMENTS, and its <row> tags balance. Anything else takes the hardened parser, whose caps decide. The zip is
    judged first (_check_zip), so decompressing the sheets here is bounded."""
    from openpyxl.utils.cell import column_index_from_string

    with zipfile.ZipFile(path) as zf:
        sheets_xml = [n for n in zf.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")]
        if not sheets_xml:
            return False
        for name in sheets_xml:
            xml = zf.read(name)
            found = _DIMENSION.search(xml, 0, 4096)
            if found is None:
                return False
            max_col, max_row = column_index_from_string(found[1].decode()), int(found[2])
            if max_row > MAX_SHEET_DIMENSION[0] or max_col > MAX_SHEET_DIMENSION[1]:
                return False
            rows = len(_ROW.findall(xml))
            if rows + xml.count(b"<c ") > MAX_XLSX_ELEMENTS:
                return False
            if _FORMULA.search(xml) or _LONG_NUMBER.search(xml) or _ODD_TYPES.search(xml):
                return False
            # rows must be balanced (calamine reads past a broken one; the parser rejects it)
            if rows != xml.count(b"</row>") + len(_EMPTY_ROW.findall(xml)):
                return False
    return True


def _xlsx_rows(path: Path) -> list[tuple[int, list]]:
    """The first worksheet's rows: through python-calamine when the sheet is plain (``_plain_xlsx``),
    else through the sparse parser below."""
    _check_zip(path)
    try:
        plain = _plain_xlsx(path)
    except (zipfile.BadZipFile, OSError, ValueError, KeyError):
        plain = False
    if plain:
        try:
            return _calamine_rows(path)
        except UnreadableFile as exc:
            if exc.code == "file_too_large":
                raise
        # anything calamine refuses is judged by the parser below
    return _parsed_xlsx_rows(path)


def _parsed_xlsx_rows(path: Path) -> list[tuple[int, list]]:
    """The first worksheet's rows. openpyxl reads the package (shared strings, styles for dates), not the
    sheets: its read-only sheets scan the whole XML for a <dimension> when there is none."""
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet

    _check_zip(path)
    try:
        reader = ExcelReader(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise UnreadableFile("file_corrupt", type(exc).__name__) from exc
    try:
        try:
            reader.read_manifest()
            reader.read_strings()
            reader.read_workbook()
            apply_stylesheet(reader.archive, reader.wb)
        except (KeyError, ValueError) as exc:
            raise UnreadableFile("file_corrupt", type(exc).__name__) from exc
        sheets = [
            rel.target
            for _, rel in reader.parser.find_sheets()
            if rel.target in reader.valid_files and "chartsheet" not in rel.Type
        ]
        if not sheets:
            raise UnreadableFile("file_empty")
        with reader.archive.open(sheets[0]) as source:
            parsed = _sheet_rows(source, reader.shared_strings, reader.wb._date_formats, reader.wb.epoch)
            rows = _capped_rows(parsed)
    finally:
        reader.archive.close()
    return rows


def _capped_rows(parsed) -> list[tuple[int, list]]:
    rows, seen = [], 0
    for number, filled in parsed:
        if not filled:
            continue
        if len(rows) > MAX_XLSX_ROWS + HEADER_SEARCH_ROWS:
            raise _too_large("rows", len(rows), MAX_XLSX_ROWS)
        width = max(col for col, _ in filled)
        if width > MAX_COLUMNS:
            raise _too_large("columns", width, MAX_COLUMNS)
        seen += width
        if seen > MAX_CELLS:
            raise _too_large("cells", seen, MAX_CELLS)
        row = [None] * width
        for col, value in filled:
            row[col - 1] = value
        rows.append((number, row))
    return rows


def _xlsx_table(rows: list[tuple[int, list]]) -> tuple[list, list[tuple[int, list]], list]:
    """The table of a sheet as offices fill it (transforms/sheets.py: Vietnamese headings, title
    rows, STT, the signature block, the period in the title). A period found only in the title (or
    a template's machine row) becomes the ``period`` column of every row."""
    if not rows:
        raise UnreadableFile("file_empty")
    legacy = sheets.legacy_encoding(c for _, cells in rows for c in cells if isinstance(c, str))
    if legacy:
        raise UnreadableFile("file_legacy_encoding", legacy, value=legacy)
    header, data, title_period = sheets.locate_table(rows, HEADER_SEARCH_ROWS)
    if len(data) > MAX_XLSX_ROWS:
        raise _too_large("rows", len(data), MAX_XLSX_ROWS)
    notes = _ragged(header, data, short_too=False)
    if title_period and "period" not in header:
        width = len(header)
        header = [*header, "period"]
        data = [(n, [*cells[:width], *[None] * (width - len(cells)), title_period]) for n, cells in data]
    return header, data, notes


def _read_calamine(path: Path) -> tuple[list, list[tuple[int, list]], list]:
    return _xlsx_table(_calamine_rows(path))


def _calamine_rows(path: Path) -> list[tuple[int, list]]:
    """.xls, .xlsb, .ods: the first worksheet, through python-calamine (Rust; the only reader of
    .xls and .xlsb in the set). .ods and .xlsb are zips: judged by their directory first; a sheet
    larger than the xlsx caps is refused before it becomes Python rows."""
    from python_calamine import CalamineWorkbook, SheetTypeEnum

    if path.suffix.lower() in (".ods", ".xlsb"):
        _check_zip(path)
    try:
        book = CalamineWorkbook.from_path(str(path))
        kinds = [m.typ for m in book.sheets_metadata]
        if SheetTypeEnum.WorkSheet not in kinds:
            raise UnreadableFile("file_empty")
        sheet = book.get_sheet_by_index(kinds.index(SheetTypeEnum.WorkSheet))
    except UnreadableFile:
        raise
    except Exception as exc:  # noqa: BLE001 - calamine's errors are its own classes (CalamineError, ...)
        raise UnreadableFile("file_corrupt", type(exc).__name__) from exc
    first_row = sheet.start[0] if sheet.start else 0
    if first_row + sheet.height > MAX_XLSX_ROWS + HEADER_SEARCH_ROWS:
        raise _too_large("rows", first_row + sheet.height, MAX_XLSX_ROWS)
    if sheet.width > MAX_COLUMNS:
        raise _too_large("columns", sheet.width, MAX_COLUMNS)
    if sheet.height * sheet.width > MAX_CELLS:
        raise _too_large("cells", sheet.height * sheet.width, MAX_CELLS)
    rows = []
    for number, cells in enumerate(sheet.to_python(skip_empty_area=False), start=1):
        values = [None if c == "" else c for c in cells]
        while values and values[-1] is None:
            values.pop()
        if values:
            rows.append((number, values))
    return rows


def _read_json(path: Path) -> tuple[list, list[tuple[int, list]], list]:
    text = _decode(path.read_bytes())
    try:
        # integers stay text (no int-string limit, no float rounding); NaN/Infinity are not numbers
        data = json.loads(text, parse_int=str, parse_constant=str)
    except json.JSONDecodeError as exc:
        raise UnreadableFile("file_corrupt", f"line {exc.lineno}: {exc.msg}") from exc
    if isinstance(data, dict):  # {"records": [...]} or {"data": [...]} wrappers
        data = next((v for v in data.values() if isinstance(v, list)), None)
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise UnreadableFile("file_corrupt", "expected an array of records")
    if not data:
        raise UnreadableFile("file_empty")
    if len(data) > MAX_ROWS:
        raise _too_large("rows", len(data), MAX_ROWS)
    header = list(dict.fromkeys(k for r in data for k in r))
    if len(header) > MAX_COLUMNS:
        raise _too_large("columns", len(header), MAX_COLUMNS)
    if len(data) * len(header) > MAX_CELLS:
        raise _too_large("cells", len(data) * len(header), MAX_CELLS)
    return header, [(n, [r.get(k) for k in header]) for n, r in enumerate(data, start=1)], []


def _read_parquet(path: Path) -> tuple[list, list[tuple[int, list]], list]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
        meta = pf.metadata
        if meta.num_rows > MAX_ROWS:
            raise _too_large("rows", meta.num_rows, MAX_ROWS)
        if meta.num_columns > MAX_COLUMNS:
            raise _too_large("columns", meta.num_columns, MAX_COLUMNS)
        if meta.num_rows * meta.num_columns > MAX_CELLS:
            raise _too_large("cells", meta.num_rows * meta.num_columns, MAX_CELLS)
        unpacked = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
        if unpacked > MAX_PARQUET_BYTES:
            raise _too_large("bytes unpacked", unpacked, MAX_PARQUET_BYTES)
        table = pf.read()
    except (pa.ArrowException, OSError) as exc:
        raise UnreadableFile("file_corrupt", str(exc)[:200]) from exc
    if table.num_rows == 0:
        raise UnreadableFile("file_empty")
    columns = [c.to_pylist() for c in table.columns]
    return (
        table.column_names,
        [(n, list(cells)) for n, cells in enumerate(zip(*columns, strict=True), start=1)],
        [],
    )


def sender_table(path: Path) -> tuple[list[tuple[int, list]], dict[str, int]]:
    """The file as the sender sees it, for feedback on their own sheet: every non-empty row of a
    spreadsheet (its first worksheet) or CSV with its row number, and the cell index of each
    column the reader recognised (``unit_code``, ``conferences_held``, ...). ([], {}) for JSON
    and Parquet (records, not a sheet) or a file that cannot be read."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            header, data, _ = _read_csv(path)
            rows = [(1, header), *data]
            names = [sheets.canonical_column(c) for c in header]
        elif suffix in SPREADSHEETS:
            rows = _spreadsheet_rows(path)
            names, _, _ = sheets.locate_table(rows, HEADER_SEARCH_ROWS)
        else:
            return [], {}
    except Exception:  # noqa: BLE001 - feedback without the sheet is still feedback
        return [], {}
    index: dict[str, int] = {}
    for i, name in enumerate(names):
        if name and name not in index:
            index[name] = i
    return rows, index


def _spreadsheet_rows(path: Path) -> list[tuple[int, list]]:
    """Every non-empty row of the first worksheet (row number, cells), with the readers' caps."""
    return _xlsx_rows(path) if path.suffix.lower() == ".xlsx" else _calamine_rows(path)
