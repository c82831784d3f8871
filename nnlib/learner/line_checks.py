"""The pieces of notebooks 01-03, a line fitted by gradient descent, and their checks:

    (none yet)
"""
PIECES = ()
