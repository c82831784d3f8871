"""nnlib: a small neural-network library written to show parameters vs hyperparameters.

Hyperparameters are what you choose (constructor arguments); parameters are
what ``fit`` learns (attributes ending in ``_``). The numpy core never imports
matplotlib or ipywidgets: plotting lives in ``nnlib.plots`` and interactive
controls in ``nnlib.widgets``.
"""
from . import data, datasets, gradcheck
from .bridges.saving import load, save
from .data import Standardizer, standardize, train_val_test_split
from .datasets import load_digits, load_penguins
from .divergence import DivergenceWarning
from .history import History
from .input_checks import NotFittedError
from .models import MLP, LinearRegression, LogisticRegression
from .network import parameter_count

__version__ = "0.1.0"

__all__ = [
    "MLP", "LinearRegression", "LogisticRegression", "parameter_count",
    "load_penguins", "load_digits", "train_val_test_split", "Standardizer", "standardize",
    "save", "load", "DivergenceWarning", "History", "NotFittedError", "data", "datasets", "gradcheck",
]
