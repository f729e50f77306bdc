"""Checks across submissions (transforms/crosschecks.py) on an in-memory raw layer.

Submissions are written straight into the raw tables, as load leaves them, then `run` is called
with the ids a load would pass: the ids of the files that just arrived.
"""

from __future__ import annotations

import duckdb
import pytest

from transforms import crosschecks
from transforms.crosschecks import MIN_HISTORY, MIN_PEERS
from transforms.warehouse import create_pipeline_views, create_raw_tables

# Communes of Bắc Kạn (06) before the 2025 reform, two or more per district
COMMUNES_06 = ["02020", "02023", "02026", "02029", "01834", "01837", "01858", "01861", "01888", "01891"]


@pytest.fixture
def con():
    c = duckdb.connect()
    create_raw_tables(c)
    create_pipeline_views(c)  # as open_pipeline leaves pipeline.duckdb
    yield c
    c.close()


def add(con, sid, sender, period, rows, *, at="2024-07-01", verdict="accepted"):
    """One accepted submission; ``rows`` maps unit_code -> {indicator: value}, file rows from 2."""
    con.execute(
        "insert into raw.submissions values (?, ?, ?, ?, ?, ?, cast(? as timestamp), 'csv', 'wide', ?, null, 0, 0, ?)",
        [sid, sender, period, f"{sid}.csv", sid, f"/a/{sid}", at, verdict, len(rows)],
    )
    for n, (unit, values) in enumerate(rows.items(), start=2):
        for code, value in values.items():
            con.execute(
                "insert into raw.unit_report_values (submission_id, row_number, unit_code,"
                " is_declared_total, indicator_code, value) values (?, ?, ?, ?, ?, ?)",
                [sid, n, unit, unit == "TOTAL", code, value],
            )
    return sid


def issues(con, sid=None, code=None):
    sql = "select submission_id, row_number, column_name, unit_code, issue_code, severity, value, message_en "
    sql += "from raw.submission_issues where true"
    params = []
    if sid:
        sql += " and submission_id = ?"
        params.append(sid)
    if code:
        sql += " and issue_code = ?"
        params.append(code)
    return con.execute(sql + " order by all", params).fetchall()


def verdict(con, sid):
    return con.execute(
        "select verdict, warning_count from raw.submissions where submission_id = ?", [sid]
    ).fetchone()


# ------------------------------------------------------------------------ district vs commune
def test_a_district_row_that_differs_from_the_communes_own_file_is_a_warning_on_the_district(con):
    add(
        con,
        "d",
        "064",
        "2024S1",
        {"02020": {"conferences_held": 2, "trainings_held": 1}, "064": {"conferences_held": 1}},
    )
    add(con, "c", "02020", "2024S1", {"02020": {"conferences_held": 3, "trainings_held": 1}})
    assert crosschecks.run(con, ["d", "c"]) == 3  # the mismatch, and history_too_short on each file
    found = issues(con, code="district_commune_mismatch")
    assert [r[:7] for r in found] == [
        ("d", 2, "conferences_held", "02020", "district_commune_mismatch", "warning", "2")
    ]
    assert found[0][7] == "conferences_held of unit 02020 is 2 in this file but 3 in that unit's own report."
    assert verdict(con, "d") == ("accepted_with_warnings", 1)
    assert verdict(con, "c") == ("accepted", 0)


@pytest.mark.parametrize("first", ["district", "commune"])
def test_the_warning_lands_on_the_district_whichever_file_arrives_first(con, first):
    district = {"02020": {"conferences_held": 2}, "02023": {"conferences_held": 2}}
    commune = {"02020": {"conferences_held": 5}}
    if first == "district":
        crosschecks.run(con, [add(con, "d", "064", "2024S1", district)])
        assert issues(con, code="district_commune_mismatch") == []
        crosschecks.run(con, [add(con, "c", "02020", "2024S1", commune, at="2024-07-02 00:00:00")])
    else:
        crosschecks.run(con, [add(con, "c", "02020", "2024S1", commune)])
        crosschecks.run(con, [add(con, "d", "064", "2024S1", district, at="2024-07-02 00:00:00")])
    assert [(r[0], r[1], r[6]) for r in issues(con, code="district_commune_mismatch")] == [("d", 2, "2")]
    assert verdict(con, "d") == ("accepted_with_warnings", 1)

    # the commune corrects its file: the district's warning goes, its verdict with it
    crosschecks.run(
        con, [add(con, "c2", "02020", "2024S1", {"02020": {"conferences_held": 2}}, at="2024-07-03")]
    )
    assert issues(con, code="district_commune_mismatch") == []
    assert verdict(con, "d") == ("accepted", 0)


