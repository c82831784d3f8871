"""The course's exercises, one module per notebook (``nb01``, ``nb02``, ..., ``nb06b``, ``nb06c``).

Each module defines ``Exercise`` objects named ``q1``, ``q2``, ... (see
``nnlib.exercises.framework``). A notebook imports them with
``from nnlib.exercises.nb01 import q1, q2, q3`` and calls ``q1.check(answer)``.
These objects are the single source of truth: the tests check that each
notebook's exercise cells match them, and ``make classroom`` builds the nbgrader
release from them. What several notebooks share: ``framework`` (``Exercise`` and the checkers' helpers),
``pieces`` (exercises that build the learner's library, and their reference solutions), ``answer_kinds`` (checkers
of common kinds of answers), ``sorting`` (the "parameter, hyperparameter or neither?" exercises).
"""
import re
from pathlib import Path

NUMBER = r"\d\d[bc]?"  # a notebook's number: two digits, and "b" or "c" for the second or third part of a split one


def notebook_number(path_or_name):
    """The number of a course notebook with exercises, from its file name: "06" for
    ``notebooks/06_multilayer_network.ipynb``, "06b" for ``06b_the_network_and_its_gradients.ipynb``.

    The rule: two digits, then only the suffix "b" or "c" (the second or third part of a split notebook; their
    exercises are ``nb06b``'s "06b.1", "06b.2", ..., ``nb06c``'s "06c.1", ...), then "_". Anything else is None:
    the R companion ``12r_the_question_in_r.ipynb`` has no exercises and stays out of the exercises and the classroom.
    """
    match = re.match(rf"({NUMBER})_", Path(path_or_name).name)
    return match.group(1) if match else None
