"""Issue 8, intake and reading: no inbox entry can break a batch, reach outside DANVAN_HOME or
lose a figure without a word. The whole hostile corpus (tests/hostile_corpus.py) goes through
intake and ONE validate batch together with a good file; then the rules that are not about one
file: a growing file, stable claims, caps in step with the catalogue."""

from __future__ import annotations

import os
import re
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from tests.hostile_corpus import IGNORED, KINDS, QUARANTINED, csv_file, small_caps
from transforms import intake, readers
from transforms.config import home
from transforms.intake import archive_file, claim_settled, list_claimed, submission_id, text_name
from transforms.rules import rules
from transforms.validate import validate_batch


def _entry(inbox: Path, kind) -> Path:
    folder = inbox / os.fsdecode(kind.sender) if kind.sender else inbox
    return folder / os.fsdecode(kind.name)


def _receipts(h, claimed) -> list[dict]:
    out = []
    for c in claimed:
        sha, archived = archive_file(h.archive, Path(c.path))
        sid = submission_id(c.sender_code, sha, c.received_at, c.file_name)
        out.append({**c.to_dict(), "sha256": sha, "archive_path": str(archived), "submission_id": sid})
    return out


def test_the_hostile_corpus_in_one_batch(tmp_path, monkeypatch):
    small_caps(monkeypatch)
    h = home(tmp_path / "home")
    h.inbox.mkdir(parents=True)
    for kind in KINDS:
        path = _entry(h.inbox, kind)
        path.parent.mkdir(parents=True, exist_ok=True)
        kind.build(path)
    outside = sorted(p for p in (tmp_path / "outside").rglob("*"))
    before = {p: (p.stat().st_mtime_ns, p.read_bytes() if p.is_file() else None) for p in outside}
    passwd_mtime = os.stat("/etc/passwd").st_mtime_ns

    claimed = claim_settled(h.inbox, h.claimed, min_age_s=0, now=time.time())
    assert sorted(claimed, key=lambda c: c.path) == list_claimed(h.claimed)
    for c in claimed:  # a short name of ours, whatever the sender called it
        assert re.fullmatch(r"[0-9a-f]{20}(\.[a-z0-9]{1,10})?", Path(c.path).name), c.path
    result = validate_batch(_receipts(h, claimed))

    subs = result.submissions.set_index("submission_id")
    by_key = {
        (s.sender_code if isinstance(s.sender_code, str) else "", s.file_name): sid
        for sid, s in subs.iterrows()
    }
    expected_claims, wrong = 0, []
    for kind in KINDS:
        entry = _entry(h.inbox, kind)
        if kind.expected == IGNORED:
            assert os.path.lexists(entry), kind.kind
            continue
        if kind.expected == QUARANTINED:
            assert not os.path.lexists(entry), kind.kind
            name = os.fsdecode(kind.name)
            moved = [d for d in (h.quarantine / "inbox").iterdir() if os.path.lexists(d / name)]
            assert len(moved) == 1 and (moved[0] / "reason.json").is_file(), kind.kind
            continue
        expected_claims += 1
        sender = kind.sender_code if kind.sender_code is not None else text_name(os.fsdecode(kind.sender))
        file_name = kind.file_name or text_name(os.fsdecode(kind.name))
        sid = by_key.get((sender, file_name))
        assert sid is not None, f"{kind.kind}: not claimed as ({sender!r}, {file_name!r})"
        verdict, issues = kind.expected
        found = result.issues[result.issues["submission_id"] == sid]
        got = sorted(
            (
                r.issue_code,
                None if pd.isna(r.row_number) else int(r.row_number),
                r.column_name if isinstance(r.column_name, str) else None,
            )
            for r in found.itertuples()
        )
        if (subs.at[sid, "verdict"], got) != (verdict, sorted(issues)):
            wrong.append((kind.kind, subs.at[sid, "verdict"], got))
        if kind.units is not None and (
            pd.isna(subs.at[sid, "unit_row_count"]) or subs.at[sid, "unit_row_count"] != kind.units
        ):
            wrong.append((kind.kind, "units", subs.at[sid, "unit_row_count"]))
    assert wrong == [], "\n".join(map(str, wrong))
    assert len(subs) == expected_claims
    assert (subs["file_name"].map(lambda n: n.encode("utf-8") is not None)).all()  # all valid text

    # nothing outside the home was read, moved or touched because of what is in the inbox
    assert {p: (p.stat().st_mtime_ns, p.read_bytes() if p.is_file() else None) for p in outside} == before
    assert os.stat("/etc/passwd").st_mtime_ns == passwd_mtime
    passwd = Path("/etc/passwd").read_bytes()
    assert all(p.read_bytes() != passwd for p in h.archive.rglob("*") if p.is_file())
    # a later sweep finds nothing new: quarantined entries are not listed again
    assert claim_settled(h.inbox, h.claimed, min_age_s=0, now=time.time()) == []


def test_the_corpus_is_broad():
    assert len(KINDS) >= 40
    assert len({k.kind for k in KINDS}) == len(KINDS)
    codes = {code for k in KINDS if isinstance(k.expected, tuple) for code, _, _ in k.expected[1]}
    new = {
        "file_unprocessable",
        "file_too_large",
        "value_too_large",
        "value_formula_uncached",
        "row_ragged",
        "column_duplicate",
        "column_repeated",
    }
    assert new <= codes


