"""Typical wrong answers to the exercises of notebooks 00 and 01 get specific feedback; their text states the rule."""
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest
from exercise_code import define, run

import nnlib
from nnlib.exercises import nb00, nb01
from nnlib.learner import my_library, store

X, y = nnlib.load_penguins()
x = X[:, 0]


def run_solution(exercise, **namespace):
    namespace = {"np": np, **namespace}
    exec(exercise.solution_code, namespace)
    return [namespace[name] for name in exercise.answers]


BEST_SLOPE, BEST_INTERCEPT = np.polyfit(x, y, 1)  # notebook 01's best_slope and best_intercept (section 5)


@pytest.mark.parametrize("exercise", [nb00.q1, nb00.q2, nb00.q3, nb01.q2, nb01.q3, nb01.q4])
def test_solution_is_correct_and_placeholder_is_unanswered(exercise):
    solved = run_solution(exercise, x=x, y=y, best_slope=BEST_SLOPE, best_intercept=BEST_INTERCEPT)
    assert exercise.feedback(*solved) == ("correct", "Correct!")
    placeholder = run_solution(type("E", (), {"solution_code": exercise.placeholder, "answers": exercise.answers}))
    assert exercise.feedback(*placeholder)[0] == "unanswered"
    assert exercise.check(*placeholder) is None


def feedback_on(code):
    """01.1's feedback on ``code`` written in a notebook cell (so that its pieces can be saved)."""
    namespace = define(code)
    return nb01.q1.feedback(namespace["predict_line"], namespace["mean_squared_error"])


def test_01_1_builds_two_pieces_saved_to_the_library_and_its_stubs_are_unanswered():
    assert feedback_on(nb01.q1.solution_code) == (
        "correct", "Correct! Saved to your library (my_nnlib): predict_line, mean_squared_error.")
    assert [store.read(piece)[0] for piece in ("predict_line", "mean_squared_error")] == ["passed", "passed"]
    mine = my_library(quiet=True)
    loss = mine.mean_squared_error(mine.predict_line(x, 40.0, -3500.0), y)
    assert loss == pytest.approx(np.mean((40 * x - 3500 - y) ** 2))
    status, message = feedback_on(nb01.q1.placeholder)
    assert status == "unanswered" and "predict_line, mean_squared_error" in message
    assert nb01.q1.check(*(define(nb01.q1.placeholder)[name] for name in nb01.q1.answers)) is None


SOLUTION_01_1 = nb01.q1.solution_code


@pytest.mark.parametrize("old, new, expected", [
    ("slope * x + intercept", "intercept * x + slope", "predict_line: you swapped slope and intercept"),
    ("slope * x + intercept", "slope * x", "predict_line: you left out the intercept"),
    ("slope * x + intercept", "slope * (x + intercept)", "predict_line: slope * (x + intercept) multiplies"),
    ("np.mean((y_hat - y) ** 2)", "np.sqrt(np.mean((y_hat - y) ** 2))", "ROOT mean squared error"),
    ("np.mean((y_hat - y) ** 2)", "np.sum((y_hat - y) ** 2)", "SUM of squared errors"),
    ("np.mean((y_hat - y) ** 2)", "np.mean(y_hat - y)", "forget to square"),
    ("np.mean((y_hat - y) ** 2)", "np.mean(np.abs(y_hat - y))", "mean ABSOLUTE error"),
    ("np.mean((y_hat - y) ** 2)", "np.mean(y_hat - y) ** 2", "square of the mean error"),
    ("np.mean((y_hat - y) ** 2)", "np.mean(y_hat - y ** 2)", "only y was squared"),
    ("np.mean((y_hat - y) ** 2)", "np.sum((y_hat - y) ** 2) / (len(y) - 1)", "you divided by n - 1"),
    ("np.mean((y_hat - y) ** 2)", "(y_hat - y) ** 2",
     "mean_squared_error(y_hat, y) holds 342 numbers (shape (342,)) but should be one: the loss is the mean"),
    ("np.mean((y_hat - y) ** 2)", "str(np.mean((y_hat - y) ** 2))", "mean_squared_error(y_hat, y) should be a number"),
])
def test_01_1_names_each_typical_slip_and_marks_the_pieces_failed(old, new, expected):
    assert old in SOLUTION_01_1
    status, message = feedback_on(SOLUTION_01_1.replace(old, new))
    assert status == "wrong" and expected in message, message
    assert all(store.read(piece)[0].startswith("failed") for piece in ("predict_line", "mean_squared_error"))


