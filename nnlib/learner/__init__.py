"""Your library: the pieces of a network you write in the notebooks, saved when their checks pass (``store``),
checked against nnlib (``pieces``), and used by later notebooks through adapters (``adapters``, ``library``), with
nnlib's reference standing in, visibly, for a piece not written yet. ``my_library().report()`` says which is which.
"""
from .library import MyLibrary, my_library

__all__ = ["MyLibrary", "my_library"]
