"""Synthetic submissions for the demo, the tests and the benchmark.

Everything is derived from the reference geography and the indicator catalogue, and from a seed:
no clock, no Airflow, so the same call always produces the same reports. Good rows satisfy every
rule the validator checks; bad files carry the mistakes officers really make.
"""

from __future__ import annotations

import os
import zlib
from datetime import UTC, datetime, time, timedelta
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from transforms.catalogue import breakdown_columns, category_codes, indicator_codes, indicators, parse_key
from transforms.config import REFERENCE_DIR
from transforms.periods import REFORM_DATE, Period, parse_period
from transforms.reference import Reference

ADMIN_UNITS_CSV = REFERENCE_DIR / "admin_units.csv"
FORMATS = {"csv": ".csv", "csv-bom": ".csv", "xlsx": ".xlsx", "json": ".json", "parquet": ".parquet"}
TEXT_COLUMNS = ("period", "unit_code", "unit_name", "indicator_code")

# Typical half-year count for a commune of average size. Indicators not listed (e.g. a newly added
# one) get _DEFAULT_MEAN; indicators that are bounded by others are overwritten in _derive.
_MEAN = {
    "models_registered": 3, "documents_issued": 5, "conferences_held": 3, "trainings_held": 1.5,
    "review_conferences_held": 1, "inspections_held": 2, "party_orgs_inspected": 3,
    "party_members_inspected": 12, "commendations_collective": 1, "commendations_individual": 4,
    "citizen_receptions": 10, "petitions_received": 3, "hot_issues_tracked": 0.6,
}  # fmt: skip
_DEFAULT_MEAN = 2.0
# The catalogue before breakdowns, in its order: their figures are drawn first and exactly as they
# were, so that the demo's and the benchmark's figures stay what they were (the holder of recognised
# models was two indicators then). Everything newer is drawn from a child generator afterwards.
_LEGACY_CODES = (
    "models_registered", "models_recognized", "models_recognized_collective", "models_recognized_individual",
    "documents_issued", "conferences_held", "conference_attendees", "trainings_held", "training_attendees",
    "review_conferences_held", "inspections_held", "party_orgs_inspected", "party_members_inspected",
    "commendations_collective", "commendations_individual", "citizen_receptions", "petitions_received",
    "petitions_resolved", "hot_issues_tracked",
)  # fmt: skip
_RENAMED = {"models_recognized_collective": "models_recognized:tap_the",
            "models_recognized_individual": "models_recognized:ca_nhan"}  # fmt: skip
# Newer indicators (a half-year of an average commune; stocks are not scaled by the period's length)
_NEW_MEAN = {"models_active": 12, "dialogues_held": 1.5, "opinions_raised": 6, "giao_ban_held": 3}
_FUNDS_MEDIAN = (
    40_000_000  # đồng mobilised by an average commune in a half-year (seed 003: 1,45 tỷ a cluster)
)
# The share of units whose reports break models, inspections and dialogues down (field, holder,
# kind, level): real reports give breakdowns in prose for some units, rarely for all.
BREAKDOWN_SHARE = 0.4
_FIELD_SHARES = (0.4, 0.3, 0.15, 0.15)  # kinh_te, van_hoa_xa_hoi, quoc_phong_an_ninh, xay_dung_...
_LEVEL_SHARES = (0.55, 0.3, 0.12, 0.03)  # co_so, huyen, tinh, trung_uong
_OWN_SIZE = 0.35  # a district's own-level row: a few conferences, not a commune's worth of activity

BAD_KINDS = (
    "negative_value", "non_integer_text", "recognized_gt_registered", "parts_ne_recognized",
    "attendees_without_conference", "unit_of_other_sender", "duplicated_unit", "unknown_unit_code",
    "invalid_period", "missing_unit_code_column", "empty_file",
)  # fmt: skip

_UNIT_TYPES = {"Xã": "xa", "Phường": "phuong", "Thị trấn": "thi_tran", "Đặc khu": "dac_khu"}
ADMIN_COLUMNS = "code level name short_name unit_type parent_code valid_from valid_to source".split()