def test_01_1_a_slip_no_typical_one_explains_is_refused_by_the_pieces_own_check():
    status, message = feedback_on(SOLUTION_01_1.replace("np.mean((y_hat - y) ** 2)", "np.mean((y_hat - y) ** 2) + 1"))
    assert status == "wrong" and message.startswith("mean_squared_error: mean_squared_error(y_hat, y) differs from "
                                                    "nnlib's by")
    assert store.read("mean_squared_error")[0].startswith("failed") and store.read("predict_line")[0] == "passed"


def test_01_1_other_right_ways_are_accepted_and_saved():
    loops = SOLUTION_01_1.replace("return np.mean((y_hat - y) ** 2)",
                                  "total = 0.0\n    for a, b in zip(y_hat, y):\n        total += (a - b) ** 2\n"
                                  "    return total / len(y)")
    assert feedback_on(loops.replace("slope * x + intercept", "intercept + x * slope"))[0] == "correct"
    assert store.read("mean_squared_error")[0] == "passed"


LINE = '''
def predict_line(x, slope, intercept):
    y_hat = slope * x + intercept
    return y_hat
'''


@pytest.mark.parametrize("code, piece, words", [
    pytest.param(LINE + '''

def mean_squared_error(y_hat, y):
    total = 0
    for i in range(len(y)):
        total = total + (y_hat[i] - y[i]) ** 2
    return total
''', "mean_squared_error", ["SUM of squared errors", "divide by the number of penguins"],
        id="a loop that never divides"),
    pytest.param(LINE + '''

def mean_squared_error(y_hat, y):
    n = len(y)
    return np.sum((y - y_hat) ** 2) / (2 * n)
''', "mean_squared_error", ["HALF the mean squared error", "without the 1/2"], id="the 1/2 of other books"),
    pytest.param(LINE + '''

def mean_squared_error(y_hat, y):
    errors = y_hat - y
    return (np.sum(errors ** 2) / len(errors)) ** 0.5
''', "mean_squared_error", ["ROOT mean squared error", "without the square root"], id="a square root"),
    pytest.param('''
def predict_line(x, slope, intercept):
    return intercept * x + slope


def mean_squared_error(y_hat, y):
    return ((y_hat - y) ** 2).mean()
''', "predict_line", ["swapped slope and intercept", "the slope multiplies x"], id="slope and intercept swapped"),
    pytest.param(LINE + '''

def mean_squared_error(y_hat, y):
    difference = y_hat - y
    return np.mean(difference)
''', "mean_squared_error", ["forget to square the errors"], id="no square"),
])
def test_01_1_refuses_wrong_lines_and_losses_a_learner_writes(code, piece, words):
    """Wrong answers written as a learner types them (not the solution edited): each is refused with words that
    name its slip, and the wrong piece is marked failed, never saved for later notebooks."""
    status, message = feedback_on(code)
    assert status == "wrong" and all(word in message for word in words), message
    assert store.read(piece)[0].startswith("failed")


def test_00_1_names_each_wrong_item_with_a_reason():
    kinds = dict(run_solution(nb00.q1)[0], number_of_layers="parameter", bias="hyperparameter")
    status, message = nb00.q1.feedback(kinds)
    assert status == "wrong" and message.startswith("2 of 9 wrong")
    assert "decides how many weights exist" in message and "just like a weight, so it is a parameter" in message
    assert "multiplies nothing" not in message and "not a weight" not in message, "nnet keeps biases in wts"
    assert "use one of" in nb00.q1.feedback(dict(kinds, bias="weight"))[1]


