"""Charts as data (`ChartSpec`) and the one drawing code for them (matplotlib): the dashboard draws
a spec on its Qt canvas, the monthly report renders the same spec to SVG (drawn as vectors in the
PDF) and PNG (embedded in the DOCX). Text is drawn as outlines in the SVG, so the PDF needs no
font for the chart labels. Pure: no database, no Qt."""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

import matplotlib

matplotlib.use("Agg")  # files only here; the dashboard brings its own Qt canvas

from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from templates.fonts import find_system_font_files

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

ChartKind = Literal["bar", "barh", "line", "pie"]
# A TrueType collection's weights are guessed; matplotlib logs that guess on every lookup.
logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
PALETTE = ("#3B6EA8", "#D9822B", "#4C9A6A", "#B5443B", "#7A5CA3", "#8C8C8C", "#C7A43B", "#3FA7B5")


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float, ...]


@dataclass(frozen=True)
class ChartSpec:
    """What to draw: `keys` identify each bar/slice (for a click), `labels` are printed."""

    kind: ChartKind
    title: str
    labels: tuple[str, ...]
    series: tuple[Series, ...]
    keys: tuple[str, ...] = ()


@cache
def chinese_font() -> str | None:
    """Register the first usable system CJK font with matplotlib and return its family name."""
    for path in find_system_font_files():
        try:
            font_manager.fontManager.addfont(str(path))
            return font_manager.FontProperties(fname=str(path)).get_name()
        except (OSError, RuntimeError, ValueError):
            continue
    return None


def style() -> dict[RcKeyType, Any]:
    # SVG keeps its text as text (one family, so the PDF can map it to its own font): as outlines,
    # parsing the glyph paths back took most of the report's time.
    family = chinese_font()
    return {"font.family": [family] if family else ["DejaVu Sans"], "axes.unicode_minus": False,
            "svg.fonttype": "none", "font.size": 9}


def font_family() -> str:
    """The family name the SVG's text asks for."""
    return chinese_font() or "DejaVu Sans"


def draw(figure: Figure, spec: ChartSpec) -> list[Any]:
    """Draw `spec` on `figure`; returns the artists in key order (bars or wedges) for picking.

    The style is set process-wide, not in a context: a Qt canvas repaints later, outside any context."""
    matplotlib.rcParams.update(style())
    figure.clear()
    axes = figure.add_subplot()
    axes.set_title(spec.title, fontsize=11)
    artists = _DRAWERS[spec.kind](axes, spec)
    if spec.kind != "pie":
        (axes.xaxis if spec.kind == "barh" else axes.yaxis).set_major_locator(MaxNLocator(integer=True))  # counts
    axes.spines[["top", "right"]].set_visible(False)
    if len(spec.series) > 1:
        axes.legend(frameon=False, fontsize=8)
    figure.tight_layout()
    return artists


def _bars(axes: Any, spec: ChartSpec) -> list[Any]:
    width = 0.8 / max(1, len(spec.series))
    artists: list[Any] = []
    for i, series in enumerate(spec.series):
        xs = [x + (i - (len(spec.series) - 1) / 2) * width for x in range(len(spec.labels))]
        bars = axes.bar(xs, series.values, width, label=series.name, color=PALETTE[i % len(PALETTE)])
        axes.bar_label(bars, fontsize=7, padding=1)
        artists.extend(bars)
    crowded = sum(len(label) for label in spec.labels) > 24  # CJK labels run into each other
    axes.set_xticks(range(len(spec.labels)), spec.labels, rotation=30 if crowded else 0,
                    ha="right" if crowded else "center")
    return artists


def _barh(axes: Any, spec: ChartSpec) -> list[Any]:
    values = spec.series[0].values
    bars = axes.barh(range(len(values)), values, color=PALETTE[0])
    axes.bar_label(bars, fontsize=7, padding=2)
    axes.set_yticks(range(len(values)), spec.labels)
    axes.invert_yaxis()
    return list(bars)


def _line(axes: Any, spec: ChartSpec) -> list[Any]:
    artists = []
    for i, series in enumerate(spec.series):
        (line,) = axes.plot(spec.labels, series.values, marker="o", label=series.name, color=PALETTE[i % len(PALETTE)],
                            picker=5)
        artists.append(line)
    axes.tick_params(axis="x", labelrotation=30)
    return artists


def _pie(axes: Any, spec: ChartSpec) -> list[Any]:
    values = spec.series[0].values
    if not any(values):
        axes.text(0.5, 0.5, "本期无数据", ha="center", va="center", transform=axes.transAxes)
        axes.axis("off")
        return []
    wedges, _texts, _pct = axes.pie(values, labels=spec.labels, autopct="%1.0f%%", startangle=90, counterclock=False,
                                    colors=PALETTE[: len(values)], textprops={"fontsize": 8})
    axes.set_aspect("equal")
    axes.axis("off")
    return list(wedges)


_DRAWERS = {"bar": _bars, "barh": _barh, "line": _line, "pie": _pie}


def render(spec: ChartSpec, formats: tuple[str, ...] = ("svg", "png"), size: tuple[float, float] = (6.4, 3.2),
           dpi: int = 150) -> tuple[bytes, ...]:
    """The chart in each of `formats` (svg, png), drawn once."""
    figure = Figure(figsize=size)
    draw(figure, spec)
    found = []
    for fmt in formats:
        out = io.BytesIO()
        figure.savefig(out, format=fmt, dpi=dpi)
        found.append(out.getvalue())
    return tuple(found)
