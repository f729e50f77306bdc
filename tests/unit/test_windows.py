"""A window (nine months, a phase) follows each indicator's time aggregation (issue 10 item 5): the
README's window_totals query gives a flow's sum over the tiling and a stock's last period."""

from __future__ import annotations

import duckdb

from bench.run import named_queries
from tests.unit.test_warehouse import raw_pipeline
from transforms import warehouse

ROWS = [  # sender, period, unit, indicator, value: the province's own row, three halves of 2018-2020
    ("06", "2018S1", "06", "models_active", 10),
    ("06", "2019S2", "06", "models_active", 11),
    ("06", "2020S2", "06", "models_active", 12),  # the window's last half: a stock's figure
    ("06", "2018S1", "06", "conferences_held", 1),
    ("06", "2019S2", "06", "conferences_held", 2),
    ("06", "2020S2", "06", "conferences_held", 4),  # a flow: 1 + 2 + 4
]


def test_a_phase_sums_flows_and_takes_a_stock_at_its_end(tmp_path):
    built = warehouse.build(raw_pipeline(tmp_path / "pipeline.duckdb", ROWS), tmp_path / "w.duckdb")
    con = duckdb.connect(str(built), read_only=True)
    try:
        rows = con.sql(named_queries()["window_totals"]).fetchall()
    finally:
        con.close()
    got = {(r[0], r[2]): (r[3], r[4], r[5]) for r in rows}
    assert got == {("06", "conferences_held"): (7, 3, 6), ("06", "models_active"): (12, 3, 6)}
