"""The ``danvan`` command: run the pipeline once, query the warehouse, see where things stand.

``danvan run`` executes the very DAGs the scheduler runs (in-process, ``dag.test``), so a laptop
demo, a test and production share one code path. Commands that only read (``sql``, ``status``)
never import Airflow, so they answer in well under a second, even while the pipeline runs.

Adding a command: write ``_args_<name>(parser)`` and ``cmd_<name>(args) -> int``, list it in COMMANDS.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from danvan.tables import table
from transforms.config import Home, home

INGEST_DAG = "ingest_submissions"
ROLLUP_DAG = "rollup_warehouse"
SUMMARY_MAX_ROWS = 40  # a national run is ~700 files: past this, list only those needing attention
SUMMARY_COLUMNS = ("sender_code", "file_name", "period", "verdict", "error_count", "warning_count")


# ----------------------------------------------------------------------------------------- helpers
def _home(args: argparse.Namespace) -> Home:
    return home(args.home).ensure()


_table = table  # the one table printer (danvan/tables.py)


def _connect_warehouse(path: Path, *, wait_s: float = 5.0):
    """Read-only connection to the published warehouse (``transforms.warehouse.connect_reader``:
    the warehouse and nothing else); retries briefly if the file is locked."""
    import duckdb

    from transforms.warehouse import connect_reader

    deadline = time.monotonic() + wait_s
    while True:
        try:
            return connect_reader(path)
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower() or time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _query(path: Path, sql: str, params=None) -> tuple[list[str], list[tuple]]:
    """Column names and rows of ``sql`` (``?``/``$name`` placeholders bound to ``params``)."""
    con = _connect_warehouse(path)
    try:
        result = con.execute(sql, params) if params is not None else con.execute(sql)
        if result.description is None:  # a statement, not a query
            return [], []
        columns = [d[0] for d in result.description]
        return columns, result.fetchall()
    finally:
        con.close()


def _no_warehouse(h: Home) -> int:
    print(
        f"No warehouse yet at {h.warehouse_db}: drop files into {h.inbox}/<sender> and `danvan run`.",
        file=sys.stderr,
    )
    return 1


# --------------------------------------------------------------------------------------------- run
def _args_run(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--settle",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="only take inbox files unchanged for this long (default 0: everything)",
    )
    p.add_argument(
        "--arrival-from-mtime",
        action="store_true",
        help="simulations only: take each file's received time from its mtime (as `danvan generate "
        "--late-rate` sets it), not the time it is claimed; never trust a real sender's clock",
    )


def cmd_run(args: argparse.Namespace) -> int:
    """Process everything waiting in the inbox once, then roll up and publish the warehouse.

    One run at a time per home: a second ``danvan run`` while one is going exits at once (status
    3) with a message, doing nothing (the first run takes up whatever is waiting); so does one on
    a home an Airflow serves (``prod.serving``): its DAGs do the same work."""
    from transforms.locks import try_exclusive
    from transforms.memory import limit_arenas

    limit_arenas()  # every task runs in this process: keep freed memory returnable (transforms/memory.py)
    h = _home(args)
    with try_exclusive(h.run_lock) as holder:
        if holder is not None:
            print(
                f"error: another `danvan run` (pid {holder}) is processing {h.root}; this one does "
                "nothing. Run it again when that one has ended.",
                file=sys.stderr,
            )
            return 3
        from danvan.prod import serving

        if (airflow := serving(h)) is not None:
            print(
                f"error: Airflow serves {h.root}: {airflow}. Its DAGs take up the inbox; a `danvan "
                "run` beside them would process the same files twice. Trigger `rollup_warehouse` "
                "in its UI to roll up now, or stop it first.",
                file=sys.stderr,
            )
            return 3
        return _run(args, h)


def _run(args: argparse.Namespace, h: Home) -> int:
    from danvan.airflow_env import configure

    configure(h)
    from danvan.airflow_env import run_dag, task_result

    started = time.monotonic()
    log_file = h.logs / "danvan-run.log"
    log_from = log_file.stat().st_size if log_file.exists() else 0
    print(f"Processing {h.inbox} (logs: {log_file})", flush=True)

    conf = {"settle_seconds": args.settle}
    if getattr(args, "arrival_from_mtime", False):  # `danvan demo` runs without the flag
        conf["arrival_from_mtime"] = True
    state, dag_run = run_dag(INGEST_DAG, conf, log_file=log_file)
    if state != "success":
        return _run_failed(INGEST_DAG, dag_run, log_file, started, log_from)
    summary = task_result(dag_run, "load") or {}
    _print_summary(summary, time.monotonic() - started)

    rollup_started = time.monotonic()
    state, dag_run = run_dag(ROLLUP_DAG, {}, log_file=log_file)
    if state != "success":
        return _run_failed(ROLLUP_DAG, dag_run, log_file, started, log_from)
    print(f"Warehouse published: {h.warehouse_db} ({time.monotonic() - rollup_started:.1f} s)")
    print(f"Done in {time.monotonic() - started:.1f} s")
    return 0


def _print_summary(summary: dict, elapsed: float) -> None:
    subs = summary.get("submissions") or []
    if not subs:
        print(f"Nothing waiting in the inbox ({elapsed:.1f} s)")
        return
    counts = ", ".join(
        f"{summary.get(k, 0)} {k.replace('_', ' ')}"
        for k in ("accepted", "accepted_with_warnings", "rejected", "duplicate")
    )
    print(f"Ingested {len(subs)} file(s) in {elapsed:.1f} s: {counts}")
    shown = subs if len(subs) <= SUMMARY_MAX_ROWS else [s for s in subs if s.get("verdict") != "accepted"]
    rows = [[s.get(c) for c in SUMMARY_COLUMNS] for s in shown[:SUMMARY_MAX_ROWS]]
    if len(shown) < len(subs):
        print(
            f"(showing the {min(len(shown), SUMMARY_MAX_ROWS)} that need attention; `danvan status` lists the rest)"
        )
    if rows:
        print(_table(("sender", "file", "period", "verdict", "errors", "warnings"), rows))


def _disk_full(log_file: Path, log_from: int) -> str | None:
    """The disk-full message a task of this run logged (transforms.isolation.DiskFull), if any."""
    from transforms.isolation import DISK_FULL

    try:
        with log_file.open("rb") as fh:
            fh.seek(log_from)
            text = fh.read().decode("utf-8", "replace")
    except OSError:
        return None
    at = text.find(f"{DISK_FULL}:")
    return text[at + len(DISK_FULL) + 1 :].split("\n", 1)[0].strip() if at >= 0 else None


def _run_failed(dag_id: str, dag_run, log_file: Path, started: float, log_from: int = 0) -> int:
    full = _disk_full(log_file, log_from)
    if full:
        print(f"error: disk full: {full}", file=sys.stderr)
    failed = sorted(
        f"{ti.task_id}[{ti.map_index}]" if ti.map_index >= 0 else ti.task_id
        for ti in dag_run.get_task_instances()
        if ti.state in ("failed", "upstream_failed")
    )
    print(
        f"{dag_id} run {dag_run.run_id} ended {dag_run.state} after {time.monotonic() - started:.1f} s; "
        f"tasks not done: {', '.join(failed) or '-'}. Details: {log_file}",
        file=sys.stderr,
    )
    return 1


# --------------------------------------------------------------------------------------------- sql
def _args_sql(p: argparse.ArgumentParser) -> None:
    p.add_argument("query", help='SQL, e.g. "select * from district_totals limit 5"')
    p.add_argument("--csv", action="store_true", help="CSV with a header row instead of a table")


def cmd_sql(args: argparse.Namespace) -> int:
    """Read-only query on the published warehouse."""
    import duckdb

    h = home(args.home)
    if not h.warehouse_db.exists():
        return _no_warehouse(h)
    try:
        columns, rows = _query(h.warehouse_db, args.query)
    except duckdb.Error as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
    elif columns:
        print(_table(columns, rows))
        print(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return 0


# ------------------------------------------------------------------------------------------ report
def _args_report(p: argparse.ArgumentParser) -> None:
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--unit", help="GSO code of the province, district or commune (06, 064, 02020)")
    who.add_argument(
        "--group", help="a group of units (cụm thi đua): its code or name (schemas/unit_groups.yaml)"
    )
    p.add_argument("--period", required=True, help="2024S1, 2024, 2024N9 or a phase (2018-2020)")
    p.add_argument("--map", choices=("asof", "current"), default="asof",
                   help="units as of the period (default) or on today's map")  # fmt: skip
    p.add_argument(
        "--out", type=Path, default=None, help="folder for the files (default $DANVAN_HOME/reports/<code>)"
    )
    p.add_argument(
        "--date", default=None, help="the issue date on the place and date line (default: left blank)"
    )
    p.add_argument("--formats", default="docx,xlsx,html", help="any of docx,xlsx,html (default: all three)")
    p.add_argument(
        "--annex-units",
        action="store_true",
        help="the annex gets one sheet per unit below (districts, communes)",
    )


def cmd_report(args: argparse.Namespace) -> int:
    """Draft the dân vận report of a unit or a group for a period from the warehouse: .docx
    (36-HD/VPTW), annex .xlsx, offline .html, the text and a provenance sidecar."""
    from datetime import date

    from transforms import report
    from transforms.report import ReportError

    h = home(args.home)
    if not h.warehouse_db.exists():
        return _no_warehouse(h)
    formats = tuple(f.strip() for f in args.formats.split(",") if f.strip())
    if not set(formats) <= {"docx", "xlsx", "html"}:
        print(f"error: --formats takes docx, xlsx, html, not {args.formats!r}", file=sys.stderr)
        return 2
    started = time.monotonic()
    con = _connect_warehouse(h.warehouse_db)
    try:
        drafted = report.draft(
            con,
            kind="group" if args.group else "unit",
            code=args.group or args.unit,
            period=args.period,
            map_=args.map,
            issued_on=date.fromisoformat(args.date) if args.date else None,
        )
    except ReportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        con.close()
    out = args.out or h.root / "reports" / drafted.scope.code
    written = report.write(drafted, out, formats=formats, annex_units=args.annex_units)
    print(drafted.text())
    for kind, path in written.items():
        print(f"{kind:>10}: {path}")
    print(f"Drafted in {time.monotonic() - started:.1f} s")
    return 0


# ------------------------------------------------------------------------------------------ export
def _args_export(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--parquet", required=True, metavar="DIR", help="write every mart under DIR (Hive-style by period)"
    )


def cmd_export(args: argparse.Namespace) -> int:
    """Every mart of the published warehouse as Parquet, for Spark, Trino, pandas, Power Query."""
    from transforms.export import export_parquet

    h = home(args.home)
    if not h.warehouse_db.exists():
        return _no_warehouse(h)
    out = Path(args.parquet)
    rows = export_parquet(h.warehouse_db, out)
    print(table(["mart", "rows"], sorted(rows.items())))
    print(f"\nWritten to {out}/<mart>/ (marts with a period column: {out}/<mart>/period=<code>/).")
    return 0


# ------------------------------------------------------------------------------------------ status
def _args_status(p: argparse.ArgumentParser) -> None:
    p.add_argument("--period", help="with --missing: the period to chase, e.g. 2024S1")
    p.add_argument("--missing", action="store_true", help="who has not sent an accepted report for --period")
    p.add_argument("--province", help="with --missing: only this province's senders (GSO code)")
    p.add_argument(
        "--as-of", dest="as_of", help="count working days late up to this date (default: today, Hà Nội)"
    )


def cmd_status(args: argparse.Namespace) -> int:
    """Counts by status, the latest submissions, what is waiting, and where everything lives;
    with ``--missing``, the chase list of a period."""
    if args.missing:
        return _status_missing(args)
    from danvan.airflow_env import configure
    from transforms.intake import list_claimed

    h = home(args.home)
    env = configure(h)
    places = {
        "DANVAN_HOME": str(h.root),
        "inbox": f"{h.inbox}  ({len(list_claimed(h.inbox))} file(s) waiting)",
        "claimed": f"{h.claimed}  ({len(list_claimed(h.claimed))} file(s) being processed)",
        "warehouse": f"{h.warehouse_db}  ({_published_at(h.warehouse_db)})",
        "Airflow home": env["AIRFLOW_HOME"],
        "logs": str(h.logs),
    }
    for name, where in places.items():
        print(f"{name:<13} {where}")
    if not h.warehouse_db.exists():
        print()
        return _no_warehouse(h)
    from transforms import status

    con = _connect_warehouse(h.warehouse_db)
    try:
        columns, by_status = status.by_status(con)
        latest_columns, latest = status.latest(con, limit=10)
    finally:
        con.close()
    print("\nSubmissions by status")
    print(table(columns, by_status) if by_status else "(none yet)")
    if latest:
        print("\nLatest submissions")
        print(table(latest_columns, latest))
    return 0


def _status_missing(args: argparse.Namespace) -> int:
    """``danvan status --period P --missing``: the senders with no accepted file, most late first."""
    from transforms import chase

    if not args.period:
        print("--missing needs --period, e.g. --period 2024S1", file=sys.stderr)
        return 2
    period = args.period.strip().upper()
    h = home(args.home)
    if not h.warehouse_db.exists():
        return _no_warehouse(h)
    as_of = _as_of(args.as_of)
    con = _connect_warehouse(h.warehouse_db)
    try:
        rows = chase.missing(con, period, as_of, args.province)
    finally:
        con.close()
    where = f" in province {args.province}" if args.province else ""
    if not rows:
        print(f"Every expected sender of {period}{where} has an accepted report (as of {as_of}).")
        return 0
    rows.sort(key=lambda r: (-(r.working_days_late or 0), r.province_code, r.sender_code))
    columns = ["sender", "name", "kind", "province", "deadline", "status", "working_days_late"]
    body = [
        (
            r.sender_code,
            r.sender_name,
            r.sender_kind,
            r.province_code,
            r.deadline_date,
            r.status,
            r.working_days_late,
        )
        for r in rows
    ]
    print(f"{len(rows)} sender(s) of {period}{where} without an accepted report, as of {as_of}:")
    print(table(columns, body))
    return 0


def _as_of(text: str | None):
    """The day the chase counts to: given, or today in Asia/Ho_Chi_Minh (the CLI is an edge: it may
    read the clock)."""
    from datetime import date
    from zoneinfo import ZoneInfo

    if text:
        return date.fromisoformat(text)
    return datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()


def _published_at(path: Path) -> str:
    if not path.exists():
        return "not published yet"
    return "published " + datetime.fromtimestamp(path.stat().st_mtime).isoformat(sep=" ", timespec="seconds")


# ------------------------------------------------------------------------------------------- rules
RULE_LABELS = {
    "vi": ("Kiểm tra", "Thông báo", "Cách sửa"),
    "en": ("Checks", "Message", "Fix"),
}


def _args_templates(p: argparse.ArgumentParser) -> None:
    p.add_argument("--period", required=True, help="reporting period, e.g. 2024S1")
    p.add_argument(
        "--sender", action="append", default=None, metavar="S", help="only this sender (repeatable)"
    )
    p.add_argument("--layout", choices=("units", "criteria"), default="units", help="default units")
    p.add_argument("--out", default=None, help="folder (default: templates/<period>/ in the home)")


def cmd_templates(args: argparse.Namespace) -> int:
    """Report templates (.xlsx, Vietnamese) for each expected sender of a period (transforms/templates.py)."""
    from transforms import templates

    h = _home(args)
    out = Path(args.out) if args.out else h.root / "templates" / args.period
    previous = templates.previous_figures(h.warehouse_db, args.period) if args.layout == "criteria" else None
    try:
        paths = templates.write_templates(args.period, out, args.sender, args.layout, previous=previous)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if not paths:
        print(f"error: no such sender in the reporting chain of {args.period}", file=sys.stderr)
        return 1
    for path in paths:
        print(path)
    print(f"{len(paths)} template(s) in {out}")
    return 0


def _args_rules(p: argparse.ArgumentParser) -> None:
    p.add_argument("codes", nargs="*", metavar="CODE", help="only these rules (default: all)")
    p.add_argument("--lang", choices=("vi", "en"), default="vi", help="message and fix language (default vi)")
    p.add_argument(
        "--csv", action="store_true", help="CSV with a header row: code,severity,stage,checks,message,fix"
    )


def cmd_rules(args: argparse.Namespace) -> int:
    """The rule catalogue: every issue code, its severity and stage, what it checks, message and fix."""
    import textwrap

    from transforms.rules import rules

    catalogue = rules()
    unknown = [c for c in args.codes if c not in catalogue]
    if unknown:
        print(f"error: no such rule: {', '.join(unknown)}", file=sys.stderr)
        return 1
    chosen = [catalogue[c] for c in (args.codes or catalogue)]
    rows = [
        (
            r.code,
            r.severity,
            r.stage,
            r.checks,
            getattr(r, f"message_{args.lang}"),
            getattr(r, f"fix_{args.lang}"),
        )
        for r in chosen
    ]
    if args.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(("code", "severity", "stage", "checks", "message", "fix"))
        writer.writerows(rows)
        return 0
    labels = RULE_LABELS[args.lang]
    width = max(len(label) for label in labels) + 4
    for code, severity, stage, *texts in rows:
        print(f"{code}  [{severity}, {stage}]")
        for label, text in zip(labels, texts, strict=True):
            print(
                textwrap.fill(
                    text, 100, initial_indent=f"  {label + ':':<{width - 2}}", subsequent_indent=" " * width
                )
            )
        print()
    print(
        f"{len(rows)} rule(s); severity: error = rejected, warning = accepted and flagged, info = for validators"
    )
    return 0


# -------------------------------------------------------------------------------------------- demo
DEMO_MARKER = ".danvan-demo"


def _args_demo(p: argparse.ArgumentParser) -> None:
    p.set_defaults(settle=0.0)


def cmd_demo(args: argparse.Namespace) -> int:
    """Bắc Kạn's 8 districts, 2024S1 + 2024S2, one bad file: through the real DAGs, then what to query."""
    from transforms.generate import demo_submissions

    h = home(args.home)
    if h.root.exists() and any(h.root.iterdir()) and not (h.root / DEMO_MARKER).exists():
        print(
            f"error: {h.root} holds data that is not a demo's; point DANVAN_HOME at a new folder",
            file=sys.stderr,
        )
        return 1
    shutil.rmtree(h.root, ignore_errors=True)  # a demo starts from nothing, every time
    h.ensure()
    (h.root / DEMO_MARKER).write_text("created by `danvan demo`; safe to delete\n", encoding="utf-8")
    from transforms.config import SCHEMAS_DIR
    from transforms.templates import demo_office_files

    paths = demo_submissions(h.inbox)
    print(f"Wrote {len(paths)} demo reports for Tỉnh Bắc Kạn (06) into {h.inbox}/<district>/")
    for line in demo_office_files(h.inbox, SCHEMAS_DIR / "examples"):
        print(f"  as offices send them: {line}")
    print()
    rc = cmd_run(args)
    if rc:
        return rc
    _print_demo_findings(h)
    return 0


