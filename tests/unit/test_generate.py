"""The generators must produce exactly what they claim: good files that pass every rule, bad files
that fail, codes that keep their leading zeros in every format, and the same bytes for the same seed."""

from __future__ import annotations

import json
from datetime import timedelta
from functools import cache
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from tests.helpers import CODES, reference
from transforms.catalogue import categories, category_codes, indicators, is_value_column
from transforms.generate import (
    ADMIN_COLUMNS,
    ADMIN_UNITS_CSV,
    BAD_KINDS,
    VN_UTC_OFFSET,
    demo_submissions,
    national_submissions,
    report_values,
    units_for_period,
    write_submission,
)
from transforms.periods import parse_period

BAC_KAN_DISTRICTS = ["058", "060", "061", "062", "063", "064", "065", "066"]


@cache
def read_back(path: Path) -> pd.DataFrame:
    """Any submission as a wide frame of strings, the way a careful reader would load it (cached:
    several tests look at the same demo files; none mutates the frame)."""
    if path.suffix == ".csv":
        f = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    elif path.suffix == ".xlsx":
        f = pd.read_excel(path, dtype=str, keep_default_na=False, engine="openpyxl")
    elif path.suffix == ".json":
        f = pd.DataFrame(json.loads(path.read_text(encoding="utf-8"))).astype(object).fillna("").astype(str)
    else:
        f = pd.read_parquet(path).astype(object).fillna("").astype(str)
    if "indicator_code" in f.columns:  # a breakdown's options are in its category columns
        key = f["indicator_code"]
        for c in (c for c in category_codes() if c in f.columns):
            key = key + f[c].map(lambda o: f":{o}" if o not in ("", "None", "nan") else "")
        f = f.assign(indicator_code=key)
        f = f.pivot(index=["period", "unit_code"], columns="indicator_code", values="value").reset_index()
    return f


def _breakdowns_add_up(rows: pd.DataFrame) -> bool:
    """Where every option of a category is given, the parts add up to the total; each option of
    recognised models is at most the same option of registered ones."""
    for ind in indicators():
        for cat in (c for c in categories() if c.code in ind.breakdowns):
            cols = [f"{ind.code}:{o}" for o in cat.option_codes]
            if not set(cols) <= set(rows.columns):
                continue
            given = rows[cols].notna().all(axis=1)
            if (rows.loc[given, cols].sum(axis=1) != rows.loc[given, ind.code]).any():
                return False
    for col in (c for c in rows.columns if c.startswith("models_recognized:")):
        bound = col.replace("recognized", "registered")
        if bound in rows.columns and (rows[col] > rows[bound]).any():
            return False
    return True


def problems(path: Path, period: str, extra_units: pd.DataFrame | None = None) -> set[str]:
    """Every rule a good file must satisfy; the names of the ones this file breaks."""
    if path.stat().st_size == 0:
        return {"empty file"}
    f = read_back(path)
    if "unit_code" not in f.columns:
        return {"no unit_code column"}
    out = set()
    if not f["period"].eq(period).all() or parse_period(period) is None:
        out.add("wrong period")
    n = f[CODES].apply(pd.to_numeric, errors="coerce")
    if (n.isna() | (n % 1 != 0)).any().any():
        out.add("non-integer")
    parts = [c for c in f.columns if ":" in c and is_value_column(c)]
    parts = f[parts].replace("", None).apply(pd.to_numeric, errors="coerce")
    if (parts < 0).any().any() or not _breakdowns_add_up(
        pd.concat([n, parts], axis=1)[f["unit_code"] != "TOTAL"]
    ):
        out.add("parts != total")
    rows, total = n[f["unit_code"] != "TOTAL"], n[f["unit_code"] == "TOTAL"]
    if (rows < 0).any().any():
        out.add("negative")
    if (rows["models_recognized"] > rows["models_registered"]).any():
        out.add("recognized > registered")
    for held, people in [
        ("conferences_held", "conference_attendees"),
        ("trainings_held", "training_attendees"),
    ]:
        if ((rows[people] < rows[held]) | ((rows[held] == 0) & (rows[people] > 0))).any():
            out.add(f"{people} without {held}")
    if (rows["petitions_resolved"] > rows["petitions_received"]).any():
        out.add("resolved > received")
    if len(total) and not total.iloc[0].equals(rows.sum()):
        out.add("TOTAL != sum")
    sender = path.parent.name
    expected = {sender} | _communes(period).get(sender, set())
    if extra_units is not None and sender in _communes(period):  # a district: its communes' twins too
        expected |= set(extra_units.loc[extra_units["parent_code"] == sender, "code"])
    codes = f.loc[f["unit_code"] != "TOTAL", "unit_code"]
    if set(codes) != expected:
        out.add("units differ from the sender's")
    if codes.duplicated().any():
        out.add("duplicated unit")
    return out


