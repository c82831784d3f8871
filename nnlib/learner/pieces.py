"""The pieces you write, in the order the notebooks reach them, and the check each must pass before it is saved.

Each group of notebooks keeps its pieces and their checks in a module of its own (signatures in its docstring):
``line_checks`` (01-03), ``data_checks`` (04, 04b), ``neuron_checks`` (05), ``network_checks`` (06-06c),
``search_checks`` (08, 08b), ``optimiser_checks`` (09, 09b). ``PIECES`` lists them all, by name, in course order.
"""
import numpy as np

from . import data_checks, line_checks, network_checks, neuron_checks, optimiser_checks, search_checks
from .checking import Piece

GROUPS = (line_checks, data_checks, neuron_checks, network_checks, search_checks, optimiser_checks)  # course order
PIECES = {piece.name: piece for group in GROUPS for piece in group.PIECES}


def check_piece(name, function):
    """None if ``function`` passes piece ``name``'s check, else the sentence saying why (an error it raised, too)."""
    try:
        with np.errstate(all="ignore"):
            return PIECES[name].check(function)
    except Exception as error:
        return f"{name} stopped with {type(error).__name__}: {error}. Run it on a small example to see where."


__all__ = ["PIECES", "Piece", "check_piece"]
