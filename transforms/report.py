"""The report a province (a district, a commune, a group of units) writes: the six-month, annual,
nine-month or phase review of dân vận work, drafted from the published warehouse.

``draft(con, kind=..., code=..., period=...)`` reads the totals marts (and ``reporting_status``) on a
read-only connection and returns a ``Report``: sentences in the phrasing of real reports ("đã tổ chức
50 hội nghị với 4.819 lượt người tham dự"), Vietnamese number style, each figure beside the same
period of last year (tăng/giảm ... so với cùng kỳ), completeness and timeliness ("8/8 huyện báo
cáo, 7 đúng hạn"), the figures a missing sender leaves incomplete marked as such, and for every
figure its provenance (the query, its parameters, the submissions counted). Rendering lives beside
it: ``report_docx`` (Hướng dẫn 36-HD/VPTW), ``report_xlsx`` (the statistical annex),
``report_html`` (offline), ``report_charts`` (matplotlib, imported only when drawing). ``write``
writes all of them; ``draft_due`` is what the ``draft_reports`` DAG calls.

The text is a draft for a person to edit: every figure in it is a figure of the warehouse, traced
to accepted submissions. No clock is read: the issue date (``issued_on``) and "today" (``as_of``)
are passed in. SQL lives in ``warehouse/queries/report/``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from pathlib import Path

from transforms import groups as unit_groups
from transforms import sql
from transforms.catalogue import TOTAL, categories, column_of, indicators
from transforms.files import write_bytes_atomically
from transforms.periods import label_vi, parse_period

KINDS = ("province", "district", "commune", "group")
MAPS = ("asof", "current")
TREND_PERIODS = 6  # the trend chart: this period and the five before it of the same type
REPORTED = ("on_time", "late")
KIND_VI = {"province": "tỉnh", "district": "huyện", "commune": "xã", "body": "cơ quan, đơn vị"}
CURRENT_MAP_MARTS = {"province": "province_totals_current_map", "commune": "commune_totals_current_map"}


class ReportError(ValueError):
    """A report that cannot be drafted (unknown unit or group, no such period, a missing mart)."""


# --------------------------------------------------------------------------------- number style
def vn(n: int | float | None) -> str:
    """A count in Vietnamese style: 4819 -> "4.819" (CLDR vi_VN: group ".", decimal ",")."""
    if n is None:
        return "-"
    return f"{int(n):,}".replace(",", ".")


def vn_pct(x: float | None, digits: int = 1) -> str:
    """A percentage in Vietnamese style: 31.58 -> "31,6"."""
    if x is None:
        return "-"
    return f"{x:,.{digits}f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def change_pct(value: int | None, prior: int | None) -> float | None:
    """value / prior as a percentage of it (the annex's column 4 = 2 * 100 / 3), None without a base."""
    if value is None or not prior:
        return None
    return 100.0 * value / prior


def comparison(value: int | None, prior: int | None, noun: str) -> str:
    """ "tăng 5 hội nghị (11,1%) so với cùng kỳ"; "" when there is nothing to compare with."""
    if value is None or prior is None:
        return ""
    diff = value - prior
    if diff == 0:
        return "bằng cùng kỳ"
    word = "tăng" if diff > 0 else "giảm"
    pct = f", {word} {vn_pct(100.0 * abs(diff) / prior)}%" if prior else ""
    return f"{word} {vn(abs(diff))} {noun}{pct} so với cùng kỳ".replace("  ", " ")


# ------------------------------------------------------------------------------------ structures
@dataclass
class Scope:
    kind: str  # province | district | commune | group
    code: str
    name: str  # official name (Huyện Chợ Đồn; Cụm thi đua số 1 ...)
    short_name: str
    unit_type: str | None
    province_code: str | None
    province_name: str | None
    province_short_name: str | None
    province_type: str | None
    district_code: str | None = None  # a commune's district before the reform (its sender)
    members: list[str] = field(default_factory=list)  # a group's member codes
    member_level: str | None = None


@dataclass
class Figure:
    """One figure of the report: an indicator summed over the period's parts for the scope."""

    indicator_code: str
    label_vi: str
    value: int | None
    prior: int | None
    parts: list[str]  # the reported periods summed
    parts_reported: int
    incomplete: bool
    submission_ids: list[str] = field(default_factory=list)
    breakdown: str = "total"
    exactness: str = "exact"  # on today's map (--map current): how exactly it is restated
    prior_submission_ids: list[str] = field(default_factory=list)  # behind the same period of last year

    @property
    def pct(self) -> float | None:
        return change_pct(self.value, self.prior)


@dataclass
class Report:
    scope: Scope
    period: str
    period_label: str  # "6 tháng đầu năm 2024"
    prior_period: str | None
    issued_on: date | None
    map: str
    sections: list[tuple[str, list[str]]]  # (heading, paragraphs)
    figures: dict[str, Figure]
    completeness: list[str]  # sentences
    senders: list[dict]  # reporting_status rows of the parts
    members: list[dict]  # one row per member unit: name, value per indicator (charts, annex)
    trend: list[dict]  # [{period, label, values: {indicator: value}}]
    parts: list[str]
    prior_parts: list[str]
    provenance: list[dict]

    # the words of the header, 36-HD/VPTW
    @property
    def issuer(self) -> tuple[str, str, str]:
        """(Party committee, board, number) of the body that issues it: "TỈNH ỦY BẮC KẠN",
        "BAN DÂN VẬN", "Số      -BC/BDVTU"."""
        return issuer(self.scope, self.issued_on or parse_period(self.period).end)

    @property
    def subject(self) -> str:
        who = f" của {self.scope.name}" if self.scope.kind == "group" else ""
        return f"kết quả công tác dân vận {self.period_label}{who}"

    @property
    def place(self) -> str:
        s = self.scope
        if s.kind in ("district", "commune"):
            return s.short_name
        return s.province_short_name or s.short_name

    def date_line(self) -> str:
        d = self.issued_on
        if d is None:
            return f"{self.place}, ngày     tháng     năm {parse_period(self.period).end.year}"
        return f"{self.place}, ngày {d.day:02d} tháng {d.month:02d} năm {d.year}"

    def parts_phrase(self) -> str:
        """Which reported periods the figures add up: "số liệu kỳ 2024S1"; "số liệu các kỳ 2018, 2019, 2020"."""
        where = "; quy đổi theo địa giới hành chính hiện nay" if self.map == "current" else ""
        if len(self.parts) == 1:
            return f"số liệu kỳ {self.parts[0]}{where}"
        return "số liệu các kỳ " + ", ".join(self.parts) + where

    def text(self) -> str:
        """The report as plain text (what the .docx and the HTML hold), for tests and a quick look."""
        committee, board, number = self.issuer
        lines = [committee, board, number, "ĐẢNG CỘNG SẢN VIỆT NAM", self.date_line(), "", "BÁO CÁO"]
        lines += [self.subject, ""]
        for heading, paragraphs in self.sections:
            lines.append(heading)
            lines += paragraphs
            lines.append("")
        return "\n".join(lines)

    def fingerprint(self) -> str:
        """What the report says, as a hash: figures, their submissions and the senders' statuses.
        A late file that changes any of them changes it (the DAG drafts the report again)."""
        payload = {
            "figures": {k: [f.value, f.prior, f.submission_ids] for k, f in sorted(self.figures.items())},
            "senders": [[s["period"], s["sender_code"], s["status"]] for s in self.senders],
        }
        return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()[:16]


def issuer(scope: Scope, on: date) -> tuple[str, str, str]:
    """The issuing body (top left of a 36-HD/VPTW document) on ``on``: the Party committee, its
    board and the number line. Provinces' propaganda and mass-mobilisation boards merged from
    2025-02-03 (Ban Tuyên giáo và Dân vận Tỉnh ủy)."""
    merged = on >= date(2025, 2, 3)
    board = "BAN TUYÊN GIÁO VÀ DÂN VẬN" if merged else "BAN DÂN VẬN"
    board_abbr = "BTGDV" if merged else "BDV"
    if scope.kind in ("province", "group"):
        city = scope.province_type == "thanh_pho_trung_uong"
        committee = f"{'THÀNH ỦY' if city else 'TỈNH ỦY'} {(scope.province_short_name or '').upper()}"
        return committee, board, f"Số      -BC/{board_abbr}{'THU' if city else 'TU'}"
    if scope.kind == "district":
        word, abbr = {
            "quan": ("QUẬN ỦY", "QU"),
            "thi_xa": ("THỊ ỦY", "TU"),
            "thanh_pho": ("THÀNH ỦY", "THU"),
        }.get(scope.unit_type or "", ("HUYỆN ỦY", "HU"))
        return f"{word} {scope.short_name.upper()}", "BAN DÂN VẬN", f"Số      -BC/BDV{abbr}"
    word = {"phuong": "PHƯỜNG", "thi_tran": "THỊ TRẤN"}.get(scope.unit_type or "", "XÃ")
    return f"ĐẢNG ỦY {word} {scope.short_name.upper()}", "KHỐI DÂN VẬN", "Số      -BC/ĐU"


# ------------------------------------------------------------------------------------- reading
def _rows(con, name: str, params: dict) -> list[dict]:
    cur = sql.run(con, name, params)
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


TODAY_MAP_DAY = date(2100, 12, 31)  # "as of today's map": the latest version of a unit, whatever the period


def resolve_scope(con, kind: str, code: str, period: str, map_: str = "asof") -> Scope:
    """The unit or group a report is about, named as of the period's end (``map_`` current: as
    today's map names it)."""
    p = parse_period(period)
    if map_ == "current":
        if kind == "group":
            raise ReportError(
                "--map current: a group is defined on the map of its epoch; draft it with --map asof"
            )
        p = replace(p, end=TODAY_MAP_DAY)
    if kind == "group":
        group_code = unit_groups.resolve(code)
        if group_code is None:
            raise ReportError(f"unknown group {code!r}: one of {', '.join(unit_groups.names()) or '(none)'}")
        rows = _rows(con, "report/group", {"code": group_code, "day": p.end})
        if not rows:
            raise ReportError(f"group {group_code} has no epoch in force by {p.end}")
        prov = _names(con, rows[0]["province_code"], p.end)
        return Scope(
            "group",
            group_code,
            rows[0]["group_name"],
            rows[0]["group_name"],
            None,
            rows[0]["province_code"],
            *prov,
            members=[r["member_code"] for r in rows],
            member_level=rows[0]["member_level"],
        )
    rows = _rows(con, "report/unit", {"code": code, "day": p.end})
    if not rows:
        raise ReportError(f"unknown unit {code!r} (no administrative unit with that code by {p.end})")
    u = rows[0]
    if map_ == "current" and u["valid_to"] is not None:
        raise ReportError(
            f"{code} ({u['unit_name']}) is not a unit of today's map (it ended on {u['valid_to']}): "
            "give a code of today's map, or draft with --map asof"
        )
    if u["unit_level"] != kind and kind != "unit":
        raise ReportError(f"{code} is a {u['unit_level']}, not a {kind}")
    prov = _names(con, u["province_code"], p.end) if u["province_code"] else (None, None, None)
    return Scope(
        u["unit_level"],
        code,
        u["unit_name"],
        u["unit_short_name"],
        u["unit_type"],
        u["province_code"],
        *prov,
        district_code=u["district_code"],
    )


def _names(con, code: str, day: date) -> tuple[str | None, str | None, str | None]:
    rows = _rows(con, "report/unit_names", {"code": code, "day": day})
    return (rows[0]["unit_name"], rows[0]["unit_short_name"], rows[0]["unit_type"]) if rows else (None,) * 3


def tilings(con, period: str) -> list[list[str]]:
    """The ways reported periods make up ``period``, coarsest first: a year is itself, or its
    halves, quarters or months; a half-year itself, its quarters or months; a window (2024N9, a
    phase) its tilings in ``period_windows``."""
    p = parse_period(period)
    if p.is_window:
        found: dict[str, list[str]] = {}
        for r in _rows(con, "report/window_parts", {"code": p.code}):
            found.setdefault(r["grain"], []).append(r["period_code"])
        return list(found.values())
    y = p.code[:4]
    months = [f"{y}{m:02d}" for m in range(1, 13)]
    if p.kind == "year":
        return [[y], [f"{y}S1", f"{y}S2"], [f"{y}Q{q}" for q in range(1, 5)], months]
    if p.kind == "half_year":
        h = int(p.code[-1])
        return [[p.code], [f"{y}Q{q}" for q in (2 * h - 1, 2 * h)], months[6 * (h - 1) : 6 * h]]
    if p.kind == "quarter":
        q = int(p.code[-1])
        return [[p.code], months[3 * (q - 1) : 3 * q]]
    return [[p.code]]


def same_period_last_year(period: str) -> str | None:
    """2024S1 -> 2023S1, 2024 -> 2023, 2024N9 -> 2023N9, 202406 -> 202306; a phase has none."""
    p = parse_period(period)
    if p is None or p.kind == "phase":
        return None
    prior = f"{p.year - 1}{p.code[4:]}"
    return prior if parse_period(prior) is not None else None


def trend_periods(period: str, n: int = TREND_PERIODS) -> list[str]:
    """``period`` and the ``n - 1`` periods of its type before it (a phase: its years)."""
    p = parse_period(period)
    if p.kind == "phase":
        return [str(y) for y in range(p.start.year + 1, p.end.year + 1)] or [p.code]
    if p.kind == "half_year":
        seq = [f"{y}S{h}" for y in range(p.year - 3, p.year + 1) for h in (1, 2)]
        return seq[: seq.index(p.code) + 1][-n:]
    if p.kind == "quarter":
        seq = [f"{y}Q{q}" for y in range(p.year - 2, p.year + 1) for q in range(1, 5)]
        return seq[: seq.index(p.code) + 1][-n:]
    if p.kind == "month":
        seq = [f"{y}{m:02d}" for y in range(p.year - 1, p.year + 1) for m in range(1, 13)]
        return seq[: seq.index(p.code) + 1][-n:]
    return [f"{p.year - i}{p.code[4:]}" for i in range(n - 1, -1, -1)]  # years, nine months


def _figures_table(con, scope: Scope, periods: list[str], map_: str) -> list[dict]:
    if not periods:
        return []
    params = {"map": map_, "kind": scope.kind, "code": scope.code, "periods": periods}
    return _rows(con, "report/figures", params)


def require_current_map(con, scope: Scope) -> None:
    """Figures on today's map come from issue 12's marts: a clear error when this warehouse has none."""
    if scope.kind not in CURRENT_MAP_MARTS:
        raise ReportError(
            f"--map current: a {scope.kind} has no figures on today's map (provinces and communes do)"
        )
    missing = [
        m
        for m in CURRENT_MAP_MARTS.values()
        if not sql.run(con, "report/has_relation", {"name": m}).fetchone()[0]
    ]
    if missing:
        raise ReportError(
            f"--map current needs the mart {missing[0]} (figures on today's map, issue 12), which this "
            "warehouse does not have yet: draft with --map asof (the map as of the period)"
        )


def choose_tiling(con, scope: Scope, period: str, map_: str) -> tuple[list[str], dict[str, dict]]:
    """The tiling of ``period`` the scope's data came in (most parts with a total figure; the
    coarsest on a tie) and its figures (``tiling_figures``)."""
    best = None
    for rank, tiling in enumerate(tilings(con, period)):
        found = tiling_figures(con, scope, tiling, map_)
        covered = {p for f in found.values() if f["breakdown"] == TOTAL for p in f["parts_reported"]}
        score = (len(covered) / len(tiling), -rank)
        if best is None or score > best[0]:
            best = (score, tiling, found)
    return best[1], best[2]


def tiling_figures(con, scope: Scope, tiling: list[str], map_: str) -> dict[str, dict]:
    """Per figure (``indicator`` or ``indicator:option``, catalogue.column_of) over the tiling's
    parts: its value by the indicator's time aggregation (the over_time macro, in SQL), the parts
    that reported it, whether it is incomplete (a part without a figure or without a sender), its
    exactness on today's map and the old provinces behind it."""
    out = {}
    for r in _figures_table(con, scope, tiling, map_):
        parts = list(r["parts_reported"] or [])
        out[column_of(r["indicator_code"], r["breakdown"])] = {
            "indicator": r["indicator_code"],
            "breakdown": r["breakdown"],
            "value": None if r["value"] is None else int(r["value"]),
            "parts_reported": parts,
            "incomplete": bool(r["senders_missing"]) or len(set(parts)) < len(tiling),
            "exactness": set(r["exactness"] or []),
            "period_province_codes": list(r["period_province_codes"] or []),
        }
    return out


def option_label(breakdown: str) -> str:
    """The Vietnamese label of a one-way breakdown (``holder=tap_the`` -> "Tập thể")."""
    category, _, option = breakdown.partition("=")
    for c in categories():
        if c.code == category:
            for o in c.options:
                if o.code == option:
                    return o.label_vi
    return option


# ------------------------------------------------------------------------------------ drafting
def draft(
    con,
    *,
    kind: str,
    code: str,
    period: str,
    map_: str = "asof",
    issued_on: date | None = None,
) -> Report:
    """Draft the report of ``kind`` (province | district | commune | group; ``unit`` = whatever
    level ``code`` is) ``code`` for ``period`` from the warehouse on ``con`` (read-only)."""
    p = parse_period(period)
    if p is None:
        raise ReportError(f"unknown period {period!r} (2024S1, 2024, 2024N9, 2018-2020, ...)")
    if map_ not in MAPS:
        raise ReportError(f"--map must be one of {MAPS}")
    scope = resolve_scope(con, kind, code, p.code, map_)
    if map_ == "current":
        require_current_map(con, scope)
    parts, now = choose_tiling(con, scope, p.code, map_)
    prior_code = same_period_last_year(p.code)
    prior_parts, prior = [], {}
    if prior_code:
        prior_parts, prior = choose_tiling(con, scope, prior_code, map_)
    # on today's map a province's figures are its old provinces' (exact); a commune's are restated
    # from old communes by the crosswalk, traced in commune_totals_current_map, not here
    every = parts + prior_parts
    sources = [(scope.kind, scope.code, every)]
    if map_ == "current" and scope.kind == "province":
        # before the reform its figures are those of the old provinces that went into it (all of
        # them, reported or not: their missing senders make it incomplete), after it its own
        before = [c for c in every if not parse_period(c).after_reform]
        olds = [r["old_province_code"] for r in _rows(con, "report/old_provinces", {"code": scope.code})]
        sources = [("province", c, before) for c in olds] + [
            ("province", scope.code, [c for c in every if c not in before])
        ]
    prov: dict[tuple, list[str]] = {}
    for kind_, code_, periods_ in sources:
        for r in _rows(con, "report/provenance", {"kind": kind_, "code": code_, "periods": periods_}):
            prov.setdefault((r["period"], r["indicator_code"], r["breakdown"]), []).extend(
                r["submission_ids"]
            )
    figures = {}
    for ind in indicators():
        keys = sorted((k for k, n in now.items() if n["indicator"] == ind.code), key=lambda k: (":" in k, k))
        for key in keys:
            n = now[key]
            ids = sorted({s for part in parts for s in prov.get((part, ind.code, n["breakdown"]), [])})
            prior_ids = sorted(
                {s for part in prior_parts for s in prov.get((part, ind.code, n["breakdown"]), [])}
            )
            label = (
                ind.label_vi if n["breakdown"] == TOTAL else f"{ind.label_vi}: {option_label(n['breakdown'])}"
            )
            figures[key] = Figure(
                ind.code,
                label,
                n["value"],
                prior.get(key, {}).get("value"),
                parts,
                len(set(n["parts_reported"])),
                n["incomplete"],
                ids,
                n["breakdown"],
                "exact" if n["exactness"] <= {"exact"} else ", ".join(sorted(n["exactness"] - {"exact"})),
                prior_ids,
            )
    senders = [
        s
        for kind_, code_, periods_ in sources
        for s in _rows(
            con,
            "report/senders",
            {
                "kind": kind_,
                "code": code_,
                "periods": [c for c in parts if c in periods_],
                "parent": scope.district_code,
            },
        )
    ]
    members = _members(con, scope, parts) if map_ == "asof" else []
    trend = _trend(con, scope, p.code, map_)
    report = Report(
        scope=scope,
        period=p.code,
        period_label=label_vi(p.code),
        prior_period=prior_code,
        issued_on=issued_on,
        map=map_,
        sections=[],
        figures=figures,
        completeness=completeness_sentences(senders, parts),
        senders=senders,
        members=members,
        trend=trend,
        parts=parts,
        prior_parts=prior_parts,
        provenance=[],
    )
    report.sections = compose(report)
    report.provenance = provenance(report)
    return report


def _members(con, scope: Scope, parts: list[str]) -> list[dict]:
    if scope.kind == "commune":
        return []
    found: dict[str, dict] = {}
    for r in _rows(con, "report/members", {"kind": scope.kind, "code": scope.code, "periods": parts}):
        m = found.setdefault(
            r["member_code"], {"code": r["member_code"], "name": r["member_name"], "values": {}}
        )
        if r["value"] is not None:
            m["values"][r["indicator_code"]] = int(r["value"])
    return sorted(found.values(), key=lambda m: m["code"])


def _trend(con, scope: Scope, period: str, map_: str) -> list[dict]:
    out = []
    for code in trend_periods(period):
        if parse_period(code) is None:
            continue
        _, sums = choose_tiling(con, scope, code, map_)
        out.append(
            {"period": code, "label": label_vi(code), "values": {k: v["value"] for k, v in sums.items()}}
        )
    return out


def completeness_sentences(senders: list[dict], parts: list[str]) -> list[str]:
    """ "8/8 huyện báo cáo, 7 đúng hạn; chưa báo cáo: Huyện Na Rì" per period part and sender kind."""
    out = []
    for part in parts:
        rows = [s for s in senders if s["period"] == part]
        if not rows:
            continue
        bits = []
        for kind in ("district", "commune", "province", "body"):
            of_kind = [s for s in rows if s["sender_kind"] == kind]
            if not of_kind:
                continue
            done = [s for s in of_kind if s["status"] in REPORTED]
            on_time = sum(s["status"] == "on_time" for s in of_kind)
            bit = f"{len(done)}/{len(of_kind)} {KIND_VI[kind]} báo cáo, {on_time} đúng hạn"
            if kind == "province" and len(of_kind) == 1:
                bit = f"cấp tỉnh: {'đã' if done else 'chưa'} báo cáo" + (", đúng hạn" if on_time else "")
            elif kind == "province":  # today's map: the old provinces' own reports
                bit = f"cấp tỉnh: {len(done)}/{len(of_kind)} tỉnh báo cáo, {on_time} đúng hạn"
            missing = [s["sender_name"] or s["sender_code"] for s in of_kind if s["status"] not in REPORTED]
            if missing and (kind != "province" or len(of_kind) > 1):
                bit += f" (chưa có báo cáo: {', '.join(missing)})"
            bits.append(bit)
        prefix = f"{label_vi(part)[0].upper()}{label_vi(part)[1:]}: " if len(parts) > 1 else ""
        out.append(prefix + "; ".join(bits) + ".")
    return out


# The sentences: each a list of clauses; a clause is (template, indicator codes, noun per figure for
# the comparison). A clause whose figures are all missing is left out; a sentence with no clause too.
def _f(report: Report, code: str) -> Figure | None:
    f = report.figures.get(code)
    return f if f is not None and f.value is not None else None


def _num(report: Report, code: str, noun: str, *, compare: bool = True) -> str | None:
    """ "50 hội nghị (tăng 5 hội nghị (11,1%) so với cùng kỳ)" for the figure ``code``."""
    f = _f(report, code)
    if f is None:
        return None
    text = f"{vn(f.value)} {noun}"
    if compare and report.prior_period:
        cmp = comparison(
            f.value, f.prior, noun.split(" ")[0] if noun.startswith("lượt") else noun.split(' "')[0]
        )
        if cmp:
            text += f" ({cmp})"
    return text


def _incomplete_note(report: Report, codes: list[str]) -> str:
    flagged = [
        report.figures[c]
        for c in codes
        if c in report.figures and (report.figures[c].incomplete or report.figures[c].exactness != "exact")
    ]
    if not flagged:
        return ""
    parts = report.parts
    reported = min(f.parts_reported for f in flagged)
    missing = [s for s in report.senders if s["status"] not in REPORTED]
    named = sorted({s["sender_name"] or s["sender_code"] for s in missing if s["sender_kind"] != "body"})
    bodies = len({s["sender_code"] for s in missing if s["sender_kind"] == "body"})
    who = named + ([f"{bodies} cơ quan, đơn vị"] if bodies else [])
    why = []
    if reported < len(parts):
        why.append(f"có số liệu {reported}/{len(parts)} kỳ")
    if who:
        why.append(
            "chưa có báo cáo của " + (", ".join(who[:-1]) + " và " + who[-1] if len(who) > 1 else who[0])
        )
    inexact = sorted({f.exactness for f in flagged if f.exactness != "exact"})
    if inexact:
        why.append(f"quy đổi theo địa giới hiện nay: {', '.join(inexact)}")
    return f" (số liệu chưa đầy đủ: {'; '.join(why) or 'thiếu báo cáo'})"


def _who(report: Report) -> str:
    s = report.scope
    if s.kind == "province":
        return "toàn tỉnh"
    if s.kind == "district":
        return "toàn huyện"
    if s.kind == "commune":
        return f"toàn {KIND_VI['commune']}"
    return "toàn Cụm"


def _opening(report: Report) -> str:
    p = parse_period(report.period)
    if p.kind == "phase":
        return f"Trong giai đoạn {p.code} {_who(report)}"
    if p.kind == "half_year":
        return f"Trong 6 tháng {'đầu' if p.code.endswith('S1') else 'cuối'} năm"
    if p.kind == "year":
        return f"Trong năm {p.year}"
    return f"Trong {report.period_label}"


def _committee_words(report: Report) -> str:
    if report.scope.kind in ("province", "group"):
        return "cấp ủy (cấp huyện, xã)" if not parse_period(report.period).after_reform else "cấp ủy các cấp"
    if report.scope.kind == "district":
        return "cấp ủy (cấp huyện, xã)"
    return "cấp ủy"


def holder_split(report: Report, code: str = "models_recognized") -> tuple[Figure | None, Figure | None]:
    """The models held by collectives and by individuals (the catalogue's ``holder`` breakdown; a
    file with the legacy columns models_recognized_collective/_individual reads into it)."""
    return _f(report, f"{code}:tap_the"), _f(report, f"{code}:ca_nhan")


def breakdown_phrase(report: Report, code: str, category: str) -> str | None:
    """ "kinh tế 300, văn hóa - xã hội 200 ..." for the one-way breakdown of ``code`` by ``category``
    (options in the catalogue's order), or None when nobody broke the figure down so."""
    cat = next((c for c in categories() if c.code == category), None)
    if cat is None:
        return None
    bits, covered = [], 0
    for o in cat.options:
        f = _f(report, f"{code}:{o.code}")
        if f is not None:
            bits.append(f"{o.label_vi[0].lower() + o.label_vi[1:]} {vn(f.value)}")
            covered += f.value
    if not bits:
        return None
    total = _f(report, code)
    partial = (
        f" (trong {vn(covered)}/{vn(total.value)} có phân loại)" if total and covered < total.value else ""
    )
    return ", ".join(bits) + partial


def _unit_word(f: Figure) -> str:
    for i in indicators():
        if i.code == f.indicator_code and i.value_type == "amount_vnd":
            return " đồng"
    return ""


def _split_words(report: Report, f: Figure) -> str:
    """ " (định kỳ 10, đột xuất 2)": the one-way breakdowns of a figure other than the models'."""
    ind = next(i for i in indicators() if i.code == f.indicator_code)
    bits = [p for c in ind.breakdowns if (p := breakdown_phrase(report, ind.code, c))]
    return f" ({'; '.join(bits)})" if bits else ""


def compose(report: Report) -> list[tuple[str, list[str]]]:
    """The numbered sections of the report, with its sentences."""
    p = parse_period(report.period)
    opening, committee = _opening(report), _committee_words(report)
    results: list[str] = []

    # 1. dissemination, conferences and training
    clauses = []
    conf = _num(report, "conferences_held", "hội nghị")
    att = _num(report, "conference_attendees", "lượt người tham dự")
    if conf:
        clauses.append(f"đã tổ chức {conf}" + (f" với {att}" if att else ""))
    doc = _num(report, "documents_issued", "văn bản")
    if doc:
        clauses.append(f"ban hành {doc} cụ thể hóa về công tác dân vận")
    tr = _num(report, "trainings_held", "hội nghị")
    tra = _num(report, "training_attendees", "lượt người tham gia")
    if tr:
        clauses.append(f"tổ chức {tr} quán triệt, tập huấn, bồi dưỡng" + (f" với {tra}" if tra else ""))
    rev = _num(report, "review_conferences_held", "hội nghị")
    if rev:
        clauses.append(f"tổ chức {rev} sơ kết, tổng kết")
    codes = [
        "conferences_held",
        "conference_attendees",
        "documents_issued",
        "trainings_held",
        "training_attendees",
    ]
    if clauses:
        results.append(
            f"{opening}, {committee} " + "; ".join(clauses) + _incomplete_note(report, codes) + "."
        )

    # 2. "Dân vận khéo" models
    reg, rec = _f(report, "models_registered"), _f(report, "models_recognized")
    collective, individual = holder_split(report)
    model_codes = ["models_registered", "models_recognized"]
    if reg or rec:
        if p.kind == "phase":
            text = (
                f'{opening} đã có {vn(reg.value)} mô hình đăng ký "Dân vận khéo".' if reg else opening + "."
            )
            if rec:
                text += f" Kết quả có {vn(rec.value)} mô hình được công nhận"
        else:
            text = f"{opening}, {_who(report)} đã đăng ký và tổ chức thực hiện "
            text += _num(report, "models_registered", 'mô hình "Dân vận khéo"') if reg else ""
            if rec:
                text += f", trong đó được công nhận {_num(report, 'models_recognized', 'mô hình')}"
        if rec and (collective or individual):
            held = [
                f"{vn(f.value)} mô hình {w}"
                for f, w in ((collective, "tập thể"), (individual, "cá nhân"))
                if f
            ]
            text += " gồm " + ", ".join(held)
        text = text.rstrip(".") + _incomplete_note(report, model_codes) + "."
        results.append(text)
        details = []
        reg_holders = holder_split(report, "models_registered")
        if reg and any(reg_holders):
            pairs = zip(reg_holders, ("tập thể", "cá nhân"), strict=True)
            details.append(
                "số mô hình đăng ký có "
                + " và ".join(f"{vn(f.value)} {w}" for f, w in pairs if f)
                + " đăng ký"
            )
        kinds = breakdown_phrase(report, "models_registered", "model_kind")
        if kinds:
            details.append(f"theo loại: {kinds}")
        for code, what in (("models_registered", "đăng ký"), ("models_recognized", "được công nhận")):
            fields = breakdown_phrase(report, code, "field")
            if fields:
                details.append(f"mô hình {what} theo lĩnh vực: {fields}")
        levels = breakdown_phrase(report, "models_recognized", "recognition_level")
        if levels:
            details.append(f"mô hình được công nhận theo cấp công nhận: {levels}")
        if details:
            results.append(details[0][0].upper() + "; ".join(details)[1:] + ".")

    # 3. inspections
    insp = _num(report, "inspections_held", "cuộc kiểm tra, giám sát")
    if insp:
        orgs, members = _f(report, "party_orgs_inspected"), _f(report, "party_members_inspected")
        whom = [f"{vn(f.value)} {w}" for f, w in ((orgs, "tổ chức đảng"), (members, "đảng viên")) if f]
        kinds = _split_words(report, report.figures["inspections_held"])
        results.append(
            f"Cấp ủy đã tiến hành {insp}{kinds}"
            + (f" đối với {' và '.join(whom)}" if whom else "")
            + " về công tác dân vận"
            + _incomplete_note(
                report, ["inspections_held", "party_orgs_inspected", "party_members_inspected"]
            )
            + "."
        )

    # 4. citizens
    rec_c = _num(report, "citizen_receptions", "buổi tiếp công dân")
    pet, res = _f(report, "petitions_received"), _f(report, "petitions_resolved")
    hot = _f(report, "hot_issues_tracked")
    bits = []
    if rec_c:
        bits.append(f"tổ chức {rec_c}")
    if pet:
        bits.append(
            f"tiếp nhận {vn(pet.value)} đơn thư khiếu nại, tố cáo"
            + (f", đã giải quyết {vn(res.value)} đơn" if res else "")
            + (f" (đạt {vn_pct(100.0 * res.value / pet.value)}%)" if res and pet.value else "")
        )
    if hot:
        bits.append(f"nắm bắt {vn(hot.value)} vụ việc bức xúc, phức tạp ở cơ sở")
    if bits:
        results.append(
            "Công tác tiếp công dân, giải quyết đơn thư: "
            + "; ".join(bits)
            + _incomplete_note(report, ["citizen_receptions", "petitions_received", "petitions_resolved"])
            + "."
        )

    # 5. commendations
    cc, ci = _f(report, "commendations_collective"), _f(report, "commendations_individual")
    if cc or ci:
        whom = [f"{vn(f.value)} {w}" for f, w in ((cc, "tập thể"), (ci, "cá nhân")) if f]
        results.append(
            "Công tác thi đua, khen thưởng: đã khen thưởng "
            + " và ".join(whom)
            + " có thành tích trong phong trào thi đua "
            '"Dân vận khéo"'
            + _incomplete_note(report, ["commendations_collective", "commendations_individual"])
            + "."
        )

    # any other indicator of the catalogue, in its own words
    worded = set(codes + model_codes) | {
        "review_conferences_held", "inspections_held", "party_orgs_inspected", "party_members_inspected",
        "citizen_receptions", "petitions_received", "petitions_resolved", "hot_issues_tracked",
        "commendations_collective", "commendations_individual",
    }  # fmt: skip
    others = [
        f for c, f in report.figures.items() if c not in worded and ":" not in c and f.value is not None
    ]
    if others:
        results.append(
            "Các chỉ tiêu khác: "
            + "; ".join(
                f"{f.label_vi}: {vn(f.value)}{_unit_word(f)}{_split_words(report, f)}" for f in others
            )
            + _incomplete_note(report, [f.indicator_code for f in others])
            + "."
        )
    if not results:
        results.append(f"Chưa có số liệu được chấp nhận cho {report.period_label}.")

    members = []
    if report.members:
        label = {"province": "huyện, thành phố", "district": "xã, thị trấn", "group": "đơn vị trong Cụm"}.get(
            report.scope.kind, "đơn vị"
        )
        top = sorted(report.members, key=lambda m: -m["values"].get("models_registered", 0))
        shown = [
            f"{m['name']} {vn(m['values'].get('models_registered'))} mô hình đăng ký, "
            f"{vn(m['values'].get('models_recognized'))} được công nhận"
            for m in top
            if "models_registered" in m["values"]
        ]
        if shown:
            members.append(f'Kết quả xây dựng mô hình "Dân vận khéo" theo {label}: ' + "; ".join(shown) + ".")

    report_status = list(report.completeness) or ["Chưa có đơn vị nào được giao báo cáo trong kỳ."]
    if report.prior_period:
        report_status.append(
            f"Số liệu so sánh với cùng kỳ ({label_vi(report.prior_period)}) lấy từ các báo cáo đã được chấp nhận của kỳ đó."
        )
    return [
        ("I. KẾT QUẢ THỰC HIỆN", results + members),
        ("II. TÌNH HÌNH BÁO CÁO, SỐ LIỆU", report_status),
        (
            "III. NHẬN XÉT, ĐÁNH GIÁ VÀ PHƯƠNG HƯỚNG, NHIỆM VỤ",
            [
                "[Phần này do cán bộ soạn thảo bổ sung: ưu điểm, hạn chế, nguyên nhân; phương hướng, nhiệm vụ kỳ tới.]"
            ],
        ),
    ]


def provenance(report: Report) -> list[dict]:
    """One row per figure: where its number comes from (query, parameters, submissions counted)."""
    s = report.scope
    out = []
    for key, f in report.figures.items():
        out.append(
            {
                "figure": key,
                "indicator_code": f.indicator_code,
                "label_vi": f.label_vi,
                "breakdown": f.breakdown,
                "value": f.value,
                "text": vn(f.value),
                "prior_value": f.prior,
                "incomplete": f.incomplete,
                "query": "warehouse/queries/report/figures.sql",
                "params": {"kind": s.kind, "code": s.code, "periods": f.parts, "map": report.map},
                "prior_params": {"periods": report.prior_parts} if report.prior_period else None,
                "prior_submission_ids": f.prior_submission_ids,
                "provenance_query": "warehouse/queries/report/provenance.sql",
                "submission_ids": f.submission_ids,
            }
        )
    return out


def annex_rows(report: Report) -> list[dict]:
    """The statistical annex's criteria rows: one per indicator of the catalogue, grouped, each
    followed by its one-way breakdowns that were reported ("Trong đó: Tập thể")."""
    out = []
    groups_first = {}
    for ind in indicators():
        groups_first.setdefault(ind.group, len(groups_first))
    for ind in sorted(indicators(), key=lambda i: (groups_first[i.group], i.sort_order)):  # a group once
        keys = [ind.code] + sorted(
            (k for k, f in report.figures.items() if f.indicator_code == ind.code and ":" in k),
            key=lambda k: _option_order(report.figures[k].breakdown),
        )
        for key in keys:
            f = report.figures.get(key)
            out.append(
                {
                    "code": key,
                    "group": ind.group,
                    "label_vi": ind.label_vi if key == ind.code else f"Trong đó: {option_label(f.breakdown)}",
                    "is_breakdown": key != ind.code,
                    "value": f.value if f else None,
                    "prior": f.prior if f else None,
                    "pct": f.pct if f else None,
                    "incomplete": bool(f and f.incomplete),
                }
            )
    return out


def _option_order(breakdown: str) -> tuple[int, int]:
    category, _, option = breakdown.partition("=")
    for c in categories():
        if c.code == category:
            return c.sort_order, next((o.sort_order for o in c.options if o.code == option), 0)
    return (99, 0)


# ------------------------------------------------------------------------------------- writing
def file_stem(report: Report) -> str:
    return f"bao-cao-dan-van-{report.scope.code}-{report.period}"


def write(
    report: Report,
    out_dir: Path,
    *,
    formats: tuple[str, ...] = ("docx", "xlsx", "html"),
    annex_units: bool = False,
) -> dict[str, Path]:
    """Write the report's files into ``out_dir``: .docx, annex .xlsx (``annex_units``: one more sheet
    per unit below the scope), offline .html, the text and the
    provenance sidecar (JSON). Each file is written to a temporary name and renamed into place."""
    from transforms import report_charts

    out_dir.mkdir(parents=True, exist_ok=True)
    stem = file_stem(report)
    written: dict[str, Path] = {}
    charts = report_charts.draw(report) if ({"docx", "html"} & set(formats)) else []
    if "docx" in formats:
        from transforms import report_docx

        written["docx"] = write_bytes_atomically(out_dir / f"{stem}.docx", report_docx.render(report, charts))
    if "xlsx" in formats:
        from transforms import report_xlsx

        written["xlsx"] = write_bytes_atomically(
            out_dir / f"{stem}.phu-luc.xlsx", report_xlsx.render(report, per_unit=annex_units)
        )
    if "html" in formats:
        from transforms import report_html

        written["html"] = write_bytes_atomically(
            out_dir / f"{stem}.html", report_html.render(report, charts).encode("utf-8")
        )
    written["txt"] = write_bytes_atomically(out_dir / f"{stem}.txt", report.text().encode("utf-8"))
    sidecar = {
        "report": stem,
        "scope": asdict(report.scope),
        "period": report.period,
        "parts": report.parts,
        "prior_period": report.prior_period,
        "map": report.map,
        "fingerprint": report.fingerprint(),
        "figures": report.provenance,
    }
    written["provenance"] = write_bytes_atomically(
        out_dir / f"{stem}.provenance.json",
        json.dumps(sidecar, ensure_ascii=False, indent=1, default=str).encode("utf-8"),
    )
    return written


# ------------------------------------------------------------------------------ the daily drafts
DRAFT_WINDOW_DAYS = 90  # a period's reports are redrafted (when late files change them) this long
LEDGER = "reports.json"  # in DANVAN_HOME: province|period -> the fingerprint of the last draft


def draft_due(root: str | Path, as_of: date, warehouse_db: Path | None = None) -> dict:
    """What the ``draft_reports`` DAG runs each morning: for every six-month and annual period whose
    deadline passed before ``as_of`` (within ``DRAFT_WINDOW_DAYS``), draft each province's report
    into ``reports/<province>/<period>/``, unless the last draft says the same (the ledger keeps its
    fingerprint: a late file that changes a figure or a sender's status drafts it again).

    Returns ``{"as_of", "periods", "drafted": [paths], "unchanged": n}``. ``as_of`` is the run's
    date in Hà Nội, passed in: no clock is read here."""
    from transforms.config import Home
    from transforms.warehouse import connect_reader

    h = Home(Path(root))
    db = warehouse_db or h.warehouse_db
    summary = {"as_of": as_of.isoformat(), "periods": [], "drafted": [], "unchanged": 0}
    if not db.exists():
        return summary
    ledger_path = h.root / LEDGER
    ledger = json.loads(ledger_path.read_text()) if ledger_path.exists() else {}
    con = connect_reader(db)
    try:
        due = [
            r["period_code"]
            for r in _rows(con, "report/periods_due", {"as_of": as_of, "window_days": DRAFT_WINDOW_DAYS})
        ]
        summary["periods"] = due
        for period in due:
            for row in _rows(con, "report/provinces_of_period", {"period": period}):
                province = row["province_code"]
                drafted = draft(con, kind="province", code=province, period=period)
                key, print_ = f"{province}|{period}", drafted.fingerprint()
                if ledger.get(key) == print_:
                    summary["unchanged"] += 1
                    continue
                written = write(drafted, h.root / "reports" / province / period, annex_units=True)
                ledger[key] = print_
                write_bytes_atomically(ledger_path, json.dumps(ledger, indent=1, sort_keys=True).encode())
                summary["drafted"].append(str(written["docx"]))
    finally:
        con.close()
    return summary
