"""A national half-year with 10 hostile entries mixed in, through `danvan run` (issue 8, "Done when").

Generates every district file of 2024S1 (no deliberately bad file) into a fresh DANVAN_HOME, adds
ten hostile inbox entries at the REAL caps of transforms/readers.py (built by bench/hostile_read.py,
plus a link to /etc/passwd, a FIFO and a name that is not UTF-8), runs `danvan run` once in a child
process, and checks that every generated file is accepted and every hostile one is rejected or set
aside, with the time and the child's peak memory.

    .venv/bin/python -m bench.hostile_national        # prints the outcome, writes bench-hostile-national.json
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from bench.hostile_read import build
from transforms.config import PROJECT_ROOT, home

PERIOD = "2024S1"
SENDER = "064"  # Chợ Đồn: a real district folder, so only the file itself is wrong
REAL_CAP_FILES = [
    "xlsx_styled_xfd1048576",
    "xlsx_zip_bomb_1gb",
    "xlsx_1048575_rows",
    "csv_long_over_row_cap",
    "json_nested_10m_deep",
    "parquet_rle_bomb",
    "csv_cells_20mb",
]


def danvan(h, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DANVAN_HOME": str(h.root)}
    return subprocess.run(
        [sys.executable, "-m", "danvan.cli", *args], env=env, capture_output=True, text=True, cwd=PROJECT_ROOT
    )


def add_hostile(h) -> dict[str, str]:
    """Ten entries in SENDER's folder; returns {what the submission records as its name: kind}."""
    folder = h.inbox / SENDER
    folder.mkdir(parents=True, exist_ok=True)
    names = {}
    with tempfile.TemporaryDirectory() as tmp:
        for kind in REAL_CAP_FILES:
            built = build(kind, Path(tmp) / f"hostile-{kind}")
            os.replace(built, folder / built.name)
            names[built.name] = kind
    os.symlink("/etc/passwd", folder / "passwd.csv")
    names["passwd.csv"] = "symlink to /etc/passwd (never read)"
    os.mkfifo(folder / "fifo.csv")
    names["fifo.csv"] = "FIFO (never opened)"
    bad_name = os.fsencode(folder) + b"/b\xe1o-c\xe1o.csv"
    header = "period,unit_code,documents_issued\n"
    with open(bad_name, "w", encoding="utf-8") as f:
        f.write(header + f"{PERIOD},02020,{2**63}\n")
    names["b\ufffdo-c\ufffdo.csv"] = "name not UTF-8, a count of 2^63"
    return names


def main() -> int:
    root = Path(tempfile.mkdtemp(prefix="danvan-hostile-national-"))
    h = home(root).ensure()
    gen = danvan(h, "generate", "--national", "--periods", PERIOD, "--error-rate", "0")
    assert gen.returncode == 0, gen.stderr[-2000:]
    good = sorted(p for p in h.inbox.rglob("*") if p.is_file())
    hostile = add_hostile(h)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    run = danvan(h, "run")
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    con = duckdb.connect(str(h.pipeline_db), read_only=True)
    try:
        verdicts = con.sql("select sender_code, file_name, verdict from raw.submissions").fetchall()
        issues = dict(
            con.execute(
                "select s.file_name, string_agg(distinct i.issue_code, ', ') from raw.submissions s "
                "join raw.submission_issues i using (submission_id) "
                "where i.severity = 'error' and s.sender_code = ? group by all",
                [SENDER],
            ).fetchall()
        )
    finally:
        con.close()
    by_file = {(sender, name): verdict for sender, name, verdict in verdicts}
    by_name = {name: verdict for (sender, name), verdict in by_file.items() if sender == SENDER}
    good_names = {(p.parent.name, p.name) for p in good}
    accepted = sum(by_file.get(n) in ("accepted", "accepted_with_warnings") for n in good_names)
    quarantined = sorted(p.name for p in (h.quarantine / "inbox").rglob("*") if p.name != "reason.json")
    result = {
        "run_exit": run.returncode,
        "seconds": round(seconds, 1),
        "peak_rss_mb": round(peak_mb),
        "peak_rss_before_mb": round(before / 1024),
        "good_files": len(good_names),
        "good_files_accepted": accepted,
        "hostile": {
            name: {"kind": kind, "verdict": by_name.get(name, "not recorded"), "errors": issues.get(name)}
            for name, kind in hostile.items()
        },
        "quarantined_entries": quarantined,
        "home": str(root),
    }
    print(json.dumps(result, indent=1, ensure_ascii=False))
    Path("bench-hostile-national.json").write_text(json.dumps(result, indent=1, ensure_ascii=False))
    ok = run.returncode == 0 and accepted == len(good_names)
    print("every good file accepted in one run" if ok else "FAILED: " + run.stderr[-2000:])
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