def test_an_empty_figure_against_a_reported_one_is_a_difference(con):
    add(con, "d", "064", "2024S1", {"02020": {"conferences_held": None, "trainings_held": 1}})
    add(con, "c", "02020", "2024S1", {"02020": {"conferences_held": 4, "trainings_held": 1}})
    crosschecks.run(con, ["d", "c"])
    [row] = issues(con, code="district_commune_mismatch")
    assert (
        row[6] is None
        and row[7] == "conferences_held of unit 02020 is – in this file but 4 in that unit's own report."
    )


def test_only_current_accepted_files_are_compared(con):
    add(con, "d", "064", "2024S1", {"02020": {"conferences_held": 2}})
    add(con, "c_old", "02020", "2024S1", {"02020": {"conferences_held": 9}}, at="2024-07-01")
    add(con, "c_new", "02020", "2024S1", {"02020": {"conferences_held": 2}}, at="2024-07-02")
    add(
        con,
        "c_bad",
        "02020",
        "2024S1",
        {"02020": {"conferences_held": 7}},
        at="2024-07-03",
        verdict="rejected",
    )
    crosschecks.run(con, ["d", "c_old", "c_new", "c_bad"])
    assert issues(con, code="district_commune_mismatch") == []


def test_a_file_a_validator_rejected_is_not_current(con):
    add(con, "d", "064", "2024S1", {"02020": {"conferences_held": 2}})
    add(con, "c", "02020", "2024S1", {"02020": {"conferences_held": 9}})
    con.execute(
        "insert into raw.review_decisions values ('r1', 'c', 'reject', 'sai số liệu', 'tham_dinh', now())"
    )
    crosschecks.run(con, ["d"])
    assert issues(con, code="district_commune_mismatch") == []


# ---------------------------------------------------------------------------- year vs halves
def test_a_year_report_is_checked_against_both_halves_even_when_a_half_arrives_later(con):
    year = {
        "02020": {"conferences_held": 5, "trainings_held": 2, "documents_issued": None},
        "064": {"conferences_held": 1},
    }
    add(con, "y", "064", "2024", year)
    add(
        con,
        "s1",
        "064",
        "2024S1",
        {
            "02020": {"conferences_held": 2, "trainings_held": 1, "documents_issued": 1},
            "064": {"conferences_held": 1},
        },
    )
    crosschecks.run(con, ["y", "s1"])
    assert issues(con, code="year_differs_from_halves") == []  # S2 not there yet: nothing to compare

    add(
        con,
        "s2",
        "064",
        "2024S2",
        {
            "02020": {"conferences_held": 2, "trainings_held": 1, "documents_issued": 1},
            "064": {"conferences_held": 0},
        },
        at="2025-01-10",
    )
    crosschecks.run(con, ["s2"])
    found = issues(con, code="year_differs_from_halves")
    assert [r[:7] for r in found] == [
        ("y", 2, "conferences_held", "02020", "year_differs_from_halves", "warning", "5")
    ]
    assert found[0][7] == (
        "The year figure conferences_held of unit 02020 is 5, not the sum of the half-year reports 2 + 2 = 4."
    )
    assert verdict(con, "y") == ("accepted_with_warnings", 1)
    assert verdict(con, "s2")[0] == "accepted"


def test_a_stocks_year_is_its_end_of_year_half_and_a_flows_is_the_sum(con):
    """models_active (time aggregation last) is never added over time: the year equals S2."""
    add(
        con,
        "y",
        "064",
        "2024",
        {"02020": {"models_active": 34, "models_registered": 7}, "064": {"models_active": 30}},
    )
    add(
        con,
        "s1",
        "064",
        "2024S1",
        {"02020": {"models_active": 30, "models_registered": 3}, "064": {"models_active": 30}},
    )
    add(
        con,
        "s2",
        "064",
        "2024S2",
        {"02020": {"models_active": 34, "models_registered": 4}, "064": {"models_active": 31}},
    )
    crosschecks.run(con, ["y", "s1", "s2"])
    found = issues(con, code="year_differs_from_halves")
    assert [r[:7] for r in found] == [
        ("y", 3, "models_active", "064", "year_differs_from_halves", "warning", "30")
    ]
    assert (
        found[0][7] == "The year figure models_active of unit 064 is 30, not the end-of-year (S2) figure 31."
    )


