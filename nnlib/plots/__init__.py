"""Plots for the notebooks (the only part of nnlib, with nnlib.widgets, that imports matplotlib).

One module per topic (``axes`` holds the axis helper they and the widgets share); each function draws on a
given or new Axes and labels it (title, axis labels with units, a legend when there is more than one line).
Colours come from ``PALETTE`` (Okabe-Ito, safe for colour-blind readers) and, for lines and points without a dark
edge, from the darker colours below.
"""

# Okabe & Ito (2008) colour-blind-safe palette.
PALETTE = {
    "blue": "#0072B2", "orange": "#E69F00", "green": "#009E73", "vermillion": "#D55E00",
    "sky": "#56B4E9", "purple": "#CC79A7", "yellow": "#F0E442", "black": "#000000",
}
# A line, or a point without a dark edge, needs 3:1 contrast against the white axes (WCAG 2.1, 1.4.11 non-text
# contrast). Okabe-Ito's orange (2.25:1), sky blue (2.31:1) and yellow (1.32:1) are paler than that, so lines use:
# - DARK_ORANGE (3.59:1), the same hue darker, for validation: it stays far from training blue and test green for
#   every reader (CAM02-UCS delta E >= 47 and >= 18; Okabe-Ito's orange: 53 and 21), but not from vermillion
#   (0.6 for deuteranopes),
# - BROWN (4.75:1) for orange (or yellow) in line palettes that have vermillion too, PERIWINKLE (3.12:1) for sky
#   blue: with blue, vermillion, green, purple, black and dark grey, every pair stays >= 11.7 apart for every reader.
# tests/test_colour_vision.py checks both rules on the drawn figures.
DARK_ORANGE, BROWN, PERIWINKLE = "#B97A00", "#AA5F41", "#828CDC"
# Validation is a darker orange than Okabe-Ito's own: its curves and edge-less points need 3:1 on white.
TRAIN_COLOR, VALIDATION_COLOR, TEST_COLOR = PALETTE["blue"], DARK_ORANGE, PALETTE["green"]
# Colour is never the only difference: training, validation and test also differ by line style (curves) and by
# marker (points), so a reader who cannot tell the colours apart, or prints in grey, still can.
CURVE_STYLE = {"training": {"color": TRAIN_COLOR, "linestyle": "-"},
               "validation": {"color": VALIDATION_COLOR, "linestyle": "--"},
               "test": {"color": TEST_COLOR, "linestyle": ":"}}
POINT_STYLE = {"training": {"color": TRAIN_COLOR, "marker": "o"},
               "validation": {"color": VALIDATION_COLOR, "marker": "^"},
               "test": {"color": TEST_COLOR, "marker": "s"}}
