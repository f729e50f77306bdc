"""The practical floor: the same files read, checked and rolled up by DuckDB alone.

No Airflow, no Great Expectations, no pandas, no per-file Python: one ``read_csv`` over a glob
(``filename=true``, ``all_varchar``), the rules of expectations/ that a wide CSV can break as SQL
predicates (rules.yaml codes; a declared TOTAL row is reconciled too), and a rollup to district
and province through the as-of-period admin units. Whatever the pipeline spends above this is
orchestration and per-file overhead, which is what ``ratio_to_baseline`` measures. A floor, not a
second validator: wide CSV only, a missing column and an empty cell are both NULL here, and the
cross-submission checks, messages and feedback files are the pipeline's job. On a national
half-year its verdicts and district/province totals equal the pipeline's marts.
"""

from __future__ import annotations

import duckdb

from transforms.catalogue import categories, indicators, parse_key, wide_columns
from transforms.config import REFERENCE_DIR
from transforms.periods import PERIOD_RE
from transforms.warehouse import seed_periods

ADMIN_UNITS_CSV = REFERENCE_DIR / "admin_units.csv"
TOTAL_LABELS = ("total", "tổng cộng", "tong cong")
SENDER = "regexp_extract({path}, '([^/\\\\]+)[/\\\\][^/\\\\]+$', 1)"  # the file's folder


def _value_rules(codes: tuple[str, ...], totals: tuple[str, ...]) -> dict[str, tuple[str, str]]:
    """Rules over every indicator column of a wide row, OR-ed: one issue per row, not per cell."""
    neg = " or ".join(f"regexp_matches({c}, '^-\\s*\\d')" for c in codes)
    non_int = " or ".join(f"not regexp_full_match({c}, '-?\\s*\\d+')" for c in codes)
    # a declared figure on the TOTAL row that is not the sum of the unit rows (none: a mismatch too)
    total = " or ".join(f"(n_{c} is not null and n_{c} is distinct from sum_{c})" for c in totals)
    return {
        "value_negative": ("error", neg),
        "value_not_integer": ("error", non_int),
        "total_mismatch": ("error", f"unit_code = 'TOTAL' and ({total})"),
    }


# rule code -> (severity, predicate over one unit row of `checked`); codes as in expectations/rules.yaml
ROW_RULES = {
    "unit_code_missing": ("error", "unit_code is null"),
    "unit_unknown": ("error", "unit_code <> 'TOTAL' and not unit_known"),
    "unit_outside_sender": ("error", "unit_code <> 'TOTAL' and unit_known and not in_sender_area"),
    "unit_duplicate": ("error", "unit_code is not null and copies > 1"),
    "models_recognized_exceeds_registered": (
        "error",
        "n_models_recognized > n_models_registered or PER_OPTION",
    ),
    "breakdown_parts_ne_total": ("error", "BREAKDOWNS"),  # from the catalogue: _breakdown_rule()
    "conference_attendees_below_held": ("error", "n_conference_attendees < n_conferences_held"),
    "conference_attendees_without_conference": (
        "error",
        "n_conferences_held = 0 and n_conference_attendees <> 0",
    ),
    "training_attendees_below_held": ("error", "n_training_attendees < n_trainings_held"),
    "training_attendees_without_training": ("error", "n_trainings_held = 0 and n_training_attendees <> 0"),
    "petitions_resolved_exceed_received": ("warning", "n_petitions_resolved > n_petitions_received"),
    "opinions_answered_exceed_raised": ("warning", "n_opinions_answered > n_opinions_raised"),
}


def safe(column: str) -> str:
    """A figure column as an SQL identifier here: ``models_recognized:kinh_te`` is ``models_recognized__kinh_te``."""
    return column.replace(":", "__")


def _breakdown_rule() -> str:
    """breakdown_parts_ne_total (every option given: they add up to the total; some: at most the
    total) and recognised <= registered per option, over the one-way breakdown columns."""
    by_cat = {c.code: c for c in categories()}
    preds = []
    for ind in indicators():
        for cat in ind.breakdowns:
            parts = [f"n_{safe(f'{ind.code}:{o}')}" for o in by_cat[cat].option_codes]
            total = f"n_{ind.code}"
            preds.append(
                f"({' and '.join(f'{p} is not null' for p in parts)} and {' + '.join(parts)} <> {total})"
            )
            preds.append(f"({' + '.join(f'coalesce({p}, 0)' for p in parts)} > {total})")
    return " or ".join(preds) or "false"


