"""Notebook 00's setup check: is the installed nnlib the one these notebooks were written for, and do widgets work?

``version_check`` compares them: an nbgitpuller link (or ``git pull``) updates the notebooks, not the nnlib installed
in the kernel, so the two can drift apart. ``WidgetCheck`` is a one-slider check that the ipywidgets front-end works
in this JupyterLab.
"""
import tomllib
from pathlib import Path

import ipywidgets as widgets

from .. import __version__
from .arguments import check_range
from .base import NotebookWidget


class WidgetCheck(NotebookWidget):
    """A slider and a sentence that follows it.

    If the slider shows up as text like ``IntSlider(value=3)``, the JupyterLab
    front-end and the kernel are in different environments (see the README).
    ``slider`` is the IntSlider, ``message`` the HTML readout it updates.
    """

    def __init__(self, value=3):
        check_range("value", value, 1, 10, whole=True)
        self.slider = widgets.IntSlider(value=value, min=1, max=10, description="epochs",
                                        style={"description_width": "60px"})
        self.message = widgets.HTML()
        self.slider.observe(lambda change: self.update(), names="value")
        self.update()
        self.widget = widgets.VBox([self.slider, self.message])

    def update(self):
        epochs = self.slider.value
        self.message.value = (f"Widgets work: you chose <b>{epochs}</b> epoch{'s' * (epochs != 1)} "
                              f"— a hyperparameter, set by you and never changed by training.")


UPDATE_HOW = ("to update it, on a JupyterHub ask your instructor to update the hub's course environment; on your "
              "computer start JupyterLab with `make lab` in the course folder, whose kernel has the course's own "
              "nnlib; in Colab choose Runtime > Disconnect and delete runtime, then run the install cell again")


def version_check(course_folder, installed=__version__):
    """One sentence: does nnlib `installed` (this kernel's) match the version the notebooks in `course_folder` were
    written for?

    course_folder: the folder holding notebooks/ and the course's pyproject.toml (an nbgitpuller clone, a git
    checkout), whose [project] version is the notebooks' version. Without one (a downloaded notebook, Colab) there is
    nothing to compare, and the sentence says so. Never raises: a broken pyproject.toml gets a sentence too.
    """
    pyproject = Path(course_folder).resolve() / "pyproject.toml"
    try:
        project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project")
    except FileNotFoundError:
        project = None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        return (f"This kernel has nnlib {installed}, but {pyproject} cannot be read ({error}), so the version these "
                f"notebooks were written for is unknown: if you changed that file, put the course's copy back (on a "
                f"JupyterHub, delete it and open the course link again).")
    if not isinstance(project, dict) or project.get("name") != "nnlib":
        return (f"This kernel has nnlib {installed}; this notebook is not in a copy of the course (no course "
                f"pyproject.toml in {pyproject.parent}), so there is no version to compare it with.")
    written_for = project.get("version")
    if written_for == installed:
        return f"nnlib {installed} matches these notebooks."
    return (f"This kernel has nnlib {installed}, but these notebooks were written for nnlib {written_for} "
            f"({pyproject}) — {UPDATE_HOW}.")
