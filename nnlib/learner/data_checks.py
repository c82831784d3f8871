"""The pieces of notebook 04, data for training, and their checks:

    (none yet)
"""
PIECES = ()
