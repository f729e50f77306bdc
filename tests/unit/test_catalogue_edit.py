"""Adding a category, an option and an indicator is one catalogue edit: on a loaded warehouse,
every value stored before stays valid and queryable, and files using the new codes load."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tests.unit.validation_cases import receipt, rows, validate, write_csv
from transforms import catalogue, isolation, warehouse
from transforms.load import load_artefacts

NEW_CATEGORY = """  - code: bloc
    label_vi: Khối
    label_en: Bloc
    options:
      - {code: chinh_quyen, label_vi: Khối chính quyền, label_en: State agencies}
      - {code: mat_tran, label_vi: Mặt trận và đoàn thể, label_en: Front and mass organisations}
"""
NEW_INDICATOR = """  - code: houses_built
    label_vi: Số nhà Đại đoàn kết xây dựng
    label_en: Great-solidarity houses built
    group: funds
"""


def _edited(text: str) -> str:
    """The catalogue with a category (bloc, on models_registered), an option of field and an indicator."""
    text = text.replace("categories:\n", "categories:\n" + NEW_CATEGORY, 1)
    text = text.replace(
        "      - {code: xay_dung_he_thong_chinh_tri,",
        "      - {code: nong_thon_moi, label_vi: Nông thôn mới, label_en: New countryside}\n"
        "      - {code: xay_dung_he_thong_chinh_tri,",
        1,
    )
    text = text.replace(
        "    breakdowns: [holder, field, model_kind]", "    breakdowns: [holder, field, model_kind, bloc]"
    )
    return text + NEW_INDICATOR


def _load(pipeline_db: Path, folder: Path, files: list[Path]) -> None:
    result = validate(*(receipt(f) for f in files))
    assert set(result.submissions["verdict"]) == {"accepted"}, result.issues
    art = isolation.write_artefacts(folder, [], result.submissions, result.issues, result.values)
    con = warehouse.open_pipeline(pipeline_db)
    try:
        load_artefacts(con, [art])
    finally:
        con.close()


def _q(path: Path, query: str) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.sql(query).fetchall()
    finally:
        con.close()


@pytest.fixture
def edited_catalogue(tmp_path, monkeypatch):
    path = tmp_path / "indicators.yaml"
    path.write_text(_edited(catalogue.CATALOGUE.read_text(encoding="utf-8")), encoding="utf-8")

    def edit():
        monkeypatch.setattr(catalogue, "CATALOGUE", path)
        catalogue.reload()

    yield edit
    monkeypatch.undo()
    catalogue.reload()


def test_a_category_an_option_and_an_indicator_added_to_a_loaded_warehouse(tmp_path, edited_catalogue):
    pipeline_db, built = tmp_path / "pipeline.duckdb", tmp_path / "w.duckdb"
    before = rows(units=["02020", "02023"], u02020={"models_registered:kinh_te": 2})
    _load(pipeline_db, tmp_path / "a1", [write_csv(tmp_path / "before.csv", before)])
    warehouse.check(warehouse.build(pipeline_db, built))
    old = _q(
        built,
        "select breakdown, value from province_totals where indicator_code = 'models_registered' order by 1",
    )
    assert old == [("field=kinh_te", 2), ("total", 4)]

    edited_catalogue()  # one edit of schemas/indicators.yaml, nothing else
    after = rows(
        period="2024S2",
        units=["02020"],
        u02020={"models_registered:chinh_quyen": 1, "models_recognized:nong_thon_moi": 1, "houses_built": 3},
    )
    _load(pipeline_db, tmp_path / "a2", [write_csv(tmp_path / "after.csv", after)])
    warehouse.check(warehouse.build(pipeline_db, built))  # every data test passes

    # the values stored before: the same rows, NULL (all blocs) in the new column
    assert _q(
        built,
        "select breakdown, field, bloc, value from province_totals "
        "where period = '2024S1' and indicator_code = 'models_registered' order by 1",
    ) == [("field=kinh_te", "kinh_te", None, 2), ("total", None, None, 4)]
    # the new codes, queryable in plain SQL
    assert _q(built, "select value from province_totals where bloc = 'chinh_quyen'") == [(1,)]
    assert _q(built, "select value from province_totals where field = 'nong_thon_moi'") == [(1,)]
    assert _q(built, "select value from province_totals where indicator_code = 'houses_built'") == [(3,)]
    assert ("bloc", "chinh_quyen") in _q(built, "select category_code, option_code from breakdown_options")
    # every mart with a breakdown has the new column, today's map too (a list of categories written
    # into a model would leave it out)
    with_breakdown = {
        t for (t,) in _q(built, "select table_name from duckdb_columns() where column_name = 'breakdown'")
    }
    with_bloc = {
        t for (t,) in _q(built, "select table_name from duckdb_columns() where column_name = 'bloc'")
    }
    assert {
        "province_totals_current_map",
        "commune_totals_current_map",
        "window_totals_current_map",
    } <= with_breakdown
    assert with_breakdown - with_bloc == set()
    assert _q(
        built,
        "select current_province_code, value from province_totals_current_map where bloc = 'chinh_quyen'",
    ) == [("19", 1)]  # Bắc Kạn's commune 02020, on today's map: Thái Nguyên
    assert _q(built, "select value from commune_totals_current_map where bloc = 'chinh_quyen'") == [(1,)]


def test_a_file_with_breakdowns_loads_and_the_documented_queries_answer(tmp_path):
    """Field and holder breakdowns from two districts' files, and a stock over a year: the
    README's example queries run, and models_recognised_in_the_economic_field answers per province."""
    from bench.run import named_queries

    pipeline_db, built = tmp_path / "pipeline.duckdb", tmp_path / "w.duckdb"
    parts = {"models_recognized:kinh_te": 1, "models_recognized:tap_the": 1, "models_recognized:ca_nhan": 0}
    files = [
        write_csv(tmp_path / "064.csv", rows(units=["02020", "02023"], u02020=parts)),
        write_csv(tmp_path / "058.csv", rows(units=["01834"], u01834=parts)),  # Bắc Kạn too (06)
        write_csv(tmp_path / "064s2.csv", rows("2024S2", ["02020"], u02020={"models_active": 5})),
    ]
    result = validate(receipt(files[0]), receipt(files[1], sender="058"), receipt(files[2]))
    assert set(result.submissions["verdict"]) == {"accepted"}
    con = warehouse.open_pipeline(pipeline_db)
    try:
        load_artefacts(
            con,
            [isolation.write_artefacts(tmp_path / "a", [], result.submissions, result.issues, result.values)],
        )
    finally:
        con.close()
    warehouse.check(warehouse.build(pipeline_db, built))

    queries = named_queries()
    answer = _q(built, queries["models_recognised_in_the_economic_field"])
    assert answer == [("06", "Tỉnh Bắc Kạn", 2, 2, 3)]  # 2 of the 3 units gave the field; 3 recognised
    for query in queries.values():
        _q(built, query)  # every documented query runs on a warehouse with breakdowns
    by_year = {
        (code, value) for _, prov, _, code, _, value, _ in _q(built, queries["province_indicator_by_year"])
    }
    assert ("models_active", 5) in by_year  # a stock's year: its S2 (S1's 1 + 1 + 1 are not added)
    assert ("models_registered", 2 * 3 + 2) in by_year  # a flow's year: S1 + S2


@pytest.mark.parametrize("code", ["sector", "expected_senders", "value", "Field"])
def test_a_category_that_would_clash_with_a_mart_column_is_refused(tmp_path, monkeypatch, code):
    path = tmp_path / "indicators.yaml"
    path.write_text(
        _edited(catalogue.CATALOGUE.read_text(encoding="utf-8")).replace("code: bloc", f"code: {code}")
    )
    monkeypatch.setattr(catalogue, "CATALOGUE", path)
    catalogue.reload()
    try:
        with pytest.raises(ValueError, match="cannot be a column name"):
            catalogue.categories()
    finally:
        monkeypatch.undo()
        catalogue.reload()
