"""No SQL in Python strings: statements live in warehouse/queries (run through transforms/sql.py),
models in warehouse/models, data tests in warehouse/tests."""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import duckdb
import pytest

from transforms import sql
from transforms.config import PROJECT_ROOT
from transforms.warehouse import RAW_TABLES

TRANSFORMS = PROJECT_ROOT / "transforms"
# validate.py is the period calendar's stream (issue 7, periods-ref); the model runner composes
# only its own DDL (create/drop <kind> <schema.model>) from a model's file name and header.
EXEMPT = {"validate.py"}
STATEMENT = re.compile(r"\s*(select|insert|delete|update|with|create|drop|attach|copy)\s")
# The model runner's own DDL, like a dbt materialisation: identifiers from a model's file name and
# header (checked against \w+ and view|table), the body from the model file.
RUNNER_DDL = {
    ("warehouse.py", 'f"create {as_kind} {m.relation} as\\n{m.sql}"'),
    ("warehouse.py", 'f"drop {kind_now} {m.relation}"'),
}
NAMED = re.compile(r"""sql\.(?:run\(\s*\w+,\s*|text\()\s*f?"([^"]+)\"""")


def python_files() -> list[Path]:
    return sorted(p for p in TRANSFORMS.glob("*.py") if p.name not in EXEMPT)


def sql_strings(source: str) -> list[str]:
    """The string literals of ``source`` that begin like an SQL statement."""
    found = []
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.STRING:
            body = tok.string.lstrip("rRbBuUfF").strip("\"'")
            if STATEMENT.match(body):
                found.append(tok.string)
    return found


def test_the_check_finds_sql_in_a_string():
    assert sql_strings('con.execute("select 1")') == ['"select 1"']
    assert sql_strings('x = """\n    select * from t"""')
    assert sql_strings("con.sql(f'delete from raw.{t}')")
    assert sql_strings('"""Pick the current ones."""\nwith x:\n    pass\n') == []


@pytest.mark.parametrize("path", python_files(), ids=lambda p: p.name)
def test_no_sql_in_python_strings(path):
    found = [t for t in sql_strings(path.read_text(encoding="utf-8")) if (path.name, t) not in RUNNER_DDL]
    assert found == [], f"{path.name}: move these statements to warehouse/queries: {found}"


def test_every_named_statement_exists_and_parses():
    names = {n for p in python_files() for n in NAMED.findall(p.read_text(encoding="utf-8"))}
    names |= {f"warehouse/copy_raw_{t}" for t in RAW_TABLES}
    assert "crosschecks/outlier_bands" in names and "load/incoming" in names
    con = duckdb.connect()
    for name in sorted(n for n in names if "{" not in n):
        text = sql.text(name)  # raises when the file is missing
        assert text.strip(), name
        con.extract_statements(text)  # DuckDB's own parser: raises on a syntax error
    with pytest.raises(ValueError, match="outside warehouse/queries"):
        sql.text("../models/marts/submissions")