def test_a_growing_file_is_never_claimed(tmp_path):
    """A sender's upload still being written: danvan run (settle 0) must leave it alone."""
    inbox, claimed = tmp_path / "inbox", tmp_path / "claimed"
    (inbox / "064").mkdir(parents=True)
    path = inbox / "064" / "dang-ghi.csv"
    csv_file()(path)
    stop = threading.Event()

    def writer():
        with path.open("a") as f:
            while not stop.is_set():
                f.write("2024S1,02026" + ",1" * 19 + "\n")
                f.flush()
                time.sleep(0.02)

    t = threading.Thread(target=writer)
    t.start()
    try:
        assert claim_settled(inbox, claimed, min_age_s=0, now=time.time()) == []
        assert path.exists()
    finally:
        stop.set()
        t.join()
    taken = claim_settled(inbox, claimed, min_age_s=0, now=time.time())
    assert [c.file_name for c in taken] == ["dang-ghi.csv"]


def test_settle_rules(tmp_path):
    inbox, claimed = tmp_path / "inbox", tmp_path / "claimed"
    (inbox / "064").mkdir(parents=True)
    old, young = inbox / "064" / "cu.csv", inbox / "064" / "moi.csv"
    csv_file()(old)
    csv_file()(young)
    t = time.time() - 60
    os.utime(old, (t, t))
    # the trigger's 2 s: the young file waits for a later sweep, the old one is taken at once
    assert [c.file_name for c in claim_settled(inbox, claimed, min_age_s=2.0, now=time.time())] == ["cu.csv"]
    # danvan run's 0 s: taken after one unchanged second look
    assert [c.file_name for c in claim_settled(inbox, claimed, min_age_s=0, now=time.time())] == ["moi.csv"]


def test_claims_are_stable_and_clean_up_after_themselves(tmp_path, monkeypatch):
    h = home(tmp_path / "home")
    (h.inbox / "_unknown_sender").mkdir(parents=True)
    csv_file()(h.inbox / "_unknown_sender" / "r.csv")
    [c] = claim_settled(h.inbox, h.claimed, min_age_s=0, now=time.time())
    assert (c.sender_code, c.file_name) == ("_unknown_sender", "r.csv")
    assert list_claimed(h.claimed) == [c] == list_claimed(h.claimed)  # same claim, same receipt, same id
    # recorded: load removes the file; its sidecar goes with a later listing (or release_claim)
    Path(c.path).unlink()
    assert list_claimed(h.claimed) == []
    assert len(list(h.claimed.iterdir())) == 1  # a fresh sidecar may be a claim in progress: kept
    monkeypatch.setattr(intake, "ORPHAN_SIDECAR_S", 0.0)
    assert list_claimed(h.claimed) == []
    assert list(h.claimed.iterdir()) == []
    csv_file()(h.inbox / "_unknown_sender" / "r2.csv")
    [c2] = claim_settled(h.inbox, h.claimed, min_age_s=0, now=time.time())
    intake.release_claim(c2.path)  # the hook for pipeline.load: file and sidecar together
    assert list(h.claimed.iterdir()) == []


def test_explicit_and_legacy_claims_keep_their_folder_as_sender(tmp_path):
    legacy = tmp_path / "claimed" / "064" / "old.csv"
    legacy.parent.mkdir(parents=True)
    csv_file()(legacy)
    [c] = list_claimed(tmp_path / "claimed")
    assert (c.sender_code, c.file_name) == ("064", "old.csv")
    assert intake.explicit_file(legacy).sender_code == "064"


def test_archive_refuses_what_is_not_a_regular_file(tmp_path):
    os.symlink("/etc/passwd", tmp_path / "l.csv")
    os.mkfifo(tmp_path / "f.csv")
    for p in (tmp_path / "l.csv", tmp_path / "f.csv"):
        with pytest.raises(OSError):
            archive_file(tmp_path / "archive", p)
    assert not (tmp_path / "archive").exists()


def test_every_cap_is_named_in_the_catalogue():
    """The caps live in transforms/readers.py; the rule's checks text must say the same numbers."""
    checks = " ".join(rules()["file_too_large"].checks.split())
    for name in (
        "MAX_FILE_BYTES",
        "MAX_ROWS",
        "MAX_COLUMNS",
        "MAX_ZIP_MEMBERS",
        "MAX_ZIP_MEMBER_BYTES",
        "MAX_ZIP_TOTAL_BYTES",
        "MAX_ZIP_RATIO",
        "MAX_CELLS",
        "MAX_ZIP_OTHER_PART_BYTES",
        "MAX_XLSX_ROWS",
        "MAX_XLSX_ELEMENTS",
        "MAX_PARQUET_BYTES",
    ):
        assert f"{getattr(readers, name):,}" in checks, name
    assert f"{readers.MAX_SHEET_DIMENSION[0]:,} rows" in checks


def test_a_reader_error_of_any_kind_is_a_code_and_the_batch_goes_on(tmp_path, monkeypatch):
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    csv_file()(good)
    csv_file()(bad)

    real = readers._read_csv

    def explode(path):
        if path.name == "bad.csv":
            raise MemoryError("boom")  # not an Exception the readers know
        return real(path)

    monkeypatch.setattr(readers, "_read_csv", explode)
    receipts = [
        {
            "submission_id": f"sub_{p.stem}",
            "sender_code": "064",
            "file_name": p.name,
            "archive_path": str(p),
            "received_at": "2024-07-01T00:00:00+00:00",
            "sha256": p.stem,
        }
        for p in (good, bad)
    ]
    result = validate_batch(receipts)
    verdicts = dict(zip(result.submissions["submission_id"], result.submissions["verdict"], strict=True))
    assert verdicts == {"sub_good": "accepted", "sub_bad": "rejected"}
    [problem] = result.issues[result.issues["submission_id"] == "sub_bad"].to_dict("records")
    assert problem["issue_code"] == "file_unprocessable"
    assert "MemoryError" in problem["message_en"] and "Traceback" not in problem["message_en"]