def test_00_1_sorts_scikit_learns_names_the_text_never_shows_into_three_kinds():
    right = run_solution(nb00.q1)[0]
    assert (right["random_state"], right["tol"], right["n_iter_"]) == ("neither", "hyperparameter", "neither")
    status, message = nb00.q1.feedback(dict(right, random_state="hyperparameter", tol="neither", n_iter_="parameter"))
    assert status == "wrong" and message.startswith("3 of 9 wrong")
    assert "scikit-learn's name for the seed" in message and "fits noise" in message
    assert "a stopping rule set before training" in message and "a record of the run" in message
    before_the_exercises = markdown("00_start_here.ipynb").split("## 6. Exercises")[0]
    assert not any(name in before_the_exercises for name in ("random_state", "tol", "n_iter_"))


@pytest.mark.parametrize("answer, words", [
    (([4], "training", 0.1), "step 2 learned the mean and standard deviation from all 6,000 e-mails"),
    (([2, 4], "training", 0.1), "kept the luckiest seed"),
    (([2, 5], "training", 0.1), "step 4 chose the learning rate on the test set"),
    (([1, 2, 3, 4, 5], "training", 0.1), "step 1 is sound"),
    (([2, 3, 4, 5], "training", 0.1), "step 3 is sound"),
    ((4, "training", 0.1), "step 2"),
    (("2, 4, 5", "training", 0.1), "as a list"),
    (([2, 4, 5], "all", 0.1), "on the training set only"),
    (([2, 4, 5], "validation", 0.1), "on the training set only"),
    (([2, 4, 5], "training", 0.3), "the colleague's choice, the best on the TEST set"),
    (([2, 4, 5], "training", 1.0), "the best on the TRAINING set"),
    (([2, 4, 5], "training", 0.01), "higher validation accuracy"),
    (([2, 4, 5], "training", 0.5), "pick one of the rates in the table"),
])
def test_00_3_names_the_slip_in_each_wrong_reading_of_the_colleagues_report(answer, words):
    status, message = nb00.q3.feedback(*answer)
    assert status == "wrong" and words in message, message


def test_00_3_takes_the_steps_in_any_order_and_computes_the_rate_from_the_table():
    for steps in ([5, 4, 2], (2, 4, 5), {2, 4, 5}):
        assert nb00.q3.feedback(steps, "training", 0.1) == ("correct", "Correct!")
    runs = nb00.SPAM_RUNS
    assert max(runs, key=lambda rate: runs[rate][1]) == 0.1, "the best validation accuracy"
    assert max(runs, key=lambda rate: runs[rate][2]) == 0.3 and runs[0.3][2] == 97.0, "the report's step 4"
    assert max(runs, key=lambda rate: runs[rate][0]) == 1.0, "training prefers yet another rate"


def test_00_3_the_notebooks_table_is_the_checkers():
    text = markdown("00_start_here.ipynb").split("**Exercise 00.3")[1]
    rows = re.findall(r"^\| ([\d.]+) \| ([\d.]+) % \| ([\d.]+) % \| ([\d.]+) % \|$", text, flags=re.MULTILINE)
    assert {float(rate): tuple(map(float, accuracies)) for rate, *accuracies in rows} == nb00.SPAM_RUNS
    assert "4. Keep the learning rate whose network has the best test accuracy: 0.3, with 97.0 %." in text


def test_00_2_catches_the_swapped_stages_and_tuning_on_test():
    assert "swapped" in nb00.q2.feedback("validation", "training", "test")[1]
    assert "optimistic" in nb00.q2.feedback("training", "test", "validation")[1]
    assert "one of 'training'" in nb00.q2.feedback("train", "validation", "test")[1]


