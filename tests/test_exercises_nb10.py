"""Notebook 10's exercises: solutions pass, typical wrong answers get specific feedback; its text chooses by the rules
it teaches."""
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest

import nnlib
from nnlib.exercises import nb10

X, y = nnlib.load_digits()
X_train, X_val, X_test, y_train, y_val, y_test = nnlib.train_val_test_split(X, y, val_size=0.2, test_size=0.2, seed=0)


def run(code):
    namespace = {"np": np, "nnlib": nnlib, "X_train": X_train, "X_val": X_val}
    exec(code, namespace)
    return namespace


@pytest.mark.parametrize("exercise", [nb10.q1, nb10.q2, nb10.q3])
def test_solution_is_correct_and_placeholder_is_unanswered(exercise):
    solved = run(exercise.solution_code)
    assert exercise.feedback(*[solved[name] for name in exercise.answers]) == ("correct", "Correct!")
    blank = run(exercise.placeholder)
    assert exercise.feedback(*[blank[name] for name in exercise.answers])[0] == "unanswered"


def test_10_1_agrees_with_the_standardizer():
    assert nb10.q1.feedback(nnlib.Standardizer().fit(X_train).transform(X_val))[0] == "correct"


def _scale(data, statistics_from, zero_std=1.0, ddof=0):
    std = statistics_from.std(axis=0, ddof=ddof)
    return (data - statistics_from.mean(axis=0)) / np.where(std > 0, std, zero_std)


def test_10_1_accepts_rs_sd_which_divides_by_n_minus_1():
    """R's sd() and scale() use n - 1 (ddof=1): scales 0.05 % larger on 1,079 images, as correct as numpy's n."""
    assert nb10.q1.feedback(_scale(X_val, X_train, ddof=1)) == ("correct", "Correct!")
    assert round(100 * (np.sqrt(len(X_train) / (len(X_train) - 1)) - 1), 2) == 0.05


@pytest.mark.parametrize("answer, expected", [
    (_scale(X_val, X_val), "the validation set's own mean"),
    (_scale(X_val, X_val, ddof=1), "the validation set's own mean"),
    (_scale(X_val, X), "ALL the images"),
    (_scale(X_val, X, ddof=1), "ALL the images"),
    (X_val - X_train.mean(axis=0), "now divide by the training standard deviation"),
    ((X_val - X_train.mean()) / X_train.std(), "one mean per pixel"),
    (X_val[:10], "must have the shape of X_val"),
])
def test_10_1_recognises_leaks_and_slips(answer, expected):
    status, message = nb10.q1.feedback(answer)
    assert status == "wrong" and expected in message


def test_10_1_explains_the_division_by_zero():
    with np.errstate(divide="ignore", invalid="ignore"):
        answer = (X_val - X_train.mean(axis=0)) / X_train.std(axis=0)
    status, message = nb10.q1.feedback(answer)
    assert status == "wrong" and "standard deviation is 0" in message


@pytest.mark.parametrize("wrong, expected", [
    (64 * 64 + 64 * 32 + 32 * 10, "weights only"),
    (64 * 64 + 64 + 64 * 32 + 32, "output layer"),
    (64 * 64 + 64 + 64 * 10 + 10, "straight to the outputs"),
    (64 + 32 + 10, "counts the units"),
    (12345, "expected 6,570"),
])
def test_10_2_recognises_counting_mistakes(wrong, expected):
    assert nnlib.parameter_count(64, (64, 32), 10) == 6570
    status, message = nb10.q2.feedback(wrong)
    assert status == "wrong" and expected in message


def test_10_3_explains_each_wrong_name():
    kinds = run(nb10.q3.solution_code)["kinds"]
    status, message = nb10.q3.feedback(dict(kinds, l2="parameter", hidden_layers="parameter"))
    assert status == "wrong" and message.startswith("2 of 5 wrong")
    assert "training alone would always prefer 0" in message and "decides how many parameters" in message
    status, message = nb10.q3.feedback(dict(kinds, seed="hyperparameter"))
    assert status == "wrong" and "among the settings, not the hyperparameters" in message


def test_the_saved_files_hold_what_09_3_says():
    """Exercise 10.3's answers match what nnlib.save really writes where."""
    import json
    import tempfile
    from pathlib import Path

    model = nnlib.MLP(hidden_layers=(4,), epochs=1, seed=0).fit(nnlib.standardize(X_train), y_train)
    with tempfile.TemporaryDirectory() as folder:
        npz_path, json_path = nnlib.save(model, Path(folder) / "m")
        with np.load(npz_path) as archive:
            in_npz = set(archive.files)
        saved = json.loads(json_path.read_text())
    where = {"parameter": in_npz, "hyperparameter": set(saved["hyperparameters"]), "neither": set(saved["settings"])}
    for name, (kind, _) in nb10.SAVED_NAMES.items():
        assert name in where[kind]


