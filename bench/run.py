"""`make bench`: a national half-year through `danvan run`, against a DuckDB-only floor (issue 4).

Prints a table and writes bench-results.json. Each figure is a median of several runs (``runs`` in
the JSON says how many); a peak RSS is the max of its runs.

- national_semester_s / _peak_rss_mb: every file the reporting chain expects for 2024S1 (705
  districts, 63 provinces' own level, Bắc Kạn's 4 bodies; 2% bad) from inbox to published marts by
  ``danvan run`` (the real DAGs, ``dag.test``) in a child process, in a fresh DANVAN_HOME.
  Airflow's metadata DB is migrated once per bench and copied into each fresh home, so the run pays
  what a real install pays on every run, not the one-off migration.
- national_semester_2026_s / _peak_rss_mb: the same for the post-reform half-year 2026S1: one small
  file per commune (3,321), province (34) and registered body (136), 2% bad.
- pipeline_processing_s: the same work by the transforms.pipeline functions the DAG tasks call,
  in their order, in a fresh process after its heavy imports: what the run spends reading,
  validating, loading, writing feedback and rolling up. ``pipeline_stages_s`` (wall) and
  ``pipeline_stages_cpu_s`` break it down; ``orchestration_s`` is the rest of national_semester_s
  (interpreter, imports, Airflow).
- baseline_duckdb_s: bench/baseline.py on the same files: the floor.
- history_rebuild_s, query_*: rebuilding every mart from 16 national half-years already loaded
  (2018S1..2025S2, loaded untimed), then the analyst queries of warehouse/README.md on the result;
  query_current_map_p50_ms: those on today's map (issue 12: 15 of the 16 half-years restated).
  ``--history-only`` runs this piece alone.
- scale10_ratio: national_semester_s with 10x the communes (synthetic), over the same at scale 1.
- backlog_16_peak_rss_mb / backlog_16_s (``--backlog``, a separate stage: ~15 minutes on a busy
  machine): the 16 half-years of the history (2018S1..2025S2, ~15,100 files) dropped at once and
  loaded by one ``danvan run`` in a fresh home: memory must follow the batch, not the backlog.
  Written into bench-results.json beside the figures already there.

The machine's load average is recorded: on a shared machine, wall times are only as quiet as it was.

``python -m bench.run --quick`` repeats less; ``--skip-scale`` skips the scale-10 runs.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import multiprocessing
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from itertools import repeat
from pathlib import Path

from danvan.tables import table as table_text
from transforms import pipeline
from transforms.config import PROJECT_ROOT, Home, home

SEMESTER = "2024S1"
SEMESTER_2026 = "2026S1"  # after the 2025 reform: ~3,500 one-row files
HISTORY = [f"{year}S{half}" for year in range(2018, 2026) for half in (1, 2)]
ERROR_RATE = 0.02
# every unit breaks its figures down (field, holder, kind, level, inspection and dialogue kinds): the
# heaviest realistic load, ~2.6x the values per unit of the catalogue before breakdowns (50 vs 19)
BREAKDOWNS = 1.0
BATCH_SIZE = pipeline.default_batch_size()  # what the ingest DAG uses
STAGES = ("plan", "archive", "validate", "load", "notify", "build", "check", "publish")  # the DAGs' tasks
QUERIES = PROJECT_ROOT / "warehouse" / "README.md"  # the analysts' examples are the queries timed
RESULTS = PROJECT_ROOT / "bench-results.json"
TARGETS = {  # issue 4; reported, never asserted
    "national_semester_s": 30, "ratio_to_baseline": 3, "national_semester_peak_rss_mb": 1500,
    "national_semester_2026_s": 30, "national_semester_2026_peak_rss_mb": 1500,
    "history_rebuild_s": 10, "query_p50_ms": 50, "query_current_map_p50_ms": 50, "scale10_ratio": 12,
    "backlog_16_peak_rss_mb": 1500,
}  # fmt: skip


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------------------- data
def generate(root: Path, periods: list[str], scale: int = 1) -> Home:
    """A fresh home whose inbox holds every national file of ``periods``; synthetic communes
    (scale > 1) go where the pipeline looks for them."""
    from transforms.generate import national_submissions

    h = home(root)
    made = national_submissions(h.inbox, periods, error_rate=ERROR_RATE, scale=scale, breakdowns=BREAKDOWNS)
    if scale > 1:
        h.extra_units.parent.mkdir(parents=True, exist_ok=True)
        made["synthetic_units"].to_csv(h.extra_units, index=False)
    return h


def child_env(h: Home) -> dict[str, str]:
    """The caller's environment minus its Airflow settings: `danvan` derives them from DANVAN_HOME."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIRFLOW")}
    env["DANVAN_HOME"] = str(h.root)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_ROOT), env.get("PYTHONPATH")]))
    return env


