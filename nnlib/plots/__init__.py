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
# Colour is never the only difference: training, validation and test also differ by line style (curves) and by
# marker (points), so a reader who cannot tell the colours apart, or prints in grey, still can.
CURVE_STYLE = {"training": {"color": TRAIN_COLOR, "linestyle": "-"},
               "validation": {"color": VALIDATION_COLOR, "linestyle": "--"},
               "test": {"color": TEST_COLOR, "linestyle": ":"}}
POINT_STYLE = {"training": {"color": TRAIN_COLOR, "marker": "o"},
               "validation": {"color": VALIDATION_COLOR, "marker": "^"},
               "test": {"color": TEST_COLOR, "marker": "s"}}
