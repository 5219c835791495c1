"""The officers' statistics chart: one portrait PNG, drawn with matplotlib, to be read on a phone.

Drawn with the object-oriented API on an Agg canvas (no pyplot: no global figure state, no display), so it may run
in a worker thread; the same counts give the same bytes. Four panels share the days of the window: checks per day
stacked by level, the most frequent methods, reports received and decided per day, alert deliveries per day.
Colours are the Okabe–Ito palette, which stays distinguishable with colour blindness. Every word comes from the
catalogue in the officer's language; method titles from the signature library.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence
from typing import Any

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from handlers.activity import DECISIONS, DELIVERY_OUTCOMES, TOP_METHODS, Activity
from handlers.catalogue import Catalogue
from handlers.ports import Level

WIDTH, HEIGHT, DPI = 4.5, 8.0, 240  # inches, inches, dots per inch: 1080 × 1920 pixels, a phone's screen
PIXELS = (round(WIDTH * DPI), round(HEIGHT * DPI))
TITLE_SIZE, PANEL_SIZE, SMALL_SIZE = 12.5, 10.5, 8.5  # points
LEVEL_COLOURS = {"high": "#D55E00", "medium": "#E69F00", "low": "#009E73"}
DECISION_COLOURS = {"scam": "#D55E00", "not_scam": "#009E73", "unclear": "#999999"}
DELIVERY_COLOURS = {"sent": "#0072B2", "failed": "#D55E00"}
METHOD_COLOUR, RECEIVED_COLOUR, GRID_COLOUR = "#56B4E9", "#000000", "#DDDDDD"
# Stacked from the axis up: high risk, what officers look at first, sits on the axis.
LEVELS: tuple[Level, ...] = ("high", "medium", "low")
MAX_DAY_LABELS = 7
MAX_TITLE_CHARS = 44
BAR_WIDTH = 0.8  # of a day
MARKERS_UP_TO = 31  # days; beyond, dots on the received line would merge into a thick line
Series = tuple[str, str, Sequence[int]]  # label, colour, one value per day


def draw_chart(activity: Activity, catalogue: Catalogue, lang: str, titles: Mapping[str, str]) -> bytes:
    """The chart as PNG bytes; `titles` names methods by signature id (the id is shown for a missing one)."""

    def text(key: str, **params: object) -> str:
        return catalogue.text(key, lang, **params)

    figure = Figure(figsize=(WIDTH, HEIGHT), dpi=DPI)
    # Fixed margins rather than a layout engine: every label sits inside its panel or in the gaps kept here, and
    # laying out would double the drawing time.
    layout = {"left": 0.1, "right": 0.95, "top": 0.895, "bottom": 0.035, "hspace": 0.72}
    checks, methods, reports, deliveries = figure.subplots(4, 1, height_ratios=[1.3, 1.4, 1.1, 0.9], gridspec_kw=layout)
    first, last = activity.period
    period = text("stats.chart.title", days=len(activity.days), first=first, last=last)
    figure.suptitle(period, x=0.03, y=0.985, ha="left", fontsize=TITLE_SIZE, fontweight="bold")
    none = text("stats.chart.none")
    levels = [(text(f"stats.chart.level.{level}"), LEVEL_COLOURS[level], activity.checks[level]) for level in LEVELS]
    _stacked_days(checks, text("stats.chart.checks"), none, activity, levels)
    _top_methods(methods, text("stats.chart.methods"), none, activity, titles)
    decided = [(text(f"stats.chart.decision.{s}"), DECISION_COLOURS[s], activity.decisions[s]) for s in DECISIONS]
    received = (text("stats.chart.received"), RECEIVED_COLOUR, activity.received)
    _stacked_days(reports, text("stats.chart.reports"), none, activity, decided, line=received)
    sent = [(text(f"stats.chart.{s}"), DELIVERY_COLOURS[s], activity.deliveries[s]) for s in DELIVERY_OUTCOMES]
    _stacked_days(deliveries, text("stats.chart.deliveries"), none, activity, sent)
    FigureCanvasAgg(figure)  # the figure's canvas: Agg, which draws in memory
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def _stacked_days(
    axes: Axes, title: str, none: str, activity: Activity, stack: Sequence[Series], *, line: Series | None = None
) -> None:
    """Bars per day, one segment per series of `stack`, and optionally a line; the legend between title and bars.

    The segments of a series are one collection, not a patch per bar: a year of days stays quick to draw.
    """
    days = len(activity.days)
    bottom = [0] * days
    for label, colour, values in stack:
        boxes = [_box(day, below, value) for day, (below, value) in enumerate(zip(bottom, values, strict=True))]
        axes.add_collection(PolyCollection(boxes, facecolors=colour, linewidths=0, label=label))
        bottom = [below + value for below, value in zip(bottom, values, strict=True)]
    top = max(bottom)
    if line is not None:
        label, colour, values = line
        marker = "o" if days <= MARKERS_UP_TO else ""
        axes.plot(range(days), values, color=colour, marker=marker, markersize=3, linewidth=1.2, label=label)
        top = max(top, *values)
    _panel(axes, title)
    _day_axis(axes, activity)
    axes.set_ylim(0, max(1, top) * 1.05)
    if top == 0:
        axes.text(0.5, 0.5, none, ha="center", va="center", fontsize=SMALL_SIZE, transform=axes.transAxes)
    axes.legend(
        loc="lower left",
        bbox_to_anchor=(0, 1.0),
        ncols=4,
        borderaxespad=0.2,
        fontsize=SMALL_SIZE,
        frameon=False,
        handlelength=1.0,
        handletextpad=0.4,
        columnspacing=0.9,
    )


def _box(day: int, below: int, value: int) -> list[tuple[float, float]]:
    """The corners of one bar segment."""
    left, right = day - BAR_WIDTH / 2, day + BAR_WIDTH / 2
    return [(left, below), (left, below + value), (right, below + value), (right, below)]


def _top_methods(axes: Axes, title: str, none: str, activity: Activity, titles: Mapping[str, str]) -> None:
    """One bar per method, the most frequent on top; over each bar its name on the left and its count on the right."""
    _panel(axes, title, grid=False)
    axes.set_axis_off()  # the counts are written out: no scale needed
    if not activity.methods:
        axes.text(0.5, 0.5, none, ha="center", va="center", fontsize=SMALL_SIZE, transform=axes.transAxes)
        return
    most = activity.methods[0][1]
    label: dict[str, Any] = {"fontsize": SMALL_SIZE, "va": "bottom", "parse_math": False}  # "$" is no formula
    for row, (method, count) in enumerate(activity.methods):
        axes.barh(row, count, height=0.36, color=METHOD_COLOUR, linewidth=0)
        axes.text(0, row - 0.22, _shorten(titles.get(method, method)), ha="left", **label)
        axes.text(most, row - 0.22, str(count), ha="right", **label)
    axes.set_ylim(TOP_METHODS - 0.6, -0.8)  # as many rows as can be: bars keep their size; the largest on top
    axes.set_xlim(0, most)


def _panel(axes: Axes, title: str, grid: bool = True) -> None:
    """A panel's title (room left under it for a legend), light horizontal grid lines, no box."""
    axes.set_title(title, fontsize=PANEL_SIZE, loc="left", fontweight="bold", pad=19)
    axes.spines[["top", "right"]].set_visible(False)
    if grid:
        axes.grid(axis="y", color=GRID_COLOUR, linewidth=0.6)
        axes.set_axisbelow(True)


def _day_axis(axes: Axes, activity: Activity) -> None:
    """Dates as dd/mm under at most MAX_DAY_LABELS bars, counted back from today so the last day is labelled."""
    count = len(activity.days)
    step = math.ceil(count / MAX_DAY_LABELS)
    ticks = list(range(count - 1, -1, -step))[::-1]
    axes.set_xticks(ticks, [f"{activity.days[i]:%d/%m}" for i in ticks], fontsize=SMALL_SIZE)
    axes.set_xlim(-0.6, count - 0.4)
    axes.tick_params(axis="y", labelsize=SMALL_SIZE)
    axes.yaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))


def _shorten(title: str) -> str:
    return title if len(title) <= MAX_TITLE_CHARS else title[: MAX_TITLE_CHARS - 1].rstrip() + "…"
