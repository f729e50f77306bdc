"""Worst single-file cost of hostile files at the REAL caps of transforms/readers.py (issue 8).

Each file is built once (not measured) in a temporary folder, then read by ``read_submission`` in
a fresh interpreter, which reports its wall time and peak RSS. The baseline is the same
interpreter reading a good 3-row file: "above the usual peak" is peak minus baseline. Target: no
file over 30 s or 1 GB above the baseline.

    .venv/bin/python -m bench.hostile_read            # all cases, a table and bench-hostile.json
    .venv/bin/python -m bench.hostile_read xlsx_dense  # some cases
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq

from tests.hostile_corpus import csv_text, records
from tests.unit.validation_cases import CODES
from transforms import readers

CHILD = """
import json, sys, time
from pathlib import Path
from transforms.readers import UnreadableFile, read_submission
path = Path(sys.argv[1])
if path.stem.startswith("validate_"):  # the whole validate_batch on this one file (GX imported first)
    from transforms.validate import validate_batch
    import great_expectations  # noqa: F401
    t = time.perf_counter()
    res = validate_batch([{"submission_id": "s", "sender_code": "064", "file_name": path.name,
                           "archive_path": str(path), "received_at": "2024-07-01T00:00:00+00:00", "sha256": "x"}])
    outcome = f"validated: {res.submissions['verdict'][0]}, {len(res.issues)} issues"
else:
    t = time.perf_counter()
    try:
        r = read_submission(path)
        outcome = f"read: {r.shape}, {len(r.value_rows)} values"
    except UnreadableFile as exc:
        outcome = f"{exc.code}: {exc.detail}"
