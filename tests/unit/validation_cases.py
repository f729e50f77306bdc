"""Tiny submissions for the suite tests: one good district file, and ways to break it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from tests.helpers import CODES, GOOD, reference, write_csv
from transforms.validate import validate_batch

__all__ = ["CODES", "GOOD", "Cases", "issues_of", "receipt", "rows", "validate", "verdict_of", "write_csv"]
UNITS = ["02020", "02023", "064"]  # two communes of Chợ Đồn (064) and the district's own row


def rows(period="2024S1", units=UNITS, **changes) -> list[dict]:
    """Wide rows; ``changes`` maps unit_code -> {column: value} to break one cell."""
    out = []
    for u in units:
        r = {"period": period, "unit_code": u, **GOOD}
        r.update(changes.get(f"u{u}", {}))
        out.append(r)
    return out


def receipt(path: Path, sender="064") -> dict:
    return {
        "submission_id": f"sub_{path.stem}",
        "sender_code": sender,
        "file_name": path.name,
        "archive_path": str(path),
        "received_at": "2024-07-01T00:00:00+00:00",
        "sha256": path.stem,
    }


def validate(*receipts):
    return validate_batch(list(receipts), reference=reference())


def issues_of(result, submission_id) -> list[tuple]:
    i = result.issues[result.issues["submission_id"] == submission_id]
    return [
        (
            r.issue_code,
            None if pd.isna(r.row_number) else int(r.row_number),
            None if pd.isna(r.column_name) else r.column_name,
            None if pd.isna(r.value) else r.value,
        )
        for r in i.itertuples()
    ]


def verdict_of(result, submission_id) -> str:
    s = result.submissions.set_index("submission_id")
    return s.at[submission_id, "verdict"]


class Cases:
    """The files of a module's parametrised cases, validated together in one batch, once: each
    suite runs once per module instead of once per case (a suite run has a fixed cost of its own).
    Files of a batch never change each other's issues (test_one_bad_file_does_not_change_the_others)."""

    def __init__(self, folder: Path):
        self.folder, self._receipts, self._result = folder, [], None

    def add(self, key: str, records: list[dict], header: list[str] | None = None, sender="064") -> None:
        self._receipts.append(receipt(write_csv(self.folder / f"{key}.csv", records, header), sender))

    def add_bytes(self, key: str, suffix: str, content: bytes, sender="064") -> None:
        """A file of any format, as raw bytes (e.g. a broken workbook)."""
        path = self.folder / f"{key}{suffix}"
        path.write_bytes(content)
        self._receipts.append(receipt(path, sender))

    @property
    def result(self):
        if self._result is None:
            self._result = validate(*self._receipts)
        return self._result

    def issues(self, key: str) -> list[tuple]:
        return issues_of(self.result, f"sub_{key}")

    def verdict(self, key: str) -> str:
        return verdict_of(self.result, f"sub_{key}")

    def values(self, key: str) -> pd.DataFrame:
        """The values of one file, in the order validation returns them (index from 0)."""
        v = self.result.values
        return v[v["submission_id"] == f"sub_{key}"].reset_index(drop=True)

    def issue_rows(self, key: str) -> pd.DataFrame:
        """The issues of one file, every column (messages included)."""
        i = self.result.issues
        return i[i["submission_id"] == f"sub_{key}"].reset_index(drop=True)
