"""The seed articles' figures as commune rows of accepted district files, written straight into the
raw layer (what the ingest DAG's `load` writes) so a warehouse builds in ~2 s, not through GX:

- seed 004 (Chợ Đồn, 064, phase 2018-2020): annual files 2018, 2019, 2020 whose commune rows add up
  to 808 models registered, 179 recognised, 109 held by collectives and 70 by individuals (the
  holder breakdown, models_recognized:tap_the / :ca_nhan);
- seed 003 (a cluster of lowland districts, 2024S1): Cụm thi đua số 1 of Bắc Kạn (058, 063, 065,
  schemas/unit_groups.yaml) with 50 conferences, 4.819 attendances, 891 models registered, 514
  recognised (registered broken down by field, recognised by level); the same cluster's 2023S1 to
  compare with;
- the rest of Bắc Kạn 2024S1 (06): four more districts (062 one working day late), Na Rì (066)
  and the four bodies missing, the province's own row, so its report says 7/8 huyện báo cáo.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import duckdb

from transforms.catalogue import category_codes, parse_key
from transforms.periods import parse_period
from transforms.warehouse import build, check, create_raw_tables

R, C, CT, CN = (
    "models_registered",
    "models_recognized",
    "models_recognized_collective",
    "models_recognized_individual",
)
CONF, ATT = "conferences_held", "conference_attendees"
A = "models_active"  # a stock: a phase takes its last year's figure (160), never the sum

# sender, period, days after the deadline it arrived (negative: before), {commune: {indicator: value}}
FILES = [
    (
        "064",
        "2018",
        -2,
        {"02020": {R: 150, C: 30, CT: 18, CN: 12, A: 120}, "02023": {R: 110, C: 25, CT: 15, CN: 10}},
    ),
    (
        "064",
        "2019",
        -2,
        {"02020": {R: 140, C: 32, CT: 19, CN: 13, A: 150}, "02026": {R: 130, C: 28, CT: 18, CN: 10}},
    ),
    (
        "064",
        "2020",
        -1,
        {"02029": {R: 158, C: 34, CT: 21, CN: 13, A: 160}, "02032": {R: 120, C: 30, CT: 18, CN: 12}},
    ),
    # Cụm thi đua số 1, 2024S1: 50 hội nghị, 4.819 lượt, 891 registered, 514 recognised
    (
        "058",
        "2024S1",
        -1,
        {"01834": {CONF: 9, ATT: 812, R: 160, C: 95}, "01837": {CONF: 7, ATT: 690, R: 141, C: 80}},
    ),
    (
        "063",
        "2024S1",
        -1,
        {"01969": {CONF: 10, ATT: 1010, R: 150, C: 90}, "01975": {CONF: 6, ATT: 607, R: 140, C: 74}},
    ),
    (
        "065",
        "2024S1",
        0,
        {"02089": {CONF: 11, ATT: 1100, R: 170, C: 100}, "02092": {CONF: 7, ATT: 600, R: 130, C: 75}},
    ),
    # ... and 2023S1: 44 hội nghị, 4.500 lượt, 850 registered, 480 recognised
    ("058", "2023S1", -1, {"01834": {CONF: 14, ATT: 1400, R: 280, C: 150}}),
    ("063", "2023S1", -1, {"01969": {CONF: 15, ATT: 1500, R: 270, C: 160}}),
    ("065", "2023S1", -1, {"02089": {CONF: 15, ATT: 1600, R: 300, C: 170}}),
    # the rest of Bắc Kạn, 2024S1: Na Rì (066) and the four bodies send nothing
    ("060", "2024S1", -1, {"01879": {CONF: 4, ATT: 300, R: 60, C: 30}}),
    ("061", "2024S1", -1, {"01912": {CONF: 5, ATT: 350, R: 70, C: 40}}),
    ("062", "2024S1", 2, {"01942": {CONF: 3, ATT: 250, R: 50, C: 20}}),  # a day off between: late
    ("064", "2024S1", -1, {"02020": {CONF: 6, ATT: 420, R: 80, C: 45}}),
    ("06", "2024S1", -1, {"06": {CONF: 2, ATT: 400}}),
]


CATEGORIES = category_codes()
FIELDS = ("kinh_te", "van_hoa_xa_hoi", "quoc_phong_an_ninh", "xay_dung_he_thong_chinh_tri")
LEVELS = ("co_so", "huyen", "tinh")


def _split(total: int, options: tuple[str, ...], shares: tuple[float, ...]) -> dict[str, int]:
    parts = [int(total * share) for share in shares]
    parts.append(total - sum(parts))
    return dict(zip(options, parts, strict=True))


def with_breakdowns(values: dict[str, int]) -> dict[str, int]:
    """A cluster commune's figures with models registered by field and recognised by level (they
    add up to the totals)."""
    out = dict(values)
    for option, n in _split(values[R], FIELDS, (0.4, 0.3, 0.15)).items():
        out[f"{R}:{option}"] = n
    for option, n in _split(values[C], LEVELS, (0.6, 0.3)).items():
        out[f"{C}:{option}"] = n
    return out


def load_raw(pipeline_db: Path) -> None:
    """The files above as accepted submissions and their rows in the raw layer of ``pipeline_db``
    (two inserts from Arrow tables, by column name: the category columns the catalogue adds)."""
    import pyarrow as pa

    subs, values = [], []
    for sender, period, days_late, units in FILES:
        sid = f"sub_{sender}_{period}"
        received = datetime.combine(parse_period(period).deadline + timedelta(days=days_late), time(2), UTC)
        subs.append({"submission_id": sid, "sender_code": sender, "period": period,
                     "file_name": f"{sender}-{period}.csv", "file_sha256": sid, "archive_path": "x",
                     "received_at": received, "file_format": "csv", "shape": "wide", "verdict": "accepted",
                     "error_count": 0, "warning_count": 0, "unit_row_count": len(units)})  # fmt: skip
        cluster = sender in ("058", "063", "065") and period == "2024S1"
        for n, (unit, figures) in enumerate(units.items(), start=2):
            for column, value in (with_breakdowns(figures) if cluster else figures).items():
                key = parse_key(column)  # a column as a wide file names it: its breakdown
                values.append({"submission_id": sid, "row_number": n, "unit_code": unit,
                               "is_declared_total": False, "indicator_code": key.indicator,
                               "breakdown": key.breakdown, **{c: None for c in CATEGORIES},
                               **dict(key.options), "value": value})  # fmt: skip
    con = duckdb.connect(str(pipeline_db))
    try:
        create_raw_tables(con)
        for table, rows in (("submissions", subs), ("unit_report_values", values)):
            con.register("seed_rows", pa.Table.from_pylist(rows))
            con.execute(f"insert into raw.{table} by name select * from seed_rows")
            con.unregister("seed_rows")
    finally:
        con.close()


def warehouse(tmp: Path) -> Path:
    """A built and checked warehouse holding the seeds' figures."""
    load_raw(tmp / "pipeline.duckdb")
    built = build(tmp / "pipeline.duckdb", tmp / "warehouse.duckdb")
    assert check(built)["failures"] == {}
    return built