@cache
def _admin_units(path: str) -> pd.DataFrame:
    # Codes carry leading zeros and valid_to is empty when open: nothing may be parsed as a number/NaN.
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _period(code: str) -> Period:
    p = parse_period(code)
    if p is None:
        raise ValueError(f"not a period code: {code!r}")
    return p


def units_for_period(period_code: str, reference: Reference | None = None) -> pd.DataFrame:
    """Units valid on any day of the period, one row per code (its version in force at the end of
    the period), as the as-of hierarchy of ``reference`` (int_period_units) has them."""
    return _units_by_period([period_code], reference)[_period(period_code).code]


def _units_by_period(period_codes: list[str], reference: Reference | None = None) -> dict[str, pd.DataFrame]:
    """period code -> its units (code, level, name, parent_code), sorted by code."""
    found = (reference or Reference.shared()).period_units(period_codes)
    # a unit's parent is its district, else its province (communes after the reform; districts)
    parent = found["district_code"].where(found["unit_level"] == "commune").fillna(found["province_code"])
    units = pd.DataFrame({
        "period_code": found["period_code"], "code": found["unit_code"], "level": found["unit_level"],
        "name": found["unit_name"], "parent_code": parent.where(found["unit_level"] != "province", ""),
    })  # fmt: skip
    return {
        code: frame.drop(columns="period_code").reset_index(drop=True)
        for code, frame in units.groupby("period_code", sort=True)
    }


def _months(p: Period) -> int:
    return p.months


def report_values(
    unit_codes, rng: np.random.Generator, size=None, months: int = 6, breakdowns: float = BREAKDOWN_SHARE
) -> pd.DataFrame:
    """Plausible figures per unit. ``size`` (default lognormal: many small units, a few large) scales
    activity; ``months`` scales it to the period length; ``breakdowns`` is the share of units whose
    figures are broken down (the holder of recognised models is always given, as it always was).
    Columns: each indicator (its total) followed by its one-way breakdown columns
    (``indicator:option``; empty where a unit gives none). The result satisfies every rule."""
    codes = list(unit_codes)
    n = len(codes)
    size = rng.lognormal(0.0, 0.6, n) if size is None else np.broadcast_to(np.asarray(size, float), (n,))
    v = {c: rng.poisson(_MEAN.get(c, _DEFAULT_MEAN) * size * months / 6) for c in _LEGACY_CODES}
    _derive(v, rng, n)
    v = {_RENAMED.get(c, c): x for c, x in v.items()}
    extra = rng.spawn(1)[0]  # a child: the draws above are exactly the ones of the legacy catalogue
    _newer(v, extra, n, size, months)
    shown = extra.random(n) < breakdowns
    parts = _parts(v, extra, n)
    columns = {}
    for ind in indicators():
        columns[ind.code] = pd.array(v.get(ind.code, np.zeros(n, int)), dtype="Int64")
        for col in breakdown_columns(ind):
            if col in v:  # always given
                columns[col] = pd.array(v[col], dtype="Int64")
            elif col in parts:
                part = pd.array(parts[col], dtype="Int64")
                part[~shown] = pd.NA
                columns[col] = part
    frame = pd.DataFrame(columns)
    frame.index = pd.Index(codes, name="unit_code", dtype=str)
    return frame


def _derive(v: dict, rng: np.random.Generator, n: int) -> None:
    """Overwrite the bounded indicators from their bounds (only those the catalogue has)."""
    if {"models_registered", "models_recognized"} <= v.keys():
        v["models_recognized"] = rng.binomial(v["models_registered"], 0.6)
    if {"models_recognized", "models_recognized_collective", "models_recognized_individual"} <= v.keys():
        v["models_recognized_collective"] = rng.binomial(v["models_recognized"], 0.4)
        v["models_recognized_individual"] = v["models_recognized"] - v["models_recognized_collective"]
    if {"conferences_held", "conference_attendees"} <= v.keys():
        v["conference_attendees"] = v["conferences_held"] * rng.integers(30, 151, n)
    if {"trainings_held", "training_attendees"} <= v.keys():
        v["training_attendees"] = v["trainings_held"] * rng.integers(20, 81, n)
    if {"petitions_received", "petitions_resolved"} <= v.keys():
        v["petitions_resolved"] = rng.binomial(v["petitions_received"], 0.85)