def _per_option_rule() -> str:
    cols = [c for c in wide_columns() if c.startswith("models_recognized:")]
    preds = [
        f"n_{safe(c)} > n_{safe(c.replace('recognized', 'registered'))}"
        for c in cols
        if c.replace("recognized", "registered") in wide_columns()
    ]
    return " or ".join(preds) or "false"


# rule code -> predicate over one file of `files`
FILE_RULES = {
    "file_empty": "unit_rows = 0",
    "file_too_large": "unit_rows > 5000",
    "period_missing": "unit_rows > 0 and period_count = 0",
    "period_mixed": "period_count > 1",
    "period_invalid": f"period_count = 1 and not regexp_matches(period, '{PERIOD_RE.pattern}')",
    "period_out_of_range": f"period_count = 1 and regexp_matches(period, '{PERIOD_RE.pattern}') "
    "and period_start is null",
    "sender_unknown": "period_start is not null and not sender_known",
}


def _read(con: duckdb.DuckDBPyConnection, files_glob: str, columns: list[str]) -> None:
    """All rows of all files into ``unit_rows``. Files with the template's header (nearly all) are read
    in one pass; ``union_by_name`` sniffs every file (slow on a national half-year), so only the few
    others get it. Empty files yield no rows (``files`` counts them). Figure columns are renamed
    ``safe``; a column no file has is NULL."""
    template = ",".join(("period", "unit_code", "unit_name", *columns))
    heads = con.execute(
        "select filename, split_part(content, chr(10), 1) from read_text(?)", [files_glob]
    ).fetchall()
    heads = {f: h.strip().lstrip("\ufeff") for f, h in heads}
    same = [f for f, h in heads.items() if h == template]
    other = [f for f, h in heads.items() if h and h != template]
    reads = [
        f"select * from read_csv(?, filename = true, all_varchar = true{extra})"
        for files, extra in ((same, ""), (other, ", union_by_name = true"))
        if files
    ]
    labels = ", ".join(f"'{t}'" for t in TOTAL_LABELS)
    params = [files for files in (same, other) if files]
    union = " union all by name ".join(reads)
    held = {d[0].lower() for d in con.execute(f"select * from ({union}) limit 0", params).description}
    figures = ", ".join(
        f"nullif(trim(\"{c}\"), '') as {safe(c)}" if c in held else f"null::varchar as {safe(c)}"
        for c in columns
    )
    con.execute(
        f"""
        create or replace temp table unit_rows as
        select filename, {SENDER.format(path="filename")} as sender_code,
               upper(nullif(trim(period), '')) as period,
               case when lower(trim(unit_code)) in ({labels}) then 'TOTAL' else nullif(trim(unit_code), '') end
                   as unit_code,
               {figures}
        from ({" union all by name ".join(reads)})
    """,
        params,
    )


