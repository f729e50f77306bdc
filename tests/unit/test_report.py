"""The province's report drafted from the warehouse (issue 14), on the seed articles' figures loaded
as commune rows (tests/report_seeds.py): the Chợ Đồn 2018-2020 sentence of seed 004, the cluster's
2024S1 sentence of seed 003, completeness and incomplete figures, provenance, the group mart, the
files (.docx, .xlsx, .html, sidecar), the daily drafts, and the number style."""

from __future__ import annotations

import json
import zipfile
from datetime import date

import pytest

from tests import report_seeds
from transforms import groups, report
from transforms.report import (
    ReportError,
    comparison,
    same_period_last_year,
    tilings,
    trend_periods,
    vn,
    vn_pct,
)
from transforms.warehouse import connect_reader

CLUSTER = "Cụm thi đua số 1 (các huyện vùng thấp)"


@pytest.fixture(scope="module")
def home_root(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("report")
    report_seeds.warehouse(tmp)  # tmp/warehouse.duckdb: tmp is a danvan home
    return tmp


@pytest.fixture(scope="module")
def con(home_root):
    c = connect_reader(home_root / "warehouse.duckdb")
    yield c
    c.close()


@pytest.fixture(scope="module")
def cho_don(con):
    return report.draft(con, kind="unit", code="064", period="2018-2020")


@pytest.fixture(scope="module")
def cluster(con):
    return report.draft(con, kind="group", code=CLUSTER, period="2024S1")


@pytest.fixture(scope="module")
def bac_kan(con):
    return report.draft(con, kind="province", code="06", period="2024S1")


def test_cho_don_phase_says_what_seed_004_says(cho_don):
    text = cho_don.text()
    assert (
        'Trong giai đoạn 2018-2020 toàn huyện đã có 808 mô hình đăng ký "Dân vận khéo". Kết quả có 179 mô '
        "hình được công nhận gồm 109 mô hình tập thể, 70 mô hình cá nhân." in text
    )
    assert cho_don.parts == ["2018", "2019", "2020"]  # the phase from its annual reports
    # 109 and 70 are the holder breakdown of models_recognized (issue 10), the legacy columns' new home
    assert cho_don.figures["models_recognized:tap_the"].value == 109
    assert cho_don.figures["models_recognized:ca_nhan"].value == 70
    assert cho_don.prior_period is None  # a phase has no "same period of last year"
    assert cho_don.figures["models_active"].value == 160  # a stock: 2020's, not 120 + 150 + 160
    assert "Số mô hình duy trì đến nay: 160." in text
    assert "HUYỆN ỦY CHỢ ĐỒN" in text and "Số      -BC/BDVHU" in text
    assert "Năm 2019: 1/1 huyện báo cáo, 1 đúng hạn." in text


def test_cluster_report_says_what_seed_003_says(cluster):
    text = cluster.text()
    assert cluster.scope.code == "BK-CUM1" and cluster.scope.members == ["058", "063", "065"]
    assert (
        "Trong 6 tháng đầu năm, cấp ủy (cấp huyện, xã) đã tổ chức 50 hội nghị (tăng 6 hội nghị, tăng 13,6% so "
        "với cùng kỳ) với 4.819 lượt người tham dự (tăng 319 lượt, tăng 7,1% so với cùng kỳ)." in text
    )
    assert (
        'toàn Cụm đã đăng ký và tổ chức thực hiện 891 mô hình "Dân vận khéo" (tăng 41 mô hình, tăng 4,8% so '
        "với cùng kỳ), trong đó được công nhận 514 mô hình (tăng 34 mô hình, tăng 7,1% so với cùng kỳ)."
        in text
    )
    assert "kết quả công tác dân vận 6 tháng đầu năm 2024 của Cụm thi đua số 1" in text
    assert (
        "Mô hình đăng ký theo lĩnh vực: kinh tế 356, văn hóa - xã hội 267, quốc phòng - an ninh 132, xây dựng "
        "hệ thống chính trị 136; mô hình được công nhận theo cấp công nhận: cơ sở 308, cấp huyện 153, cấp tỉnh 53."
        in text
    )
    assert "3/3 huyện báo cáo, 2 đúng hạn" not in text and "3/3 huyện báo cáo, 3 đúng hạn." in text
    assert "chưa đầy đủ" not in text  # every member reported


def test_province_report_counts_senders_and_flags_what_a_missing_one_leaves_incomplete(bac_kan):
    text = bac_kan.text()
    assert "7/8 huyện báo cáo, 6 đúng hạn (chưa có báo cáo: Huyện Na Rì)" in text
    assert "0/4 cơ quan, đơn vị báo cáo" in text
    assert "đã tổ chức 70 hội nghị" in text and "1.151 mô hình" in text
    assert text.count("(số liệu chưa đầy đủ: chưa có báo cáo của Huyện Na Rì và 4 cơ quan, đơn vị)") == 2
    assert bac_kan.figures["conferences_held"].incomplete
    # only the cluster's districts broke their models down by field: the sentence says how many it covers
    assert (
        "kinh tế 356, văn hóa - xã hội 267, quốc phòng - an ninh 132, xây dựng hệ thống chính trị 136 (trong 891/1.151 có phân loại)"
        in text
    )
    assert [m["code"] for m in bac_kan.members] == ["058", "060", "061", "062", "063", "064", "065"]


def test_every_figure_traces_to_the_accepted_submissions_counted(bac_kan, cluster):
    prov = {p["figure"]: p for p in cluster.provenance}
    assert prov["conferences_held"]["value"] == 50
    assert prov["conferences_held"]["submission_ids"] == [
        "sub_058_2024S1",
        "sub_063_2024S1",
        "sub_065_2024S1",
    ]
    assert prov["conferences_held"]["query"] == "warehouse/queries/report/figures.sql"
    assert prov["conferences_held"]["prior_value"] == 44  # "tăng 6 hội nghị": the comparison is traced too
    assert prov["conferences_held"]["prior_submission_ids"] == [
        "sub_058_2023S1",
        "sub_063_2023S1",
        "sub_065_2023S1",
    ]
    assert bac_kan.figures["conference_attendees"].submission_ids == sorted(
        f"sub_{s}_2024S1" for s in ("058", "060", "061", "062", "063", "064", "065", "06")
    )
    assert bac_kan.figures["models_registered"].submission_ids == sorted(
        f"sub_{d}_2024S1" for d in ("058", "060", "061", "062", "063", "064", "065")
    )  # the province's own row has no models: its file is not a source of that figure


def test_group_totals_mart_adds_up_its_members(con):
    rows = con.sql(
        "select period, indicator_code, value, reported_units, expected_senders, reporting_senders"
        " from group_totals where group_code = 'BK-CUM1' and indicator_code in"
        " ('conferences_held', 'conference_attendees') order by period, indicator_code"
    ).fetchall()
    cum2 = con.sql("select value from group_totals where group_code = 'BK-CUM2' and period = '2024S1'"
                   " and indicator_code = 'models_registered'").fetchall()  # fmt: skip
    assert rows == [
        ("2023S1", "conference_attendees", 4500, 3, 3, 3),
        ("2023S1", "conferences_held", 44, 3, 3, 3),
        ("2024S1", "conference_attendees", 4819, 6, 3, 3),
        ("2024S1", "conferences_held", 50, 6, 3, 3),
    ]
    assert cum2 == [(260,)]  # 060 + 061 + 062 + 064; Na Rì sent nothing


def test_unknown_unit_group_period_and_the_current_map_are_clear_errors(con, home_root, capsys):
    import duckdb

    from danvan.cli import main

    with pytest.raises(ReportError, match="unknown group 'Cụm 9'"):
        report.draft(con, kind="group", code="Cụm 9", period="2024S1")
    with pytest.raises(ReportError, match="unknown period '2024S3'"):
        report.draft(con, kind="unit", code="06", period="2024S3")
    with pytest.raises(ReportError, match="unknown unit '99999'"):
        report.draft(con, kind="unit", code="99999", period="2024S1")
    with pytest.raises(ReportError, match="a group is defined on the map of its epoch"):
        report.draft(con, kind="group", code="BK-CUM1", period="2024S1", map_="current")
    empty = duckdb.connect()  # a warehouse from before issue 12: no current-map marts
    with pytest.raises(ReportError, match="--map current needs the mart province_totals_current_map"):
        report.require_current_map(
            empty, report.Scope("province", "19", "", "", None, "19", None, None, None)
        )
    args = ["--home", str(home_root), "report", "--unit", "06", "--period", "2024S1", "--map", "current"]
    assert main(args) == 1
    assert (
        "06 (Tỉnh Bắc Kạn) is not a unit of today's map (it ended on 2025-07-01)" in capsys.readouterr().err
    )


def test_daily_drafts_write_every_file_once_and_again_only_when_figures_change(home_root, tmp_path):
    summary = report.draft_due(
        home_root, as_of=date(2024, 6, 25), warehouse_db=home_root / "warehouse.duckdb"
    )
    assert summary["periods"] == ["2024S1"] and summary["unchanged"] == 0
    folder = home_root / "reports" / "06" / "2024S1"
    stem = "bao-cao-dan-van-06-2024S1"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        f"{stem}{ext}" for ext in (".docx", ".phu-luc.xlsx", ".html", ".txt", ".provenance.json")
    )
    with zipfile.ZipFile(folder / f"{stem}.docx") as z:
        body = z.read("word/document.xml").decode("utf-8")
        images = [n for n in z.namelist() if n.startswith("word/media/")]
        styles = z.read("word/styles.xml").decode("utf-8")
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in body and "BÁO CÁO" in body and "Nơi nhận:" in body
    assert "Times New Roman" in styles
    assert len(images) == 3  # the units chart, the trend, models by field
    page = (folder / f"{stem}.html").read_text(encoding="utf-8")
    assert page.count('src="data:image/png;base64,') == 3 and "http" not in page.replace("http-equiv", "")
    from openpyxl import load_workbook

    book = load_workbook(folder / f"{stem}.phu-luc.xlsx")
    assert book.sheetnames[:3] == [
        "Phụ lục",
        "058 Thành phố Bắc Kạn",
        "060 Huyện Pác Nặm",
    ]  # one per district
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[6][:5] == ("STT", "Chỉ tiêu", "Kỳ này", "Cùng kỳ năm trước", "So sánh (%)")
    assert rows[7][:5] == ("A", "1", "2", "3", "4 = 2 x 100 / 3")
    assert rows[8][:2] == ("I", 'Mô hình "Dân vận khéo"')
    assert rows[9][:5] == (1, 'Số mô hình "Dân vận khéo" đăng ký', 1151, 850, 135.4)
    assert rows[10][:4] == (None, "Trong đó: Kinh tế", 356, None)  # breakdowns under their indicator
    sidecar = json.loads((folder / f"{stem}.provenance.json").read_text(encoding="utf-8"))
    assert {f["figure"]: f["value"] for f in sidecar["figures"]}["conference_attendees"] == 6539
    again = report.draft_due(home_root, as_of=date(2024, 6, 26), warehouse_db=home_root / "warehouse.duckdb")
    assert again["drafted"] == [] and again["unchanged"] == 1
    before = report.draft_due(home_root, as_of=date(2024, 6, 18), warehouse_db=home_root / "warehouse.duckdb")
    assert before["periods"] == []  # the deadline day itself: not yet


