"""Interactive controls for the notebooks (ipywidgets + matplotlib).

One module per topic (``descent``: gradient descent on the line, and the paths every explorer of the line takes;
``optimizers``: momentum and Adam; ``batches``: batch sizes, its runs without controls or figures in ``batch_runs``);
``base``, ``arguments`` and ``live_figure`` hold what the widgets share. Each widget is a small class that builds its
controls and figure once, then *updates existing matplotlib artists* when a control
changes (far faster than redrawing the figure), and exposes its controls and
its current model/plot data as attributes so tests can drive it without a browser.
Every widget checks its arguments first (``arguments``: one clear message, naming the
range a control allows) and has ``close()``, which frees its controls and figure;
re-running a notebook cell closes the widgets its last run made (``base``).
The playground is split by job: ``playground`` (the widget: controls, events, drawing),
``playground_state`` (what it trains, numpy only), ``playground_html`` (its texts) and
``playground_data`` (its data sets and input features).
"""
