"""What every widget shares: ``display`` shows it, ``close()`` frees it, re-running its cell closes it.

ipywidgets keeps every control it has created in a registry until the control is
closed (the browser may still show it), and a control's callbacks keep the widget
that owns it -- and so the widget's figure -- alive too. IPython also keeps each
cell's result in ``Out[n]``. A dropped widget is therefore never garbage collected:
only ``close()`` frees it, by closing the controls and letting go of the figure and
the data. So that re-running a notebook cell does not pile up figures, the widgets a
cell made are closed when that same cell runs again (its old output disappears then
anyway). Widgets made in other cells, or several in one run, stay open. This needs a
front-end that sends the cell's id (JupyterLab, Notebook 7); elsewhere call ``close()``.
"""
import html

import ipywidgets as widgets
from IPython import get_ipython
from IPython.display import display

_created_by_cell = {}  # notebook cell id -> the widgets its last run created
_running_cell = None


class NotebookWidget:
    """Base class: a subclass builds ``self.widget`` (its ipywidgets layout) and, if it
    draws, ``self.live`` (a LiveFigure)."""

    closed = False

    def __new__(cls, *args, **kwargs):
        widget = super().__new__(cls)
        if _running_cell is not None:
            _created_by_cell.setdefault(_running_cell, []).append(widget)
        return widget

    def close(self):
        """Close every control and empty the figure; the widget disappears from the notebook.

        Everything the widget held is let go of at once (``Out[n]`` may still hold the
        widget itself); create a new widget to use it again.
        """
        if self.closed:
            return
        if "widget" in vars(self):  # a widget whose constructor failed has none
            close_widgets(self.widget)
        if "live" in vars(self):
            self.live.close()
        vars(self).clear()
        self.closed = True

    def __getattr__(self, name):
        # Python calls this only for a missing attribute -- after close(), every one.
        if self.closed:
            raise AttributeError(f"this {type(self).__name__} was closed (by close(), or because the cell that made "
                                 f"it ran again), so it has no {name!r} any more: create a new one.")
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def _ipython_display_(self):
        display(self.widget)


DESCRIPTION_CLASS = "nnlib-description"


def description_line():
    """The widget's figure in words: one line of text, kept current with the figure ("slope 42.0 g/mm, intercept
    310 g, training MSE 1.9e5 g²"). Screen readers announce it when it changes (a polite live region), and the
    course website (tools/site_widgets.py) uses it as the alt text of the widget's figure. Set it with ``describe``."""
    return widgets.HTML(_dom_classes=[DESCRIPTION_CLASS], layout=widgets.Layout(margin="2px 0 4px 0"))


def describe(line, text):
    """Put ``text`` (plain text, one line) into a ``description_line``."""
    line.value = f'<span role="status" aria-live="polite">{html.escape(text)}</span>'


def close_widgets(widget):
    """Close an ipywidget and every widget it holds (children, layout, style), so ipywidgets lets go of them."""
    if widget.comm is None:
        return  # closed already
    for name in widget.keys:
        value = getattr(widget, name)
        for child in value if isinstance(value, (list, tuple)) else (value,):
            if isinstance(child, widgets.Widget):
                close_widgets(child)
    widget.close()


def _on_cell_start(info):
    """A cell runs: close what its last run created, and note it as the creator of new widgets."""
    global _running_cell
    _running_cell = getattr(info, "cell_id", None)  # None: the front-end does not say which cell
    for widget in _created_by_cell.pop(_running_cell, []):
        widget.close()


def _on_cell_end(_result):
    global _running_cell
    _running_cell = None


if get_ipython() is not None:
    get_ipython().events.register("pre_run_cell", _on_cell_start)
    get_ipython().events.register("post_run_cell", _on_cell_end)
