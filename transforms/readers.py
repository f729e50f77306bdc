"""Reading a submitted file into rows, whatever its format and shape.

Everything is read as text: codes keep their leading zeros (``02020`` is never ``2020``) and
values are judged later, by the suites, against what the sender actually typed. ``row_number`` is
the row a person sees in the file (CSV/XLSX line with the header on line 1; JSON/Parquet record
number), so that feedback points at the right place.
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


class UnreadableFile(Exception):
    """A file we cannot turn into rows. ``code`` is the stable issue code."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(detail or code)
        self.code = code
        self.detail = detail


@dataclass
class ReadResult:
    """The file as long rows: (row_number, period, unit_code, indicator_code, value_text)."""

    shape: str  # wide | long | unknown
    values: pd.DataFrame
    units: pd.DataFrame  # one row per (row_number, unit_code): the unit rows of the file
    missing_columns: list[str] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)
    missing_indicators: list[str] = field(default_factory=list)
    periods: list[str] = field(default_factory=list)


def read_submission(path: Path) -> ReadResult:
    """Read ``path``; raise UnreadableFile with a stable code when it cannot be read."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise UnreadableFile("file_format_unsupported", suffix or "(no extension)")
    if path.stat().st_size == 0:
        raise UnreadableFile("file_empty")
    frame, first_row = {
        ".csv": _read_csv,
        ".xlsx": _read_xlsx,
        ".json": _read_json,
        ".parquet": _read_parquet,
    }[suffix](path)
    if frame.columns.empty:
        raise UnreadableFile("file_no_header")
    return shape_rows(frame, first_row)


def shape_rows(frame: pd.DataFrame, first_row: int = 2) -> ReadResult:
    """Recognise the shape from the columns and melt to long rows. ``first_row``: row number of
    the frame's first record as the sender sees it."""
    frame = frame.copy()
    frame.columns = [_norm_header(c) for c in frame.columns]
    frame = frame.loc[:, [c != "" for c in frame.columns]]
    frame = frame.loc[:, ~frame.columns.duplicated()]
    frame = frame.map(_cell_text).astype("object")
    frame = frame.dropna(how="all")  # blank lines are not rows
    frame["row_number"] = frame.index.astype("int64") + first_row
    cols = set(frame.columns)
    codes = indicator_codes()
    if set(LONG_REQUIRED) <= cols:
        return _from_long(frame, cols, codes)
    if set(WIDE_REQUIRED) <= cols and cols & set(codes):
        return _from_wide(frame, cols, codes)
    missing = [c for c in WIDE_REQUIRED if c not in cols]
    if not missing:  # period and unit_code present but no indicator column at all
        missing = ["<indicator columns>"]
    empty = pd.DataFrame(columns=["row_number", "period", "unit_code", "indicator_code", "value_text"])
    return ReadResult(
        "unknown", empty, empty[["row_number", "unit_code"]], missing_columns=missing, periods=_periods(frame)
    )


def _from_wide(frame: pd.DataFrame, cols: set, codes: tuple[str, ...]) -> ReadResult:
    present = [c for c in codes if c in cols]
    known = set(WIDE_REQUIRED) | set(OPTIONAL) | set(codes) | {"row_number"}
    values = frame.melt(
        id_vars=["row_number", "period", "unit_code"],
        value_vars=present,
        var_name="indicator_code",
        value_name="value_text",
    )
    return ReadResult(
        "wide",
        _finish(values),
        _units(frame),
        unknown_columns=[c for c in frame.columns if c not in known],
        missing_indicators=[c for c in codes if c not in cols],
        periods=_periods(frame),
    )


def _from_long(frame: pd.DataFrame, cols: set, codes: tuple[str, ...]) -> ReadResult:
    known = set(LONG_REQUIRED) | set(OPTIONAL) | {"row_number"}
    values = frame[["row_number", "period", "unit_code", "indicator_code", "value"]].rename(
        columns={"value": "value_text"}
    )
    values["indicator_code"] = values["indicator_code"].map(
        lambda v: v.strip().lower() if isinstance(v, str) else v
    )
    units = _units(frame).drop_duplicates("unit_code", keep="first")
    return ReadResult(
        "long",
        _finish(values),
        units,
        unknown_columns=[c for c in frame.columns if c not in known],
        periods=_periods(frame),
    )


def _finish(values: pd.DataFrame) -> pd.DataFrame:
    values = values.copy()
    values["unit_code"] = values["unit_code"].map(normalise_unit_code)
    values["period"] = values["period"].map(lambda v: v.strip().upper() if isinstance(v, str) else v)
    return values.sort_values(["row_number", "indicator_code"], kind="stable").reset_index(drop=True)


def _units(frame: pd.DataFrame) -> pd.DataFrame:
    units = frame[["row_number", "unit_code"]].copy()
    units["unit_code"] = units["unit_code"].map(normalise_unit_code)
    return units.reset_index(drop=True)


def _periods(frame: pd.DataFrame) -> list[str]:
    if "period" not in frame.columns:
        return []
    return sorted({p.strip().upper() for p in frame["period"].dropna() if isinstance(p, str) and p.strip()})


def normalise_unit_code(value) -> str | None:
    """Codes stay text. ``TOTAL``/``Tổng cộng`` (any case) become ``TOTAL``: a declared total."""
    if not isinstance(value, str) or not value.strip():
        return None
    v = value.strip()
    return "TOTAL" if v.lower() in TOTAL_LABELS else v


def _norm_header(c) -> str:
    return str(c).strip().lstrip("\ufeff").strip().lower() if c is not None else ""


def _cell_text(v) -> str | None:
    """One cell as the sender typed it; numbers that are whole (Excel's 12.0) print as ``12``."""
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
        return None
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    s = str(v).strip()
    return s or None


def _read_csv(path: Path) -> tuple[pd.DataFrame, int]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile("file_encoding", f"byte {exc.start}") from exc
    if not text.strip():
        raise UnreadableFile("file_empty")
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            dtype=str,
            keep_default_na=False,
            na_values=[""],
            skip_blank_lines=False,
            sep=None,
            engine="python",
        )
    except (pd.errors.ParserError, csv.Error) as exc:
        raise UnreadableFile("file_corrupt", str(exc).splitlines()[0][:200]) from exc
    return frame, 2


def _read_xlsx(path: Path) -> tuple[pd.DataFrame, int]:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise UnreadableFile("file_corrupt", type(exc).__name__) from exc
    try:
        ws = wb.worksheets[0]
        rows = list(ws.iter_rows(values_only=True))
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
    frame = pd.DataFrame(rows[header_at + 1 :], columns=list(rows[header_at]), dtype="object")
    return frame, header_at + 2  # Excel rows are 1-based; data starts the row after the header


def _read_json(path: Path) -> tuple[pd.DataFrame, int]:
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
    return pd.DataFrame.from_records(data).astype("object"), 1


def _read_parquet(path: Path) -> tuple[pd.DataFrame, int]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise UnreadableFile("file_corrupt", str(exc)[:200]) from exc
    if table.num_rows == 0:
        raise UnreadableFile("file_empty")
    return table.to_pandas(types_mapper=None).astype("object"), 1
