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

    X, y = nnlib.datasets.make_moons(60, seed=0)
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


# --- What the round-3 reading found (issue 27, section 2): each test would have caught one slip -----------------------
EXERCISES = sorted((Path(nnlib.__file__).parent / "exercises").glob("*.py"))  # checkers, hints, quiz texts
RULE_1 = "1. **Does training compute it from the training data?** Then it is **learned**."


def named(prefix):
    return next(path for path in NOTEBOOKS if path.name.startswith(prefix))


def course_texts():
    """(name, text): every notebook's prose and every exercise module's source (hints, feedback, quiz items)."""
    return [(path.name, markdown(path)) for path in NOTEBOOKS] + [(path.name, path.read_text()) for path in EXERCISES]


@pytest.mark.parametrize("prefix", ["00_", "14_"])
def test_rule_1_is_stated_word_for_word_without_a_clause_about_predicting(prefix):
    text = markdown(named(prefix))
    assert RULE_1 in text
    assert "predict" not in text.split(RULE_1)[1].split("\n2. ")[0], "rule 1 asks only whether training computes it"


def test_nothing_adds_a_predict_clause_to_rule_1_or_defines_parameters_by_gradient_descent_alone():
    for name, text in course_texts():
        for slip in ("for the model to use when it predicts", "and used to predict",
                     "parameters are what gradient descent fits"):
            assert slip not in text, f"{name}: {slip!r}"


def test_no_notebook_explains_parameters_by_a_bias_multiplying_nothing():
    for name, text in course_texts():
        assert "multiplies nothing" not in text and "multiplies no input" not in text, name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_box_calls_the_training_loss_only_the_metric(path):
    _, _, neither = box(path)
    assert not re.search(r"(mean squared error|MSE|cross-entropy)[^;|]*\bmetric", neither)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_the_design_of_a_search_is_never_a_hyperparameter(path):
    """A search's space, ranges, budget and seed decide which settings are compared, not what a run learns."""
    _, hyper, _ = box(path)
    assert not re.search(r"search (space|range)|param_grid|n_trials|budget", hyper, re.I)


def test_nothing_calls_every_control_of_the_playground_a_hyperparameter():
    pattern = re.compile(r"(?<!almost )every control (of the playground )?is a hyperparameter(?! except)", re.I)
    for name, text in course_texts():
        assert not pattern.search(text), name


def test_preprocessing_statistics_are_never_called_not_parameters():
    """COURSE.md 1b: a Standardizer's mean and scale are learned, parameters of the preprocessing."""
    for name, text in course_texts():
        assert not re.search(r"not (the network's )?parameters[^.]{0,80}and not hyperparameters", text), name


def test_12s_table_puts_the_loss_under_where_there_is_a_choice():
    row = next(line for line in markdown(named("12_")).splitlines() if line.startswith("| output and loss |"))
    assert "the loss: a hyperparameter where there is a choice" in row


def test_13_compares_two_settings_fold_by_fold_not_by_the_spread_over_root_5():
    text = markdown(named("13_"))
    assert "spread divided by √5" not in text and "paired" in text and "75 % of their 1,280" in text


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_notebook_gates_on_the_test_score(path):
    """Parameters on training, hyperparameters on validation; the test set reports once and decides nothing."""
    code = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code")
    assert not re.search(r"assert[^\n]*\btest_(accuracy|score|loss)\b[^\n]*[<>]", code), path.name