def test_current_map_reads_the_current_map_marts(con):
    """Today's map (issue 12's marts): Thái Nguyên (19) in 2024S1 is old Bắc Kạn (06) + old Thái
    Nguyên (19); only Bắc Kạn reported, so its figures are Bắc Kạn's and old Thái Nguyên's missing
    senders make them incomplete."""
    thai_nguyen = report.draft(con, kind="unit", code="19", period="2024S1", map_="current")
    text = thai_nguyen.text()
    assert "TỈNH ỦY THÁI NGUYÊN" in text and "đã tổ chức 70 hội nghị" in text
    assert "7/17 huyện báo cáo, 6 đúng hạn (chưa có báo cáo: Huyện Na Rì, Thành phố Thái Nguyên," in text
    assert "cấp tỉnh: 1/2 tỉnh báo cáo, 1 đúng hạn (chưa có báo cáo: Tỉnh Thái Nguyên)" in text
    assert thai_nguyen.figures["conferences_held"].incomplete
    assert thai_nguyen.figures["conferences_held"].exactness == "exact"
    assert thai_nguyen.figures["conferences_held"].submission_ids == sorted(
        f"sub_{s}_2024S1" for s in ("058", "060", "061", "062", "063", "064", "065", "06")
    )
    assert "quy đổi theo địa giới hành chính hiện nay" in thai_nguyen.parts_phrase()


