"""Graded work beyond a self-checked ``Exercise``: predictions scored against hidden labels, and written answers.

- ``ScoredExercise`` is an ``Exercise`` whose answer is a set of predictions. Its self-study check only tests
  the format (the labels stay out of sight); a classroom grades the predictions against the hidden labels in
  ``tiers``: a share of the exercise's points for each threshold the predictions reach.
- ``WrittenAnswer`` is a markdown cell the learner writes, such as a justification. Self-study does not check
  it; a classroom grades it by hand.

``classroom/build.py`` turns both into nbgrader cells and ``classroom/nnlib_grading`` grades them; notebook 13 (the
capstone) uses both.
"""
from dataclasses import dataclass

from .framework import Exercise, id_order


@dataclass(frozen=True)
class ScoreTier:
    """``share`` of an exercise's points for predictions with at least ``minimum_correct`` right; ``reason`` says
    what that means, completing "... if your predictions ..." (e.g. "beat the baseline (76 of 114 right)")."""
    share: float
    minimum_correct: int
    reason: str


class ScoredExercise(Exercise):
    """An Exercise whose answer is predictions (n,), scored in a classroom against labels the learner never sees.

    tiers: ScoreTier objects, their shares adding up to 1, easiest first.
    labels_from: "module:function", the function that returns the true labels (a list of ints). Only the classroom's
      grader calls it, outside the student's kernel; the exercise itself holds no labels, so nothing the notebook
      imports hands them out.
    The other arguments are Exercise's; its checker tests the format of the predictions only.
    """

    def __init__(self, *args, tiers, labels_from, **kwargs):
        super().__init__(*args, **kwargs)
        if len(self.answers) != 1:
            raise ValueError(f"exercise {self.id}: a scored exercise has one answer, the predictions")
        if abs(sum(tier.share for tier in tiers) - 1) > 1e-9:
            raise ValueError(f"exercise {self.id}: the tiers' shares must add up to 1")
        self.tiers, self.labels_from = list(tiers), labels_from


class WrittenAnswer:
    """A markdown cell the learner writes, graded by hand in a classroom.

    id: e.g. "13.4"; prompt: the cell as the learner finds it, starting with "**Written answer <id>: <title>.**";
    model_answer: what a good answer says (for the people who grade it; it goes into the classroom's instructor
    version only).
    """

    def __init__(self, id, title, prompt, model_answer, points=1):
        self.id, self.title, self.points = id, title, points
        self.prompt, self.model_answer = prompt.strip(), model_answer.strip()
        header = f"**Written answer {id}: {title}.**"
        if not self.prompt.startswith(header):
            raise ValueError(f"written answer {id}: its prompt must start with {header!r}")

    def __repr__(self):
        return f"Written answer {self.id}: {self.title} ({self.points} point{'s' * (self.points != 1)}, graded by hand)"


def written_in(module):
    """All WrittenAnswer objects defined in a module, in order of their ids."""
    found = [value for value in vars(module).values() if isinstance(value, WrittenAnswer)]
    return sorted(found, key=lambda answer: id_order(answer.id))