def _newer(v: dict, rng: np.random.Generator, n: int, size, months: int) -> None:
    """Indicators added after the legacy catalogue (and a default for any added later)."""
    for ind in indicators():
        if ind.code in v:
            continue
        scale = 1 if ind.time_aggregation == "last" else months / 6
        if ind.value_type == "amount_vnd":
            drawn = rng.lognormal(np.log(_FUNDS_MEDIAN * size * scale), 0.8)
            v[ind.code] = (np.round(drawn / 100_000) * 100_000).astype(int) * (rng.random(n) < 0.7)
        else:
            v[ind.code] = rng.poisson(_NEW_MEAN.get(ind.code, _DEFAULT_MEAN) * size * scale)
    if {"dialogues_held", "dialogue_attendees"} <= v.keys():
        v["dialogue_attendees"] = v["dialogues_held"] * rng.integers(20, 121, n)
    if {"opinions_raised", "opinions_answered"} <= v.keys():
        v["opinions_answered"] = rng.binomial(v["opinions_raised"], 0.9)


def _split(rng, total, shares) -> np.ndarray:
    return rng.multinomial(total, shares) if len(total) else np.zeros((0, len(shares)), int)


def _parts(v: dict, rng: np.random.Generator, n: int) -> dict:
    """One-way breakdowns that add up to their totals, with recognised <= registered per option."""
    out = {}
    reg, rec = v.get("models_registered"), v.get("models_recognized")
    if reg is not None and rec is not None and "models_recognized:tap_the" in v:
        tap = v["models_recognized:tap_the"] + rng.binomial(reg - rec, 0.4)
        out |= {"models_registered:tap_the": tap, "models_registered:ca_nhan": reg - tap}
        fields = ("kinh_te", "van_hoa_xa_hoi", "quoc_phong_an_ninh", "xay_dung_he_thong_chinh_tri")
        by_field = _split(rng, reg, _FIELD_SHARES)
        left, rest = rec.copy(), reg.copy()
        for k, f in enumerate(fields):  # which registered models were recognised: drawn without replacement
            rest = rest - by_field[:, k]
            got = left if k == len(fields) - 1 else rng.hypergeometric(by_field[:, k], rest, left)
            out[f"models_registered:{f}"], out[f"models_recognized:{f}"] = by_field[:, k], got
            left = left - got
        kind = rng.binomial(reg, 0.75)
        out |= {"models_registered:mo_hinh": kind, "models_registered:dien_hinh": reg - kind}
        levels = _split(rng, rec, _LEVEL_SHARES)
        for k, lv in enumerate(("co_so", "huyen", "tinh", "trung_uong")):
            out[f"models_recognized:{lv}"] = levels[:, k]
    for code, share in (
        ("inspections_held", 0.45),
        ("party_orgs_inspected", 0.5),
        ("party_members_inspected", 0.5),
    ):
        if code in v:
            cap = rng.binomial(v[code], share)
            out |= {f"{code}:cap_uy": cap, f"{code}:nghiep_vu": v[code] - cap}
    if "dialogues_held" in v:
        regular = rng.binomial(v["dialogues_held"], 0.8)
        out |= {"dialogues_held:dinh_ky": regular, "dialogues_held:dot_xuat": v["dialogues_held"] - regular}
    return out


def value_columns(frame: pd.DataFrame) -> list[str]:
    """The columns of a generated frame that hold figures (totals and breakdowns)."""
    return [
        c for c in frame.columns if c not in TEXT_COLUMNS and c != "sender" and parse_key(c).known_indicator
    ]


def _with_total(frame: pd.DataFrame) -> pd.DataFrame:
    """Append the declared TOTAL row officers add at the bottom of their sheet (exact sums)."""
    total = {"period": frame["period"].iloc[0], "unit_code": "TOTAL", "unit_name": "Tổng cộng"}
    total |= {c: frame[c].sum(min_count=1) for c in value_columns(frame)}
    return pd.concat([frame, pd.DataFrame([total]).astype(frame.dtypes.to_dict())], ignore_index=True)