@cache
def _communes(period: str) -> dict[str, set[str]]:
    """sender -> the communes it reports for, besides its own row (the period's reporting chain)."""
    chain = reference().period_chain([period])
    chain = chain[chain["unit_code"] != chain["sender_code"]]
    return chain.groupby("sender_code")["unit_code"].agg(set).to_dict()


@cache
def _expected_senders(period: str) -> pd.DataFrame:
    chain = reference().period_chain([period])
    return chain[chain["is_expected"] & (chain["unit_code"] == chain["sender_code"])]


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> list[Path]:
    return demo_submissions(tmp_path_factory.mktemp("demo") / "inbox")


def test_demo_writes_16_files_in_every_format_and_shape(demo):
    assert len(demo) == 16 and len(set(demo)) == 16
    assert sorted({p.parent.name for p in demo}) == BAC_KAN_DISTRICTS
    assert {p.suffix for p in demo} == {".csv", ".xlsx", ".json", ".parquet"}
    assert sum(p.read_bytes().startswith(b"\xef\xbb\xbf") for p in demo if p.suffix == ".csv") == 3
    long = [p for p in demo if p.suffix != ".xlsx" and "indicator_code" in _columns(p)]
    assert sorted((p.parent.name, p.suffix) for p in long) == [
        ("061", ".parquet"),
        ("063", ".json"),
        ("065", ".csv"),
    ]


def _columns(p: Path) -> list[str]:
    if p.suffix == ".json":
        return list(json.loads(p.read_text(encoding="utf-8"))[0])
    return (
        list(pd.read_parquet(p).columns)
        if p.suffix == ".parquet"
        else pd.read_csv(p, nrows=0).columns.tolist()
    )


def test_bac_kan_districts_are_the_8_valid_in_2024():
    units = units_for_period("2024", reference())
    assert (
        sorted(units.loc[(units["level"] == "district") & (units["parent_code"] == "06"), "code"])
        == BAC_KAN_DISTRICTS
    )


def test_demo_has_exactly_one_bad_file_with_the_documented_mistakes(demo):
    found = {p: problems(p, read_back(p)["period"].iloc[0]) for p in demo}
    bad = {p: found[p] for p in demo if found[p]}
    assert [(p.parent.name, p.name) for p in bad] == [("064", "bao-cao-dan-van-2024S2.xlsx")]
    assert next(iter(bad.values())) == {
        "negative",
        "recognized > registered",
        "non-integer",
        "units differ from the sender's",
    }


def test_demo_periods_are_right(demo):
    periods = {p: set(read_back(p)["period"]) for p in demo}
    assert sorted(len([p for p, s in periods.items() if s == {code}]) for code in ("2024S1", "2024S2")) == [
        8,
        8,
    ]


def test_demo_total_rows_equal_the_sums(demo):
    with_total = [p for p in demo if "TOTAL" in set(read_back(p)["unit_code"])]
    assert len(with_total) == 4
    for p in with_total:
        f = read_back(p)
        n = f[CODES].astype("int64")
        assert (f["unit_code"] == "TOTAL").sum() == 1 and f["unit_code"].iloc[-1] == "TOTAL"
        assert n.iloc[-1].tolist() == n.iloc[:-1].sum().tolist()


def test_xlsx_codes_are_text_cells_with_leading_zeros(demo):
    for p in (p for p in demo if p.suffix == ".xlsx"):
        ws = openpyxl.load_workbook(p).active
        cells = [row[0] for row in ws.iter_rows(min_row=2, min_col=2, max_col=2)]
        assert all(c.data_type == "s" and c.number_format == "@" for c in cells)
        assert {c.value for c in cells} >= {p.parent.name}
        assert all(c.value == "TOTAL" or c.value.startswith("0") for c in cells)


@pytest.mark.parametrize("fmt", ["csv", "csv-bom", "xlsx", "json", "parquet"])
@pytest.mark.parametrize("shape", ["wide", "long"])
def test_write_submission_round_trips_codes_and_values(tmp_path, fmt, shape):
    rng = np.random.default_rng(1)
    values = report_values(["064", "02020", "02023"], rng).reset_index()
    frame = pd.concat(
        [
            pd.DataFrame(
                {
                    "period": ["2024S1"] * 3,
                    "unit_name": ["Huyện Chợ Đồn", "Thị trấn Bằng Lũng", "Xã Xuân Lạc"],
                }
            ),
            values,
        ],
        axis=1,
    )
    frame = frame[["period", "unit_code", "unit_name", *CODES]]
    path = write_submission(tmp_path / "064" / f"f.{fmt.split('-')[0]}", frame, fmt, shape)
    back = read_back(path)
    written = ["064", "02020", "02023"]  # a long file reads back pivoted, so sorted by unit code
    assert back["unit_code"].tolist() == (written if shape == "wide" else sorted(written))
    back = back.set_index("unit_code").loc[["064", "02020", "02023"], CODES].astype("int64")
    assert back.to_numpy().tolist() == frame[CODES].astype("int64").to_numpy().tolist()