def _print_demo_findings(h: Home) -> None:
    from transforms import sql
    from transforms.warehouse import check

    db = h.warehouse_db
    cols, rows = _query(db, sql.text("cli/demo_rejections"))
    print("\nWhy files were rejected (row = the row the sender sees in the file)")
    print(table(cols, rows, max_width=70) if rows else "(no rejected file)")
    cols, rows = _query(db, sql.text("cli/demo_rollup"))
    print("\nRollup: each district (its communes + its own row), then the province")
    print(table(cols, rows))
    result = check(db)  # raises if any fails
    print(
        f"\nData tests (warehouse/tests): {len(result['tests']) - len(result['failures'])}/{len(result['tests'])} "
        "pass, among them districts = their communes + their own rows, provinces = their districts + their own rows"
    )
    feedback = sorted(h.outbox.glob("*/*.feedback.xlsx"))
    print(f"""
Query the warehouse (read-only, safe while the pipeline runs):
  DANVAN_HOME={h.root} .venv/bin/danvan sql "select * from province_totals where period = '2024S1'"
  DANVAN_HOME={h.root} .venv/bin/danvan sql "select * from submission_issues" --csv
  DANVAN_HOME={h.root} .venv/bin/danvan status
  python: duckdb.connect("{db}", read_only=True)
Marts and example queries: warehouse/README.md""")
    print("\nFeedback for the senders (their own sheet, problem cells highlighted and commented):")
    for path in feedback:
        print(f"  {path}")
    print(f"""Templates for the next period: DANVAN_HOME={h.root} .venv/bin/danvan templates --period 2025S1 --sender 064
The validators' desk (files with warnings): DANVAN_HOME={h.root} .venv/bin/danvan review list
Data Docs (every suite run, failing rows): {h.root / "data_docs" / "index.html"}
The real scheduler and UI: make airflow   (http://localhost:8080)""")