def _long(frame: pd.DataFrame) -> pd.DataFrame:
    """Long rows, unit by unit, column by column; a breakdown column (``indicator:option``) is its
    indicator with the option in its category's column, and an empty breakdown cell is no row."""
    codes = value_columns(frame)
    n = len(frame)
    values = frame[codes].to_numpy(dtype=object).ravel()  # row-major: unit by unit, catalogue order
    try:
        values = pd.array(values, dtype="Int64")
    except (TypeError, ValueError):  # a bad file with text in a numeric cell stays text
        pass
    keys_of = {c: parse_key(c) for c in codes}
    out = {"indicator_code": np.tile([keys_of[c].indicator for c in codes], n)}
    used = sorted({cat for k in keys_of.values() for cat, _ in k.options})
    for cat in (c for c in category_codes() if c in used):
        out[cat] = np.tile([dict(keys_of[c].options).get(cat) for c in codes], n)
    out["value"] = values
    keys = ("period", "unit_code")
    long = pd.DataFrame(
        {k: np.repeat(frame[k].to_numpy(dtype=object), len(codes)) for k in keys if k in frame} | out
    )
    part = np.tile([bool(keys_of[c].options) for c in codes], n)
    return long[~(part & pd.isna(long["value"]).to_numpy())].reset_index(drop=True)