@pytest.mark.parametrize("seed", range(5))
def test_report_values_satisfy_every_rule(seed):
    v = report_values([f"{i:05d}" for i in range(2000)], np.random.default_rng(seed), months=12)
    assert [c for c in v.columns if ":" not in c] == CODES and all(str(t) == "Int64" for t in v.dtypes)
    assert not v[CODES].isna().any().any() and (v.fillna(0) >= 0).all().all()
    assert (v["models_recognized"] <= v["models_registered"]).all()
    assert _breakdowns_add_up(v)
    shown = v["models_registered:kinh_te"].notna().mean()  # the share of units with breakdowns
    assert 0.35 < shown < 0.45 and v["models_recognized:tap_the"].notna().all()
    assert (v["funds_mobilised_vnd"] % 100_000 == 0).all() and v["funds_mobilised_vnd"].max() > 10**8
    for held, people in [
        ("conferences_held", "conference_attendees"),
        ("trainings_held", "training_attendees"),
    ]:
        assert (v[people] >= v[held]).all() and (v.loc[v[held] == 0, people] == 0).all()
    assert (v["petitions_resolved"] <= v["petitions_received"]).all()
    per_conf = (
        v["conference_attendees"][v["conferences_held"] > 0]
        / v["conferences_held"][v["conferences_held"] > 0]
    )
    assert per_conf.between(30, 150).all()
    assert (v == 0).any().any() and v["conferences_held"].max() > 3 * v["conferences_held"].median()


def test_units_for_period_takes_the_version_valid_in_the_period():
    units = units_for_period("2024S2", reference()).set_index("code")
    assert units.loc["02059", "name"] == "Xã Đồng Thắng" and units.loc["02059", "parent_code"] == "064"
    assert "02056" not in units.index  # ended 2020
    assert list(units.columns) == ["level", "name", "parent_code"]
    assert (
        units_for_period("2025S2", reference())
        .query("level == 'commune'")["parent_code"]
        .str.len()
        .eq(2)
        .all()
    )
    assert units.loc["06", "parent_code"] == "" and units.loc["064", "parent_code"] == "06"


def _districts_valid(period: str) -> int:
    units = reference().period_units([period])
    return int((units["unit_level"] == "district").sum())


@pytest.fixture(scope="module")
def national(tmp_path_factory) -> dict:
    return national_submissions(tmp_path_factory.mktemp("national"), ["2024S1"], error_rate=0.02)


def test_national_writes_one_file_per_expected_sender_with_the_requested_error_share(national):
    n = _districts_valid("2024S1")
    assert n == 705  # as published for 2024-06-30 (tests/unit/test_admin_units.py); none ended in 2024S1
    senders = _expected_senders("2024S1")
    # the chain before the reform: every district, every province's own level, Bắc Kạn's 4 bodies
    assert senders["sender_kind"].value_counts().to_dict() == {"district": 705, "province": 63, "body": 4}
    files, bad = national["files"], national["bad_files"]
    assert len(files) == len({p.parent.name for p in files}) == len(senders)
    assert {p.parent.name for p in files} == set(senders["sender_code"])
    assert len(bad) == round(0.02 * len(files)) and set(bad) <= set(files)
    assert len(set(national["bad_kinds"].values())) == min(len(bad), len(BAD_KINDS))
    assert national["synthetic_units"].empty
    assert national["late_files"] == []  # late_rate 0: every file arrives by the deadline
    deadline = parse_period("2024S1").deadline
    for p in files[::40]:  # the file's mtime is its simulated arrival, after the period, by the deadline
        arrived = national["arrivals"][str(p)]
        assert int(arrived.timestamp()) == int(p.stat().st_mtime)
        assert parse_period("2024S1").end < (arrived + VN_UTC_OFFSET).date() <= deadline


