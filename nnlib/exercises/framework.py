"""The exercise framework: ``q.check(answer)``, ``q.hint()``, ``q.solution()``.

An ``Exercise`` is the single source of truth for one exercise: the code cell
the learner starts from (``placeholder``), the reference ``solution``, the
``hints``, the point value, and a ``checker`` that returns specific feedback for
common mistakes. The learner notebooks and the nbgrader classroom release are
both checked against or generated from these objects.

A checker is a function of the learner's answers that returns ``None`` when
they are right, or a string saying what is wrong and why (or raises ``Feedback``
with that string).  ``...`` (Ellipsis) marks an answer not given yet, and so does
a function whose body is still only ``...``: checking it never raises, so a
notebook with every exercise unanswered still runs top to bottom. Checkers share ``call`` (a learner's function,
its error as Feedback), ``explained``, ``same``, ``finite``, ``relative_difference`` and ``slip_checker``.
"""
import dis
import os
import warnings

import numpy as np

from ..learner.checking import differs

STRICT_ENV = "NNLIB_STRICT_CHECKS"


class Feedback(Exception):
    """Raised inside a checker to stop checking and tell the learner this message (e.g. when their function fails)."""


class Exercise:
    """One exercise: its starting cell, its check, hints and solution.

    id: e.g. "01.2"; the placeholder's first line must be "# Exercise <id>: <title>".
    answers: names of the variables the learner fills in, e.g. ("slope",).
    placeholder / solution: the exercise cell's code, unanswered and answered.
    checker(*answers) -> None if right, else feedback text.
    """

    def __init__(self, id, title, answers, placeholder, solution, checker, hints, points=1):
        self.id, self.title, self.answers = id, title, tuple(answers)
        self.placeholder, self.solution_code = placeholder.strip() + "\n", solution.strip() + "\n"
        self.checker, self.hints, self.points = checker, list(hints), points
        header = f"# Exercise {id}: {title}"
        for code in (self.placeholder, self.solution_code):
            if not code.startswith(header):
                raise ValueError(f"exercise {id}: its code must start with the line {header!r}")

    @property
    def check_code(self):
        """The cell that follows the exercise in the notebook."""
        return f"{self.variable}.check({', '.join(self.answers)})"

    @property
    def variable(self):
        return "q" + self.id.split(".")[-1]

    def feedback(self, *answers):
        """(status, message): status is 'unanswered', 'correct' or 'wrong'."""
        if len(answers) != len(self.answers):
            return "wrong", f"check expects {len(self.answers)} answer(s): {', '.join(self.answers)}."
        if any(unanswered(answer) for answer in answers):
            names = [n for n, a in zip(self.answers, answers) if unanswered(a)]
            return "unanswered", f"Not answered yet: replace the ... in {', '.join(names)} with your answer."
        try:
            problem = self.checker(*answers)
        except Feedback as feedback:
            problem = str(feedback)
        except Exception as error:  # a learner's odd answer must give feedback, not a traceback
            problem = f"your answer could not be checked ({type(error).__name__}: {error})."
        return ("correct", "Correct!") if problem is None else ("wrong", problem)

    def check(self, *answers):
        """Print instant feedback. Returns True (right), False (wrong) or None (not answered)."""
        status, message = self.feedback(*answers)
        if status == "wrong" and os.environ.get(STRICT_ENV):
            raise AssertionError(f"Exercise {self.id}: {message}")
        symbol = {"correct": "\u2705", "wrong": "\u274c", "unanswered": "\u270f\ufe0f"}[status]
        print(f"{symbol} Exercise {self.id}: {message}")
        return {"correct": True, "wrong": False, "unanswered": None}[status]

    def is_correct(self, *answers):
        """True when the answers pass the check, quietly (a notebook uses a learner's function once it works)."""
        return self.feedback(*answers)[0] == "correct"

    def assert_correct(self, *answers):
        """Raise AssertionError unless the answers are right (used by autograded tests)."""
        status, message = self.feedback(*answers)
        assert status == "correct", f"Exercise {self.id}: {message}"

    def hint(self, number=None):
        """Print the next hint (or hint ``number``, counting from 1)."""
        if number is None:
            self._hints_shown = min(getattr(self, "_hints_shown", 0) + 1, len(self.hints))
            number = self._hints_shown
        print(f"\U0001f4a1 Hint {number} of {len(self.hints)}: {self.hints[number - 1]}")

    def solution(self):
        """Print a reference solution."""
        print(f"One solution to exercise {self.id}:\n\n{self.solution_code}")

    def __repr__(self):
        return f"Exercise {self.id}: {self.title} ({self.points} point{'s' * (self.points != 1)})"