def test_the_year_2025_is_compared_with_its_halves_on_todays_map(con):
    """2025 straddles the reform: S1 on the old map, the year and S2 on today's. Thái Nguyên (19) =
    old 19 + old 06 (Bắc Kạn); 15 is Lào Cai now (old 10 + old 15, Yên Bái: the same sender code's S1
    is another province); commune 01849 = old 01849 + 01984; Ngọc Hà (00008) received part of a split
    commune (Cống Vị), so its S1 on today's map is not known and it is not compared."""
    ids = [
        add(con, "s1-19", "19", "2025S1", {"19": {"conferences_held": 3}}),
        add(con, "s1-06", "06", "2025S1", {"06": {"conferences_held": 2}}),
        add(con, "s1-15", "15", "2025S1", {"15": {"conferences_held": 3}}),
        add(con, "s1-10", "10", "2025S1", {"10": {"conferences_held": 2}}),
        add(
            con,
            "s1-066",
            "066",
            "2025S1",
            {"01849": {"conferences_held": 1}, "01984": {"conferences_held": 2}},
        ),
        add(
            con,
            "s1-001",
            "001",
            "2025S1",
            {"00007": {"conferences_held": 4}, "00008": {"conferences_held": 1}},
        ),
    ]
    for sender, year, s2 in (("19", 10, 4), ("15", 9, 4), ("01849", 7, 3), ("00008", 99, 1)):
        ids.append(
            add(con, f"y-{sender}", sender, "2025", {sender: {"conferences_held": year}}, at="2026-01-10")
        )
        ids.append(
            add(con, f"s2-{sender}", sender, "2025S2", {sender: {"conferences_held": s2}}, at="2026-01-10")
        )
    crosschecks.run(con, ids)
    found = issues(con, code="year_differs_from_halves")
    assert [r[:7] for r in found] == [
        ("y-01849", 2, "conferences_held", "01849", "year_differs_from_halves", "warning", "7"),
        ("y-19", 2, "conferences_held", "19", "year_differs_from_halves", "warning", "10"),
    ]
    assert [r[7] for r in found] == [
        "The year figure conferences_held of unit 01849 is 7, not the sum of the half-year reports 3 + 3 = 6.",
        "The year figure conferences_held of unit 19 is 10, not the sum of the half-year reports 5 + 4 = 9.",
    ]


def test_halves_of_another_sender_are_not_compared(con):
    add(con, "y", "064", "2024", {"02020": {"conferences_held": 5}})
    add(con, "s1", "02020", "2024S1", {"02020": {"conferences_held": 1}})
    add(con, "s2", "02020", "2024S2", {"02020": {"conferences_held": 1}})
    crosschecks.run(con, ["y", "s1", "s2"])
    assert issues(con, code="year_differs_from_halves") == []


# ---------------------------------------------------------------------------------- outliers
HALVES = ["2022S1", "2022S2", "2023S1", "2023S2", "2024S1"]


def test_a_figure_far_outside_the_units_own_history_is_flagged_with_the_expected_range(con):
    for n, (period, attendees) in enumerate(zip(HALVES[:4], [60, 90, 75, 80], strict=True)):
        add(
            con,
            f"h{n}",
            "02029",
            period,
            {"02029": {"conference_attendees": attendees, "conferences_held": 2}},
        )
    crosschecks.run(con, [f"h{n}" for n in range(4)])
    add(con, "now", "02029", "2024S1", {"02029": {"conference_attendees": 8000, "conferences_held": 2}})
    crosschecks.run(con, ["now"])
    [row] = issues(con, "now")
    assert row[:7] == ("now", 2, "conference_attendees", "02029", "value_outlier", "warning", "8000")
    assert "expected 0-" not in row[7] and "from 4 earlier periods of the same kind and 0 units" in row[7]
    low, high = row[7].split("expected ")[1].split(" ")[0].split("-")
    assert int(low) <= 60 and 90 <= int(high) < 8000
    assert verdict(con, "now") == ("accepted_with_warnings", 1)


def test_too_little_history_is_said_once_per_submission_and_never_changes_the_verdict(con):
    for n, period in enumerate(HALVES[: MIN_HISTORY - 1]):
        add(con, f"h{n}", "02029", period, {"02029": {"conference_attendees": 80, "conferences_held": 2}})
    add(con, "now", "02029", "2023S2", {"02029": {"conference_attendees": 8000, "conferences_held": 2}})
    crosschecks.run(con, ["now"])
    assert [r[:7] for r in issues(con, "now")] == [
        ("now", None, None, None, "history_too_short", "info", "2")
    ]
    assert issues(con, "now")[0][7].startswith("2 of 2 non-zero figures were not checked for outliers")
    assert verdict(con, "now") == ("accepted", 0)