# ---------------------------------------------------------------------------------------- generate
def _args_generate(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--national",
        action="store_true",
        help="every sender the reporting chain expects in each period (required)",
    )
    p.add_argument("--periods", required=True, help="comma-separated, e.g. 2024S1,2024S2")
    p.add_argument("--error-rate", type=float, default=0.02, help="share of bad files (default 0.02)")
    p.add_argument(
        "--late-rate",
        type=float,
        default=0.0,
        help="share of files that arrive after the deadline (default 0); each file's mtime is its "
        "simulated arrival: process with `danvan run --arrival-from-mtime`",
    )
    p.add_argument("--scale", type=int, default=1, help="multiply the number of communes (synthetic codes)")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--format", default="csv", choices=("csv", "csv-bom", "xlsx", "json", "parquet"))


def cmd_generate(args: argparse.Namespace) -> int:
    """Deterministic synthetic submissions for a whole country into the inbox (benchmarks, load tests)."""
    from transforms.generate import national_submissions

    if not args.national:
        print("error: only --national is supported (the demo is `danvan demo`)", file=sys.stderr)
        return 2
    h = _home(args)
    out = national_submissions(
        h.inbox,
        [p.strip() for p in args.periods.split(",") if p.strip()],
        error_rate=args.error_rate,
        scale=args.scale,
        seed=args.seed,
        fmt=args.format,
        late_rate=args.late_rate,
    )
    extra = out["synthetic_units"]
    if len(extra):
        h.extra_units.parent.mkdir(parents=True, exist_ok=True)
        extra.to_csv(h.extra_units, index=False)
    print(
        f"Wrote {len(out['files'])} files ({len(out['bad_files'])} bad, {len(out['late_files'])} late) into {h.inbox}"
        + (f"; {len(extra)} synthetic units in {h.extra_units}" if len(extra) else "")
    )
    return 0


