"""The exercises of the student edition: what a graded course installs in place of the self-study exercises.

In a graded course the answers are checked when the work is graded, by a process the learner's notebook cannot
touch; the package the learners install (built by classroom/student_edition.py) therefore holds no solution, no
checker and no expected value. Each exercise there is a ``GradedExercise``: the same id, title, answers, starting cell,
hints and points as the self-study ``Exercise`` it is generated from, and these calls:

- ``q1.check(answer)`` says "Not answered yet ..." exactly as self-study does while an answer is still ``...``, and
  otherwise that the answer is checked when the work is graded (an exercise whose format can be checked without
  any expected value, the capstone's predictions, has it checked here);
- ``q1.assert_correct(answer)``, the graded tests cell's visible test, raises AssertionError only for an answer not
  given yet (or in the wrong format, where the format is checked);
- ``q1.is_correct(...)`` is False: a notebook that uses a learner's function once it passes uses nnlib's instead;
- ``q1.hint()`` works; ``q1.solution()`` says that solutions are not part of this edition.

A ``GradedWrittenAnswer`` is a written answer's prompt and points, without the model answer. A notebook's data that
would hand out an answer when computed (exercise 10c.2's trained networks) ships recorded, as ``RecordedRun``s.
"""
import os

from . import framework

SYMBOLS = {"unanswered": "\u270f\ufe0f", "answered": "\U0001f4dd", "wrong": "\u274c"}


class GradedExercise:
    """One exercise of a graded course, without its solution or checker (see the module's docstring).

    id, title, answers, placeholder, hints, points, variable, check_code: as the self-study Exercise's.
    pieces: {answer: piece} for an exercise that builds pieces of the learner's library (kept for reference: nothing
      is saved to the library here, so later notebooks use nnlib's pieces).
    tiers: a scored exercise's ScoreTier objects (how its predictions are graded).
    format_check(*answers) -> None or what is wrong with their format: a check that needs no expected value.
    """

    def __init__(self, id, title, answers, placeholder, hints, points, variable, check_code, *, pieces=None,
                 tiers=None, format_check=None):
        self.id, self.title, self.answers, self.placeholder = id, title, tuple(answers), placeholder
        self.hints, self.points, self.variable, self.check_code = list(hints), points, variable, check_code
        if pieces is not None:
            self.pieces = dict(pieces)
        if tiers is not None:
            self.tiers = list(tiers)
        self.format_check = format_check

    def feedback(self, *answers):
        """(status, message): status is 'unanswered', 'answered' or 'wrong' (only a format can be wrong here)."""
        if len(answers) != len(self.answers):
            return "wrong", f"check expects {len(self.answers)} answer(s): {', '.join(self.answers)}."
        names = [name for name, answer in zip(self.answers, answers) if framework.unanswered(answer)]
        if names:
            return "unanswered", f"Not answered yet: replace the ... in {', '.join(names)} with your answer."
        if self.format_check is not None:
            try:
                problem = self.format_check(*answers)
            except Exception as error:  # a learner's odd answer must give feedback, not a traceback
                problem = f"your answer could not be checked ({type(error).__name__}: {error})."
            if problem is not None:
                return "wrong", problem
        checked = "Its format is right; your answer" if self.format_check is not None else "Your answer"
        return "answered", (f"answered. {checked} is checked when your work is graded: this graded edition of the "
                            "course holds no expected answers.")

    def check(self, *answers):
        """Print what can be said here. Returns None (not answered, or checked when graded) or False (wrong format)."""
        status, message = self.feedback(*answers)
        if status == "wrong" and os.environ.get(framework.STRICT_ENV):
            raise AssertionError(f"Exercise {self.id}: {message}")
        print(f"{SYMBOLS[status]} Exercise {self.id}: {message}")
        return False if status == "wrong" else None

    def is_correct(self, *answers):
        """False: nothing here can tell a right answer, so a notebook keeps using nnlib's pieces."""
        return False

    def assert_correct(self, *answers):
        """Raise AssertionError for an answer not given yet, or in the wrong format (the graded tests' visible test)."""
        status, message = self.feedback(*answers)
        assert status == "answered", f"Exercise {self.id}: {message}"

    hint = framework.Exercise.hint  # the self-study hints, word for word

    def solution(self):
        """Say that solutions are not part of this edition."""
        print(f"Solutions are not part of the graded edition of the course: exercise {self.id}'s is not in this "
              f"package. Try {self.variable}.hint(); after grading, your instructor decides what is shown.")

    def __repr__(self):
        return (f"Exercise {self.id}: {self.title} ({self.points} point{'s' * (self.points != 1)}, checked when "
                "graded)")


class GradedWrittenAnswer:
    """A written answer of a graded course: the prompt the learner replaces, and its points (graded by hand)."""

    def __init__(self, id, title, prompt, points):
        self.id, self.title, self.prompt, self.points = id, title, prompt, points

    def __repr__(self):
        return f"Written answer {self.id}: {self.title} ({self.points} point{'s' * (self.points != 1)}, graded by hand)"


class ScaledGradient:
    """A loss whose gradient is multiplied by ``scale``: value_and_gradient(scores (n, K), y (n,)) -> (float,
    gradient (n, K) * scale). A RecordedRun's loss_: shown with a shared learning rate, a run's update
    learning_rate * gradient is still the update its own learning rate made."""

    def __init__(self, loss, scale):
        self.loss, self.scale = loss, scale

    def value_and_gradient(self, scores, y):
        value, gradient = self.loss.value_and_gradient(scores, y)
        return value, gradient * self.scale


class RecordedRun:
    """A trained network of an exercise whose answer is how it was trained (10c.2's runs): what the notebook reads of
    a fitted MLP -- network_, loss_, activation, learning_rate, history_ -- without the hyperparameters that tell the
    runs apart. learning_rate is the one the runs share; loss_ scales the gradient so that learning_rate * gradient
    is this run's own update size."""

    def __init__(self, network, loss, activation, learning_rate, history):
        self.network_, self.loss_, self.history_ = network, loss, history
        self.activation, self.learning_rate = activation, learning_rate

    def __repr__(self):
        return (f"RecordedRun(activation={self.activation!r}, {len(self.history_.loss)} epochs; a trained network of "
                "an exercise, its other hyperparameters withheld)")