def test_peers_in_the_province_judge_a_figure_without_history(con):
    assert len(COMMUNES_06) - 1 >= MIN_PEERS
    for code in COMMUNES_06[1:]:
        add(con, f"p{code}", code, "2024S1", {code: {"documents_issued": 3}})
    add(con, "odd", "02020", "2024S1", {"02020": {"documents_issued": 300}})
    add(con, "fine", "064", "2024S1", {"02023": {"documents_issued": 3}, "064": {"documents_issued": 30}})
    crosschecks.run(con, ["odd", "fine", *(f"p{c}" for c in COMMUNES_06[1:])])
    found = issues(con, code="value_outlier")
    assert [r[:7] for r in found] == [
        ("odd", 2, "documents_issued", "02020", "value_outlier", "warning", "300")
    ]
    assert f"from 0 earlier periods of the same kind and {len(COMMUNES_06) - 1} units" in found[0][7]
    # identical peers (MAD 0) still allow a factor of ~12 on 1 + x: (1 + 3) x e^2.5 - 1 = 48
    assert "expected 0-48 " in found[0][7]
    # the district's own row has no district peers: said once, as info
    assert [r[4:7] for r in issues(con, "fine")] == [("history_too_short", "info", "1")]


def test_a_reused_code_is_not_its_own_history(con):
    """02020 was Thị trấn Bằng Lũng (064, Bắc Kạn) until 2025-07-01, then Xã Chợ Đồn (Thái Nguyên)."""
    for n, period in enumerate(["2023S1", "2023S2", "2024S1", "2024S2", "2025S1"]):
        add(con, f"h{n}", "02020", period, {"02020": {"documents_issued": 3}})
    add(con, "new", "02020", "2025S2", {"02020": {"documents_issued": 300}})
    crosschecks.run(con, ["new"])
    assert [r[4] for r in issues(con, "new")] == ["history_too_short"]


def test_one_computation_judges_flags_and_excuses_the_figures_of_a_file(con):
    """The real path: bands, the flag and history_too_short come from the same figures in one pass.
    Row 2 sits in its history, row 3 is 20x it, row 4 has no history and only a few peers."""
    for n, period in enumerate(HALVES[:MIN_HISTORY]):
        add(con, f"h{n}", "064", period, {"02020": {"conferences_held": 2}, "02023": {"conferences_held": 2}})
    add(
        con,
        "now",
        "064",
        "2024S1",
        {
            "02020": {"conferences_held": 2},
            "02023": {"conferences_held": 40},
            "02026": {"conferences_held": 40},
        },
    )
    crosschecks.run(con, ["now"])
    found = issues(con, "now")
    assert [r[:7] for r in found] == [
        ("now", 3, "conferences_held", "02023", "value_outlier", "warning", "40"),
        ("now", None, None, None, "history_too_short", "info", "1"),
    ]
    # identical history (MAD 0): the scale floor allows (1 + 2) x e^2.5 - 1 = 35.5, rounded up
    assert "expected 0-36 (from 4 earlier periods of the same kind and 0 units" in found[0][7]
    assert found[1][7].startswith("1 of 3 non-zero figures were not checked for outliers")
    assert verdict(con, "now") == ("accepted_with_warnings", 1)


def test_a_huge_figure_is_judged_without_overflow(con):
    """ln(1 + x) in DOUBLE: the largest BIGINT a file can carry must not break the load."""
    big = 2**63 - 1
    for n, period in enumerate(HALVES[:MIN_HISTORY]):
        add(con, f"h{n}", "02029", period, {"02029": {"conference_attendees": big if n == 0 else 80}})
    add(con, "now", "02029", "2024S1", {"02029": {"conference_attendees": big}})
    crosschecks.run(con, ["now"])
    assert [r[4:7] for r in issues(con, "now")] == []  # within the history's own min..max


