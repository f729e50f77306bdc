"""Incremental publishing (issue 15 item 3): an ingest republishes only the periods it touched,
and the result is exactly what a full build makes (every table of every schema, row for row).
The same builds show a window following each indicator's time aggregation (issue 10 item 5)."""

from __future__ import annotations

import duckdb
import pytest

from bench.run import named_queries
from tests.unit.test_warehouse import ROWS, raw_pipeline
from transforms import incremental, warehouse

WINDOW_ROWS = [  # the province's own row in three halves of the phase 2018-2020
    ("06", "2018S1", "06", "models_active", 10),
    ("06", "2019S2", "06", "models_active", 11),
    ("06", "2020S2", "06", "models_active", 12),  # the window's last half: a stock's figure
    ("06", "2018S1", "06", "conferences_held", 1),
    ("06", "2019S2", "06", "conferences_held", 2),
    ("06", "2020S2", "06", "conferences_held", 4),  # a flow: 1 + 2 + 4
]


def differences(path, other) -> tuple[set[str], dict[str, int]]:
    """The tables of ``path`` (but meta.build, which says how it was built), and per table the
    rows it holds and ``other`` does not, or the other way round (counted as multisets)."""
    con = duckdb.connect()
    try:
        con.execute(f"attach '{path}' as got (read_only)")
        con.execute(f"attach '{other}' as want (read_only)")
        names = {
            db: {
                f"{s}.{t}"
                for s, t in con.execute(
                    "select schema_name, table_name from duckdb_tables() "
                    "where database_name = ? and schema_name <> 'meta'",
                    [db],
                ).fetchall()
            }
            for db in ("got", "want")
        }
        assert names["got"] == names["want"]
        counts = {
            n: con.sql(
                f"select count(*) from ((from got.{n} except all from want.{n})"
                f" union all (from want.{n} except all from got.{n}))"
            ).fetchall()[0][0]
            for n in sorted(names["got"])
        }
        return names["got"], {n: c for n, c in counts.items() if c}
    finally:
        con.close()


def change(pipeline):
    """A later ingest: 2024S1 gets a commune's own file (it wins over its district's row) and a
    rejected file without a period; a validator rejects nothing; 2025S2 is left alone."""
    con = duckdb.connect(str(pipeline))
    con.execute(
        "insert into raw.submissions values ('sub_02020', '02020', '2024S1', 'own.csv', 'sha-own', 'a', "
        "'2024-07-02', 'csv', 'wide', 'accepted', null, 0, 0, 1), ('sub_bad', '064', null, 'bad.csv', "
        "'sha-bad', 'a', '2024-07-03', 'csv', 'unknown', 'rejected', null, 1, 0, 0)"
    )
    con.execute(
        "insert into raw.unit_report_values (submission_id, row_number, unit_code, is_declared_total,"
        " indicator_code, breakdown, field, value) values ('sub_02020', 2, '02020', false, 'models_recognized',"
        " 'total', null, 7), ('sub_02020', 3, '02020', false, 'models_recognized', 'field=kinh_te', 'kinh_te', 4),"
        " ('sub_02020', 4, '02020', false, 'conferences_held', 'total', null, 9)"
    )
    con.execute(
        "insert into raw.submission_issues values ('sub_bad', null, null, null, 'period_missing', 'error',"
        " null, 'thiếu kỳ', 'no period')"
    )
    con.close()


@pytest.fixture
def published(tmp_path):
    pipeline = raw_pipeline(tmp_path / "pipeline.duckdb", ROWS + WINDOW_ROWS)
    built = warehouse.build(pipeline, tmp_path / "warehouse.building.duckdb")
    return pipeline, warehouse.publish(built, tmp_path / "warehouse.duckdb")


def test_an_incremental_publish_equals_a_full_build(published, tmp_path):
    pipeline, path = published
    before = path.resolve()
    assert incremental.publish_changes(pipeline, path, tmp_path).periods == []  # nothing changed
    assert path.resolve() == before  # ... and nothing was published

    change(pipeline)
    done = incremental.publish_changes(pipeline, path, tmp_path)
    assert done.periods == ["", "2024S1"]
    assert path.resolve() != before
    full = warehouse.build(pipeline, tmp_path / "full.duckdb")
    held, differing = differences(path, full)
    assert "main.province_totals" in held and "raw.submissions" in held
    assert differing == {}
    assert ("02020", "models_recognized", 7) in duckdb.connect(str(path), read_only=True).sql(
        "select commune_code, indicator_code, value from commune_totals where breakdown = 'total'"
    ).fetchall()
    kind = duckdb.connect(str(path), read_only=True).sql("select build_kind, rebuilt_periods from meta.build")
    assert kind.fetchall() == [("incremental", ["", "2024S1"])]

    # the README's window_totals: a phase sums a flow over its tiling, takes a stock at its end,
    # and gives no window figure (value) until all six halves are in
    rows = duckdb.connect(str(path), read_only=True).sql(named_queries()["window_totals"]).fetchall()
    got = {(r[0], r[2]): (r[4], r[5], r[6], r[7]) for r in rows}
    assert got == {("06", "conferences_held"): (None, 7, 3, 6), ("06", "models_active"): (None, 12, 3, 6)}


def test_every_table_that_reads_a_submission_declares_its_partition():
    """A model added without `-- partition:` would make every publish a full build: caught here."""
    found = dict(incremental.partitioned())  # raises NeedsFullBuild naming the model
    assert found["main.province_totals"] == "period" and found["main.submission_issues"] == "submission_id"
    assert "main.periods" not in found and "main.periods" in incremental.reference_models()


def test_an_ingest_full_build_between_the_rollups_build_and_publish_is_not_published_empty(tmp_path):
    """The race `make test-prod` once caught in CI: a rollup builds (the writer lock released
    after its build task), an ingest finds no published warehouse and builds and publishes in
    full, then the rollup checks and publishes its own build. Both builds once shared one file
    name: the ingest's took the rollup's file away, the rollup's refresh attached the missing
    path (creating an empty database) and published it. Each build now has its own file, and a
    missing build is an error, never an empty warehouse."""
    from transforms import pipeline
    from transforms.config import home

    h = home(tmp_path / "danvan").ensure()
    raw_pipeline(h.pipeline_db, ROWS)
    root = str(h.root)
    built = pipeline.build_warehouse(root)  # the rollup's build and check tasks, none published yet
    pipeline.check_warehouse(built)
    assert pipeline.publish_changes(root)["build"] == "full"  # an ingest meanwhile
    totals = "select count(*), sum(value) from commune_totals where breakdown = 'total'"
    want = duckdb.connect(str(h.warehouse_db), read_only=True).sql(totals).fetchall()
    assert want[0][0] > 0
    pipeline.publish_warehouse(root, built)  # the rollup's publish task
    assert duckdb.connect(str(h.warehouse_db), read_only=True).sql(totals).fetchall() == want

    gone = tmp_path / "gone.duckdb"  # a build someone removed: refused, nothing created or published
    with pytest.raises(FileNotFoundError, match="gone.duckdb"):
        pipeline.publish_warehouse(root, str(gone))
    assert not gone.exists()
    assert duckdb.connect(str(h.warehouse_db), read_only=True).sql(totals).fetchall() == want
