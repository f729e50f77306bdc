"""Reading a submitted file into rows, whatever its format and shape.

Everything is read as text: codes keep their leading zeros (``02020`` is never ``2020``) and
values are judged later, by the suites, against what the sender actually typed. ``row_number`` is
the row a person sees in the file (CSV/XLSX line with the header on line 1; JSON/Parquet record
number), so that feedback points at the right place.

Files are small (a district sends ~15 rows) and come by the hundred, so a file is read into plain
Python rows: per-file pandas calls cost ~30 ms each and dominated a national half-year. The
validator builds one frame per batch from these rows.
"""

from __future__ import annotations

import csv
import io
import json
import math
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from transforms.catalogue import indicator_codes

FORMATS = (".csv", ".xlsx", ".json", ".parquet")
WIDE_REQUIRED = ("period", "unit_code")
LONG_REQUIRED = ("period", "unit_code", "indicator_code", "value")
OPTIONAL = ("unit_name",)
TOTAL_LABELS = {"total", "tổng cộng", "tong cong"}
HEADER_SEARCH_ROWS = 20  # xlsx: title rows above the header are common in Vietnamese templates
VALUE_COLUMNS = ("row_number", "period", "unit_code", "indicator_code", "value_text")
UNIT_COLUMNS = ("row_number", "unit_code")


class UnreadableFile(Exception):
    """A file we cannot turn into rows. ``code`` is the stable issue code."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(detail or code)
        self.code = code
        self.detail = detail


@dataclass
class ReadResult:
    """A file as long rows ``(row_number, period, unit_code, indicator_code, value_text)`` and its
    unit rows ``(row_number, unit_code)`` (for long files, the first row of each unit)."""

    shape: str  # wide | long | unknown
    value_rows: list[tuple] = field(default_factory=list)
    unit_rows: list[tuple] = field(default_factory=list)
    missing_columns: list[str] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)
    missing_indicators: list[str] = field(default_factory=list)
    periods: list[str] = field(default_factory=list)

    @property
    def values(self) -> pd.DataFrame:
        return pd.DataFrame(self.value_rows, columns=list(VALUE_COLUMNS))

    @property
    def units(self) -> pd.DataFrame:
        return pd.DataFrame(self.unit_rows, columns=list(UNIT_COLUMNS))


def read_submission(path: Path) -> ReadResult:
    """Read ``path``; raise UnreadableFile with a stable code when it cannot be read."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise UnreadableFile("file_format_unsupported", suffix or "(no extension)")
    if path.stat().st_size == 0:
        raise UnreadableFile("file_empty")
    header, rows = {".csv": _read_csv, ".xlsx": _read_xlsx, ".json": _read_json, ".parquet": _read_parquet}[
        suffix
    ](path)
    return shape_rows(header, rows)