# ----------------------------------------------------------------------------------------- airflow
def _args_airflow(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--port", type=int, default=None, help="API server / UI port (default $AIRFLOW__API__PORT or 8080)"
    )


def cmd_airflow(args: argparse.Namespace) -> int:
    """Start Airflow (scheduler, triggerer, dag-processor, API server/UI) for this home; never returns."""
    from danvan.airflow_env import configure, ensure_db

    h = _home(args)
    configure(h)
    port = args.port or int(os.environ.get("AIRFLOW__API__PORT") or 8080)
    # Tasks reach the API server through the execution API URL, which defaults to port 8080
    # whatever the API server's port: keep them consistent or every task fails to connect.
    os.environ["AIRFLOW__API__PORT"] = str(port)
    # The simple auth manager keeps its password in plain text: serve this machine only, unless told.
    os.environ.setdefault("AIRFLOW__API__HOST", "127.0.0.1")
    os.environ["AIRFLOW__API__BASE_URL"] = f"http://localhost:{port}"
    os.environ["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"] = f"http://localhost:{port}/execution/"
    # Sized for this machine, not Airflow's defaults (32 LocalExecutor slots, 4 API processes).
    cpus = os.cpu_count() or 2
    os.environ.setdefault("AIRFLOW__CORE__PARALLELISM", str(max(2, cpus)))
    os.environ.setdefault("AIRFLOW__API__WORKERS", str(max(1, min(4, cpus // 4))))
    os.environ.setdefault("AIRFLOW__DAG_PROCESSOR__PARSING_PROCESSES", "1")
    # standalone starts `airflow ...` subprocesses: they must be this environment's.
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = os.pathsep.join([bin_dir, os.environ.get("PATH", "")])
    if shutil.which("airflow") is None:
        print(f"error: no `airflow` executable on PATH (looked in {bin_dir} first)", file=sys.stderr)
        return 1
    ensure_db()
    password_file = Path(os.environ["AIRFLOW_HOME"]) / "simple_auth_manager_passwords.json.generated"
    print(f"Airflow for {h.root}: http://localhost:{port}  user admin, password in {password_file}")
    print(f"Drop files into {h.inbox}/<sender_code>/ : the inbox watcher picks them up within seconds.")
    sys.stdout.flush()
    from danvan.prod import standalone_pidfile

    standalone_pidfile(h).parent.mkdir(parents=True, exist_ok=True)
    standalone_pidfile(h).write_text(f"{os.getpid()}\n")  # exec keeps the pid: `danvan run` sees it
    os.execvp("airflow", ["airflow", "standalone"])
    return 0  # not reached


# -------------------------------------------------------------------------------------------- prod
def _args_prod(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", choices=("start", "stop", "status"))
    p.add_argument("--port", type=int, default=None, help="API server / UI port (default 8090)")
    p.add_argument("--pg-port", type=int, default=None, help="PostgreSQL port on 127.0.0.1 (default 55432)")
    p.add_argument("--redis-port", type=int, default=None, help="Redis port on 127.0.0.1 (default 56379)")
    p.add_argument("--workers", type=int, default=None, help="Celery workers (default 2, at least 2)")


def cmd_prod(args: argparse.Namespace) -> int:
    """The production profile: PostgreSQL, Redis, CeleryExecutor with 2+ workers (start | stop | status)."""
    from danvan import prod

    h = _home(args)
    if args.action == "stop":
        prod.stop(h)
        print(f"Stopped the production profile of {h.root}")
        return 0
    if args.action == "status":
        rows = prod.status(h)
        print(_table(("component", "state"), rows) if rows else f"No production profile in {h.root}")
        return 0
    overrides = {"api_port": args.port, "pg_port": args.pg_port, "redis_port": args.redis_port}
    overrides["workers"] = args.workers
    try:
        p = prod.start(h, **overrides)
    except Exception:
        print(
            f"error: the production profile did not start; logs in {prod.prod_dir(h) / 'logs'}",
            file=sys.stderr,
        )
        raise
    af = Path(prod.environment(h, p, prod.load_secrets(h))["AIRFLOW_HOME"])
    print(
        f"Airflow (production profile) for {h.root}: http://localhost:{p.api_port}\n"
        f"  users admin (admin), validator (user), analyst (viewer); passwords in "
        f"{af / 'simple_auth_manager_passwords.json.generated'}\n"
        f"  {p.workers} Celery workers x {p.concurrency} slot(s), PostgreSQL 127.0.0.1:{p.pg_port}, "
        f"Redis 127.0.0.1:{p.redis_port}; state in {prod.prod_dir(h)}\n"
        f"  drop files into {h.inbox}/<sender_code>/ ; stop with `make airflow-prod-stop`"
    )
    return 0


# ------------------------------------------------------------------------------------------ review
REVIEW_DECISIONS = {
    "accept": "accept a submission whose only problems are warnings",
    "reject": "reject a submission that is accepted now (it stops counting)",
    "reopen": "undo the standing decision: the pipeline's verdict applies again",
}


def _args_review(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    ls = sub.add_parser("list", help="submissions to review (default: accepted with warnings, no decision)")
    ls.add_argument("--period", help="only this period, e.g. 2024S1")
    ls.add_argument(
        "--status",
        default="accepted_with_warnings",
        help="accepted | accepted_with_warnings (default) | rejected | superseded | duplicate | all",
    )
    show = sub.add_parser("show", help="one submission: its problems, fix hints, decisions, Data Docs page")
    show.add_argument("submission_id")
    for name, text in REVIEW_DECISIONS.items():
        d = sub.add_parser(name, help=text, description=text)
        d.add_argument("submission_id")
        d.add_argument("--reason", required=True, help="why (kept with the decision, shown to the sender)")
        d.add_argument("--by", required=True, help="who decides (your name)")


def cmd_review(args: argparse.Namespace) -> int:
    """The validators' desk: list submissions to review, show one, accept / reject / reopen it."""
    if args.action in REVIEW_DECISIONS:
        return _review_decide(args)
    h = home(args.home)
    if not h.warehouse_db.exists():
        return _no_warehouse(h)
    return _review_list(h, args) if args.action == "list" else _review_show(h, args)


def _review_list(h: Home, args: argparse.Namespace) -> int:
    from transforms.review import worklist

    con = _connect_warehouse(h.warehouse_db)
    try:
        columns, rows = worklist(con, args.status, args.period)
    finally:
        con.close()
    print(table(columns, rows) if rows else f"(no submission with status {args.status})")
    print(f"({len(rows)} submission{'s' if len(rows) != 1 else ''}; `danvan review show <id>` for one)")
    return 0


def _review_show(h: Home, args: argparse.Namespace) -> int:
    from transforms.review import describe

    con = _connect_warehouse(h.warehouse_db)
    try:
        found = describe(con, args.submission_id)
    finally:
        con.close()
    if found is None:
        print(
            f"Không có lần nộp {args.submission_id} trong kho dữ liệu / no such submission in the warehouse "
            f"({_published_at(h.warehouse_db)})",
            file=sys.stderr,
        )
        return 1
    s = found["submission"]
    docs = s["data_docs_path"]
    docs_state = "" if not docs else ("" if Path(docs).exists() else "  (pruned from the site since)")
    print(f"Submission {s['submission_id']}")
    for label, value in (
        ("file", f"{s['file_name']}  (sender {s['sender_code']}, period {s['period']})"),
        ("status", f"{s['status']}  (pipeline verdict {s['verdict']}, current: {s['is_current']})"),
        ("problems", f"{s['error_count']} error(s), {s['warning_count']} warning(s)"),
        ("received", f"{s['received_at']} UTC"),
        ("archive", s["archive_path"]),
        ("data docs", f"{docs or '-'}{docs_state}"),
    ):
        print(f"  {label:<10} {value}")
    print(f"\nProblems ({len(found['issues'])}; row = as the sender sees it in the file)")
    for n, i in enumerate(found["issues"], 1):
        where = "whole file" if i["row_number"] is None else f"row {i['row_number']}"
        value = "" if i["value"] is None else f", value {i['value']!r}"
        print(
            f"{n:>3}. [{i['severity']}] {where}, column {i['column_name'] or '-'}{value}  ({i['issue_code']})"
        )
        for text in (i["message_vi"], i["message_en"], f"Sửa: {i['fix_vi']}", f"Fix: {i['fix_en']}"):
            print(f"     {text}")
    print(f"\nDecisions ({len(found['decisions'])})")
    for d in found["decisions"]:
        print(f"  {d['decided_at']} UTC  {d['decision']:<7} by {d['decided_by']}: {d['reason']}")
    print(
        f"(as of the published warehouse, {_published_at(h.warehouse_db)}: newer decisions show after the next rollup)"
    )
    return 0


def _review_decide(args: argparse.Namespace) -> int:
    from datetime import UTC

    from transforms import pipeline
    from transforms.review import DecisionRefused

    h = _home(args)
    decided_at = datetime.now(UTC).isoformat()  # the moment the person acts: a fact, not business logic
    try:
        out = pipeline.record_decision(
            str(h.root), args.submission_id, args.action, args.reason, args.by, decided_at
        )
    except DecisionRefused as exc:
        print(f"Không được phép / Not allowed:\n  {exc.message_vi}\n  {exc.message_en}", file=sys.stderr)
        return 1
    print(
        f"Recorded: {args.action} on {args.submission_id} by {out['decided_by']} at {out['decided_at']}. "
        f"Status is now {out['status']}; the warehouse shows it after the next rollup (`danvan run`)."
    )
    for path in out["feedback"]["written"]:
        print(f"  feedback for the sender: {path}")
    return 0


# ------------------------------------------------------------------------------------------- main
COMMANDS: list[tuple[str, Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace], int]]] = [
    ("run", _args_run, cmd_run),
    ("sql", _args_sql, cmd_sql),
    ("report", _args_report, cmd_report),
    ("status", _args_status, cmd_status),
    ("rules", _args_rules, cmd_rules),
    ("templates", _args_templates, cmd_templates),
    ("demo", _args_demo, cmd_demo),
    ("generate", _args_generate, cmd_generate),
    ("airflow", _args_airflow, cmd_airflow),
    ("review", _args_review, cmd_review),
    ("export", _args_export, cmd_export),
    ("prod", _args_prod, cmd_prod),
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="danvan", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--home", default=None, help="installation folder (default $DANVAN_HOME, else ./data)"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, add_args, func in COMMANDS:
        p = sub.add_parser(name, help=(func.__doc__ or "").split("\n")[0], description=func.__doc__)
        add_args(p)
        p.set_defaults(func=func)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