def unanswered(answer):
    """True for ``...``, a dict/list/tuple that still holds a ``...``, or a function whose body is still ``...``."""
    if answer is Ellipsis or is_stub(answer):
        return True
    values = answer.values() if isinstance(answer, dict) else answer if isinstance(answer, (list, tuple)) else ()
    return any(value is Ellipsis for value in values)


def is_stub(function):
    """True for a function whose body does nothing (only ``...``, ``pass`` or a docstring): a placeholder to fill in."""
    code = getattr(function, "__code__", None)
    if code is None:
        return False
    steps = [(i.opname, i.argval) for i in dis.get_instructions(code) if i.opname not in ("RESUME", "NOP")]
    return steps in ([("LOAD_CONST", None), ("RETURN_VALUE", None)], [("RETURN_CONST", None)])


def call(function, *args, **kwargs):
    """Call a learner's function; an error inside it becomes ``Feedback`` that names the function and the error."""
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():  # a wrong answer may overflow: say so in words
            warnings.simplefilter("ignore")
            return function(*args, **kwargs)
    except Exception as error:
        name = getattr(function, "__name__", "your function")
        raise Feedback(f"{name} stopped with {type(error).__name__}: {error}. Run it on a small example "
                       "in a cell of its own to see where.") from None


def relative_difference(answer, expected):
    """max |answer - expected| / max |expected| (0 means identical; a NaN or infinity that ``expected`` does not have
    there counts as infinitely far)."""
    answer, expected = np.asarray(answer, dtype=float), np.asarray(expected, dtype=float)
    with np.errstate(invalid="ignore"):
        difference = np.where(answer == expected, 0.0, np.abs(answer - expected))
    scale = max(float(np.max(np.abs(expected), initial=0.0, where=np.isfinite(expected))), 1e-12)
    return float(np.max(np.nan_to_num(difference, nan=np.inf, posinf=np.inf), initial=0.0)) / scale


def same(answer, expected, tolerance=1e-9):
    """True when ``answer`` has ``expected``'s shape and finite values within ``tolerance`` of it (relative, as
    ``nnlib.learner.checking.differs`` measures): a learner's result that equals a typical slip's, or the right one."""
    try:
        return differs("", answer, expected, tolerance) is None
    except (TypeError, ValueError):
        return False


def finite(value):
    """True when ``value`` is a number or array with no inf or nan."""
    try:
        return bool(np.all(np.isfinite(np.asarray(value, dtype=float))))
    except (TypeError, ValueError):
        return False


def explained(function, args, causes):
    """call(function, *args); an error it stops with that a typical slip explains (its message holds one of the words
    of ``causes``, {words: advice}) becomes that advice, as Feedback; any other error stays as it is."""
    try:
        return call(function, *args)
    except Feedback as stopped:
        advice = next((advice for words, advice in causes.items() if any(w in str(stopped) for w in words)), None)
        raise stopped if advice is None else Feedback(advice) from None


def slip_checker(*pieces):
    """A checker of (name, finder of typical slips) pieces: the first slip found, with its piece's name."""
    def check(*functions):
        for (name, problem), function in zip(pieces, functions):
            if not callable(function):
                return f"{name} should be the function you defined with def."
            if message := problem(function):
                return f"{name}: {message}"
        return None
    return check


def exercises_in(module):
    """All Exercise objects defined in a module, in order of their ids."""
    found = [value for value in vars(module).values() if isinstance(value, Exercise)]
    return sorted(found, key=lambda ex: id_order(ex.id))


def id_order(item_id):
    """Sort key of an exercise's id: "06.2" < "06.10" < "06b.1" < "07.1" (the notebook's number, then the item's)."""
    notebook, number = item_id.split(".")
    return notebook, int(number)
