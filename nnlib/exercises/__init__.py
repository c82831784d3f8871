"""The course's exercises, one module per notebook (``nb01``, ``nb02``, ...).

Each module defines ``Exercise`` objects named ``q1``, ``q2``, ... (see
``nnlib.exercises.checks``). A notebook imports them with
``from nnlib.exercises.nb01 import q1, q2, q3`` and calls ``q1.check(answer)``.
These objects are the single source of truth: the tests check that each
notebook's exercise cells match them, and ``make classroom`` builds the nbgrader
release from them.
"""