def airflow_db_template(work: Path) -> Path:
    """A freshly migrated Airflow metadata DB (no DAG run yet), to copy into each fresh home."""
    h = home(work / "airflow-template").ensure()
    code = (
        "from danvan.airflow_env import configure, ensure_db; from transforms.config import home; "
        "configure(home()); ensure_db()"
    )
    subprocess.run([sys.executable, "-c", code], env=child_env(h), check=True, capture_output=True)
    return h.airflow_home / "airflow.db"


def measured(cmd: list[str], env: dict, out: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one child process. ``os.wait4`` returns that child's own
    rusage; RUSAGE_CHILDREN would be the max over every child this process ever waited for."""
    with out.open("wb") as fh:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, stdout=fh, stderr=subprocess.STDOUT, cwd=env["DANVAN_HOME"])
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        tail = out.read_text(errors="replace").splitlines()[-20:]
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode} (output: {out}):\n" + "\n".join(tail))
    return seconds, usage.ru_maxrss / 1024  # Linux: kilobytes


# ------------------------------------------------------------------------------ the figures
def danvan_run(
    work: Path, template_db: Path, scale: int, semester: str = SEMESTER, periods: list[str] | None = None
) -> tuple[float, float]:
    """One national half-year (or every half-year of ``periods`` at once) through `danvan run` in a
    fresh home: (seconds, peak RSS MB)."""
    periods = periods or [semester]
    root = Path(tempfile.mkdtemp(prefix=f"run-{periods[0]}-{len(periods)}-x{scale}-", dir=work))
    h = generate(root, periods, scale)
    h.airflow_home.mkdir(parents=True)
    shutil.copyfile(template_db, h.airflow_home / "airflow.db")
    exe = Path(sys.executable).with_name("danvan")
    cmd = [str(exe), "run"] if exe.exists() else [sys.executable, "-m", "danvan.cli", "run"]
    seconds, peak = measured(cmd, child_env(h), work / f"{root.name}.log")
    if not h.warehouse_db.exists():
        raise RuntimeError(f"danvan run published no warehouse in {root}")
    shutil.rmtree(root)
    return seconds, peak


def pipeline_stages(work: Path, profile: Path | None = None) -> dict[str, dict[str, float]]:
    """Wall and CPU seconds per stage of one national half-year, in a fresh process (``stage_worker``)."""
    root = Path(tempfile.mkdtemp(prefix="stages-", dir=work))
    h = generate(root, [SEMESTER])
    cmd = [sys.executable, "-m", "bench.run", "--stage-worker", str(h.root)]
    if profile:
        cmd += ["--profile", str(profile)]
    done = subprocess.run(cmd, env=child_env(h), capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"stage worker failed ({root}):\n" + "\n".join(done.stderr.splitlines()[-20:]))
    shutil.rmtree(root)
    return json.loads(done.stdout.splitlines()[-1])


def warm_imports() -> None:
    """What any task process pays before its first file: interpreter and library start-up."""
    import duckdb  # noqa: F401
    import great_expectations  # noqa: F401
    import openpyxl  # noqa: F401
    import pandas  # noqa: F401
    import pyarrow.parquet  # noqa: F401

    from transforms import load, readers, suites, validate, warehouse  # noqa: F401


def stage_worker(root: str, profile: str | None) -> None:
    """Ingest and roll up ``root``'s inbox with the functions the DAG tasks call, in their order
    (keep STAGES in step with dags/); print wall and CPU seconds per stage as JSON. ``profile``:
    also write cProfile stats of the timed part."""
    warm_imports()

    times, cpu = dict.fromkeys(STAGES, 0.0), dict.fromkeys(STAGES, 0.0)
    prof = cProfile.Profile() if profile else None

    def timed(stage: str, fn: Callable, *args, **kwargs):
        start, start_cpu = time.perf_counter(), time.process_time()
        if prof:
            prof.enable()
        try:
            return fn(*args, **kwargs)
        finally:
            if prof:
                prof.disable()
            times[stage] += time.perf_counter() - start
            cpu[stage] += time.process_time() - start_cpu

    batches = timed("plan", pipeline.plan, root, [], settle_seconds=0, now=time.time(), batch_size=BATCH_SIZE)
    receipts = [timed("archive", pipeline.archive_batch, root, b) for b in batches]
    artefacts = [
        timed("validate", pipeline.validate_batch, root, r, f"bench.{i}") for i, r in enumerate(receipts)
    ]
    summary = timed("load", pipeline.load, root, artefacts)
    timed("notify", pipeline.notify, root, summary)
    built = timed("build", pipeline.build_warehouse, root)
    timed("check", pipeline.check_warehouse, built)
    timed("publish", pipeline.publish_warehouse, root, built)
    if prof:
        prof.dump_stats(profile)
    print(json.dumps({"wall": times, "cpu": cpu}))


def baseline_seconds(work: Path) -> tuple[float, dict]:
    """One run of the DuckDB-only floor on a national half-year: (seconds, its counts)."""
    import duckdb

    from bench import baseline

    inbox = work / "baseline" / "inbox"
    if not inbox.exists():
        generate(inbox.parent, [SEMESTER])
    con = duckdb.connect()
    try:
        start = time.perf_counter()
        counts = baseline.run(con, f"{inbox}/*/*.csv")
        return time.perf_counter() - start, counts
    finally:
        con.close()


def load_history(work: Path) -> Home:
    """16 national half-years ingested with the pipeline functions (untimed). Batches are validated
    in parallel (spawned processes: this one has DuckDB threads running), then loaded at once."""

    h = generate(work / "history", HISTORY)
    root = str(h.root)
    batches = pipeline.plan(root, [], settle_seconds=0, now=time.time(), batch_size=BATCH_SIZE)
    receipts = [pipeline.archive_batch(root, b) for b in batches]
    keys = [f"history.{i}" for i in range(len(receipts))]
    with ProcessPoolExecutor(os.cpu_count() or 2, mp_context=multiprocessing.get_context("spawn")) as pool:
        artefacts = list(pool.map(pipeline.validate_batch, repeat(root), receipts, keys))
    summary = pipeline.load(root, artefacts)
    log(f"history loaded: {summary['received']} files, {summary['rejected']} rejected")
    return h


def rebuild_seconds(h: Home) -> float:
    """Every mart rebuilt from the raw layer, tested and published: the rollup DAG's three tasks."""

    start = time.perf_counter()
    built = pipeline.build_warehouse(str(h.root))
    pipeline.check_warehouse(built)
    pipeline.publish_warehouse(str(h.root), built)
    return time.perf_counter() - start


def named_queries(path: Path = QUERIES) -> dict[str, str]:
    """Each ```sql block of warehouse/README.md headed ``-- name: x`` is query x."""
    blocks = re.findall(r"```sql\n(.*?)```", path.read_text(encoding="utf-8"), re.S)
    return {
        re.match(r"-- name: (\w+)", b).group(1): b.strip().rstrip(";")
        for b in blocks
        if b.startswith("-- name:")
    }


def current_map_queries() -> list[str]:
    """The README's queries on today's map (issue 12): those that read a ``*_current_map`` mart."""
    return [name for name, sql in named_queries().items() if re.search(r"\w+_current_map\b", sql)]


def history_bench(quick: bool) -> dict:
    """Only the history piece (``--history-only``): 16 national half-years loaded untimed, the
    rebuild, and every README query on them (p50 of all, and of the queries on today's map)."""
    n_rebuild, n_query = (1, 5) if quick else (3, 20)
    with tempfile.TemporaryDirectory(prefix="danvan-bench-") as tmp:
        log(f"history {HISTORY[0]}..{HISTORY[-1]}: loading (untimed)")
        history = load_history(Path(tmp))
        log(f"history rebuild x{n_rebuild}, queries x{n_query}")
        rebuilds = [rebuild_seconds(history) for _ in range(n_rebuild)]
        queries, query_rows = query_timings(history.warehouse_db, n_query)
    current = current_map_queries()
    return {
        "history_rebuild_s": median_of(rebuilds),
        "query_p50_ms": percentile([ms for t in queries.values() for ms in t], 50),
        "query_current_map_p50_ms": percentile([ms for n in current for ms in queries[n]], 50),
        "queries_ms": {
            n: {"p50": percentile(t, 50), "p95": percentile(t, 95), "rows": query_rows[n]}
            for n, t in queries.items()
        },
        "runs": {"history_rebuild_s": f"median of {n_rebuild}", "queries": f"x {n_query} each"},
        "load_avg": os.getloadavg(),
    }


def query_timings(warehouse: Path, reps: int) -> tuple[dict[str, list[float]], dict[str, int]]:
    """Milliseconds per run of each named query (result fully fetched) on one read-only connection,
    and the rows each returns (a query that returns nothing would time nothing)."""
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        timings, rows = {}, {}
        for name, sql in named_queries().items():
            rows[name] = len(con.execute(sql).fetchall())
            if not rows[name]:
                raise RuntimeError(f"query {name} returned no rows: the benchmark would time nothing")
            timings[name] = []
            for _ in range(reps):
                start = time.perf_counter()
                con.execute(sql).fetchall()
                timings[name].append((time.perf_counter() - start) * 1000)
        return timings, rows
    finally:
        con.close()


# --------------------------------------------------------------------------------------- report
def median_of(samples: list[float]) -> float:
    return statistics.median(samples)


def percentile(samples: list[float], q: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1]


def table(results: dict) -> str:
    """The figures against their targets, then the stages of pipeline_processing_s and the queries."""
    rows = [("figure", "value", "target", "", "how")]
    for key, value in results["figures"].items():
        target = TARGETS.get(key)
        ok = "" if target is None or value is None else ("ok" if value <= target else "MISSED")
        shown = "not measured" if value is None else f"{value:,.2f}"
        rows.append((key, shown, "" if target is None else f"<= {target}", ok, results["runs"][key]))
    rows.append(("stage (in-process)", "wall s", "cpu s", "", results["runs"]["pipeline_processing_s"]))
    rows += [
        (f"  {stage}", f"{wall:,.2f}", f"{results['pipeline_stages_cpu_s'][stage]:,.2f}", "", "")
        for stage, wall in results["pipeline_stages_s"].items()
    ]
    rows.append(("query", "p50 ms", "p95 ms", "", results["runs"]["query_p50_ms"]))
    rows += [
        (f"  {name}", f"{q['p50']:,.2f}", f"{q['p95']:,.2f}", "", "")
        for name, q in results["queries_ms"].items()
    ]
    return table_text(rows[0], rows[1:], max_width=200, right=(1, 2))


def bench(quick: bool, skip_scale: bool, profile: Path | None) -> dict:
    """Every figure, with its samples and how it was taken (the JSON written to bench-results.json)."""
    n_runs, n_stage, n_base, n_rebuild, n_query, n_scale = (
        (1, 1, 3, 1, 5, 1) if quick else (3, 3, 5, 3, 20, 2)
    )
    load_before = os.getloadavg()
    samples: dict[str, list] = {}
    with tempfile.TemporaryDirectory(prefix="danvan-bench-") as tmp:
        work = Path(tmp)
        template = airflow_db_template(work)

        log(f"danvan run, national {SEMESTER} x{n_runs}")
        samples["national_semester_s"], samples["national_semester_peak_rss_mb"] = zip(
            *[danvan_run(work, template, 1) for _ in range(n_runs)], strict=True
        )

        log(f"danvan run, national {SEMESTER_2026} (after the reform) x{n_runs}")
        samples["national_semester_2026_s"], samples["national_semester_2026_peak_rss_mb"] = zip(
            *[danvan_run(work, template, 1, SEMESTER_2026) for _ in range(n_runs)], strict=True
        )

        log(f"pipeline stages in-process x{n_stage}")
        stage_runs = [pipeline_stages(work, profile if i == 0 else None) for i in range(n_stage)]
        samples["pipeline_processing_s"] = [sum(r["wall"].values()) for r in stage_runs]

        log(f"DuckDB-only baseline x{n_base}")
        base = [baseline_seconds(work) for _ in range(n_base)]
        samples["baseline_duckdb_s"] = [s for s, _ in base]

        if not skip_scale:
            log(f"danvan run at --scale 10 x{n_scale}")
            samples["scale10_semester_s"], samples["scale10_peak_rss_mb"] = zip(
                *[danvan_run(work, template, 10) for _ in range(n_scale)], strict=True
            )

        log(f"history {HISTORY[0]}..{HISTORY[-1]}: loading (untimed)")
        history = load_history(work)
        log(f"history rebuild x{n_rebuild}, queries x{n_query}")
        samples["history_rebuild_s"] = [rebuild_seconds(history) for _ in range(n_rebuild)]
        queries, query_rows = query_timings(history.warehouse_db, n_query)

    runs: dict[str, str] = {}

    def med(key: str) -> float:
        runs[key] = f"median of {len(samples[key])}"
        return median_of(samples[key])

    def peak(key: str) -> float:
        runs[key] = f"max of {len(samples[key])}"
        return max(samples[key])

    all_ms = [ms for timings in queries.values() for ms in timings]
    current_ms = [ms for name, timings in queries.items() if name in current_map_queries() for ms in timings]
    figures = {
        "national_semester_s": med("national_semester_s"),
        "national_semester_peak_rss_mb": peak("national_semester_peak_rss_mb"),
        "national_semester_2026_s": med("national_semester_2026_s"),
        "national_semester_2026_peak_rss_mb": peak("national_semester_2026_peak_rss_mb"),
        "baseline_duckdb_s": med("baseline_duckdb_s"),
        "pipeline_processing_s": med("pipeline_processing_s"),
        "ratio_to_baseline": median_of(samples["pipeline_processing_s"])
        / median_of(samples["baseline_duckdb_s"]),
        "history_rebuild_s": med("history_rebuild_s"),
        "query_p50_ms": percentile(all_ms, 50),
        "query_p95_ms": percentile(all_ms, 95),
        "query_current_map_p50_ms": percentile(current_ms, 50),
        "scale10_ratio": None,
        "orchestration_s": median_of(samples["national_semester_s"])
        - median_of(samples["pipeline_processing_s"]),
    }
    runs["orchestration_s"] = "national_semester_s - pipeline_processing_s: interpreter, imports, Airflow"
    runs["ratio_to_baseline"] = "ratio of the medians"
    runs["query_p50_ms"] = runs["query_p95_ms"] = f"{len(all_ms)} runs: {len(queries)} queries x {n_query}"
    runs["query_current_map_p50_ms"] = (
        f"{len(current_ms)} runs: {len(current_map_queries())} queries on today's map x {n_query}"
    )
    runs["scale10_ratio"] = "skipped (--skip-scale)"
    if not skip_scale:
        figures["scale10_ratio"] = median_of(samples["scale10_semester_s"]) / figures["national_semester_s"]
        runs["scale10_ratio"] = "ratio of the medians"
        figures["scale10_semester_s"] = med("scale10_semester_s")
        figures["scale10_peak_rss_mb"] = peak("scale10_peak_rss_mb")
    return {
        **figures,
        "figures": figures,
        "runs": runs,
        "targets": TARGETS,
        "pipeline_stages_s": {s: median_of([r["wall"][s] for r in stage_runs]) for s in STAGES},
        "pipeline_stages_cpu_s": {s: median_of([r["cpu"][s] for r in stage_runs]) for s in STAGES},
        "queries_ms": {
            n: {"p50": percentile(t, 50), "p95": percentile(t, 95), "rows": query_rows[n]} for n, t in queries.items()
        },
        "baseline_counts": base[0][1],
        "samples": samples,
        "setup": {
            "semester": SEMESTER, "semester_2026": SEMESTER_2026, "error_rate": ERROR_RATE, "history": [HISTORY[0], HISTORY[-1]],
            "batch_size": BATCH_SIZE, "quick": quick,
            "airflow_metadata_db": "migrated once per bench, copied into each fresh DANVAN_HOME (migration untimed)",
            "danvan_run": "child process; wall time from spawn to exit; peak RSS from os.wait4",
            "python": platform.python_version(), "cpus": os.cpu_count(), "machine": platform.machine(),
            "load_avg_at_start": load_before,  # later the bench's own processes count too
        },
    }  # fmt: skip


def backlog() -> dict:
    """The backlog stage (``--backlog``): the 16 half-years of HISTORY in one `danvan run`."""
    with tempfile.TemporaryDirectory(prefix="danvan-bench-") as tmp:
        work = Path(tmp)
        template = airflow_db_template(work)
        log(f"danvan run, a backlog of {len(HISTORY)} national half-years {HISTORY[0]}..{HISTORY[-1]}")
        load_before = os.getloadavg()
        seconds, peak = danvan_run(work, template, 1, periods=HISTORY)
    return {
        "backlog_16_s": seconds,
        "backlog_16_peak_rss_mb": peak,
        "runs": {"backlog_16_s": "1 run", "backlog_16_peak_rss_mb": "1 run (os.wait4)"},
        "setup_backlog": {
            "periods": [HISTORY[0], HISTORY[-1]], "error_rate": ERROR_RATE, "breakdowns": BREAKDOWNS,
            "batch_size": BATCH_SIZE, "batch_bytes": pipeline.default_batch_bytes(),
            "batch_rows": pipeline.default_batch_rows(), "load_avg_at_start": load_before,
        },
    }  # fmt: skip


def write_backlog(found: dict, path: Path = RESULTS) -> None:
    """Merge the backlog figures into bench-results.json (the other figures stay as measured)."""
    results = json.loads(path.read_text()) if path.exists() else {}
    for key in ("backlog_16_s", "backlog_16_peak_rss_mb", "setup_backlog"):
        results[key] = found[key]
    results.setdefault("runs", {}).update(found["runs"])
    results.setdefault("targets", {}).update(TARGETS)
    path.write_text(json.dumps(results, indent=1) + "\n")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="fewer repetitions (a rough figure in a few minutes)")
    p.add_argument("--skip-scale", action="store_true", help="skip the --scale 10 runs")
    p.add_argument("--profile", type=Path, help="write cProfile stats of one in-process semester here")
    p.add_argument(
        "--backlog", action="store_true", help="only the backlog stage: 16 half-years in one `danvan run`"
    )
    p.add_argument("--stage-worker", metavar="HOME", help=argparse.SUPPRESS)
    p.add_argument(
        "--history-only",
        action="store_true",
        help="only the 16 half-years' rebuild and README queries (JSON on stdout)",
    )
    args = p.parse_args(argv)
    if args.history_only:
        print(json.dumps(history_bench(args.quick), indent=1))
        return 0
    if args.stage_worker:
        stage_worker(args.stage_worker, str(args.profile) if args.profile else None)
        return 0
    if args.backlog:
        found = backlog()
        write_backlog(found)
        rows = [
            (k, f"{found[k]:,.1f}", f"<= {TARGETS[k]}" if k in TARGETS else "", found["runs"][k])
            for k in found["runs"]
        ]
        print(table_text(("figure", "value", "target", "how"), rows, max_width=200, right=(1, 2)))
        print(f"\nwritten: {RESULTS}")
        return 0
    results = bench(args.quick, args.skip_scale, args.profile.resolve() if args.profile else None)
    RESULTS.write_text(json.dumps({k: v for k, v in results.items() if k != "figures"}, indent=1) + "\n")
    print(table(results))
    busy = results["setup"]["load_avg_at_start"][0]
    if busy > 0.5 * (os.cpu_count() or 1):
        print(
            f"\nnote: load average {busy:.1f} on {os.cpu_count()} CPUs at the start: other work ran, times are inflated"
        )
    print(f"\nwritten: {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