def shape_rows(header: list, rows: list[tuple[int, list]]) -> ReadResult:
    """Recognise the shape from the header and turn ``(row_number, cells)`` into long rows."""
    names = [_norm_header(c) for c in header]
    if not any(names):
        raise UnreadableFile("file_no_header")
    index: dict[str, int] = {}
    for i, name in enumerate(names):
        if name and name not in index:  # an empty or repeated header cell is not a column
            index[name] = i
    records = []
    for number, cells in rows:
        texts = {name: _cell_text(cells[i]) if i < len(cells) else None for name, i in index.items()}
        if any(v is not None for v in texts.values()):  # blank lines are not rows
            records.append((number, texts))
    cols = set(index)
    periods = sorted({_period(t.get("period")) for _, t in records} - {None})
    codes = indicator_codes()
    if set(LONG_REQUIRED) <= cols:
        known = set(LONG_REQUIRED) | set(OPTIONAL)
        values = [
            (
                n,
                _period(t["period"]),
                normalise_unit_code(t["unit_code"]),
                _indicator(t["indicator_code"]),
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
        )
    present = [c for c in codes if c in cols]
    if set(WIDE_REQUIRED) <= cols and present:
        known = set(WIDE_REQUIRED) | set(OPTIONAL) | set(codes)
        values, units = [], []
        for n, t in records:
            period, unit = _period(t["period"]), normalise_unit_code(t["unit_code"])
            units.append((n, unit))
            values.extend((n, period, unit, c, t[c]) for c in present)
        return ReadResult(
            "wide",
            values,
            units,
            unknown_columns=[c for c in index if c not in known],
            missing_indicators=[c for c in codes if c not in cols],
            periods=periods,
        )
    missing = [c for c in WIDE_REQUIRED if c not in cols] or ["<indicator columns>"]
    return ReadResult("unknown", missing_columns=missing, periods=periods)


def normalise_unit_code(value) -> str | None:
    """Codes stay text. ``TOTAL``/``Tổng cộng`` (any case) become ``TOTAL``: a declared total."""
    if not isinstance(value, str) or not value.strip():
        return None
    v = value.strip()
    return "TOTAL" if v.lower() in TOTAL_LABELS else v


def _period(value: str | None) -> str | None:
    return value.upper() if value else None


def _indicator(value: str | None) -> str | None:
    return value.lower() if value else None


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
    s = str(v).strip()
    return s or None


def _read_csv(path: Path) -> tuple[list, list[tuple[int, list]]]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile("file_encoding", f"byte {exc.start}") from exc
    if not text.strip():
        raise UnreadableFile("file_empty")
    first_line = text.split("\n", 1)[0]
    try:
        dialect = csv.Sniffer().sniff(first_line, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel  # one column, or nothing to tell: the ordinary comma
    reader = csv.reader(io.StringIO(text), delimiter=dialect.delimiter)
    rows, line = [], 0
    try:
        for cells in reader:
            rows.append((line + 1, cells))  # the line where the record starts, as an editor shows it
            line = reader.line_num
    except csv.Error as exc:
        raise UnreadableFile("file_corrupt", f"line {reader.line_num}: {exc}") from exc
    return rows[0][1], rows[1:]


def _read_xlsx(path: Path) -> tuple[list, list[tuple[int, list]]]:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise UnreadableFile("file_corrupt", type(exc).__name__) from exc
    try:
        rows = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
    finally:
        wb.close()
    header_at = next(
        (
            i
            for i, r in enumerate(rows[:HEADER_SEARCH_ROWS])
            if {"period", "unit_code"} <= {_norm_header(c) for c in r}
        ),
        None,
    )
    if header_at is None:
        header_at = next((i for i, r in enumerate(rows) if any(c is not None for c in r)), None)
    if header_at is None:
        raise UnreadableFile("file_empty")
    # Excel rows are 1-based: the data starts on the row after the header
    return rows[header_at], [(header_at + 2 + i, r) for i, r in enumerate(rows[header_at + 1 :])]


def _read_json(path: Path) -> tuple[list, list[tuple[int, list]]]:
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise UnreadableFile("file_encoding", f"byte {exc.start}") from exc
    except json.JSONDecodeError as exc:
        raise UnreadableFile("file_corrupt", f"line {exc.lineno}: {exc.msg}") from exc
    if isinstance(data, dict):  # {"records": [...]} or {"data": [...]} wrappers
        data = next((v for v in data.values() if isinstance(v, list)), None)
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise UnreadableFile("file_corrupt", "expected an array of records")
    if not data:
        raise UnreadableFile("file_empty")
    header = list(dict.fromkeys(k for r in data for k in r))
    return header, [(n, [r.get(k) for k in header]) for n, r in enumerate(data, start=1)]


def _read_parquet(path: Path) -> tuple[list, list[tuple[int, list]]]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise UnreadableFile("file_corrupt", str(exc)[:200]) from exc
    if table.num_rows == 0:
        raise UnreadableFile("file_empty")
    columns = [c.to_pylist() for c in table.columns]
    return table.column_names, [
        (n, list(cells)) for n, cells in enumerate(zip(*columns, strict=True), start=1)
    ]
