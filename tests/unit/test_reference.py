"""transforms/reference.py: the as-of hierarchy (int_period_units) as validation, the crosschecks
and the generator ask for it."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import pandas as pd

from tests.helpers import reference
from transforms.reference import PERIOD_UNIT_COLUMNS, Reference


def test_period_units_are_as_of_the_period_codes_reused_after_the_reform():
    units = reference().period_units(["2025S1", "2025S2"]).set_index(["period_code", "unit_code"])
    assert list(units.reset_index().columns) == list(PERIOD_UNIT_COLUMNS)
    assert units.loc[("2025S1", "15"), "unit_name"] == "Tỉnh Yên Bái"
    assert units.loc[("2025S2", "15"), "unit_name"] == "Tỉnh Lào Cai"
    # a commune of Chợ Đồn: its district and province in 2025S1; no district after the reform
    assert tuple(units.loc[("2025S1", "02020"), ["unit_level", "district_code", "province_code"]]) == (
        "commune", "064", "06")  # fmt: skip
    assert pd.isna(units.loc[("2025S2", "02020"), "district_code"])
    assert units.loc[("2025S2", "02020"), "province_code"] == "19"  # Bắc Kạn merged into Thái Nguyên


def test_codes_that_are_not_calendar_periods_are_ignored():
    ref = reference()
    assert set(ref.period_units(["2024S1", "2024H1", "1999", "2101S1"])["period_code"]) == {"2024S1"}
    empty = ref.period_units(["2024H1"])
    assert empty.empty and list(empty.columns) == list(PERIOD_UNIT_COLUMNS)
    assert ref.scope([]).unit_keys == frozenset()


def test_scope_keys_say_who_may_report_whom():
    scope = reference().scope(["2024S1"])
    assert {"2024S1:064", "2024S1:02020", "2024S1:06"} <= scope.unit_keys
    assert {"2024S1:064:02020", "2024S1:06:02020", "2024S1:02020:02020", "2024S1:06:064"} <= scope.scope_keys
    assert "2024S1:058:02020" not in scope.scope_keys  # another district's commune
    assert "2024S1:02023:02020" not in scope.scope_keys  # a commune never reports its neighbour


# A synthetic commune of Chợ Đồn (064), in the columns of schemas/reference/admin_units.csv
TWIN = {
    "code": "900001", "level": "commune", "name": "Xã Mô Phỏng", "short_name": "Mô Phỏng",
    "unit_type": "xa", "parent_code": "064", "valid_from": "2004-08-31", "valid_to": "2025-07-01",
    "source": "synthetic:scale",
}  # fmt: skip


def test_extra_units_join_the_hierarchy():
    ref = Reference(pd.DataFrame([TWIN]))
    try:
        units = ref.period_units(["2024S1", "2025S2"]).set_index(["period_code", "unit_code"])
    finally:
        ref.close()
    assert tuple(units.loc[("2024S1", "900001"), ["district_code", "province_code"]]) == ("064", "06")
    assert ("2025S2", "900001") not in units.index  # it ended with its district
    assert ("2024S1", "900001") not in reference().period_units(["2024S1"]).set_index(
        ["period_code", "unit_code"]).index  # fmt: skip


def test_questions_in_parallel_never_see_each_other_s_periods():
    """One Reference serves every batch of a process: each question has its own scope."""
    ref = reference()
    periods = ["2024S1", "2024S2", "2025S1", "2025S2"] * 2
    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda p: set(ref.period_units([p])["period_code"]), periods))
    assert answers == [{p} for p in periods]


def test_the_shared_reference_follows_its_extra_units_file(tmp_path):
    extra = tmp_path / "extra_units.csv"
    assert Reference.shared(extra) is Reference.shared(None)  # no file yet: the plain reference
    pd.DataFrame([{**TWIN, "code": "900001"}]).to_csv(extra, index=False)
    first = Reference.shared(extra)
    assert first is Reference.shared(extra)
    assert "2024S1:900001" in first.scope(["2024S1"]).unit_keys
    pd.DataFrame([{**TWIN, "code": "900002"}]).to_csv(extra, index=False)
    os.utime(extra, ns=(extra.stat().st_atime_ns, extra.stat().st_mtime_ns + 1_000_000))
    second = Reference.shared(extra)
    assert second is not first
    assert "2024S1:900002" in second.scope(["2024S1"]).unit_keys
    assert "2024S1:900001" not in second.scope(["2024S1"]).unit_keys


def test_a_scope_is_built_once_per_set_of_periods_and_the_oldest_goes(monkeypatch):
    ref = reference()
    monkeypatch.setattr(Reference, "SCOPES_KEPT", 1)
    first = ref.scope(["2024S1", "2024S1", "not a period"])
    assert ref.scope(["2024S1"]) is first  # the same periods: kept, not built again
    other = ref.scope(["2025S2"])
    assert "2024S1:064" in first.unit_keys and "2025S2:064" not in other.unit_keys  # no districts after
    assert ref.scope(["2024S1"]) is not first and ref.scope(["2024S1"]) == first  # evicted, rebuilt
