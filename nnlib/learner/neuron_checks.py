"""The pieces of notebook 05, one neuron, and their checks:

    (none yet)
"""
PIECES = ()
