"""Notebooks are committed without outputs and with clean metadata."""
import json
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))
CLEAN_METADATA = {
    "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
    "language_info": {"name": "python"},
}
# The companion for R users (NNr_topic.ipynb) runs on IRkernel, whose kernelspec is named "ir".
CLEAN_R_METADATA = {
    "kernelspec": {"display_name": "R", "language": "R", "name": "ir"},
    "language_info": {"name": "R"},
}


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 2


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_has_no_outputs_and_clean_metadata(path):
    notebook = json.loads(path.read_text())
    clean = CLEAN_R_METADATA if path.stem[2:3] == "r" else CLEAN_METADATA
    assert notebook["metadata"] == clean, "notebook metadata must be exactly the clean kernelspec"
    for number, cell in enumerate(notebook["cells"], start=1):
        assert cell.get("metadata", {}) in ({},), f"cell {number} has metadata {cell['metadata']}"
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [], f"cell {number} was committed with outputs"
            assert cell["execution_count"] is None, f"cell {number} was committed with an execution count"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_name_follows_the_course_sequence(path):
    number, _, name = path.stem.partition("_")
    assert number[:2].isdigit() and number[2:] in ("", "b", "c", "r") and name, \
        "notebooks are named NN_topic.ipynb (NNb_topic.ipynb, NNc_topic.ipynb: the second and third parts of " \
        "notebook NN; NNr_topic.ipynb: the R companion of notebook NN)"
