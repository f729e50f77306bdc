"""Breakdowns (schemas/indicators.yaml categories): reading them, parts against totals, derived
totals, bounds per option, and the catalogue's keys. One batch for the whole module."""

from __future__ import annotations

import csv

import pytest

from tests.unit.validation_cases import Cases, rows
from transforms import catalogue
from transforms.catalogue import breakdown_key, column_of, parse_key

LONG_HEADER = ["period", "unit_code", "indicator_code", "field", "holder", "value"]


def _long(*records) -> list[dict]:
    return [dict(zip(LONG_HEADER, ("2024S1", *r), strict=True)) for r in records]


WIDE = {  # key -> (changes to rows(), expected issues)
    # field and holder one way each, as senders fill the template: they add up, nothing to say
    "one_way": ({"u02020": {"models_recognized:kinh_te": 1, "models_recognized:tap_the": 0,
                            "models_recognized:ca_nhan": 1, "models_registered:kinh_te": 2}}, []),
    # every option of field reported, and their sum is not the total: the error names the parts
    "field_ne": ({"u02020": {"models_registered:kinh_te": 1, "models_registered:van_hoa_xa_hoi": 0,
                             "models_registered:quoc_phong_an_ninh": 0,
                             "models_registered:xay_dung_he_thong_chinh_tri": 0}},
                 [("breakdown_parts_ne_total", 2, "models_registered", "2")]),
    # only some options reported: they may not exceed the total
    "partial_over": ({"u02020": {"inspections_held:cap_uy": 3}},
                     [("breakdown_parts_ne_total", 2, "inspections_held", "2")]),
    # the parts without the total (an empty cell): a derived total, no problem
    "derived": ({"u02020": {"dialogues_held": "", "dialogues_held:dinh_ky": 2, "dialogues_held:dot_xuat": 1}}, []),
    # recognised <= registered for each option both report
    "per_option": ({"u02020": {"models_recognized:kinh_te": 1, "models_registered:kinh_te": 0}},
                   [("models_recognized_exceeds_registered", 2, "models_recognized:kinh_te", "1")]),
    # the explicit form indicator:category=option reads too
    "explicit": ({"u02020": {"models_recognized:field=kinh_te": 1}}, []),
}  # fmt: skip
LONG = {
    # crossed (field x holder) with its margin: the margin must add up; total derived from nothing
    "crossed": (
        _long(
            ("02020", "models_recognized", "", "", "3"),
            ("02020", "models_recognized", "kinh_te", "", "2"),
            ("02020", "models_recognized", "kinh_te", "tap_the", "1"),
            ("02020", "models_recognized", "kinh_te", "ca_nhan", "2"),
        ),
        [("breakdown_parts_ne_total", 3, "models_recognized:field=kinh_te", "2")],
    ),
    "unknown_option": (
        _long(("02020", "models_registered", "", "", "3"), ("02020", "documents_issued", "kinh_te", "", "1")),
        [("breakdown_option_unknown", 3, "documents_issued:field=kinh_te", "1")],
    ),
    "legacy_code": (  # an old indicator code in a long file is the holder breakdown
        _long(
            ("02020", "models_recognized", "", "", "2"),
            ("02020", "models_recognized_collective", "", "", "2"),
        ),
        [],
    ),
    "only_parts": (  # a total derived from crossed parts: margins first, then the total
        _long(
            ("02020", "models_registered", "kinh_te", "tap_the", "1"),
            ("02020", "models_registered", "kinh_te", "ca_nhan", "2"),
            ("02020", "models_registered", "van_hoa_xa_hoi", "tap_the", "4"),
        ),
        [],
    ),
}


def _with_total() -> list[dict]:
    """Two units, one broken down by inspection kind, and a declared TOTAL row that adds up: its
    parts sum one unit's, so they do not make its total, and that is no error."""
    records = rows(
        units=["02020", "02023"], u02020={"inspections_held:cap_uy": 1, "inspections_held:nghiep_vu": 1}
    )
    total = {"period": "2024S1", "unit_code": "TOTAL"}
    total |= {
        c: sum(r[c] for r in records if isinstance(r.get(c), int)) for c in records[0] if c not in total
    }
    return [*records, total]