def test_01_2_recognises_common_least_squares_mistakes():
    slope = np.sum((x - x.mean()) * (y - y.mean())) / np.sum((x - x.mean()) ** 2)
    assert "without subtracting their means" in nb01.q2.feedback(np.sum(x * y) / np.sum(x * x), 0)[1]
    assert "the slope is right" in nb01.q2.feedback(slope, y.mean())[1]
    assert "upside down" in nb01.q2.feedback(1 / slope, 0)[1]
    assert "spread of x" in nb01.q2.feedback(
        np.sum((x - x.mean()) * (y - y.mean())) / np.sum((y - y.mean()) ** 2), 0)[1]


def test_01_3_explains_why_coef_is_learned():
    status, message = nb01.q3.feedback({"coef_": "hyperparameter", "intercept_": "parameter",
                                        "learning_rate": "hyperparameter", "epochs": "hyperparameter",
                                        "seed": "neither", "history_": "neither"})
    assert status == "wrong" and "ends in an underscore" in message


def test_01_3_offers_neither_for_the_seed_and_a_record_that_ends_in_an_underscore():
    """A learner who sorts by "passed to the constructor" and "ends in _" is told why each is neither."""
    right = run_solution(nb01.q3)[0]
    assert "neither" in nb01.q3.placeholder and right["seed"] == right["history_"] == "neither"
    status, message = nb01.q3.feedback(dict(right, seed="hyperparameter", history_="parameter"))
    assert status == "wrong" and message.startswith("2 of 6 wrong")
    assert "fit noise" in message and "setting of the experiment" in message
    assert "a record of the run, not a value of the line" in message


@pytest.mark.parametrize("code, words", [
    ("slope_kg_per_cm = best_slope * 10\nintercept_kg = best_intercept", "the mass is still in grams"),
    ("slope_kg_per_cm = best_slope / 1000\nintercept_kg = best_intercept / 1000", "left the length in millimetres"),
    ("slope_kg_per_cm = best_slope / 10 / 1000\nintercept_kg = best_intercept / 1000", "you divided by 10"),
    ("slope_kg_per_cm = best_slope * 10 * 1000\nintercept_kg = best_intercept / 1000", "you multiplied by 1000"),
    ("slope_kg_per_cm = best_slope * 10 / 1000\nintercept_kg = best_intercept * 10 / 1000", "0 cm is 0 mm"),
    ("slope_kg_per_cm = best_slope * 0.01\nintercept_kg = best_intercept", "intercept_kg: the mass is still in grams"),
    ("slope_kg_per_cm = 0.5\nintercept_kg = -5.8", "expected a number in kg per cm"),
])
def test_01_4_names_the_wrong_unit_factor_a_learner_writes(code, words):
    namespace = run(code, best_slope=BEST_SLOPE, best_intercept=BEST_INTERCEPT)
    status, message = nb01.q4.feedback(namespace["slope_kg_per_cm"], namespace["intercept_kg"])
    assert status == "wrong" and words in message, message


def test_01_4_is_checked_against_least_squares_refitted_in_cm_and_kg_and_accepts_rounded_answers():
    slope, intercept = np.polyfit(x / 10, y / 1000, 1)
    assert nb01.q4.feedback(slope, intercept) == ("correct", "Correct!")
    assert nb01.q4.feedback(0.497, -5.78) == ("correct", "Correct!"), "three digits, as a learner reads them off"
    assert nb01.q4.feedback(0.52, -5.78)[0] == "wrong", "5 % off is not a rounding"
    assert nb01.q4.feedback("0.497", -5.78) == ("wrong", "slope_kg_per_cm should be a number; yours is '0.497'.")


def test_check_prints_feedback_and_strict_mode_raises(capsys, monkeypatch):
    assert nb01.q2.check(1.0e9, 0) is False
    assert "\u274c Exercise 01.2: expected a slope of about" in capsys.readouterr().out
    monkeypatch.setenv("NNLIB_STRICT_CHECKS", "1")
    with pytest.raises(AssertionError, match="Exercise 01.2"):
        nb01.q2.check(1.0e9, 0)


