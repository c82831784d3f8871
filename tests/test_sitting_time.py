"""Every notebook fits one sitting of about 60 minutes, by the course's stated reading model (tools/sitting_time.py)."""
import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("sitting_time", ROOT / "tools" / "sitting_time.py")
sitting_time = importlib.util.module_from_spec(spec)
spec.loader.exec_module(sitting_time)

ONE_SITTING = 60  # minutes


@pytest.mark.parametrize("notebook", sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb")))
def test_each_notebook_fits_one_sitting(notebook):
    estimate = sitting_time.minutes(ROOT / "notebooks" / notebook)
    assert estimate["total"] <= ONE_SITTING, (
        f"{notebook} is estimated at {estimate['total']:.0f} minutes (prose {estimate['prose']:.0f}, code "
        f"{estimate['code']:.0f}, exercises {estimate['exercises']:.0f}, widgets {estimate['widgets']:.0f}): "
        f"condense it or split it into two sittings")


def test_the_model_counts_what_a_learner_writes():
    """The model charges an exercise for the lines its solution adds to the starting cell, comments aside."""
    from nnlib.exercises.nb06 import q1
    from nnlib.exercises.nb08b import q1 as random_search

    assert sitting_time.written_lines(random_search) > sitting_time.written_lines(q1) >= 1
    assert sitting_time.minutes(ROOT / "notebooks" / "12r_the_question_in_r.ipynb")["exercises"] == 0
