"""Run an exercise's placeholder or solution code the way its notebook would."""
import itertools
import linecache

import numpy as np

import nnlib


def run(code, **namespace):
    """exec ``code`` with np, nnlib and the given notebook variables; returns the namespace."""
    namespace = {"np": np, "nnlib": nnlib, **namespace}
    exec(code, namespace)
    return namespace


_CELLS = itertools.count()


def define(code, **namespace):
    """``run`` ``code`` as a notebook cell: its source stays readable (``inspect.getsource``), as IPython keeps each
    cell's code in ``linecache``, so a piece defined here can be saved to the learner's library."""
    name = f"<cell-{next(_CELLS)}>"
    linecache.cache[name] = (len(code), None, code.splitlines(True), name)
    namespace = {"np": np, "nnlib": nnlib, **namespace}
    exec(compile(code, name, "exec"), namespace)
    return namespace