def write_submission(path: str | Path, frame: pd.DataFrame, fmt: str = "csv", shape: str = "wide") -> Path:
    """Write one submission the way the sender's tool would: codes always text, empty = not reported."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if shape not in ("wide", "long"):
        raise ValueError(f"unknown shape: {shape!r}")
    frame = _long(frame) if shape == "long" else frame
    if fmt in ("csv", "csv-bom"):
        frame.to_csv(path, index=False, encoding="utf-8-sig" if fmt == "csv-bom" else "utf-8")
    elif fmt == "json":
        frame.to_json(path, orient="records", force_ascii=False, indent=1)  # NA -> null, codes stay strings
    elif fmt == "parquet":  # typed columns: Int64 where every cell is a number, else string
        typed = {c: _typed(frame[c]) for c in frame.columns if frame[c].dtype == object}
        frame.assign(**typed).to_parquet(path, index=False)
    elif fmt == "xlsx":
        _write_xlsx(path, frame)
    else:
        raise ValueError(f"unknown format: {fmt!r}")
    return path


def _typed(column: pd.Series) -> pd.Series:
    try:
        return column.astype("Int64")
    except (TypeError, ValueError):  # "12 cuộc" typed into a number column
        return column.astype("string")


def _write_xlsx(path: Path, frame: pd.DataFrame) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "BaoCao"
    ws.append(list(frame.columns))
    for row in frame.astype(object).where(frame.notna(), None).itertuples(index=False):
        ws.append([int(x) if isinstance(x, np.integer) else x for x in row])
    for j, col in enumerate(frame.columns, start=1):
        if col in TEXT_COLUMNS:  # '@' = Text: Excel must never turn '02020' into 2020
            for (cell,) in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                cell.number_format = "@"
    wb.save(path)


def _rng(seed: int, period_code: str) -> np.random.Generator:
    # Seeded per period, so adding a period to a run does not change the others' numbers.
    return np.random.default_rng([seed, zlib.crc32(period_code.encode())])


def _period_rows(
    period_code: str, units: pd.DataFrame, senders: list[str], rng, breakdowns: float = BREAKDOWN_SHARE
) -> pd.DataFrame:
    """Every row of every sender in one frame (vectorised); ``sender`` says whose file it goes to."""
    p = _period(period_code)
    own = units[units["code"].isin(senders)]
    communes = units[(units["level"] == "commune") & units["parent_code"].isin(senders)]
    rows = pd.concat(
        [own.assign(sender=own["code"], own=0), communes.assign(sender=communes["parent_code"], own=1)]
    )
    rows = rows.sort_values(["sender", "own", "code"], ignore_index=True)
    size = np.where(rows["own"] == 0, _OWN_SIZE, rng.lognormal(0.0, 0.6, len(rows)))
    values = report_values(rows["code"], rng, size=size, months=_months(p), breakdowns=breakdowns)
    values = values.reset_index(drop=True)
    head = pd.DataFrame(
        {"sender": rows["sender"], "period": p.code, "unit_code": rows["code"], "unit_name": rows["name"]}
    )
    return pd.concat([head, values], axis=1)


# (period, district) -> (format, shape, with TOTAL row, file stem): what each Bắc Kạn office sends.
_DEMO_PLAN = {
    "2024S1": {
        "058": ("csv", "wide", True, "bao-cao-dan-van-2024S1"), "060": ("xlsx", "wide", False, "BC-dan-van-kheo-6-thang-dau-2024"),
        "061": ("json", "wide", False, "bao-cao-dan-van-2024S1"), "062": ("parquet", "wide", False, "danvan_2024S1"),
        "063": ("csv-bom", "wide", True, "bao-cao-dan-van-6thang-2024"), "064": ("xlsx", "wide", False, "bao-cao-dan-van-2024S1"),
        "065": ("csv", "long", False, "bao-cao-dan-van-2024S1"), "066": ("xlsx", "wide", True, "BaoCao-DanVan-2024S1"),
    },
    "2024S2": {
        "058": ("xlsx", "wide", False, "bao-cao-dan-van-2024S2"), "060": ("csv-bom", "wide", False, "BC-dan-van-kheo-6-thang-cuoi-2024"),
        "061": ("parquet", "long", False, "danvan_2024S2"), "062": ("csv", "wide", False, "bao-cao-dan-van-2024S2"),
        "063": ("json", "long", False, "bao-cao-dan-van-2024S2"), "064": ("xlsx", "wide", False, "bao-cao-dan-van-2024S2"),
        "065": ("json", "wide", True, "bao-cao-dan-van-2024S2"), "066": ("csv-bom", "wide", False, "BaoCao-DanVan-2024S2"),
    },
}  # fmt: skip
DEMO_BAD = ("064", "2024S2")  # Chợ Đồn's second-half report is the one with mistakes


def demo_submissions(inbox: str | Path, seed: int = 2024) -> list[Path]:
    """Bắc Kạn's 8 districts x 2024S1, 2024S2: 16 files in every format, one of them bad."""
    inbox, written = Path(inbox), []
    units_of = _units_by_period(list(_DEMO_PLAN))
    for period_code, plan in _DEMO_PLAN.items():
        units = units_of[period_code]
        rows = _period_rows(period_code, units, sorted(plan), _rng(seed, period_code))
        for sender, frame in rows.groupby("sender", sort=True):
            fmt, shape, total, stem = plan[sender]
            frame = frame.drop(columns="sender").reset_index(drop=True)
            if (sender, period_code) == DEMO_BAD:
                frame = _demo_mistakes(frame, rows[rows["sender"] == "058"].iloc[-1])
            elif total:
                frame = _with_total(frame)
            written.append(write_submission(inbox / sender / f"{stem}{FORMATS[fmt]}", frame, fmt, shape))
    return written


def _demo_mistakes(frame: pd.DataFrame, foreign: pd.Series) -> pd.DataFrame:
    """Chợ Đồn's sheet: a stray minus sign, recognised > registered, a row pasted from the Bắc Kạn
    city sheet, and a count typed with its unit ("12 cuộc")."""
    f = frame.astype({"documents_issued": object, "conferences_held": object})
    f.loc[2, "documents_issued"] = -4
    f.loc[4, ["models_registered", "models_recognized"]] = [3, 5]
    f.loc[4, [c for c in f.columns if c.startswith("models_re") and ":" in c]] = pd.NA  # totals only
    f.loc[4, ["models_recognized:tap_the", "models_recognized:ca_nhan"]] = [2, 3]
    f.loc[6, ["conferences_held", "conference_attendees"]] = ["12 cuộc", 960]
    pasted = foreign.drop("sender").to_frame().T.assign(period=f["period"].iloc[0])
    return pd.concat([f, pasted.astype(f.dtypes.to_dict())], ignore_index=True)


