"""nnlib: a small neural-network library written to show parameters vs hyperparameters.

Hyperparameters are what you choose (constructor arguments); parameters are
what ``fit`` learns (attributes ending in ``_``). The numpy core never imports
matplotlib or ipywidgets: plotting lives in ``nnlib.plots`` and interactive
controls in ``nnlib.widgets``.
"""
from . import data, gradcheck
from .data import Standardizer, load_digits, load_penguins, standardize, train_val_test_split
from .divergence import DivergenceWarning
from .history import History
from .input_checks import NotFittedError
from .models import MLP, LinearRegression, LogisticRegression
from .network import parameter_count
from .saving import load, save

__version__ = "0.1.0"

__all__ = [
    "MLP", "LinearRegression", "LogisticRegression", "parameter_count",
    "load_penguins", "load_digits", "train_val_test_split", "Standardizer", "standardize",
    "save", "load", "DivergenceWarning", "History", "NotFittedError", "data", "gradcheck",
]
