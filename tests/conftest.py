"""Shared test settings and data: plots render off-screen; the penguins are loaded once per session.

Reference algorithms the tests compare nnlib with (a descent on a line, least squares) are plain functions in
tests/reference.py (``from reference import line_descent``).
"""
import matplotlib
import pytest

import nnlib

matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def my_library_folder(tmp_path, monkeypatch):
    """Each test saves the learner's pieces in a folder of its own (``NNLIB_MY_LIBRARY``), never in the checkout."""
    monkeypatch.setenv("NNLIB_MY_LIBRARY", str(tmp_path / "my_nnlib"))
    return tmp_path / "my_nnlib"


@pytest.fixture(scope="session")
def penguins():
    """``nnlib.load_penguins()``: X (342, 1) flipper lengths in mm, y (342,) body masses in g. Read-only: a test that
    needs other values copies them."""
    X, y = dataset = nnlib.load_penguins()
    X.flags.writeable = y.flags.writeable = False
    return dataset


@pytest.fixture(scope="session")
def penguins_standardised(penguins):
    """The penguins with X standardised (nnlib.standardize): X (342, 1) in standard deviations, y (342,) in g."""
    X, y = penguins
    return nnlib.standardize(X), y
