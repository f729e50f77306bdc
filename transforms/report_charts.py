"""The report's charts (matplotlib, Agg backend, imported only when a chart is drawn): models
registered and recognised by unit, and the trend over the last six periods. Each is a PNG (bytes)
embedded in the .docx and, as a data URI, in the offline HTML."""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass

from transforms.report import Report, vn

DPI = 110
BLUE, RED, GREY = "#1f4e79", "#c00000", "#7f7f7f"


@dataclass(frozen=True)
class Chart:
    title: str
    png: bytes


def _plt():
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    plt.rcParams.update({"font.family": ["DejaVu Sans"], "font.size": 9, "axes.spines.top": False,
                         "axes.spines.right": False})  # fmt: skip
    return plt


def _png(plt, fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI)  # no bbox_inches="tight": it draws the figure twice
    plt.close(fig)
    return buf.getvalue()


def draw(report: Report) -> list[Chart]:
    """The charts the report has data for (none when nothing was reported)."""
    charts = []
    members = [m for m in report.members if m["values"].get("models_registered") is not None]
    if members:
        charts.append(_members_chart(report, members))
    if sum(any(v is not None for v in t["values"].values()) for t in report.trend) >= 2:
        charts.append(_trend_chart(report))
    fields = _field_values(report)
    if fields:
        charts.append(_field_chart(report, fields))
    return charts


def _field_values(report: Report) -> list[tuple[str, int, int]]:
    """(field, registered, recognised) for the fields anyone broke models down by."""
    from transforms.catalogue import categories

    field = next((c for c in categories() if c.code == "field"), None)
    out = []
    for o in field.options if field else ():
        reg = report.figures.get(f"models_registered:{o.code}")
        rec = report.figures.get(f"models_recognized:{o.code}")
        if (reg and reg.value is not None) or (rec and rec.value is not None):
            out.append((o.label_vi, (reg.value or 0) if reg else 0, (rec.value or 0) if rec else 0))
    return out


def _field_chart(report: Report, fields: list[tuple[str, int, int]]) -> Chart:
    plt = _plt()
    fig, ax = plt.subplots(figsize=(6.3, 2.6))
    fig.subplots_adjust(left=0.08, right=0.97, top=0.86, bottom=0.24)
    x = range(len(fields))
    reg, rec = [f[1] for f in fields], [f[2] for f in fields]
    both = any(rec)  # recognised models broken down by field too (else only registered ones are shown)
    width, shift = (0.4, 0.2) if both else (0.6, 0.0)
    series = [(reg, -shift, BLUE, "Đăng ký")] + ([(rec, shift, RED, "Được công nhận")] if both else [])
    for values, dx, color, name in series:
        ax.bar([i + dx for i in x], values, width=width, color=color, label=name)
        for i, v in enumerate(values):
            ax.annotate(
                vn(v), (i + dx, v), textcoords="offset points", xytext=(0, 2), ha="center", fontsize=7
            )
    ax.set_xticks(list(x), [textwrap.fill(f[0], 16) for f in fields], fontsize=8)
    ax.set_ylim(0, max(reg + [1]) * 1.2)
    ax.legend(frameon=False, fontsize=8)
    title = f'Mô hình "Dân vận khéo" theo lĩnh vực, {report.period_label}'
    ax.set_title(title, fontsize=10, loc="left")
    return Chart(title, _png(plt, fig))


def _members_chart(report: Report, members: list[dict]) -> Chart:
    plt = _plt()
    members = sorted(members, key=lambda m: m["values"].get("models_registered", 0))[-15:]
    names = [m["name"] for m in members]
    reg = [m["values"].get("models_registered", 0) for m in members]
    rec = [m["values"].get("models_recognized", 0) for m in members]
    fig, ax = plt.subplots(figsize=(6.3, 0.42 * len(members) + 1.4))
    longest = max(len(n) for n in names)
    fig.subplots_adjust(left=min(0.45, 0.04 + 0.0105 * longest), right=0.95, top=1 - 0.45 / fig.get_figheight(),
                        bottom=0.85 / fig.get_figheight())  # fmt: skip
    y = range(len(members))
    ax.barh([i + 0.2 for i in y], reg, height=0.4, color=BLUE, label="Đăng ký")
    ax.barh([i - 0.2 for i in y], rec, height=0.4, color=RED, label="Được công nhận")
    for i, (a, b) in enumerate(zip(reg, rec, strict=True)):
        ax.text(a, i + 0.2, f" {vn(a)}", va="center", fontsize=8)
        ax.text(b, i - 0.2, f" {vn(b)}", va="center", fontsize=8)
    ax.set_xlim(0, max(reg + rec + [1]) * 1.15)  # room on the right for the value labels
    ax.set_yticks(list(y), names)
    ax.set_xlabel("Số mô hình")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.5 / (0.42 * len(members))), ncol=2, frameon=False)
    title = f'Mô hình "Dân vận khéo" theo đơn vị, {report.period_label}'
    ax.set_title(title, fontsize=10, loc="left")
    return Chart(title, _png(plt, fig))


def _trend_chart(report: Report) -> Chart:
    plt = _plt()
    trend = [t for t in report.trend if any(v is not None for v in t["values"].values())]
    labels = [t["period"] for t in trend]
    fig, ax = plt.subplots(figsize=(6.3, 2.8))
    fig.subplots_adjust(left=0.08, right=0.97, top=0.88, bottom=0.12)
    x = range(len(labels))
    series = (("models_registered", "Mô hình đăng ký", BLUE), ("models_recognized", "Mô hình được công nhận", RED),
              ("conferences_held", "Hội nghị", GREY))  # fmt: skip
    for code, name, color in series:
        values = [t["values"].get(code) for t in trend]
        if all(v is None for v in values):
            continue
        ax.plot(
            list(x),
            [v if v is not None else float("nan") for v in values],
            marker="o",
            color=color,
            label=name,
        )
        for i, v in enumerate(values):
            if v is not None:
                ax.annotate(vn(v), (i, v), textcoords="offset points", xytext=(0, 5), ha="center", fontsize=7)
    ax.set_xticks(list(x), labels)
    top = max((t["values"].get(c) or 0 for t in trend for c, _, _ in series), default=0) or 1
    ax.set_ylim(0, top * 1.6)  # room above the lines for the legend
    ax.legend(frameon=False, fontsize=8, loc="upper left")
    title = "Diễn biến qua các kỳ báo cáo"
    ax.set_title(title, fontsize=10, loc="left")
    return Chart(title, _png(plt, fig))