def run(con: duckdb.DuckDBPyConnection, files_glob: str, admin_units: str = str(ADMIN_UNITS_CSV)) -> dict:
    """Check and roll up every CSV matching ``files_glob`` (``<inbox>/*/*.csv``: the folder is the
    sender). Leaves temp tables ``issues``, ``files``, ``district_totals``, ``province_totals`` on
    ``con``; returns their counts."""
    columns = wide_columns()
    _read(con, files_glob, columns)
    codes = tuple(safe(c) for c in columns)  # every figure column; totals: the indicators themselves
    totals = tuple(i.code for i in indicators())
    seed_periods(con)  # the period calendar (transforms/periods.py), as the warehouse has it
    # Every file with its single period's dates (NULL unless exactly one period of the calendar).
    con.execute(
        f"""
        create or replace temp table files as
        with declared as (
            select filename, count(*) as unit_rows, count(distinct period) as period_count,
                   any_value(period) as period
            from unit_rows group by filename
        ),
        dated as (
            select g.file as filename, {SENDER.format(path="g.file")} as sender_code,
                   coalesce(unit_rows, 0) as unit_rows, coalesce(period_count, 0) as period_count,
                   declared.period, p.start_date as period_start, p.end_date as period_end
            from glob(?) as g
            left join declared on declared.filename = g.file
            left join raw.periods as p on p.period_code = declared.period and declared.period_count = 1
        )
        select * from dated
    """,
        [files_glob],
    )
    # Units valid on any day of each period, latest version, with their district and province.
    con.execute(
        """
        create or replace temp table period_units as
        with units as (
            select code, level, nullif(parent_code, '') as parent_code, cast(valid_from as date) as valid_from,
                   cast(nullif(valid_to, '') as date) as valid_to
            from read_csv(?, all_varchar = true, header = true)
        ),
        latest as (
            select p.period, units.*
            from (select distinct period, period_start, period_end from files where period_start is not null) p
            join units on units.valid_from <= p.period_end and (units.valid_to is null or units.valid_to > p.period_start)
            qualify row_number() over (partition by p.period, units.code order by units.valid_from desc) = 1
        )
        select u.period, u.code as unit_code,
               case when u.level = 'province' then u.code when u.level = 'district' then u.parent_code
                    when parent.level = 'district' then parent.parent_code else u.parent_code end as province_code,
               case when u.level = 'district' then u.code
                    when u.level = 'commune' and parent.level = 'district' then parent.code end as district_code
        from latest u left join latest parent on parent.period = u.period and parent.code = u.parent_code
    """,
        [admin_units],
    )
    con.execute("alter table files add column sender_known boolean")
    con.execute("""update files set sender_known = exists (select 1 from period_units u
                   where u.period = files.period and u.unit_code = files.sender_code)""")
    # Row rules only on structurally sound files (as the pipeline): no follow-on errors.
    con.execute(f"""
        create or replace temp table checked as
        select r.*, u.unit_code is not null as unit_known,
               r.sender_code in (u.unit_code, u.district_code, u.province_code) as in_sender_area,
               count(*) over (partition by r.filename, r.unit_code) as copies,
               {", ".join(f"try_cast({c} as bigint) as n_{c}" for c in codes)},
               {
        ", ".join(
            f"sum(try_cast({c} as bigint)) filter (where r.unit_code <> 'TOTAL') "
            f"over (partition by r.filename) as sum_{c}"
            for c in totals
        )
    }
        from unit_rows r
        join files f on f.filename = r.filename and f.period_start is not null and f.sender_known
        left join period_units u on u.period = r.period and u.unit_code = r.unit_code
    """)
    rules = {**ROW_RULES, **_value_rules(codes, totals)}
    rules["breakdown_parts_ne_total"] = ("error", _breakdown_rule())
    sev, pred = rules["models_recognized_exceeds_registered"]
    rules["models_recognized_exceeds_registered"] = (sev, pred.replace("PER_OPTION", _per_option_rule()))
    con.execute(
        "create or replace temp table issues as\n"
        + "\nunion all\n".join(
            [
                f"select filename, unit_code, '{code}' as rule, '{sev}' as severity from checked where {pred}"
                for code, (sev, pred) in rules.items()
            ]
            + [
                f"select filename, null, '{code}', 'error' from files where {pred}"
                for code, pred in FILE_RULES.items()
            ]
        )
    )
    con.execute("""alter table files add column rejected boolean;
                   update files set rejected = filename in (select filename from issues where severity = 'error')""")
    con.execute(f"""
        create or replace temp table unit_values as
        unpivot (
            select r.period, r.unit_code, {", ".join(f"n_{c} as {c}" for c in codes)}
            from checked r join files f using (filename)
            where not f.rejected and r.unit_code <> 'TOTAL'
        ) on {", ".join(codes)} into name figure value value
    """)
    # a figure column -> its indicator and breakdown key, as the warehouse stores them
    keys = [(safe(c), parse_key(c).indicator, parse_key(c).breakdown) for c in columns]
    con.execute(
        "create or replace temp table figure_keys (figure varchar, indicator_code varchar, breakdown varchar)"
    )
    con.executemany("insert into figure_keys values (?, ?, ?)", keys)
    rollup = """
        create or replace temp table {name}_totals as
        select v.period, u.province_code, {district} k.indicator_code, k.breakdown, sum(v.value) as value,
               count(*) as reported_units
        from unit_values v join period_units u using (period, unit_code) join figure_keys k using (figure)
        {where}
        group by all
    """
    con.execute(
        rollup.format(name="district", district="u.district_code,", where="where u.district_code is not null")
    )
    con.execute(rollup.format(name="province", district="", where=""))
    return {
        t: con.sql(f"select count(*) from {t}").fetchall()[0][0]
        for t in ("files", "issues", "district_totals", "province_totals")
    } | {"rejected_files": con.sql("select count(*) from files where rejected").fetchall()[0][0]}
