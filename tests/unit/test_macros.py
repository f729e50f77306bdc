"""The warehouse macros (warehouse/macros): a rule several models share, written once."""

from __future__ import annotations

import duckdb
import pytest

from transforms.warehouse import MACROS_DIR


@pytest.fixture(scope="module")
def con():
    c = duckdb.connect()
    for path in sorted(MACROS_DIR.glob("*.sql")):
        c.execute(path.read_text(encoding="utf-8"))
    yield c
    c.close()


@pytest.mark.parametrize(
    ("unit_level", "unit_code", "parent_code", "parent_level", "grandparent_code", "province"),
    [
        ("province", "06", None, None, None, "06"),
        ("district", "064", "06", "province", None, "06"),
        ("commune", "02020", "064", "district", "06", "06"),  # before the reform: via its district
        ("commune", "02020", "19", "province", None, "19"),  # after it: straight to its province
    ],
)
def test_province_of(con, unit_level, unit_code, parent_code, parent_level, grandparent_code, province):
    found = con.execute(
        "select province_of(?, ?, ?, ?, ?)",
        [unit_level, unit_code, parent_code, parent_level, grandparent_code],
    ).fetchall()
    assert found == [(province,)]


@pytest.mark.parametrize(
    ("time_aggregation", "values", "expected"),
    [
        ("sum", "[3, 4]", 7),  # a flow: S1 + S2
        ("last", "[30, 34]", 34),  # a stock: the value at the end of the window
        ("sum", "[1, 2, 3, 4, 5, 6]", 21),  # a phase's six halves
        ("last", "[30, NULL]", None),  # a part without a figure: the window is never guessed
        ("sum", "[NULL, 4]", None),
        ("sum", "[]", None),
    ],
)
def test_over_time(con, time_aggregation, values, expected):
    assert con.execute(f"select over_time(?, {values}::bigint[])", [time_aggregation]).fetchall() == [
        (expected,)
    ]
