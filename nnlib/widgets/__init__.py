"""Interactive controls for the notebooks (ipywidgets + matplotlib).

One module per widget. Each widget is a small class that builds its controls
and figure once, then *updates existing matplotlib artists* when a control
changes (far faster than redrawing the figure), and exposes its controls and
its current model/plot data as attributes so tests can drive it without a browser.
"""
