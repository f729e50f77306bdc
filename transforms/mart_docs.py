"""What every mart and column means, from one source: ``warehouse/models/marts/_docs.yml``.

The build writes it into the warehouse as COMMENTs (``apply``), so any SQL client (DuckDB CLI,
DBeaver, Power BI's DuckDB connector) shows it next to the data; the "Marts" section of
``warehouse/README.md`` is generated from it (``readme_section``; ``make docs`` rewrites it). A
column with no description is a failing test, not a silent gap.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd
import yaml

from transforms import sql
from transforms.catalogue import categories
from transforms.config import WAREHOUSE_DIR

DOCS_FILE = WAREHOUSE_DIR / "models" / "marts" / "_docs.yml"
README = WAREHOUSE_DIR / "README.md"
BEGIN, END = "<!-- marts:begin (generated from models/marts/_docs.yml: make docs) -->", "<!-- marts:end -->"


@cache
def docs(path: Path = DOCS_FILE) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def describe(mart: str, column: str) -> str | None:
    """The column's description: the mart's own entry, else the shared one, else a breakdown
    category's from the catalogue (so adding a category stays one catalogue edit), else None."""
    d = docs()
    own = (d["marts"].get(mart) or {}).get("columns") or {}
    return own.get(column) or d["shared"].get(column) or _category(column)


def _category(column: str) -> str | None:
    for c in categories():
        if c.code == column:
            options = ", ".join(f"`{o.code}`" for o in c.options)
            return f"breakdown by {c.label_en} ({c.label_vi}): {options}; NULL = all options"
    return None


def columns(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str | None]]:
    """(mart, column, comment) of every column of the marts built on ``con``."""
    return sql.run(con, "warehouse/mart_columns").fetchall()


def undocumented(con: duckdb.DuckDBPyConnection) -> list[str]:
    """``mart.column`` of every built column that the docs don't describe, and marts they lack."""
    marts, built = docs()["marts"], columns(con)
    gaps = [f"{m}.{c}" for m, c, _ in built if describe(m, c) is None]
    return gaps + sorted({m for m, _, _ in built if m not in marts})


def apply(con: duckdb.DuckDBPyConnection) -> None:
    """COMMENT ON every mart and documented column built on ``con``."""
    built = columns(con)
    marts = {m for m, _, _ in built}
    rows = [(m, None, docs()["marts"][m]["about"]) for m in sorted(marts) if m in docs()["marts"]]
    rows += [(m, c, text) for m, c, _ in built if (text := describe(m, c))]
    frame = pd.DataFrame(rows, columns=["table_name", "column_name", "description"])
    con.register("docs_frame", frame)
    try:
        ((statements,),) = sql.run(con, "warehouse/comment_statements").fetchall()
    finally:
        con.unregister("docs_frame")
    if statements:
        con.execute(statements)


def readme_section(con: duckdb.DuckDBPyConnection) -> str:
    """The README's marts section: per mart its grain, then its columns with their meaning."""
    by_mart: dict[str, list[str]] = {}
    for m, c, _ in columns(con):
        by_mart.setdefault(m, []).append(c)
    out = [BEGIN]
    for mart, spec in docs()["marts"].items():
        out += ["", f"### `{mart}`", "", f"{_cap(spec['about'])}.", "", "| column | meaning |", "|---|---|"]
        out += [f"| `{c}` | {_cell(describe(mart, c) or '')} |" for c in by_mart.get(mart, [])]
    return "\n".join([*out, "", END])


def write_readme(con: duckdb.DuckDBPyConnection, readme: Path = README) -> bool:
    """Put the generated section in the README between its markers; True when it changed."""
    text = readme.read_text(encoding="utf-8")
    new = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), lambda _: readme_section(con), text, flags=re.S)
    if new != text:
        readme.write_text(new, encoding="utf-8")
    return new != text


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def main() -> int:
    """``make docs``: regenerate the README's marts section from a freshly built, empty warehouse."""
    import tempfile

    from transforms.warehouse import build

    with tempfile.TemporaryDirectory() as tmp:
        built = build(Path(tmp) / "no-pipeline.duckdb", Path(tmp) / "warehouse.duckdb")
        con = duckdb.connect(str(built), read_only=True)
        try:
            gaps = undocumented(con)
            changed = write_readme(con)
        finally:
            con.close()
    print(f"{README}: {'rewritten' if changed else 'already up to date'}")
    if gaps:
        print(f"undocumented (add them to {DOCS_FILE.name}): {', '.join(gaps)}")
    return 1 if gaps else 0


if __name__ == "__main__":
    raise SystemExit(main())
