"""Bridges from nnlib to what lies outside this Python session: files that another session, program or person will
read (``saving``: a model as plain data), and R's ``nnet`` through ``Rscript`` (``rscript``, notebook 12).

Not part of the numpy core (``nnlib/*.py``): the network never calls a bridge, and a bridge treats what comes back
from outside (a file, another program's output) as untrusted.
"""