s = time.perf_counter() - t
# VmHWM: this process's own peak (ru_maxrss would carry the parent's peak across fork + exec)
hwm = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:"))
print(json.dumps({"s": s, "rss_mb": hwm / 1024, "outcome": outcome}))
"""

LONG_HEADER = "period,unit_code,indicator_code,value\n"


def long_lines(n: int) -> str:
    return "".join(f"2024S1,{i % 99999:05d},{CODES[i % len(CODES)]},{i % 97}\n" for i in range(n))


def sheet_xlsx(path: Path, rows) -> None:
    """An xlsx whose first sheet's rows are the XML strings of ``rows`` (streamed into the zip)."""
    wb = openpyxl.Workbook()
    buf = io.BytesIO()
    wb.save(buf)
    with (
        zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(info.filename, src.read(info.filename))
        with dst.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as out:
            out.write(
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            )
            chunk, size = [], 0
            for row in rows:
                chunk.append(row)
                size += len(row)
                if size >= 1 << 22:  # write every ~4 MB
                    out.write("".join(chunk).encode())
                    chunk, size = [], 0
            out.write("".join(chunk).encode())
            out.write(b"</sheetData></worksheet>")


def inline(r: int, c: int, v: str) -> str:
    col = openpyxl.utils.get_column_letter(c)
    return f'<c r="{col}{r}" t="inlineStr"><is><t>{v}</t></is></c>'


def long_xlsx_rows(n: int):
    yield (
        '<row r="1">'
        + "".join(inline(1, i + 1, h) for i, h in enumerate(LONG_HEADER.strip().split(",")))
        + "</row>"
    )
    for i in range(n):
        r = i + 2
        yield (
            f'<row r="{r}">{inline(r, 1, "2024S1")}{inline(r, 2, f"{i % 99999:05d}")}'
            f'{inline(r, 3, CODES[i % len(CODES)])}<c r="D{r}"><v>{i % 97}</v></c></row>'
        )


def wide_xlsx_rows(n: int):
    header = ["period", "unit_code", *CODES]
    yield '<row r="1">' + "".join(inline(1, i + 1, h) for i, h in enumerate(header)) + "</row>"
    for i in range(n):
        r = i + 2
        cells = inline(r, 1, "2024S1") + inline(r, 2, f"{i:05d}")
        cells += "".join(
            f'<c r="{openpyxl.utils.get_column_letter(k + 3)}{r}"><v>{k}</v></c>' for k in range(len(CODES))
        )
        yield f'<row r="{r}">{cells}</row>'


def build(name: str, path: Path) -> Path:
    cap = readers
    if name == "baseline_good_csv":
        path = path.with_suffix(".csv")
        path.write_text(csv_text(records()), encoding="utf-8")
    elif name == "csv_long_at_row_cap":
        path = path.with_suffix(".csv")
        path.write_text(LONG_HEADER + long_lines(cap.MAX_ROWS), encoding="utf-8")
    elif name == "validate_csv_long_5000_units":  # 200,000 long rows of 5,000 units: every suite runs
        path = path.with_suffix(".csv")
        lines = "".join(
            f"2024S1,{(i // 40) % 5000:05d},{CODES[i % 19]},{i % 97}\n" for i in range(cap.MAX_ROWS)
        )
        path.write_text(LONG_HEADER + lines, encoding="utf-8")
    elif name == "validate_wide_5000_units_under_budget":  # every row and 1,000 values fail: itemised
        path = path.with_suffix(".csv")
        recs = records(units=[f"9{i:04d}" for i in range(5000)])
        for r in recs[:50]:
            r.update(dict.fromkeys(CODES[:20], "x"))  # 50 x 19 = 950 cells of garbage
        path.write_text(csv_text(recs), encoding="utf-8")
    elif name == "validate_baseline_good_csv":
        path = path.with_suffix(".csv")
        path.write_text(csv_text(records()), encoding="utf-8")
    elif name == "csv_long_over_row_cap":
        path = path.with_suffix(".csv")
        path.write_text(LONG_HEADER + long_lines(cap.MAX_ROWS + 50_000), encoding="utf-8")
    elif name == "csv_cells_20mb":  # 20 MB of "1," : 10M cells, stopped at the cell cap
        path = path.with_suffix(".csv")
        line = ",".join(["1"] * 499) + "\n"
        path.write_text(
            "period,unit_code," + ",".join(CODES) + "\n" + line * (cap.MAX_FILE_BYTES // len(line) - 1)
        )
    elif name == "csv_200mb":
        path = path.with_suffix(".csv")
        with path.open("w") as f:
            f.write(LONG_HEADER)
            block = long_lines(100_000)
            while f.tell() < 200_000_000:
                f.write(block)
    elif name == "xlsx_wide_at_row_cap":  # 20,000 wide rows of inline strings and numbers, read whole
        path = path.with_suffix(".xlsx")
        sheet_xlsx(path, wide_xlsx_rows(cap.MAX_XLSX_ROWS))
    elif name == "xlsx_long_over_row_cap":  # 200,000 long rows: stopped at the xlsx row cap
        path = path.with_suffix(".xlsx")
        sheet_xlsx(path, long_xlsx_rows(cap.MAX_ROWS))
    elif name == "xlsx_1048575_rows":  # one small cell a row: under the part cap, stopped by the caps
        path = path.with_suffix(".xlsx")
        sheet_xlsx(path, ("<row><c><v>1</v></c></row>" for _ in range(1_048_575)))
    elif name == "xlsx_empty_styled_cells":  # 5M empty styled cells: nothing counted but parse time
        path = path.with_suffix(".xlsx")
        sheet_xlsx(path, ('<row><c s="1"/>' + '<c s="1"/>' * 499 + "</row>" for _ in range(10_000)))
    elif name == "xlsx_styled_xfd1048576":
        path = path.with_suffix(".xlsx")
        wb = openpyxl.Workbook()
        wb.active.append(["period", "unit_code"])
        wb.active.cell(row=1_048_576, column=16_384).font = openpyxl.styles.Font(bold=True)
        wb.save(path)
    elif name == "xlsx_zip_bomb_1gb":
        path = path.with_suffix(".xlsx")
        zeros = b"<!--" + b" " * (1 << 24) + b"-->"
        sheet_xlsx(path, (zeros.decode() for _ in range(64)))
    elif name == "json_records_at_row_cap":
        path = path.with_suffix(".json")
        recs = [
            {
                "period": "2024S1",
                "unit_code": f"{i % 99999:05d}",
                "indicator_code": CODES[i % 19],
                "value": i % 97,
            }
            for i in range(cap.MAX_ROWS)
        ]
        path.write_text(json.dumps(recs))
    elif name == "json_empty_records_20mb":
        path = path.with_suffix(".json")
        n = cap.MAX_FILE_BYTES // 3 - 1
        path.write_text("[" + ",".join(["{}"] * n) + "]")
    elif name == "json_nested_10m_deep":
        path = path.with_suffix(".json")
        n = cap.MAX_FILE_BYTES // 2 - 1
        path.write_text("[" * n + "]" * n)
    elif name == "parquet_long_at_row_cap":
        path = path.with_suffix(".parquet")
        n = cap.MAX_ROWS
        pq.write_table(
            pa.table(
                {
                    "period": ["2024S1"] * n,
                    "unit_code": [f"{i % 99999:05d}" for i in range(n)],
                    "indicator_code": [CODES[i % 19] for i in range(n)],
                    "value": pa.array([i % 97 for i in range(n)], pa.int64()),
                }
            ),
            path,
        )
    elif name == "parquet_rle_bomb":  # 50M constant values: a tiny file, huge when read
        path = path.with_suffix(".parquet")
        pq.write_table(pa.table({"period": pa.array(["2024S1"] * 50_000_000)}), path)
    else:
        raise KeyError(name)
    return path


CASES = [
    "baseline_good_csv",
    "csv_long_at_row_cap",
    "csv_long_over_row_cap",
    "validate_baseline_good_csv",
    "validate_csv_long_5000_units",
    "validate_wide_5000_units_under_budget",
    "csv_cells_20mb",
    "csv_200mb",
    "xlsx_wide_at_row_cap",
    "xlsx_long_over_row_cap",
    "xlsx_1048575_rows",
    "xlsx_empty_styled_cells",
    "xlsx_styled_xfd1048576",
    "xlsx_zip_bomb_1gb",
    "json_records_at_row_cap",
    "json_empty_records_20mb",
    "json_nested_10m_deep",
    "parquet_long_at_row_cap",
    "parquet_rle_bomb",
]


def measure(path: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str]) -> int:
    names = argv or CASES
    results = {}
    with tempfile.TemporaryDirectory(prefix="danvan-hostile-") as tmp:
        base = measure(build("baseline_good_csv", Path(tmp) / "baseline"))
        for name in names:
            path = build(name, Path(tmp) / name)
            r = measure(path)
            r["bytes"] = path.stat().st_size
            r["above_baseline_mb"] = round(r["rss_mb"] - base["rss_mb"], 1)
            results[name] = r
            print(
                f"{name:28s} {r['bytes'] / 1e6:9.1f} MB  {r['s']:6.2f} s  peak {r['rss_mb']:7.0f} MB "
                f"(+{r['above_baseline_mb']:6.0f})  {r['outcome'][:70]}",
                flush=True,
            )
            path.unlink()
    worst_s = max(results.values(), key=lambda r: r["s"])
    worst_mb = max(results.values(), key=lambda r: r["above_baseline_mb"])
    summary = {
        "baseline_rss_mb": base["rss_mb"],
        "worst_s": round(worst_s["s"], 2),
        "worst_above_baseline_mb": worst_mb["above_baseline_mb"],
        "cases": results,
    }
    print(
        f"worst time {summary['worst_s']} s; worst memory +{summary['worst_above_baseline_mb']} MB "
        f"over a {base['rss_mb']:.0f} MB baseline"
    )
    Path("bench-hostile.json").write_text(json.dumps(summary, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