@pytest.fixture(scope="module")
def cases(tmp_path_factory) -> Cases:
    c = Cases(tmp_path_factory.mktemp("breakdowns"))
    c.add("declared_total", _with_total())
    for key, (change, _) in WIDE.items():
        c.add(key, rows(units=["02020", "02023"], **change))
    for key, (records, _) in LONG.items():
        c.add(key, records, LONG_HEADER)
    return c


def _values(cases, key):
    v = cases.result.values
    v = v[v["submission_id"] == f"sub_{key}"]
    return {(r.unit_code, r.indicator_code, r.breakdown): r.value for r in v.itertuples()}


@pytest.mark.parametrize("key", [*WIDE, *LONG])
def test_breakdown_checks(cases, key):
    expected = {**WIDE, **LONG}[key][1]
    assert cases.issues(key) == expected


def test_a_declared_total_row_is_not_judged_by_its_parts(cases):
    assert cases.issues("declared_total") == []
    assert _values(cases, "declared_total")[("TOTAL", "inspections_held", "total")] == 4


def test_a_wide_file_stores_one_way_breakdowns_with_their_option_columns(cases):
    v = cases.result.values
    v = v[v["submission_id"] == "sub_one_way"]
    kinh_te = v[(v["indicator_code"] == "models_recognized") & (v["breakdown"] == "field=kinh_te")]
    assert kinh_te[["unit_code", "field", "value"]].values.tolist() == [["02020", "kinh_te", 1]]
    assert kinh_te["holder"].isna().all() and kinh_te["recognition_level"].isna().all()
    # an empty breakdown cell (02023 has none) is no figure; every total is there
    assert set(v.loc[v["unit_code"] == "02023", "breakdown"]) == {"total"}


def test_parts_without_a_total_give_a_derived_total(cases):
    assert _values(cases, "derived")[("02020", "dialogues_held", "total")] == 3
    only = _values(cases, "only_parts")
    assert only[("02020", "models_registered", "field=kinh_te")] == 3  # margin of the crossed parts
    assert only[("02020", "models_registered", "holder=tap_the")] == 5
    assert only[("02020", "models_registered", "total")] == 7
    legacy = _values(cases, "legacy_code")
    assert legacy[("02020", "models_recognized", "holder=tap_the")] == 2


def test_catalogue_keys():
    assert parse_key("models_recognized_individual").canonical == "models_recognized:ca_nhan"
    key = parse_key("models_recognized:tap_the:kinh_te")
    assert (
        key.breakdown == "field=kinh_te;holder=tap_the"
        and key.canonical == "models_recognized:kinh_te:tap_the"
    )
    assert not parse_key("models_recognized:tap_the:ca_nhan").known_options  # two of one category
    assert not parse_key("documents_issued:kinh_te").known_options
    assert not parse_key("nothing").known_indicator
    assert (
        breakdown_key({}) == "total" and column_of("x", "field=kinh_te;holder=tap_the") == "x:kinh_te:tap_the"
    )


def test_stocks_are_the_catalogues_last_indicators():
    assert "models_active" in catalogue.stock_codes() and "models_registered" not in catalogue.stock_codes()


def test_the_catalogue_refuses_ambiguous_options(tmp_path, monkeypatch):
    text = catalogue.CATALOGUE.read_text(encoding="utf-8").replace("code: ca_nhan", "code: tap_the")
    (tmp_path / "indicators.yaml").write_text(text, encoding="utf-8")
    monkeypatch.setattr(catalogue, "CATALOGUE", tmp_path / "indicators.yaml")
    catalogue.reload()
    try:
        with pytest.raises(ValueError, match="unique"):
            catalogue.indicators()
    finally:
        monkeypatch.undo()
        catalogue.reload()


def test_long_header_is_written_as_given(tmp_path):
    # the fixture's long files carry field and holder columns; a reader keeps them as categories
    path = tmp_path / "x.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([LONG_HEADER, ["2024S1", "02020", "models_recognized", "KINH_TE", "", "1"]])
    from transforms.readers import read_submission

    read = read_submission(path)
    assert read.unknown_columns == [] and read.value_rows[0][3] == "models_recognized:field=kinh_te"
