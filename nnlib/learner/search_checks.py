"""The pieces of notebook 08, hyperparameter search, and their checks:

    (none yet)
"""
PIECES = ()
