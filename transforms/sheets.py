"""Spreadsheets as offices fill them: headings in Vietnamese, title rows, STT, signature blocks.

A district officer does not type ``period,unit_code,...``: the sheet has a title ("BÁO CÁO KẾT
QUẢ CÔNG TÁC DÂN VẬN 6 THÁNG ĐẦU NĂM 2024"), maybe a date line, headings copied from the form
("STT", "Mã đơn vị", "Tên đơn vị", "Số hội nghị quán triệt, tuyên truyền", sometimes over two
rows), a row numbering the columns ("(1) (2) (3)"), blank separator rows, a "Tổng cộng" row and a
signature block ("Người lập biểu", "Thủ trưởng đơn vị"). This module turns such a sheet into the
header and rows ``readers.shape_rows`` expects, and nothing is guessed where a figure could be lost:

- a heading is matched against the catalogue's codes, Vietnamese and English labels and aliases
  (``canonical_column``: NFC, case- and accent-insensitive, a unit in brackets ignored); the labels
  come from ``transforms/catalogue.py``, so a new indicator needs no code here;
- a template's hidden machine row (``#danvan``: the codes of every column and the period, written
  by transforms/templates.py) is recognised first, so reading never depends on the label text;
- the period may be in a column ("6 tháng đầu năm 2024" or ``2024S1``) or in the title rows
  (``period_from_text``); a date line ("ngày 18 tháng 6 năm 2024") is never a period;
- "Tổng cộng" written in the name column is the declared total;
- a row with no unit code and no figure (a group label, the signature block, a note, a blank
  separator, the column-number row) holds nothing to count and is not a row of the table;
- text typed in a legacy font encoding (TCVN3/ABC, VNI) is detected and the file rejected
  (``file_legacy_encoding``), since its names and headings cannot be read.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

MACHINE_MARK = "#danvan"  # first cell of a template's hidden machine row: "#danvan period=2024S1 ..."
IDS = ("period", "unit_code", "unit_name")
IGNORED = "stt"  # the row-number column of Vietnamese forms: known, never a figure
# columns a template writes for people, never read: STT, last year's figure and the change (criteria)
IGNORED_COLUMNS = frozenset({IGNORED, "previous_value", "change_percent"})
# Headings of the id columns as forms write them (folded: see fold()).
ID_ALIASES = {
    "period": ("period", "ky", "ky bao cao", "thoi ky", "thoi ky bao cao", "ma ky", "ma ky bao cao"),
    "unit_code": (
        "unit_code",
        "unit code",
        "ma",
        "ma so",
        "ma don vi",
        "ma dvhc",
        "ma don vi hanh chinh",
        "ma xa",
        "ma huyen",
        "ma tinh",
        "ma co quan",
        "ma xa phuong",
        "ma xa phuong thi tran",
    ),
    "unit_name": (
        "unit_name",
        "unit name",
        "don vi",
        "ten don vi",
        "ten dvhc",
        "ten don vi hanh chinh",
        "ten xa",
        "ten xa phuong",
        "ten xa phuong thi tran",
        "ten huyen",
        "ten co quan",
        "ten",
    ),
    IGNORED: ("stt", "tt", "so tt", "so thu tu", "thu tu", "no"),
}
TOTAL_NAMES = ("total", "tong cong", "tong so", "tong", "cong", "cong toan huyen", "tong cong toan huyen")
# Words that open a signature block or a note under the table (folded).
FOOTER_RE = re.compile(
    r"nguoi lap( bieu)?|thu truong|ky ten|ky,? ghi ro|dong dau|ghi chu|xac nhan|noi nhan|chu tich|truong ban"
)
_NUMBERING_CELL = re.compile(r"\(?(?:[0-9]{1,2}|[A-Za-z])\)?")
_DOTTED = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+")
_NON_WORD = re.compile(r"[^0-9a-z_:]+")
_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")

# Legacy Vietnamese font encodings, read as Unicode, show characters Vietnamese never uses.
# TCVN3 (ABC, ".VnTime"): "Báo cáo kết quả" is "B¸o c¸o kÕt qu¶"; VNI ("VNI-Times"): "Tổng cộng"
# is "Toång coäng", "Đ" is "Ñ". The sets below never occur in Unicode Vietnamese text.
TCVN3_MARKS = frozenset("¸µ¶·¹¨©ª«¬®¦§¢£¤¥¡")
VNI_MARKS = frozenset("øûïåäöñëÑÖØÛÏÅÄ")
LEGACY_MIN_MARKS = 3  # a stray "·" or "ñ" in a name is not a file in a legacy font


def clean_text(text: str) -> str:
    """NFC, and U+00D0 (Icelandic Ð, which keyboards and fonts give for Đ) as Đ."""
    if text.isascii():
        return text
    return unicodedata.normalize("NFC", text.replace("\u00d0", "\u0110").replace("\u00f0", "\u0111"))


@lru_cache(maxsize=1 << 14)
def fold(text: str) -> str:
    """Lower case, no accents (đ -> d), one space between words: how headings are compared."""
    text = clean_text(str(text)).replace("\u0110", "d").replace("\u0111", "d").lower()
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", text).strip()


def _heading_forms(label: str) -> set[str]:
    """A label folded, with and without what is in brackets and a leading "số"/"số lượng"."""
    forms = {fold(label), fold(_BRACKETS.sub(" ", label))}
    for f in list(forms):
        for prefix in ("so luong ", "so "):
            if f.startswith(prefix):
                forms.add(f[len(prefix) :])
    return {f for f in forms if f}


@cache
def _headings() -> dict[str, str]:
    """folded heading -> canonical column (an id, ``stt``, an indicator code, a breakdown key)."""
    from transforms import catalogue

    found: dict[str, str] = {}
    for column, aliases in ID_ALIASES.items():
        for a in aliases:
            found[fold(a)] = column
    for ind in catalogue.indicators():
        labels = (ind.code, ind.label_vi, ind.label_en, *getattr(ind, "aliases", ()))
        for label in labels:
            for form in _heading_forms(label):
                found.setdefault(form, ind.code)
    return found


@cache
def _option_headings() -> dict[str, dict[str, str]]:
    """indicator -> {folded option label: option code} for the indicators broken down (the
    catalogue of issue 10); empty when the catalogue has no breakdowns."""
    from transforms import catalogue

    if not hasattr(catalogue, "categories"):
        return {}
    by_cat = {c.code: c for c in catalogue.categories()}
    out: dict[str, dict[str, str]] = {}
    for ind in catalogue.indicators():
        for cat in getattr(ind, "breakdowns", ()):
            for opt in by_cat[cat].options:
                for label in (opt.code, opt.label_vi, opt.label_en):
                    for form in _heading_forms(label):
                        out.setdefault(ind.code, {}).setdefault(form, opt.code)
    return out


def reload() -> None:
    """Forget the headings built from the catalogue (a test that edits it)."""
    _headings.cache_clear()
    _option_headings.cache_clear()
    canonical_column.cache_clear()


@lru_cache(maxsize=1 << 12)
def canonical_column(text) -> str:
    """The column a heading names, or the heading itself (lower case) when it names none."""
    if text is None:
        return ""
    raw = clean_text(str(text)).strip().lstrip("\ufeff").strip()
    if not raw:
        return ""
    lowered = raw.lower()
    if ":" in lowered and " " not in lowered:  # a breakdown key as code (models_recognized:tap_the)
        return lowered
    folded = fold(raw)
    headings = _headings()
    if folded in headings:
        return headings[folded]
    stripped = fold(_BRACKETS.sub(" ", raw))
    return headings.get(stripped, lowered)


def _grouped(indicator_heading: str, part_heading: str) -> str | None:
    """A two-row heading: the indicator above, "Tổng số" or an option below."""
    indicator_heading, part_heading = str(indicator_heading), str(part_heading)
    indicator = canonical_column(indicator_heading)
    part = fold(part_heading)
    if part in ("tong so", "tong", "tong cong", "cong", "total"):
        return indicator if indicator not in IDS else None
    option = _option_headings().get(indicator, {}).get(part) or _option_headings().get(indicator, {}).get(
        fold(_BRACKETS.sub(" ", part_heading))
    )
    return f"{indicator}:{option}" if option else None


# ---- periods written in words ------------------------------------------------------------------
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_DATE_LINE = re.compile(r"ngay \d{1,2} thang \d{1,2} nam \d{4}|\d{1,2} \d{1,2} \d{4}")
_PHRASES = (
    (re.compile(r"\b(?:6|sau) thang dau nam (\d{4})"), lambda m: f"{m[1]}S1"),
    (re.compile(r"\b(?:6|sau) thang cuoi nam (\d{4})"), lambda m: f"{m[1]}S2"),
    (re.compile(r"\b(?:9|chin) thang(?: dau)? nam (\d{4})"), lambda m: f"{m[1]}N9"),
    (re.compile(r"\bquy (iv|iii|ii|i|[1-4])(?: nam)? (\d{4})"), lambda m: f"{m[2]}Q{_ROMAN[m[1]]}"),
    (re.compile(r"\bthang (1[0-2]|0?[1-9])(?: nam)? (\d{4})"), lambda m: f"{m[2]}{int(m[1]):02d}"),
    (re.compile(r"\bnam (\d{4})"), lambda m: m[1]),
)


@lru_cache(maxsize=4096)
def period_from_text(text) -> str | None:
    """The period code a phrase names ("6 tháng đầu năm 2024" -> 2024S1, "quý II/2024" -> 2024Q2,
    "tháng 6/2024" -> 202406, "năm 2024" -> 2024, "9 tháng năm 2024" -> 2024N9), else None.
    A date ("ngày 18 tháng 6 năm 2024", "18/6/2024") is taken out first: it is when, not what."""
    if not isinstance(text, str) or not text.strip():
        return None
    folded = _DATE_LINE.sub(" ", fold(text))
    for rx, code in _PHRASES:
        m = rx.search(folded)
        if m:
            return code(m)
    return None


# ---- numbers and codes --------------------------------------------------------------------------
def dotted_count(text: str) -> str | None:
    """``4.819`` / ``1.234.567`` (dots grouping thousands, as Vietnamese writes them) -> digits."""
    return text.replace(".", "") if _DOTTED.fullmatch(text) else None


# ---- legacy font encodings ----------------------------------------------------------------------
def legacy_encoding(texts) -> str | None:
    """``TCVN3`` or ``VNI`` when the texts are typed in that legacy font encoding, else None."""
    tcvn = vni = 0
    for t in texts:
        if isinstance(t, str) and not t.isascii():
            tcvn += sum(1 for c in t if c in TCVN3_MARKS)
            vni += sum(1 for c in t if c in VNI_MARKS)
    if max(tcvn, vni) < LEGACY_MIN_MARKS:
        return None
    return "TCVN3" if tcvn >= vni else "VNI"


# ---- locating the table in a sheet --------------------------------------------------------------
def _texts(cells: list) -> list[str]:
    return [c for c in cells if isinstance(c, str) and c.strip()]


def _score(columns: list[str]) -> tuple[int, bool]:
    """How many cells name a known column, and whether that makes a table heading (a unit column
    and at least one figure)."""
    from transforms.catalogue import indicator_codes

    codes = set(indicator_codes())
    named = [c for c in columns if c in IDS or c == IGNORED or c.split(":")[0] in codes]
    figures = [c for c in columns if c.split(":")[0] in codes]
    units = "unit_code" in columns or "unit_name" in columns
    return len(named), (units and bool(figures)) or {"period", "unit_code"} <= set(columns)


_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def machine_text(code: str) -> str:
    """A code as a template's machine row stores it: "_x" escaped as OOXML says (``_x005F_x``),
    since spreadsheet programs read ``_xa_`` in ``van_hoa_xa_hoi`` as an escaped character."""
    return code.replace("_x", "_x005F_x")


def unescape(text: str) -> str:
    """``_xHHHH_`` (OOXML's escape of a character) as that character."""
    return _OOXML_ESCAPE.sub(lambda m: chr(int(m[1], 16)), text)


def _machine_row(cells: list) -> tuple[list[str], str | None] | None:
    first = next((c for c in cells if c is not None and str(c).strip()), None)
    if not isinstance(first, str) or not first.startswith(MACHINE_MARK):
        return None
    fields = dict(part.split("=", 1) for part in first.split()[1:] if "=" in part)
    columns = ["" if c is None or c is first else unescape(str(c).strip()).lower() for c in cells]
    return columns, fields.get("period")


def _two_row(above: list, below: list) -> list[str]:
    """Columns from a heading over two rows: the lower cell names the column, the upper one (merged
    over its group: only its first cell holds the text) the indicator it breaks down; a cell merged
    down (STT, Mã đơn vị) is in the upper row only."""
    width = max(len(above), len(below))
    out, group = [], None
    for i in range(width):
        up = above[i] if i < len(above) else None
        low = below[i] if i < len(below) else None
        if up is not None and str(up).strip():
            group = up
        if low is None or not str(low).strip():
            out.append(canonical_column(up) if up is not None and str(up).strip() else "")
            continue
        column = canonical_column(low)
        if group is not None and column not in IDS and column != IGNORED:
            grouped = _grouped(group, low)
            if grouped:
                column = grouped
        out.append(column)
    return out


def locate_table(rows: list[tuple[int, list]], search_rows: int) -> tuple[list, list, str | None]:
    """``(header, data rows, period from the title)``: the header as canonical columns, the rows
    below it that hold a unit code or a figure. ``rows`` are ``(sheet row number, cells)``."""
    top = rows[:search_rows] if rows else []
    header, at, title_period = None, None, None
    for k, (_, cells) in enumerate(top):
        machine = _machine_row(cells)
        if machine:
            header, title_period = machine
            at = k
            break
    if header is None:
        best = None
        for k, (_, cells) in enumerate(top):
            single = [canonical_column(c) for c in cells]
            candidates = [(single, k)]
            if k > 0 and top[k - 1][0] == top[k][0] - 1 and _texts(top[k - 1][1]):
                candidates.append((_two_row(top[k - 1][1], cells), k))
            for columns, end in candidates:
                score, is_table = _score(columns)
                if is_table and (best is None or score > best[0]):
                    best = (score, columns, end)
        if best is not None:
            _, header, at = best
    if header is None:  # no heading recognised: the first row, as before (columns_missing says it)
        if not rows:
            return [], [], None
        return [canonical_column(c) for c in rows[0][1]], rows[1:], None
    if title_period is None:
        for _, cells in rows[:at]:
            found = next((p for p in map(period_from_text, _texts(cells)) if p), None)
            if found:
                title_period = found
                break
    data = _table_rows(header, rows[at + 1 :])
    return header, data, title_period


def _table_rows(header: list[str], rows: list[tuple[int, list]]) -> list[tuple[int, list]]:
    from transforms.catalogue import indicator_codes

    codes = set(indicator_codes())
    code_at = header.index("unit_code") if "unit_code" in header else None
    name_at = header.index("unit_name") if "unit_name" in header else None
    value_at = [i for i, c in enumerate(header) if c.split(":")[0] in codes or c in ("period", "value")]
    width = len(header)
    out, footer = [], False
    for number, cells in rows:
        cells = list(cells)
        code = cells[code_at] if code_at is not None and code_at < len(cells) else None
        name = cells[name_at] if name_at is not None and name_at < len(cells) else None
        if isinstance(code, str) and code.startswith("#"):
            continue  # a template's own row (a form's title and headings)
        has_code = code is not None and str(code).strip() != ""
        if not has_code and isinstance(name, str) and fold(name) in TOTAL_NAMES and code_at is not None:
            while len(cells) <= code_at:
                cells.append(None)
            cells[code_at] = "Tổng cộng"  # written in the name column: the declared total
            has_code = True
        values = [cells[i] for i in value_at if i < len(cells) and _filled(cells[i])]
        beyond = any(_filled(c) for c in cells[width:])
        if not has_code and not values and not beyond:
            continue  # a separator, a group label: nothing to count
        if not (has_code and _code_like(cells[code_at])) and not any(map(_numeric, values)):
            # the signature block ("Người lập biểu", "Thủ trưởng đơn vị", the date, the names
            # under them) or a note: text only, and from its first line on
            footer = footer or any(FOOTER_RE.search(fold(t)) for t in _texts(cells))
            if footer:
                continue
        if not out and _is_numbering(cells):
            continue  # "(1) (2) (3)" or "A B 1 2 3" under the headings
        out.append((number, cells))
    return out


_CODE = re.compile(r"\s*(?:[0-9]{1,6}|[A-Za-z]{2}[0-9]{2}-[0-9]{2}|tổng cộng|total)\s*", re.IGNORECASE)


def _code_like(v) -> bool:
    """A unit code as typed (digits, a body's code, a total), not the words of a signature block."""
    return isinstance(v, int | float) or bool(_CODE.fullmatch(str(v)))


def _numeric(v) -> bool:
    """Could be a figure: a number, or text made of digits (a date line is not one)."""
    if isinstance(v, bool):
        return False
    if isinstance(v, int | float):
        return True
    text = str(v)
    return bool(re.fullmatch(r"\s*-?[0-9][0-9., ]*\s*", text)) and not _DATE_LINE.search(fold(text))


def _filled(v) -> bool:
    return v is not None and not (isinstance(v, str) and not v.strip())


def _is_numbering(cells: list) -> bool:
    texts = [str(c).strip() for c in cells if _filled(c)]
    return len(texts) >= 3 and all(_NUMBERING_CELL.fullmatch(t) for t in texts)