def test_zeros_are_never_outliers_nor_the_yardstick(con):
    """Most units hold no training in a half-year: a median of zeros would flag every unit that
    held one. Zeros are left out on both sides; a small non-zero figure can still be flagged."""
    for code in COMMUNES_06[2:]:
        add(con, f"p{code}", code, "2024S1", {code: {"training_attendees": 300, "trainings_held": 0}})
    add(con, "none", "02020", "2024S1", {"02020": {"training_attendees": 0, "trainings_held": 0}})
    add(con, "tiny", "02023", "2024S1", {"02023": {"training_attendees": 5, "trainings_held": 0}})
    crosschecks.run(con, ["none", "tiny", *(f"p{c}" for c in COMMUNES_06[2:])])
    assert [r[:7] for r in issues(con, code="value_outlier")] == [
        ("tiny", 2, "training_attendees", "02023", "value_outlier", "warning", "5")
    ]
    assert issues(con, "none") == []  # its zeros were not judged, and need no excuse

    for n, code in enumerate(COMMUNES_06[2:]):  # trainings_held: zero everywhere but one commune
        add(con, f"q{code}", code, "2024S2", {code: {"trainings_held": 0 if n else 1}})
    add(con, "did", "02020", "2024S2", {"02020": {"trainings_held": 3}})
    crosschecks.run(con, ["did"])
    assert [r[4:7] for r in issues(con, "did")] == [("history_too_short", "info", "1")]


def test_a_backlog_loaded_at_once_is_judged_as_if_it_arrived_period_by_period(con):
    """The statistics are computed one arrived period at a time (their memory follows a period,
    not the backlog): five half-years in one load give the issues of the history, then the last."""
    later = duckdb.connect()
    create_raw_tables(later)
    create_pipeline_views(later)
    figures = [60, 90, 75, 80, 8000]
    for c in (con, later):
        for n, (period, attendees) in enumerate(zip(HALVES, figures, strict=True)):
            add(
                c,
                f"h{n}",
                "02029",
                period,
                {"02029": {"conference_attendees": attendees, "trainings_held": 1}},
            )
    crosschecks.run(con, [f"h{n}" for n in range(len(HALVES))])
    crosschecks.run(later, [f"h{n}" for n in range(len(HALVES) - 1)])
    crosschecks.run(later, [f"h{len(HALVES) - 1}"])
    assert [r[4] for r in issues(con)] == ["history_too_short"] * 4 + ["value_outlier"]
    assert issues(con) == issues(later)
    later.close()


@pytest.mark.parametrize(
    ("touched", "read"),
    [
        (["2024S1", "2024"], ["2024", "2024S1", "2024S2"]),  # a year reads both of its halves
        (["2024Q3"], ["2024Q3"]),
        (["2023", "2025S2"], ["2023", "2023S1", "2023S2", "2025S2"]),
    ],
)
def test_the_checks_read_the_touched_periods_and_the_halves_of_their_years(touched, read):
    assert crosschecks.read_periods(touched) == read


def test_a_period_is_judged_against_itself_and_the_earlier_periods_of_its_kind():
    periods = crosschecks._periods_frame(["2023S1", "2023S2", "2023", "2024S1", "2024S2", "2024"])
    assert crosschecks.judged_against(periods, ["2024S1", "2024"]) == {
        "2024S1": ["2023S1", "2023S2", "2024S1"],
        "2024": ["2023", "2024"],
    }


def test_a_rerun_gives_the_same_issues(con):
    add(con, "d", "064", "2024S1", {"02020": {"conferences_held": 2}})
    add(con, "c", "02020", "2024S1", {"02020": {"conferences_held": 3}})
    crosschecks.run(con, ["d", "c"])
    before = issues(con)
    crosschecks.run(con, ["d", "c"])
    assert issues(con) == before
    assert verdict(con, "d") == ("accepted_with_warnings", 1)


def test_the_catalogue_documents_the_thresholds():
    """The numbers in the rule texts are the ones the check passes to SQL, each in its own phrase."""
    from transforms.rules import rules

    t = crosschecks.THRESHOLDS
    outlier = " ".join(rules()["value_outlier"].checks.split())
    for phrase in (
        f"earlier periods of the same kind, at least {t['min_history']})",
        f"in the same period, at least {t['min_peers']})",
        f"median +- {t['k']:g} x MAD x {t['mad_to_sd']},",
        f"the scale floored at {t['scale_floor']} ",
    ):
        assert phrase in outlier, phrase
    short = " ".join(rules()["history_too_short"].checks.split())
    assert f"fewer than {{min_history}} = {t['min_history']} earlier" in short
    assert f"fewer than {{min_peers}} = {t['min_peers']} peers" in short
    assert {rules()[c].stage for c in crosschecks.CODES} == {"crosscheck"}
