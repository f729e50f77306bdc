"""Every mart and column is described once (warehouse/models/marts/_docs.yml), stored as COMMENTs in
the built warehouse, and the README's marts section is that text."""

from __future__ import annotations

import duckdb
import pytest

from transforms import mart_docs
from transforms.warehouse import build


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("docs")
    built = build(tmp / "no-pipeline.duckdb", tmp / "warehouse.duckdb")
    con = duckdb.connect(str(built), read_only=True)
    yield con
    con.close()


def test_every_mart_column_is_described(con):
    assert mart_docs.undocumented(con) == []


def test_the_warehouse_carries_the_descriptions_as_comments(con):
    built = mart_docs.columns(con)
    assert len(built) >= 80
    assert [f"{m}.{c}" for m, c, comment in built if not comment] == []
    assert dict(((m, c), comment) for m, c, comment in built)[("submission_issues", "severity")] == (
        "`error` rejects the file, `warning` flags it, `info` only informs validators"
    )
    tables = dict(
        con.sql("select table_name, comment from duckdb_tables() where schema_name = 'main'").fetchall()
    )
    assert tables["completeness"].startswith("province x period that anyone reported for")


def test_a_quote_in_a_description_cannot_end_the_statement(con, tmp_path, monkeypatch):
    spec = mart_docs.docs()
    hostile = "it's \"quoted\"'; drop table main.periods; --"
    doctored = {**spec, "shared": {**spec["shared"], "period": hostile}}
    monkeypatch.setattr(mart_docs, "docs", lambda: doctored)
    other = duckdb.connect(str(tmp_path / "w.duckdb"))
    other.execute("create table main.periods (period varchar)")
    mart_docs.apply(other)
    assert other.sql("select comment from duckdb_columns() where table_name = 'periods'").fetchall() == [
        (hostile,)
    ]


def test_the_readme_section_is_generated_from_the_docs(con):
    readme = mart_docs.README.read_text(encoding="utf-8")
    assert mart_docs.readme_section(con) in readme, "run `make docs` and commit warehouse/README.md"
