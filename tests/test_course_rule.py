"""One rule for "parameter, hyperparameter or neither" (../shared/COURSE.md 1b), applied everywhere.

Notebook 00 states the rule; every notebook's closing box sorts its names into the rule's three
categories; the names the rule decides explicitly (the seed, split sizes, standardisation statistics,
the task) land in the same column in every box; the quiz and the API follow it too.
"""
import re
from pathlib import Path

import nbformat
import pytest

import nnlib
from nnlib.exercises.quiz_items import ANSWERS, NEITHER, PARAMETER, QUIZ_ITEMS

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("[0-9][0-9]*_*.ipynb"))  # with 12r_ (R)
BOX_TITLE = "### What was a parameter here, what was a hyperparameter"
HEADER = "| learned (parameters) | hyperparameters | neither |"


def markdown(path):
    return "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown")


def box(path):
    """The three cells of the closing box's row(s): learned, hyperparameters, neither."""
    text = markdown(path)
    assert text.count(BOX_TITLE) == 1, f"{path.name} needs exactly one closing box"
    lines = text[text.index(BOX_TITLE):].splitlines()
    assert lines[2] == HEADER, f"{path.name}: the box's columns must be the rule's three categories"
    rows = [line for line in lines[4:] if line.startswith("|")]
    columns = [[cell.strip() for cell in row.strip("|").split(" | ")] for row in rows]
    assert rows and all(len(cells) == 3 for cells in columns)
    return [" ".join(cells[i] for cells in columns) for i in range(3)]


def test_notebook_00_states_the_rule_once_with_its_three_questions():
    text = markdown(NOTEBOOKS[0])
    assert "One rule for every name in this course: parameter, hyperparameter or neither" in text
    for question in ("Does training compute it from the training data", "Is it set before training",
                     "Otherwise it is neither"):
        assert question in text
    assert "A constructor argument is not automatically a hyperparameter" in text
    assert "**Naming traps.**" in text and "tuning parameters" in text and "best_params_" in text


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_box_sorts_by_the_rule(path):
    learned, hyper, neither = box(path)
    assert "seed" not in hyper and "random_state" not in hyper and "split" not in hyper, \
        "the seed and the split are settings of the experiment: neither"
    assert not re.search(r"mean_|scale_|mean and SD|means and scales", neither + hyper), \
        "standardisation statistics are learned (parameters of the preprocessing)"
    assert "task" not in hyper, "the task is fixed by the problem: neither"
    assert "weights" in learned or "slope" in learned or "coef_" in learned
    assert "neither/depends" not in markdown(path)


def test_a_loss_with_a_real_choice_is_a_hyperparameter():
    _, hyper, _ = box(next(p for p in NOTEBOOKS if p.name.startswith("05")))
    assert "the loss (cross-entropy, compared with squared error" in hyper


def test_the_quiz_has_one_right_answer_per_item_by_the_rule():
    by_name = {item.name: item.answer for item in QUIZ_ITEMS}
    assert set(by_name.values()) == set(ANSWERS) == {"parameter", "hyperparameter", "neither"}
    assert by_name["the random seed"] == NEITHER
    assert by_name["the mean that standardisation subtracts (Standardizer.mean_)"] == PARAMETER
    assert by_name["the sizes of the training, validation and test sets"] == NEITHER


def test_summary_and_saved_json_list_the_settings_apart(tmp_path):
    import json

    X, y = nnlib.data.make_moons(60, seed=0)
    model = nnlib.MLP(hidden_layers=(3,), epochs=2, seed=4).fit(X, y)
    text = model.summary_text()
    hyper_part, settings_part = text.split("hyperparameters (chosen by you):")[1].split("settings")
    assert "seed" not in hyper_part and "learning_rate = 0.1" in hyper_part
    assert settings_part.strip() == "(neither learned nor tuned): task = 'classification', dtype = 'float64', seed = 4"
    assert set(model.hyperparameters()) >= {"seed", "dtype", "task"}, "every constructor argument (scikit-learn)"
    _, json_path = nnlib.save(model, tmp_path / "m")
    info = json.loads(json_path.read_text())
    assert info["settings"] == {"task": "classification", "dtype": "float64", "seed": 4}
    assert "seed" not in info["hyperparameters"] and info["hyperparameters"]["hidden_layers"] == [3]
    assert nnlib.load(tmp_path / "m").hyperparameters() == model.hyperparameters()
