"""Axis helpers the plots and widgets share: ``plain_log_ticks`` labels a log axis without mathtext;
``pixel_extremes`` keeps the few points of a long curve that decide its pixels."""
import math

import numpy as np
from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

_SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


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