@pytest.mark.parametrize(
    ("value", "text"), [(4819, "4.819"), (50, "50"), (0, "0"), (1234567, "1.234.567"), (None, "-")]
)
def test_counts_in_vietnamese_style(value, text):
    assert vn(value) == text


@pytest.mark.parametrize(("value", "text"), [(31.58, "31,6"), (1234.5, "1.234,5"), (7.0, "7,0"), (None, "-")])
def test_percentages_in_vietnamese_style(value, text):
    assert vn_pct(value) == text


@pytest.mark.parametrize(
    ("value", "prior", "text"),
    [
        (50, 44, "tăng 6 hội nghị, tăng 13,6% so với cùng kỳ"),
        (40, 50, "giảm 10 hội nghị, giảm 20,0% so với cùng kỳ"),
        (50, 50, "bằng cùng kỳ"),
        (5, 0, "tăng 5 hội nghị so với cùng kỳ"),
        (5, None, ""),
    ],
)
def test_comparison_with_the_same_period_of_last_year(value, prior, text):
    assert comparison(value, prior, "hội nghị") == text


@pytest.mark.parametrize(
    ("period", "prior", "trend"),
    [
        ("2024S1", "2023S1", ["2021S2", "2022S1", "2022S2", "2023S1", "2023S2", "2024S1"]),
        ("2024", "2023", ["2019", "2020", "2021", "2022", "2023", "2024"]),
        ("2024N9", "2023N9", ["2019N9", "2020N9", "2021N9", "2022N9", "2023N9", "2024N9"]),
        ("2018-2020", None, ["2018", "2019", "2020"]),
    ],
)
def test_periods_of_a_report(period, prior, trend):
    assert same_period_last_year(period) == prior
    assert trend_periods(period) == trend


