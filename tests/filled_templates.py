"""Templates filled in as an office would (issue 11): plausible figures (transforms.generate), a
note row inserted above the table, a "Tổng cộng" row under it. The committed
``schemas/examples/mau-bao-cao-2024S1-064-da-dien.xls`` / ``.ods`` (also the demo's .xls) are LibreOffice's copies of
``filled("064")`` (``python -m tests.filled_templates``; regenerate them when the catalogue or the
template layout changes: tests/e2e/test_templates.py says so when they differ)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd

from transforms import sheets
from transforms.catalogue import indicator_codes
from transforms.generate import report_values

SEED = 2024
LO_PROFILE = "-env:UserInstallation=file:///tmp/danvan-lo-profile"
BAC_KAN_DISTRICTS = ("058", "060", "061", "062", "063", "064", "065", "066")
FIXTURE = Path(__file__).parents[1] / "schemas" / "examples" / "mau-bao-cao-2024S1-064-da-dien"


def figures(unit_codes: list[str], sender: str) -> pd.DataFrame:
    """Figures per unit (index unit_code; totals and breakdown columns), the same for a sender
    whatever else is generated."""
    return report_values(unit_codes, np.random.default_rng([SEED, int(sender)]))


def fill(path: Path, out: Path, *, note_above: bool = False, total_row: bool = False) -> pd.DataFrame:
    """Fill the template at ``path`` into ``out``; return the figures written."""
    book = openpyxl.load_workbook(path)
    sheet = book["Báo cáo"]
    rows = list(sheet.iter_rows())
    at = next(k for k, r in enumerate(rows) if str(r[0].value or "").startswith(sheets.MACHINE_MARK))
    columns = {sheets.unescape(str(cell.value)): cell.column for cell in rows[at] if cell.value}
    units = []
    for r in rows[at + 1 :]:  # the unit rows: from the machine row to the first row without a code
        if not r[columns["unit_code"] - 1].value:
            break
        units.append((r[columns["unit_code"] - 1].value, r[0].row))
    sender = next(p.split("=")[1] for p in str(rows[at][0].value).split() if p.startswith("sender="))
    values = figures([u for u, _ in units], sender)
    for unit, row in units:
        for column, value in values.loc[unit].items():
            if column in columns and not pd.isna(value):
                sheet.cell(row=row, column=columns[column], value=int(value))
    if total_row:
        row = units[-1][1] + 1
        sheet.cell(row=row, column=columns["unit_name"], value="Tổng cộng")
        for code in indicator_codes():
            sheet.cell(row=row, column=columns[code], value=int(values[code].sum()))
    if note_above:
        sheet.insert_rows(1, 2)
        sheet.cell(row=1, column=1, value="Kèm theo Công văn số 15-CV/BDV ngày 10/6/2024")
    book.save(out)
    return values


def main() -> int:
    import subprocess
    import tempfile

    from transforms.templates import write_templates

    with tempfile.TemporaryDirectory() as tmp:
        [template] = write_templates("2024S1", Path(tmp), ["064"])
        filled = Path(tmp) / f"{FIXTURE.name}.xlsx"
        fill(template, filled)
        for fmt in ("xls", "ods"):
            subprocess.run(
                ["soffice", LO_PROFILE, "--headless", "--convert-to", fmt, "--outdir", tmp, str(filled)],
                check=True,
                capture_output=True,
                timeout=120,
            )
            made = Path(tmp) / f"{FIXTURE.name}.{fmt}"
            FIXTURE.with_suffix(f".{fmt}").write_bytes(made.read_bytes())
            print(FIXTURE.with_suffix(f".{fmt}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
