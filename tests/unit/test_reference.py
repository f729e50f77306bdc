"""transforms/reference.py: the as-of hierarchy (int_period_units) as validation, the crosschecks
and the generator ask for it."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import pandas as pd

from tests.helpers import reference
from transforms.reference import PERIOD_CHAIN_COLUMNS, PERIOD_UNIT_COLUMNS, Reference, Scope


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
    """The reporting chain of the period (schemas/reporting_chain.yaml): before the reform a district
    sends for its communes and its own row, a province and a body for their own rows only."""
    scope = reference().scope(["2024S1"])
    assert {"2024S1:064", "2024S1:02020", "2024S1:06", "2024S1:CQ06-03"} <= scope.unit_keys
    assert {"2024S1:064:02020", "2024S1:064:064", "2024S1:02020:02020", "2024S1:06:06"} <= scope.scope_keys
    assert "2024S1:CQ06-03:CQ06-03" in scope.scope_keys
    assert "2024S1:058:02020" not in scope.scope_keys  # another district's commune
    assert "2024S1:02023:02020" not in scope.scope_keys  # a commune never reports its neighbour
    assert not {"2024S1:06:02020", "2024S1:06:064"} & scope.scope_keys  # a province: its own level only
    assert {"2024S1:064", "2024S1:06", "2024S1:02020", "2024S1:CQ06-03"} <= scope.sender_keys
    assert "2024S1:CQ01-03" not in scope.sender_keys  # Hà Nội's police registered from 2025-07-01


def expected(period: str) -> pd.DataFrame:
    chain = reference().period_chain([period])
    return chain[chain["is_expected"] & (chain["unit_code"] == chain["sender_code"])]


def test_before_the_reform_a_district_reports_its_communes_and_its_own_row():
    chain = reference().period_chain(["2024S1"])
    assert list(chain.columns) == list(PERIOD_CHAIN_COLUMNS)
    chain = chain.set_index(["sender_code", "unit_code"])
    communes = (
        reference().period_units(["2024S1"]).query("district_code == '064' and unit_level == 'commune'")
    )
    assert set(chain.loc["064"].index) == {"064", *communes["unit_code"]}
    assert chain.loc[("064", "02020"), "sender_kind"] == "district"
    assert not chain.loc[("02020", "02020"), "is_expected"]  # a commune may send; it is not expected
    senders = expected("2024S1")
    assert senders.groupby("sender_kind")["sender_code"].nunique().to_dict() == {
        "district": 705, "province": 63, "body": 4}  # fmt: skip
    assert sorted(senders.query("province_code == '06'")["sender_code"]) == [
        "058", "06", "060", "061", "062", "063", "064", "065", "066",
        "CQ06-01", "CQ06-02", "CQ06-03", "CQ06-04",
    ]  # fmt: skip


def test_after_the_reform_each_commune_sends_for_itself_and_bodies_count_in_their_province():
    chain = reference().period_chain(["2026S1"])
    assert (chain["sender_code"] == chain["unit_code"]).all()  # every sender reports its own row
    senders = expected("2026S1")
    assert senders.groupby("sender_kind")["sender_code"].nunique().to_dict() == {
        "commune": 3321, "province": 34, "body": 136}  # fmt: skip
    police = senders.set_index("sender_code").loc["CQ19-03"]
    assert (police["sector"], police["province_code"], police["sender_kind"]) == ("an ninh", "19", "body")
    assert senders.set_index("sender_code").loc["02020", "province_code"] == "19"  # Xã Chợ Đồn, Thái Nguyên
    scope = reference().scope(["2026S1"])
    assert "2026S1:064" not in scope.sender_keys and "2026S1:02020" in scope.sender_keys


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


def test_a_scope_is_built_once_per_period_and_the_oldest_goes(monkeypatch):
    ref = reference()
    monkeypatch.setattr(Reference, "SCOPES_KEPT", 1)
    first = ref.scope(["2024S1", "2024S1", "not a period"])
    assert ref.scope(["2024S1"]) is first  # the same period: kept, not built again
    other = ref.scope(["2025S2"])
    assert "2024S1:064" in first.unit_keys and "2025S2:064" not in other.unit_keys  # no districts after
    assert ref.scope(["2024S1"]) is not first and ref.scope(["2024S1"]) == first  # evicted, rebuilt
    both = ref.scope(["2025S2", "2024S1"])  # several periods: the union of each period's
    assert both == Scope(
        first.unit_keys | other.unit_keys,
        first.scope_keys | other.scope_keys,
        first.sender_keys | other.sender_keys,
    )
    assert "2024S1:064" in both.unit_keys and "2024S1:064:02020" in both.scope_keys