def test_after_the_reform_every_commune_province_and_body_sends_its_own_row(tmp_path):
    """Lai Châu (12) in 2025S2: its 38 communes, its own level and its 4 bodies, one row each;
    a share of them late (1-10 days after the deadline, local time)."""
    out = national_submissions(tmp_path, ["2025S2"], error_rate=0, late_rate=0.25, provinces=["12"])
    senders = _expected_senders("2025S2").query("province_code == '12'")
    assert senders["sender_kind"].value_counts().to_dict() == {"commune": 38, "body": 4, "province": 1}
    assert {p.parent.name for p in out["files"]} == set(senders["sender_code"])
    for p in out["files"][::4]:
        f = read_back(p)
        assert list(f["unit_code"]) == [p.parent.name] and problems(p, "2025S2") == set()
    assert read_back(tmp_path / "CQ12-03" / "bao-cao-dan-van-2025S2.csv")["unit_name"].tolist() == [
        "Công an tỉnh Lai Châu"
    ]
    assert len(out["late_files"]) == round(0.25 * len(out["files"]))
    deadline = parse_period("2025S2").deadline
    for p in out["files"]:
        local = (out["arrivals"][str(p)] + VN_UTC_OFFSET).date()
        assert (local > deadline) == (p in out["late_files"])
        assert local <= deadline + timedelta(days=10)


def test_national_bad_files_fail_and_good_files_pass(national):
    for p in national["bad_files"]:
        assert problems(p, "2024S1"), national["bad_kinds"][str(p)]
    good = sorted(set(national["files"]) - set(national["bad_files"]))
    for p in good[::50]:
        assert problems(p, "2024S1") == set(), p


@pytest.mark.parametrize(
    ("period", "province"), [("2024S1", "06"), ("2025S2", "12")]
)  # districts send their communes, then each commune sends its own
def test_scale_doubles_the_communes_with_registrable_synthetic_units(tmp_path, period, province):
    two = national_submissions(tmp_path, [period], error_rate=0, scale=2, provinces=[province])
    syn = two["synthetic_units"]
    codes = [c for p in two["files"] for c in read_back(p)["unit_code"] if c != "TOTAL"]
    chain = reference().period_chain([period]).query(f"province_code == '{province}'")
    real = set(chain.loc[chain["unit_level"] == "commune", "unit_code"])
    assert len(codes) == len(set(codes))  # no unit twice
    assert len(set(codes) & set(syn["code"])) == len(syn) == len(set(codes) & real) > 0.99 * len(real)
    real_units = pd.read_csv(ADMIN_UNITS_CSV, dtype=str, keep_default_na=False)
    assert list(syn.columns) == ADMIN_COLUMNS == list(real_units.columns)
    assert syn["code"].is_unique and set(syn["code"]).isdisjoint(real_units["code"])
    assert syn["code"].str.fullmatch(r"9\d{5}").all() and set(syn["parent_code"]) <= set(real_units["code"])
    assert (syn["source"] == "synthetic:scale").all()
    assert syn["unit_type"].isin(["xa", "phuong", "thi_tran", "dac_khu"]).all()
    for p in two["files"][:: max(1, len(two["files"]) // 10)]:
        assert problems(p, period, syn) == set()


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path):
    a, b, c = (
        national_submissions(tmp_path / d, ["2025S2"], error_rate=0.2, seed=s, provinces=["12"])
        for d, s in [("a", 3), ("b", 3), ("c", 4)]
    )
    assert [p.relative_to(tmp_path / "a") for p in a["files"]] == [
        p.relative_to(tmp_path / "b") for p in b["files"]
    ]
    assert [p.read_bytes() for p in a["files"]] == [p.read_bytes() for p in b["files"]]
    assert [p.read_bytes() for p in a["files"]] != [p.read_bytes() for p in c["files"]]


def test_the_pipeline_accepts_every_demo_file_but_the_bad_one(demo):
    """The validator's verdicts on the demo (breakdowns, TOTAL rows, long files with category
    columns): one file rejected, for exactly its documented mistakes."""
    from transforms.validate import validate_batch

    receipts = [
        {"submission_id": f"s{n}", "sender_code": p.parent.name, "file_name": p.name, "archive_path": str(p),
         "received_at": "2025-01-10T00:00:00+00:00", "sha256": str(n)}
        for n, p in enumerate(demo)
    ]  # fmt: skip
    result = validate_batch(receipts, reference=reference())
    verdicts = dict(zip(result.submissions["submission_id"], result.submissions["verdict"], strict=True))
    bad = [
        f"s{n}"
        for n, p in enumerate(demo)
        if (p.parent.name, p.name) == ("064", "bao-cao-dan-van-2024S2.xlsx")
    ]
    assert {s for s, v in verdicts.items() if v != "accepted"} == set(bad)
    assert sorted(result.issues.loc[result.issues["submission_id"] == bad[0], "issue_code"]) == [
        "models_recognized_exceeds_registered", "unit_outside_sender", "value_negative", "value_not_integer",
    ]  # fmt: skip
    assert (result.values["breakdown"] != "total").sum() > 0
