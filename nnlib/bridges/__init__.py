"""Bridges to programs outside Python: R's ``nnet`` through ``Rscript`` (``rscript``, notebook 12).

Not part of the numpy core (``nnlib/*.py``): a bridge needs the other program installed, and treats what comes
back from it as untrusted.
"""
