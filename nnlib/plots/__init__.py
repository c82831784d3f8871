"""Plots for the notebooks (the only part of nnlib, with nnlib.widgets, that imports matplotlib).

One module per topic (``axes`` holds the axis helper they and the widgets share); each function draws on a
given or new Axes and labels it (title, axis labels with units, a legend when there is more than one line).
Colours come from ``PALETTE`` (Okabe-Ito, safe for colour-blind readers).
"""

# Okabe & Ito (2008) colour-blind-safe palette.
PALETTE = {
    "blue": "#0072B2", "orange": "#E69F00", "green": "#009E73", "vermillion": "#D55E00",
    "sky": "#56B4E9", "purple": "#CC79A7", "yellow": "#F0E442", "black": "#000000",
}
TRAIN_COLOR, VALIDATION_COLOR, TEST_COLOR = PALETTE["blue"], PALETTE["orange"], PALETTE["green"]
