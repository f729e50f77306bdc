"""SQL the pipeline runs outside the models, kept in ``warehouse/queries/<area>/<name>.sql``.

No SQL lives in Python strings: a statement is a file beside the models, readable and diffable as
SQL, and called by name (``sql.text("crosschecks/district_commune")``). Parameters are DuckDB's
``?`` or ``$name`` placeholders, bound by the caller; nothing is formatted into the text.
"""

from __future__ import annotations

from functools import cache

from transforms.config import WAREHOUSE_DIR

QUERIES_DIR = WAREHOUSE_DIR / "queries"


@cache
def text(name: str) -> str:
    """The statement ``warehouse/queries/<name>.sql`` (``name`` like ``load/insert_submissions``)."""
    path = (QUERIES_DIR / f"{name}.sql").resolve()
    if not path.is_relative_to(QUERIES_DIR.resolve()):
        raise ValueError(f"query name outside warehouse/queries: {name!r}")
    return path.read_text(encoding="utf-8")


def run(con, name: str, params=None):
    """Execute the named statement on ``con`` (a DuckDB connection); return the cursor."""
    return con.execute(text(name), params) if params is not None else con.execute(text(name))