def _synthetic_communes(communes: pd.DataFrame, scale: int) -> pd.DataFrame:
    """scale-1 twins per real commune, as admin_units rows. Codes are '9' + a sequence number, 6+
    digits, so they never collide with the 5-digit real ones. A twin lives as long as its parent's
    level: under a district until the 2025-07-01 reform, under a province from then on."""
    if scale <= 1 or communes.empty:
        return pd.DataFrame(columns=ADMIN_COLUMNS, dtype=str)
    key = ["code", "parent_code"]
    base = communes.drop_duplicates(key).sort_values(key, ignore_index=True)
    base = base.loc[base.index.repeat(scale - 1)].reset_index(drop=True)
    k = base.groupby(key).cumcount() + 1
    width = max(5, len(str(len(base))))
    pre_reform = base["parent_code"].str.len() == 3  # under a district, which ends at the reform
    kind = base["name"].str.extract(r"^(Xã|Phường|Thị trấn|Đặc khu) ", expand=False)
    return pd.DataFrame({
        "code": ["9" + str(i).zfill(width) for i in range(1, len(base) + 1)],
        "level": "commune", "name": base["name"] + " (mô phỏng " + k.astype(str) + ")",
        "short_name": base["name"].str.replace(r"^(Xã|Phường|Thị trấn|Đặc khu) ", "", regex=True) + " " + k.astype(str),
        "unit_type": kind.map(_UNIT_TYPES).fillna("xa"), "parent_code": base["parent_code"],
        "valid_from": np.where(pre_reform, "2004-08-31", REFORM_DATE.isoformat()),
        "valid_to": np.where(pre_reform, REFORM_DATE.isoformat(), ""), "source": "synthetic:scale",
    })  # fmt: skip


def _chain_rows(
    period_code: str, chain: pd.DataFrame, units: pd.DataFrame, rng, breakdowns: float = BREAKDOWN_SHARE
) -> pd.DataFrame:
    """Every row of every expected sender of the period's reporting chain (int_period_chain) in one
    frame: a district its own row and its communes; a province, a commune or a body its own row.
    ``sender`` says whose file a row goes to; each file's own row comes first."""
    p = _period(period_code)
    senders = set(
        chain.loc[chain["is_expected"] & (chain["unit_code"] == chain["sender_code"]), "sender_code"]
    )
    rows = chain[chain["sender_code"].isin(senders)]
    names = dict(zip(units["code"], units["name"], strict=True))
    bodies = rows[rows["unit_level"] == "body"]
    names |= dict(zip(bodies["unit_code"], bodies["sender_name"], strict=True))
    rows = pd.DataFrame({
        "sender": rows["sender_code"].to_numpy(), "code": rows["unit_code"].to_numpy(),
        "level": rows["unit_level"].to_numpy(), "own": (rows["unit_code"] != rows["sender_code"]).astype(int).to_numpy(),
    }).sort_values(["sender", "own", "code"], ignore_index=True)  # fmt: skip
    own_level = rows["level"].isin(
        ["district", "province"]
    )  # a level's own activities, not a commune's worth
    size = np.where(own_level, _OWN_SIZE, rng.lognormal(0.0, 0.6, len(rows)))
    values = report_values(rows["code"], rng, size=size, months=_months(p), breakdowns=breakdowns)
    values = values.reset_index(drop=True)
    head = pd.DataFrame(
        {
            "sender": rows["sender"],
            "period": p.code,
            "unit_code": rows["code"],
            "unit_name": rows["code"].map(names),
        }
    )
    return pd.concat([head, values], axis=1)


# Simulated arrivals (local time, Asia/Ho_Chi_Minh = UTC+7, no daylight saving): an on-time file
# arrives between the day after the period's end and its deadline, a late one 1-LATE_MAX_DAYS days
# after the deadline; office hours 08:00-17:00.
VN_UTC_OFFSET = timedelta(hours=7)
LATE_MAX_DAYS = 10