def notebook_10():
    return nbformat.read(Path(__file__).resolve().parent.parent / "notebooks" / "10_digits_end_to_end.ipynb",
                         as_version=4).cells


def prose(cells):
    """The markdown of ``cells`` with one space between words: a reflowed paragraph says the same."""
    return " ".join(" ".join(cell.source for cell in cells if cell.cell_type == "markdown").split())


def test_10_asserts_quality_on_validation_and_only_reports_the_test_score():
    code = "\n".join(cell.source for cell in notebook_10() if cell.cell_type == "code")
    assert not re.search(r"assert[^\n]*test_accuracy", code), "the test score must not gate the notebook"
    assert 'assert best["val_score"] >= 0.95' in code


def test_10_chooses_between_the_two_searches_by_a_stated_noise_rule_not_by_a_margin_of_005():
    cells = notebook_10()
    text = prose(cells)
    code = "\n".join(cell.source for cell in cells if cell.cell_type == "code")
    assert "within 0.05" not in text and "we keep the first search's choice" not in text
    assert "< 0.05" not in code
    assert "**Our rule: a lead counts only if it is larger than two standard errors.**" in text
    assert "paired differences" in text and "the lowest validation loss, over all 24 trials of both searches" in text
    assert 'best = min([first, wider.best], key=lambda row: row["val_loss"])' in code
    assert "assert 0 < lead < 2 * standard_error" in code


def test_10_calls_the_standardisers_statistics_learned_where_it_first_meets_them():
    section_2 = prose(cell for cell in notebook_10() if cell.source.startswith("Gradient descent works best"))
    assert "**learned from the training data**: parameters of the preprocessing, not of the network" in section_2
    assert "not hyperparameters" not in section_2


def penguins_split():
    X_p, y_p = nnlib.load_penguins(features=nb10.MEASUREMENTS, target="species")
    return X_p, nnlib.train_val_test_split(X_p, y_p, val_size=0.2, test_size=0.2, seed=0)[:3]


def test_10_4_solution_is_correct_and_placeholder_is_unanswered():
    solved, blank = run(nb10.q4.solution_code), run(nb10.q4.placeholder)
    assert nb10.q4.feedback(solved["leaking_line"], solved["scaler_mean"]) == ("correct", "Correct!")
    assert nb10.q4.feedback(blank["leaking_line"], blank["scaler_mean"])[0] == "unanswered"


def test_10_4_the_colleagues_pipeline_runs_and_line_2_learns_from_the_held_out_penguins(capsys):
    namespace = run("\n".join([f"MEASUREMENTS = {nb10.MEASUREMENTS!r}", *nb10.PIPELINE]))
    assert "test accuracy" in capsys.readouterr().out
    X_p, (train, val, test) = penguins_split()
    leaked = nnlib.Standardizer().fit(X_p).mean_  # what line 2 learns
    assert np.allclose(namespace["X_tr"], (train - leaked) / X_p.std(axis=0))
    assert not np.allclose(leaked, train.mean(axis=0), rtol=1e-3)


@pytest.mark.parametrize("line, expected", [
    (1, "only loads the measurements"),
    (3, "splits once, with a seed, as it should"),
    (4, "the workflow done right"),
    (5, "the validation set's job"),
    (6, "uses the test set once"),
    (7, "six lines"),
    ("2", "one line number"),
])
def test_10_4_names_the_slip_of_each_wrong_line(line, expected):
    status, message = nb10.q4.feedback(line, penguins_split()[1][0].mean(axis=0))
    assert status == "wrong" and expected in message


@pytest.mark.parametrize("statistics, expected", [
    (lambda X_p, train, val, test: X_p.mean(axis=0), "the leak itself"),
    (lambda X_p, train, val, test: np.vstack([train, val]).mean(axis=0), "only for the refit"),
    (lambda X_p, train, val, test: val.mean(axis=0), "come from the training rows"),
    (lambda X_p, train, val, test: train.mean(), "one mean per measurement"),
    (lambda X_p, train, val, test: train.std(axis=0), "fit the Standardizer on the training rows"),
])
def test_10_4_recognises_statistics_from_the_wrong_rows(statistics, expected):
    X_p, (train, val, test) = penguins_split()
    status, message = nb10.q4.feedback(2, statistics(X_p, train, val, test))
    assert status == "wrong" and expected in message