def test_hints_come_one_at_a_time_and_solution_prints_code(capsys):
    nb01.q2.hint()
    nb01.q2.hint()
    nb01.q2.hint()
    out = capsys.readouterr().out
    assert out.count("Hint 1 of 2") == 1 and out.count("Hint 2 of 2") == 2
    nb01.q2.solution()
    assert "intercept = y.mean() - slope * x.mean()" in capsys.readouterr().out


def test_01_2_names_an_answer_that_is_not_one_number():
    assert nb01.q2.feedback("fifty", "minus five thousand") == ("wrong", "slope should be a number; yours is 'fifty'.")
    products = (x - x.mean()) * (y - y.mean()) / np.sum((x - x.mean()) ** 2)
    status, message = nb01.q2.feedback(products, 0)
    assert status == "wrong" and message.startswith("slope holds 342 numbers") and "np.sum" in message
    assert "could not be checked" not in nb01.q2.feedback(49.7, [1, 2])[1]


NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def markdown(name):
    cells = nbformat.read(NOTEBOOKS / name, as_version=4).cells
    return "\n".join(cell.source for cell in cells if cell.cell_type == "markdown")


def test_00_states_rule_1_as_the_course_does_without_a_predict_clause():
    text = markdown("00_start_here.ipynb")
    assert "1. **Does training compute it from the training data?** Then it is **learned**." in text
    assert "when it predicts" not in text.split("**Naming traps.**")[0].split("Three consequences.")[0]
    assert "3. **Otherwise it is neither: a setting of the experiment or of the computation.**" in text


def test_00_maps_r_nnet_and_links_notebook_12_where_the_line_blurs():
    text = markdown("00_start_here.ipynb")
    assert "| in R's `nnet` | `fit$wts`: every weight and bias, in one vector | the arguments `size`, `decay`, " \
           "`maxit`, `rang` |" in text
    assert "`set.seed(...)`, called before `nnet(...)`, is\n**neither**" in text
    link = re.search(r"\]\((12_r_nnet_and_l2_scale\.ipynb)#([^)]+)\)", text)
    assert link, "00 links notebook 12's section on where the line blurs"
    headings = [line.lstrip("#").strip() for line in markdown(link.group(1)).splitlines() if line.startswith("## ")]
    assert link.group(2) in [heading.replace(" ", "-") for heading in headings], "the anchor JupyterLab gives §4"
    assert link.group(2) == "4.-Where-the-line-blurs"


def test_00_and_05_say_what_a_parameter_is_not_that_a_bias_multiplies_nothing():
    for name in ("00_start_here.ipynb", "01_parameters_of_a_line.ipynb", "05_a_single_neuron.ipynb"):
        text = markdown(name)
        assert "multiplies nothing" not in text and "but it is not a weight" not in text, name
        assert "family" in text, f"{name}: a parameter picks one model out of a family"
    assert "dual coefficient" in markdown("00_start_here.ipynb") and "`wts`" in markdown("05_a_single_neuron.ipynb")


def test_01_box_quotes_what_section_6_learned_on_the_standardised_feature():
    scaler = nnlib.Standardizer().fit(X)
    model = nnlib.LinearRegression(learning_rate=0.1, epochs=300).fit(scaler.transform(X), y)
    assert (round(model.coef_[0], 1), round(model.intercept_, 1)) == (697.6, 4201.8)
    box = markdown("01_parameters_of_a_line.ipynb").split("### What was a parameter here")[1]
    learned, hyper, neither = box.split("\n")[4].strip("| ").split(" | ")
    assert "`coef_` ≈ 697.6 g per SD" in learned and "`intercept_` ≈ 4201.8 g" in learned
    assert "49.7 g/mm" in learned and "−5781 g" in learned, "and what they are in millimetres"
    assert "the training loss, the mean squared error" in hyper and "metric" not in neither
