"""Reading speed of filled templates (issue 11): a national half-year where every file is a filled
.xlsx template against the same figures as the CSV files of the benchmark.

    python -m bench.templates_read [--provinces 06,01] [--skip-run]

Generates the half-year's CSV files (transforms.generate.national_submissions, no bad file), then
for each sender its template (transforms/templates.py) filled with exactly that file's figures,
and measures (1) reading every file (``read_submission``, in this process) and (2) `danvan run`
on each set in a fresh home (the real DAGs, as bench/run.py does). Prints JSON; nothing asserted.
The target of issue 11: the template run within 2x the CSV run.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench.run import airflow_db_template, child_env, log, measured
from transforms.config import home

SEMESTER = "2024S1"


def make_sets(work: Path, provinces: list[str] | None) -> tuple[Path, Path, int]:
    """Two homes with the same figures: CSV files, and filled templates. Returns them and the files."""
    from transforms.generate import national_submissions
    from transforms.periods import parse_period
    from transforms.readers import read_submission
    from transforms.templates import fill, senders_of, workbook

    csv_home, xlsx_home = home(work / "csv"), home(work / "xlsx")
    national_submissions(csv_home.inbox, [SEMESTER], error_rate=0.0, provinces=provinces)
    files = sorted(csv_home.inbox.rglob("*.csv"))
    senders = {s.code: s for s in senders_of(SEMESTER, provinces=provinces)}
    period = parse_period(SEMESTER)
    start = time.perf_counter()
    for path in files:
        sender = senders[path.parent.name]
        book = workbook(sender, period, "units", {})
        fill(book, read_submission(path).value_rows)
        target = xlsx_home.inbox / path.parent.name / f"{path.stem}.xlsx"
        target.parent.mkdir(parents=True, exist_ok=True)
        book.save(target)
        shutil.copystat(path, target)  # the same arrival time
    log(f"{len(files)} filled templates written in {time.perf_counter() - start:.1f} s")
    return csv_home.root, xlsx_home.root, len(files)


def read_all(root: Path) -> float:
    from transforms.readers import read_submission

    files = sorted(p for p in (root / "inbox").rglob("*") if p.is_file())
    start = time.perf_counter()
    for path in files:
        read_submission(path)
    return time.perf_counter() - start


def run(root: Path, template_db: Path, work: Path) -> tuple[float, float]:
    h = home(root)
    h.airflow_home.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template_db, h.airflow_home / "airflow.db")
    exe = Path(sys.executable).with_name("danvan")
    cmd = [str(exe), "run", "--arrival-from-mtime"]
    return measured(cmd, child_env(h), work / f"{root.name}.log")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--provinces", default=None, help="comma-separated province codes (default: all)")
    parser.add_argument("--skip-run", action="store_true", help="reading only, no `danvan run`")
    args = parser.parse_args(argv)
    provinces = args.provinces.split(",") if args.provinces else None
    work = Path(tempfile.mkdtemp(prefix="bench-templates-"))
    try:
        csv_root, xlsx_root, n = make_sets(work, provinces)
        result = {"files": n, "provinces": provinces or "all", "semester": SEMESTER}
        # reading, warm: the second pass of each (imports and caches are not what is measured)
        for name, root in (("csv", csv_root), ("xlsx_template", xlsx_root)):
            read_all(root)
            result[f"read_{name}_s"] = round(read_all(root), 3)
        result["read_ratio"] = round(result["read_xlsx_template_s"] / result["read_csv_s"], 2)
        if not args.skip_run:
            template_db = airflow_db_template(work)
            for name, root in (("csv", csv_root), ("xlsx_template", xlsx_root)):
                seconds, peak = run(root, template_db, work)
                result[f"run_{name}_s"], result[f"run_{name}_peak_rss_mb"] = round(seconds, 1), round(peak)
                log(f"danvan run, {name}: {seconds:.1f} s, peak {peak:.0f} MB")
            result["run_ratio"] = round(result["run_xlsx_template_s"] / result["run_csv_s"], 2)
        print(json.dumps(result, indent=2))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
