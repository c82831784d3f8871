"""Axis helpers the plots and widgets share: ``plain_log_ticks`` labels a log axis without mathtext;
``pixel_extremes`` keeps the few points of a long curve that decide its pixels; ``series_marks`` gives the k-th of
several curves on one Axes its own marker shape, so the curves differ by more than colour."""
import math

import numpy as np
from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

_SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
# One shape per curve when several curves share an Axes (colour is never the only difference). Markers, not dash
# patterns: a noisy loss curve (batch size 1) zig-zags within a few pixels and hides any dash pattern.
SERIES_MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]


def plain_log_ticks(axis):
    """Label a log axis 10⁵, 10⁶, ... in plain text, without minor ticks.

    Looks like matplotlib's default but skips mathtext, which makes a live
    figure redraw about a fifth faster. ``axis`` is e.g. ``ax.yaxis``.
    """
    axis.set_major_locator(LogLocator(base=10))
    axis.set_minor_locator(NullLocator())
    axis.set_major_formatter(FuncFormatter(
        lambda value, _: "10" + str(round(math.log10(value))).translate(_SUPERSCRIPTS) if value > 0 else ""))


def pixel_extremes(axes, y, x=None):
    """The points of a curve y (n,) against x (n,), increasing (default 0, 1, ..., n - 1), that decide how it looks
    on ``axes``: in each pixel column, the first, last, lowest and highest point, in their order ("M4", Jugel et al.,
    VLDB 2014).

    Returns (x, y) with 4 points per column (more only where values tie): matplotlib rasterises them several times
    faster than a 5,000-point curve that swings up and down, and every pixel either drawing inks has ink within one
    pixel in the other; only antialiased edges differ (the tests compare the frames). A curve with NaN or infinite
    values is returned whole.
    """
    x = np.arange(len(y)) if x is None else np.asarray(x)
    if not np.isfinite(y).all():
        return x, y
    column = np.floor(axes.transData.transform(np.column_stack([x, np.ones(len(y))]))[:, 0])
    first = np.flatnonzero(np.diff(column, prepend=-np.inf))  # where each column starts
    counts = np.diff(first, append=len(y))
    low, high = (np.repeat(extreme.reduceat(y, first), counts) for extreme in (np.minimum, np.maximum))
    keep = (y == low) | (y == high)
    keep[first] = keep[first - 1] = True  # each column's first and last point (first - 1 = -1: the last column's)
    return x[keep], y[keep]


def series_marks(index, x, log_x=False, n_marks=8):
    """Matplotlib line style for the ``index``-th curve (0, 1, ...) drawn against x (n,) on one Axes: its own marker
    shape from ``SERIES_MARKERS`` at about ``n_marks`` points evenly spaced along the x axis as drawn (log-spaced
    when ``log_x``), shifted a little for each curve so that curves on top of each other keep their marks visible.

    Returns a dict for ``ax.plot``: marker, markevery (indices into x), markersize.
    """
    x = np.asarray(x, dtype=float)
    usable = np.isfinite(x) & ((x > 0) if log_x else True)
    if not usable.any():
        return {"marker": SERIES_MARKERS[index % len(SERIES_MARKERS)], "markevery": [], "markersize": 5}
    low, high = x[usable].min(), x[usable].max()
    scale = (np.log10 if log_x else (lambda v: v))
    shift = (index % 4) / (4 * n_marks)  # curves 0-3 mark different points
    targets = scale(low) + (np.arange(n_marks) + 0.5 + shift) / n_marks * (scale(high) - scale(low))
    position = np.where(usable, scale(np.where(usable, x, 1.0)), np.inf)
    indices = sorted({int(np.argmin(np.abs(position - target))) for target in targets})
    return {"marker": SERIES_MARKERS[index % len(SERIES_MARKERS)], "markevery": indices, "markersize": 5}
