"""The chase list and the reminders, on a tiny warehouse that has the relations chase reads
(``reporting_status``, ``periods``, ``intermediate.int_working_days``, ``int_period_units``).
The mart's own logic is tested where it is built; here: who is chased, when, once, and in what words."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import duckdb
import pandas as pd
import pytest
from openpyxl import load_workbook

from danvan.cli import main
from transforms import chase
from transforms.config import Home
from transforms.periods import label_vi

DEADLINE = date(2024, 6, 18)  # Tuesday
RECEIVED = datetime(2024, 6, 17, 3, 0)
STATUS = [  # sender, name, kind, sector, province, status, received, accepted, working days late
    ("063", "Huyện Ba Bể", "district", None, "06", "on_time", RECEIVED, RECEIVED, None),
    ("064", "Huyện Ngân Sơn", "district", None, "06", "late", RECEIVED, RECEIVED, 2),
    ("065", "Huyện Chợ Đồn", "district", None, "06", "missing", None, None, None),
    ("066", "Huyện Chợ Mới", "district", None, "06", "rejected_only", RECEIVED, None, None),
    ("CQ06-01", "Công an tỉnh", "body", "an ninh", "06", "missing", None, None, None),
    ("042", "Huyện Bảo Lạc", "district", None, "04", "on_time", RECEIVED, RECEIVED, None),
]


def _warehouse(path, deadline: date = DEADLINE):
    """A warehouse file holding only what chase reads: 6 expected senders of 2024S1 in 2 provinces."""
    days = pd.DataFrame({"day": pd.date_range("2024-05-01", "2024-12-31").date})
    days["is_working_day"] = [d.weekday() < 5 for d in days["day"]]
    days["working_day_number"] = days["is_working_day"].cumsum()
    status = pd.DataFrame(
        STATUS,
        columns=[
            "sender_code",
            "sender_name",
            "sender_kind",
            "sector",
            "province_code",
            "status",
            "first_received_at",
            "accepted_at",
            "working_days_late",
        ],
    ).assign(period="2024S1", deadline_date=deadline)
    periods = pd.DataFrame(
        {
            "period_code": ["2024S1"],
            "start_date": [date(2023, 12, 15)],
            "end_date": [date(2024, 6, 14)],
            "deadline_date": [deadline],
        }
    )
    units = pd.DataFrame(
        {
            "period_code": ["2024S1", "2024S1"],
            "unit_code": ["06", "04"],
            "unit_level": ["province", "province"],
            "unit_name": ["Tỉnh Bắc Kạn", "Tỉnh Cao Bằng"],
        }
    )
    con = duckdb.connect(str(path))
    con.execute("create schema intermediate")
    for name, frame in {
        "intermediate.int_working_days": days,
        "reporting_status": status,
        "periods": periods,
        "intermediate.int_period_units": units,
    }.items():
        con.register("frame", frame)
        con.execute(f"create table {name} as select * from frame")
        con.unregister("frame")
    con.close()
    return path


@pytest.fixture
def h(tmp_path) -> Home:
    home = Home(tmp_path).ensure()
    _warehouse(home.warehouse_db)
    return home


def _missing(h: Home, as_of: date, province=None):
    con = duckdb.connect(str(h.warehouse_db), read_only=True)
    try:
        return chase.missing(con, "2024S1", as_of, province)
    finally:
        con.close()


@pytest.mark.parametrize(
    ("as_of", "late"),
    [
        (date(2024, 6, 18), 0),  # the deadline day itself: not late yet
        (date(2024, 6, 19), 1),
        (date(2024, 6, 21), 3),  # Wed, Thu, Fri
        (date(2024, 6, 24), 4),  # the weekend doesn't count
    ],
)
def test_missing_lists_senders_with_nothing_accepted_and_counts_working_days(h, as_of, late):
    rows = _missing(h, as_of)
    assert [(r.sender_code, r.status, r.working_days_late) for r in rows] == [
        ("CQ06-01", "missing", late),
        ("065", "missing", late),
        ("066", "rejected_only", late),
    ]
    assert rows[0].province_name == "Tỉnh Bắc Kạn"
    assert _missing(h, as_of, province="04") == []


def test_run_reminds_each_late_sender_once_and_writes_the_province_chase_list(h):
    first = chase.run(h.root, as_of=date(2024, 6, 21))
    assert first["periods"] == ["2024S1"]
    written = sorted(p.split("/outbox/")[1] for p in first["reminders"])
    assert written == [
        "065/nhac-nop-bao-cao-2024S1.txt",
        "066/nhac-nop-bao-cao-2024S1.txt",
        "CQ06-01/nhac-nop-bao-cao-2024S1.txt",
    ]
    assert [p.split("/outbox/")[1] for p in first["chase_lists"]] == ["06/danh-sach-chua-nop-2024S1.xlsx"]

    text = (h.outbox / "066" / "nhac-nop-bao-cao-2024S1.txt").read_text(encoding="utf-8-sig")
    assert text.startswith("NHẮC NỘP BÁO CÁO CÔNG TÁC DÂN VẬN")
    assert "Kính gửi: Huyện Chợ Mới (mã 066)" in text
    assert "báo cáo 6 tháng đầu năm 2024 (từ 15/12/2023 đến 14/06/2024)" in text
    assert "Hạn nộp là ngày 18/06/2024; báo cáo đã chậm 3 ngày làm việc." in text
    assert "bị từ chối" in text and "3 working day(s) late" in text
    assert "bị từ chối" not in (h.outbox / "065" / "nhac-nop-bao-cao-2024S1.txt").read_text(
        encoding="utf-8-sig"
    )

    ws = load_workbook(h.outbox / "06" / "danh-sach-chua-nop-2024S1.xlsx").active
    values = [[c for c in row] for row in ws.iter_rows(values_only=True)]
    assert values[0][0] == "DANH SÁCH ĐƠN VỊ CHƯA NỘP BÁO CÁO 6 THÁNG ĐẦU NĂM 2024"
    assert values[2][0] == "Hạn nộp: 18/06/2024. Đã nộp 2/5 đơn vị, 1 đúng hạn."
    body = [(r[1], r[6], r[7]) for r in values[6:]]
    assert body == [
        ("065", "Chưa nộp", 3),
        ("066", "Đã gửi nhưng bị từ chối, chưa có báo cáo hợp lệ", 3),
        ("CQ06-01", "Chưa nộp", 3),
        ("063", "Đã nộp đúng hạn", None),
        ("064", "Đã nộp muộn", 2),
    ]

    # The next morning: no second reminder (even for a sender who deleted the first), a fresh list.
    (h.outbox / "065" / "nhac-nop-bao-cao-2024S1.txt").unlink()
    second = chase.run(h.root, as_of=date(2024, 6, 24))
    assert second["reminders"] == [] and second["already_reminded"] == 3
    assert not (h.outbox / "065" / "nhac-nop-bao-cao-2024S1.txt").exists()
    ws = load_workbook(h.outbox / "06" / "danh-sach-chua-nop-2024S1.xlsx").active
    assert [r[7] for r in ws.iter_rows(min_row=7, max_row=7, values_only=True)] == [4]


@pytest.mark.parametrize(
    ("as_of", "periods"),
    [
        (DEADLINE, []),  # not passed yet
        (DEADLINE + timedelta(days=1), ["2024S1"]),
        (DEADLINE + timedelta(days=chase.CHASE_WINDOW_DAYS), ["2024S1"]),
        (DEADLINE + timedelta(days=chase.CHASE_WINDOW_DAYS + 1), []),  # no longer chased every morning
    ],
)
def test_a_period_is_chased_from_the_day_after_its_deadline_for_the_window(h, as_of, periods):
    summary = chase.run(h.root, as_of=as_of)
    assert summary["periods"] == periods
    assert bool(summary["reminders"]) == bool(periods)


def test_run_without_a_warehouse_chases_nobody(tmp_path):
    assert chase.run(tmp_path, as_of=date(2024, 6, 21))["reminders"] == []


def test_local_day_is_the_day_in_hanoi():
    from datetime import UTC

    assert chase.local_day(datetime(2024, 6, 18, 18, 30, tzinfo=UTC)) == date(2024, 6, 19)
    assert chase.local_day(datetime(2024, 6, 18, 16, 59, tzinfo=UTC)) == date(2024, 6, 18)


def test_cli_status_missing(h, capsys):
    assert (
        main(["--home", str(h.root), "status", "--period", "2024s1", "--missing", "--as-of", "2024-06-21"])
        == 0
    )
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "3 sender(s) of 2024S1 without an accepted report, as of 2024-06-21:"
    assert [line.split()[0] for line in out[3:]] == ["065", "066", "CQ06-01"]
    assert out[3].split()[-1] == "3"
    assert main(["--home", str(h.root), "status", "--period", "2024S1", "--missing", "--province", "04",
                 "--as-of", "2024-06-21"]) == 0  # fmt: skip
    assert "Every expected sender of 2024S1 in province 04 has an accepted report" in capsys.readouterr().out
    assert main(["--home", str(h.root), "status", "--missing"]) == 2


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("2024", "năm 2024"),
        ("2024S1", "6 tháng đầu năm 2024"),
        ("2024S2", "6 tháng cuối năm 2024"),
        ("2024Q3", "quý III năm 2024"),
        ("202406", "tháng 6 năm 2024"),
        ("2024N9", "9 tháng đầu năm 2024"),
        ("2018-2020", "giai đoạn 2018-2020"),
        ("nonsense", "nonsense"),
    ],
)
def test_period_label_vi(code, label):
    assert label_vi(code) == label