def test_tilings_coarsest_first(con):
    assert tilings(con, "2024")[:2] == [["2024"], ["2024S1", "2024S2"]]
    assert tilings(con, "2024S1")[:2] == [["2024S1"], ["2024Q1", "2024Q2"]]
    assert tilings(con, "2024N9")[0] == ["2024S1", "2024Q3"]
    assert tilings(con, "2018-2020")[0] == ["2018", "2019", "2020"]


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (
            "groups:\n- {code: A, name: a, province: '06', epochs: [{valid_from: 2000-01-01, level: district,"
            " members: ['058']}, {valid_from: 2020-01-01, level: district, members: ['060']}]}\n",
            "A: epochs overlap",
        ),
        (
            "groups:\n- {code: A, name: a, province: '06', epochs: [{valid_from: 2000-01-01, level: district,"
            " members: ['058']}]}\n- {code: B, name: b, province: '06', epochs: [{valid_from: 2010-01-01,"
            " level: district, members: ['058']}]}\n",
            "unit 058 is in A and B at once",
        ),
        (
            "groups:\n- {code: A, name: a, province: '06', epochs: [{valid_from: 2000-01-01, level: ward,"
            " members: ['058']}]}\n",
            "level must be one of",
        ),
    ],
)
def test_groups_file_is_checked(tmp_path, body, problem):
    path = tmp_path / "unit_groups.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ValueError, match=problem):
        groups.members(path)


def test_groups_resolve_by_code_or_name():
    assert groups.resolve("bk-cum1") == groups.resolve(CLUSTER) == "BK-CUM1"
    assert groups.resolve("Cụm 9") is None