def _arrivals(
    p: Period, n: int, late_rate: float, rng: np.random.Generator
) -> tuple[list[datetime], set[int]]:
    """Arrival times (UTC) of ``n`` files of period ``p`` and which of them are late."""
    n_late = round(late_rate * n)
    late = set(rng.choice(n, n_late, replace=False).tolist()) if n_late else set()
    window = max(1, (p.deadline - p.end).days)
    out = []
    for i in range(n):
        day = p.deadline + timedelta(days=int(rng.integers(1, LATE_MAX_DAYS + 1))) if i in late else (
            p.end + timedelta(days=int(rng.integers(1, window + 1))))  # fmt: skip
        local = datetime.combine(day, time(8)) + timedelta(seconds=int(rng.integers(0, 9 * 3600)))
        out.append((local - VN_UTC_OFFSET).replace(tzinfo=UTC))
    return out, late


def _chains(reference: Reference, periods: list[str], provinces: list[str] | None) -> dict[str, pd.DataFrame]:
    chain = reference.period_chain(periods)
    if provinces is not None:
        chain = chain[chain["province_code"].isin(provinces)]
    return {code: frame for code, frame in chain.groupby("period_code", sort=True)}


def national_submissions(
    inbox: str | Path,
    periods: list[str],
    error_rate: float = 0.02,
    scale: int = 1,
    seed: int = 7,
    fmt: str = "csv",
    late_rate: float = 0.0,
    provinces: list[str] | None = None,
    breakdowns: float = BREAKDOWN_SHARE,
) -> dict:
    """One wide file per sender the reporting chain expects in each period (int_period_chain, the
    chain in force at the period's end): before 2025-07-01 each district (its own row and its
    communes), each province and each registered body (their own rows); from 2025-07-01 each
    commune, province and body (their own rows). ``round(error_rate * files)`` of them are bad with
    varied mistakes. Synthetic communes (``scale`` > 1) are returned so the caller can register them
    in the reference before the pipeline validates unit codes.

    Every file's mtime is its simulated arrival (``arrivals``: path -> UTC time): by the period's
    deadline, except ``round(late_rate * files)`` of them (``late_files``), 1-10 days after it.
    ``danvan run --arrival-from-mtime`` takes received_at from it. ``provinces``: only the senders
    of these provinces (as of each period; tests and small simulations). ``breakdowns``: the share of
    units whose figures are broken down."""
    inbox = Path(inbox)
    units_of = _units_by_period(periods)
    reference = Reference.shared()
    chains = _chains(reference, periods, provinces)
    per_period = {}
    for code in periods:
        chain = chains[_period(code).code]
        expected = chain[chain["is_expected"] & (chain["unit_code"] == chain["sender_code"])]
        reported = set(chain.loc[chain["sender_code"].isin(expected["sender_code"]), "unit_code"])
        per_period[_period(code).code] = (units_of[_period(code).code], reported)
    communes = pd.concat([u[(u["level"] == "commune") & u["code"].isin(r)] for u, r in per_period.values()])
    synthetic = _synthetic_communes(communes, scale)
    if not synthetic.empty:  # the twins join the hierarchy and the chain the pipeline will validate against
        with_twins = Reference(synthetic)
        units_of = _units_by_period(periods, with_twins)
        chains = _chains(with_twins, periods, provinces)
        with_twins.close()
    known = set(_admin_units(str(ADMIN_UNITS_CSV.resolve()))["code"]) | set(synthetic["code"])
    files, bad, kinds, arrivals, late = [], [], {}, {}, []
    for code in per_period:
        rng = _rng(seed, code)
        rows = _chain_rows(code, chains[code], units_of[code], rng, breakdowns)
        senders = sorted(rows["sender"].unique())
        n_bad = round(error_rate * len(senders))
        bad_senders = set(rng.choice(senders, n_bad, replace=False).tolist()) if n_bad else set()
        bad_kinds = iter(rng.permutation(BAD_KINDS).tolist() * (n_bad // len(BAD_KINDS) + 1))
        # arrivals from a stream of their own: the late share never changes the files' contents
        when, late_idx = _arrivals(_period(code), len(senders), late_rate, _rng(seed, f"{code}:arrivals"))
        # Good CSV files are slices of one CSV rendering of the whole period: per-file to_csv is the bottleneck.
        lines = (
            rows.drop(columns="sender").to_csv(index=False).splitlines(keepends=True)
            if fmt in ("csv", "csv-bom")
            else None
        )
        for n, (sender, idx) in enumerate(rows.groupby("sender", sort=True).indices.items()):
            path = inbox / sender / f"bao-cao-dan-van-{code}{FORMATS[fmt]}"
            path.parent.mkdir(parents=True, exist_ok=True)
            files.append(path)
            if sender in bad_senders:
                kinds[str(path)] = kind = next(bad_kinds)
                bad.append(path)
                frame = _spoil(
                    rows.iloc[idx].drop(columns="sender").reset_index(drop=True), kind, rows, known, rng
                )
                if frame is None:
                    path.write_bytes(b"")
                else:
                    write_submission(path, frame, fmt, "wide")
            elif lines is not None:
                text = lines[0] + "".join(lines[idx[0] + 1 : idx[-1] + 2])
                path.write_bytes(text.encode("utf-8-sig" if fmt == "csv-bom" else "utf-8"))
            else:
                write_submission(path, rows.iloc[idx].drop(columns="sender"), fmt, "wide")
            stamp = int(when[n].timestamp()) * 10**9
            os.utime(path, ns=(stamp, stamp))
            arrivals[str(path)] = when[n]
            if n in late_idx:
                late.append(path)
    return {
        "files": files, "bad_files": bad, "bad_kinds": kinds, "synthetic_units": synthetic,
        "arrivals": arrivals, "late_files": late,
    }  # fmt: skip


def _spoil(frame: pd.DataFrame, kind: str, rows: pd.DataFrame, known: set, rng) -> pd.DataFrame | None:
    """One realistic mistake of ``kind`` in a good file (None = an empty, 0-byte file). ``rows`` are
    the period's rows of every sender, to copy a stray commune from."""
    f = frame.astype({c: object for c in value_columns(frame)})
    i = int(rng.integers(len(f)))  # the row the officer got wrong
    col = str(rng.choice(indicator_codes()))
    has = set(f.columns).issuperset
    if kind == "empty_file":
        return None
    if kind == "non_integer_text":
        f.loc[i, col] = str(rng.choice([f"{f.loc[i, col]} cuộc", f"{f.loc[i, col]},5", "không có"]))
    elif kind == "recognized_gt_registered" and has(
        {"models_registered", "models_recognized", "models_recognized:tap_the"}
    ):
        f.loc[i, [c for c in f.columns if c.startswith("models_re") and ":" in c]] = None
        f.loc[i, ["models_recognized", "models_recognized:tap_the"]] = f.loc[i, "models_registered"] + 1
    elif kind == "parts_ne_recognized" and has({"models_recognized", "models_recognized:tap_the"}):
        f.loc[i, "models_recognized:tap_the"] += 1
    elif kind == "attendees_without_conference" and has({"conferences_held", "conference_attendees"}):
        f.loc[i, ["conferences_held", "conference_attendees"]] = [0, int(rng.integers(30, 151))]
    elif kind == "unit_of_other_sender":
        sender = f["unit_code"].iloc[0]  # the sender's own row comes first
        others = rows[rows["sender"] != sender]
        if (others["unit_code"] != others["sender"]).any():  # a commune of another district, if any
            others = others[others["unit_code"] != others["sender"]]
        stray = others.iloc[[int(rng.integers(len(others)))]].drop(columns="sender")
        f = pd.concat([f, stray.assign(period=f["period"].iloc[0])], ignore_index=True)
    elif kind == "duplicated_unit":
        f = pd.concat([f, f.iloc[[i]]], ignore_index=True)
    elif kind == "unknown_unit_code":
        f.loc[i, "unit_code"] = next(c for c in map(str, rng.integers(40000, 90000, 100)) if c not in known)
    elif kind == "invalid_period":
        year, part = f.loc[0, "period"][:4], f.loc[0, "period"][4:]
        f["period"] = str(rng.choice([f"{year}-{part}", f"6 tháng/{year}"]))
    elif kind == "missing_unit_code_column":
        f = f.drop(columns="unit_code")
    else:  # negative_value, and the fallback when the catalogue lacks a rule's indicators
        f.loc[i, col] = -int(f.loc[i, col]) - 1
    return f
