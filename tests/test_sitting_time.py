"""Every notebook fits one sitting of about 60 minutes, by the course's stated reading model (tools/sitting_time.py)."""
import importlib.util
import json
import re
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


def test_notebook_00s_map_states_each_notebooks_time_as_the_model_estimates_it():
    """The map's time column agrees with the model to within 5 minutes (13, the capstone, is a project of hours)."""
    cells = json.loads((ROOT / "notebooks" / "00_start_here.ipynb").read_text(encoding="utf-8"))["cells"]
    table = next("".join(cell["source"]) for cell in cells if "| # | notebook |" in "".join(cell["source"]))
    rows = re.findall(r"^\| (\d\d[a-z]?) \|.*\| (?:(\d+) min|(1) h)[^|]*\|$", table, flags=re.MULTILINE)
    stated = {number: int(minutes) if minutes else 60 * int(hours) for number, minutes, hours in rows}
    notebooks = {path.name.split("_")[0]: path for path in (ROOT / "notebooks").glob("*.ipynb")}
    assert set(stated) == set(notebooks) - {"00", "13"}, "one row with a time for every notebook but 00 and 13"
    for number, minutes in stated.items():
        estimate = sitting_time.minutes(notebooks[number])["total"]
        assert abs(minutes - estimate) <= 5, f"00's map says {minutes} min for {number}; the model: {estimate:.0f}"
