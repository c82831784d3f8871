"""Exercises of notebook 02: every solution passes, typical mistakes get their specific feedback; its text
states what its cells compute."""
from pathlib import Path

import nbformat
import numpy as np
import pytest
from exercise_code import define

import nnlib
from nnlib.exercises import nb02
from nnlib.exercises.framework import exercises_in
from nnlib.exercises.pieces import SOLUTIONS
from nnlib.learner import store
from nnlib.line import line_loss


@pytest.fixture(scope="module")
def namespace():
    """The notebook's variables at the exercises: x, y, mean_mm, sd_mm, slope_scaled, intercept_scaled."""
    X, y = nnlib.load_penguins()
    x = X[:, 0]
    mean_mm, sd_mm = x.mean(), x.std()
    model = nnlib.LinearRegression(learning_rate=0.1, epochs=100).fit(((x - mean_mm) / sd_mm).reshape(-1, 1), y)
    x_new, y_new = nb02._new_data()
    return {"np": np, "x": x, "y": y, "mean_mm": mean_mm, "sd_mm": sd_mm, "x_new": x_new, "y_new": y_new,
            "slope_scaled": model.coef_[0], "intercept_scaled": model.intercept_}


@pytest.mark.parametrize("exercise", [nb02.q3, nb02.q4, nb02.q5], ids=lambda q: q.id)
def test_solution_passes(exercise, namespace):
    scope = dict(namespace)
    exec(exercise.solution_code, scope)
    assert exercise.feedback(*(scope[name] for name in exercise.answers)) == ("correct", "Correct!")


@pytest.mark.parametrize("exercise", [nb02.q1, nb02.q2, nb02.q3, nb02.q4, nb02.q5], ids=lambda q: q.id)
def test_placeholder_is_unanswered(exercise, namespace):
    scope = dict(namespace)
    exec(exercise.placeholder, scope)
    status, message = exercise.feedback(*(scope[name] for name in exercise.answers))
    assert status == "unanswered" and "Not answered" in message


def feedback(exercise, *answers):
    status, message = exercise.feedback(*answers)
    assert status == "wrong"
    return message


def piece_feedback(exercise, code):
    """The exercise's feedback on ``code`` written in a notebook cell (so that its pieces can be saved)."""
    namespace = define(code)
    return exercise.feedback(*(namespace[name] for name in exercise.answers))


@pytest.mark.parametrize("exercise", [nb02.q1, nb02.q2], ids=lambda q: q.id)
def test_the_pieces_solutions_pass_and_are_saved_to_the_library(exercise):
    pieces = list(exercise.pieces.values())
    assert piece_feedback(exercise, exercise.solution_code) == (
        "correct", f"Correct! Saved to your library (my_nnlib): {', '.join(pieces)}.")
    assert [store.read(piece)[0] for piece in pieces] == ["passed"] * len(pieces)


def test_the_gradients_reference_is_nnlibs_and_finite_differences_agree(namespace):
    x, y = namespace["x"], namespace["y"]
    line_gradient = define(SOLUTIONS["line_gradient"])["line_gradient"]
    h = 1e-3
    numeric = [(line_loss(x, y, 40 + h, -3000) - line_loss(x, y, 40 - h, -3000)) / (2 * h),
               (line_loss(x, y, 40, -3000 + h) - line_loss(x, y, 40, -3000 - h)) / (2 * h)]
    np.testing.assert_allclose(line_gradient(x, y, 40.0, -3000.0), numeric, rtol=1e-6)
    np.testing.assert_allclose(line_gradient(x, y, 40.0, -3000.0), nnlib.line.line_gradient(x, y, 40.0, -3000.0),
                               rtol=1e-12)


GRADIENT = nb02.q1.solution_code


@pytest.mark.parametrize("old, new, expected", [
    ("return 2 * np.mean(error * x), 2 * np.mean(error)", "return 2 * np.mean(error), 2 * np.mean(error * x)",
     "The two derivatives are swapped"),
    ("error = slope * x + intercept - y", "error = y - (slope * x + intercept)", "wrong sign"),
    ("return 2 * np.mean(error * x), 2 * np.mean(error)", "return np.mean(error * x), np.mean(error)", "factor 2"),
    ("return 2 * np.mean(error * x), 2 * np.mean(error)", "return 2 * np.sum(error * x), 2 * np.sum(error)",
     "342 times too large: use the mean over the 342 penguins (np.mean), not the sum"),
    ("2 * np.mean(error)", "2 * np.mean(error * x) / 200",
     "dslope is right; dintercept is not. It is 2 * np.mean(error)"),
    ("2 * np.mean(error * x),", "2 * np.mean(error * x * x),", "dintercept is right; dslope is not"),
    ("return 2 * np.mean(error * x), 2 * np.mean(error)", "return 2 * error * x, 2 * np.mean(error)",
     "dslope holds 342 numbers (shape (342,)) but should be one: each derivative is a mean over the penguins"),
    ("return 2 * np.mean(error * x), 2 * np.mean(error)", "return 2 * np.mean(error * x)",
     "line_gradient should return two numbers"),
])
def test_02_1_names_each_typical_gradient_slip_and_marks_the_piece_failed(old, new, expected):
    assert old in GRADIENT
    status, message = piece_feedback(nb02.q1, GRADIENT.replace(old, new))
    assert status == "wrong" and expected in message, message
    assert store.read("line_gradient")[0].startswith("failed")


def test_02_1_a_gradient_right_only_on_the_penguins_is_refused_by_the_pieces_check():
    """The exercise's checker tries the penguins; the piece's own check tries data of its own, and finite
    differences."""
    code = GRADIENT.replace("return 2 * np.mean(error * x), 2 * np.mean(error)",
                            "return 2 * np.mean(error * x), 2 * np.mean(error) if len(x) == 342 else 0.0")
    status, message = piece_feedback(nb02.q1, code)
    assert status == "wrong" and message.startswith("line_gradient: (dslope, dintercept) differs from nnlib's by")


STEP_AND_LOOP = nb02.q2.solution_code


@pytest.mark.parametrize("old, new, expected", [
    ("return slope - learning_rate * dslope, intercept - learning_rate * dintercept",
     "return slope + learning_rate * dslope, intercept + learning_rate * dintercept", "your step goes uphill"),
    ("return slope - learning_rate * dslope, intercept - learning_rate * dintercept",
     "return slope - learning_rate * dintercept, intercept - learning_rate * dslope",
     "each parameter moves against its own derivative"),
    ("return slope - learning_rate * dslope, intercept - learning_rate * dintercept",
     "return slope - dslope, intercept - dintercept", "multiply each derivative by learning_rate"),
    ("        dslope, dintercept = gradient(x, y, slope, intercept)  # both derivatives at the same point,\n"
     "        slope, intercept = step(slope, intercept, dslope, dintercept, learning_rate)  # then move both\n",
     "        dslope = gradient(x, y, slope, intercept)[0]\n"
     "        slope = step(slope, intercept, dslope, 0.0, learning_rate)[0]\n"
     "        dintercept = gradient(x, y, slope, intercept)[1]\n"
     "        intercept = step(slope, intercept, 0.0, dintercept, learning_rate)[1]\n",
     "gradient_descent: you moved the slope before computing the intercept's derivative"),
    ("    for epoch in range(epochs):\n", "    for epoch in range(epochs):\n        slope, intercept = 0.0, 0.0\n",
     "gradient_descent: every epoch started again from (0, 0)"),
    ("        slope, intercept = step(slope, intercept, dslope, dintercept, learning_rate)  # then move both\n"
     "        path.append((slope, intercept))\n",
     "        path.append((slope, intercept))\n"
     "        slope, intercept = step(slope, intercept, dslope, dintercept, learning_rate)\n",
     "gradient_descent: you recorded each point before its step"),
    ("    path = [(slope, intercept)]\n", "    path = []\n",
     "the path gradient_descent returned (the start, then one row per step) should have shape (4, 2), but yours has "
     "shape (3, 2). Start at slope = intercept = 0 and keep it as the first row"),
])
def test_02_2_names_each_typical_step_and_loop_slip_and_marks_the_pieces_failed(old, new, expected):
    assert old in STEP_AND_LOOP
    status, message = piece_feedback(nb02.q2, STEP_AND_LOOP.replace(old, new))
    assert status == "wrong" and expected in message, message
    assert store.read("gradient_descent")[0].startswith("failed")


@pytest.mark.parametrize("code, words", [
    pytest.param('''
def line_gradient(x, y, slope, intercept):
    residual = y - (slope * x + intercept)
    dslope = 2 * np.mean(residual * x)
    dintercept = 2 * np.mean(residual)
    return dslope, dintercept
''', ["wrong sign", "prediction minus target"], id="target minus prediction"),
    pytest.param('''
def line_gradient(x, y, slope, intercept):
    dslope = 0.0
    dintercept = 0.0
    for xi, yi in zip(x, y):
        error = slope * xi + intercept - yi
        dslope += 2 * error * xi
        dintercept += 2 * error
    return dslope, dintercept
''', ["342 times too large", "not the sum"], id="a loop that sums"),
    pytest.param('''
def line_gradient(x, y, slope, intercept):
    y_hat = slope * x + intercept
    return ((y_hat - y) * x).mean(), (y_hat - y).mean()
''', ["forget the factor 2"], id="no factor 2"),
    pytest.param('''
def line_gradient(x, y, slope, intercept):
    error = slope * x + intercept - y
    dslope = 2 * np.mean(error) * np.mean(x)
    dintercept = 2 * np.mean(error)
    return dslope, dintercept
''', ["dslope is not", "2 * np.mean(error * x)"], id="the mean of x taken apart"),
    pytest.param('''
def line_gradient(x, y, slope, intercept):
    n = len(x)
    error = slope * x + intercept - y
    return 2 / n * np.sum(error * x), 2 / n * np.sum(error) * x
''', ["dintercept holds 342 numbers", "np.mean"], id="an x too many"),
])
def test_02_1_refuses_wrong_gradients_a_learner_writes(code, words):
    """Wrong answers written as a learner types them (not the solution edited): each is refused with words that
    name its slip, and the piece is marked failed, never saved for later notebooks."""
    status, message = piece_feedback(nb02.q1, code)
    assert status == "wrong" and all(word in message for word in words), message
    assert store.read("line_gradient")[0].startswith("failed")


STEP = '''
def descent_step(slope, intercept, dslope, dintercept, learning_rate):
    new_slope = slope - learning_rate * dslope
    new_intercept = intercept - learning_rate * dintercept
    return new_slope, new_intercept
'''
LOOP = '''

def gradient_descent(x, y, learning_rate, epochs, gradient, step):
    slope = 0.0
    intercept = 0.0
    path = [[slope, intercept]]
    for i in range(epochs):
        ds, di = gradient(x, y, slope, intercept)
        slope, intercept = step(slope, intercept, ds, di, learning_rate)
        path.append([slope, intercept])
    return np.array(path)
'''


@pytest.mark.parametrize("code, piece, words", [
    pytest.param('''
def descent_step(slope, intercept, dslope, dintercept, learning_rate):
    slope += learning_rate * dslope
    intercept += learning_rate * dintercept
    return slope, intercept
''' + LOOP, "descent_step", ["your step goes uphill"], id="uphill"),
    pytest.param('''
def descent_step(slope, intercept, dslope, dintercept, learning_rate):
    return -learning_rate * dslope, -learning_rate * dintercept
''' + LOOP, "descent_step", ["you returned the change", "slope - learning_rate * dslope"], id="the change returned"),
    pytest.param('''
def descent_step(slope, intercept, dslope, dintercept, learning_rate):
    return slope - 0.1 * dslope, intercept - 0.1 * dintercept
''' + LOOP, "descent_step", ["the same whatever learning_rate it is given", "the argument learning_rate"],
        id="a rate of its own"),
    pytest.param('''
def descent_step(slope, intercept, dslope, dintercept, learning_rate):
    return slope - learning_rate * dslope, intercept - learning_rate * dslope
''' + LOOP, "descent_step", ["the intercept moved with dslope", "intercept - learning_rate * dintercept"],
        id="a copied line"),
    pytest.param(STEP + '''

def gradient_descent(x, y, learning_rate, epochs, gradient, step):
    slope, intercept = 0, 0
    path = [(slope, intercept)]
    for epoch in range(1, epochs):
        dslope, dintercept = gradient(x, y, slope, intercept)
        slope, intercept = step(slope, intercept, dslope, dintercept, learning_rate)
        path.append((slope, intercept))
    return np.array(path)
''', "gradient_descent", ["should have shape (4, 2), but yours has shape (3, 2)", "one step, one more row"],
        id="an epoch short"),
    pytest.param(STEP + '''

def gradient_descent(x, y, learning_rate, epochs, gradient, step):
    slope, intercept = 0.0, 0.0
    path = [(slope, intercept)]
    for epoch in range(epochs):
        dslope, _ = gradient(x, y, slope, intercept)
        slope = slope - learning_rate * dslope
        _, dintercept = gradient(x, y, slope, intercept)
        intercept = intercept - learning_rate * dintercept
        path.append((slope, intercept))
    return np.array(path)
''', "gradient_descent", ["you moved the slope before computing the intercept's derivative"], id="one after the other"),
    pytest.param(SOLUTIONS["line_gradient"] + "\n\n" + STEP + '''

def gradient_descent(x, y, learning_rate, epochs, gradient, step):
    slope, intercept = 0.0, 0.0
    path = [(slope, intercept)]
    for epoch in range(epochs):
        dslope, dintercept = line_gradient(x, y, slope, intercept)
        slope, intercept = descent_step(slope, intercept, dslope, dintercept, learning_rate)
        path.append((slope, intercept))
    return np.array(path)
''', "gradient_descent", ["should call gradient(x, y, slope, intercept)", "yours called gradient 0 and step 0 times"],
        id="its own functions, not the arguments"),
    pytest.param(STEP + LOOP.replace("ds, di, learning_rate)", "ds, di, 0.1)"), "gradient_descent",
                 ["handed step the learning rate 0.1, not the learning_rate it was given"], id="a rate typed in"),
])
def test_02_2_refuses_wrong_steps_and_loops_a_learner_writes(code, piece, words):
    """Wrong answers written as a learner types them (not the solution edited): each is refused with words that
    name its slip, and the wrong piece is marked failed, never saved for later notebooks."""
    status, message = piece_feedback(nb02.q2, code)
    assert status == "wrong" and all(word in message for word in words), message
    assert store.read(piece)[0].startswith("failed")


def test_prediction_mistakes(namespace):
    ns = namespace
    w, b, mean, sd = ns["slope_scaled"], ns["intercept_scaled"], ns["mean_mm"], ns["sd_mm"]
    assert "Standardise it first" in feedback(nb02.q3, w * 210 + b)
    assert "divide by the standard deviation" in feedback(nb02.q3, w * (210 - mean) + b)
    assert "subtract the mean" in feedback(nb02.q3, w * 210 / sd + b)
    assert "plausible penguin" in feedback(nb02.q3, 4200.0)
    assert feedback(nb02.q3, 4653.0 + 50) is not None
    assert feedback(nb02.q3, w * (np.array([200.0, 210.0]) - mean) / sd + b).startswith("mass_210 holds 2 numbers")
    assert nb02.q3.feedback(49.685566 * 210 - 5780.8314)[0] == "correct"


def test_the_limit_is_1_and_the_path_bounces_there():
    assert nb02.q4.feedback(1.0, "bounces") == ("correct", "Correct!")
    assert nb02.q4.feedback(1, "bounces") == ("correct", "Correct!")
    assert "ends at (0, 0), where it started" in feedback(nb02.q4, 1.0, "converges")
    assert "never grows" in feedback(nb02.q4, 1.0, "diverges")
    assert "one of 'converges'" in feedback(nb02.q4, 1.0, "oscillates")


def test_learning_rate_mistakes():
    assert "no largest rate that converges" in feedback(nb02.q4, 0.99, "bounces")
    assert "no largest rate that converges" in feedback(nb02.q4, 0.79, "converges")
    assert "one step lands exactly" in feedback(nb02.q4, 0.5, "bounces")
    assert "diverges" in feedback(nb02.q4, 1.1, "bounces")
    assert "diverges quickly" in feedback(nb02.q4, 2.0, "bounces")
    assert "raw feature" in feedback(nb02.q4, 2e-5, "bounces")
    assert "limit should be a number" in feedback(nb02.q4, "one", "bounces")


def test_the_claimed_limit_is_true(namespace):
    """Just below 1 converges, just above diverges: what the checker of 02.3 asserts."""
    x = (namespace["x"] - namespace["mean_mm"]) / namespace["sd_mm"]
    y = namespace["y"]
    below = nnlib.LinearRegression(learning_rate=0.98, epochs=2000).fit(x.reshape(-1, 1), y)
    assert not below.history_.diverged and below.coef_[0] == pytest.approx(namespace["slope_scaled"], rel=1e-6)
    with pytest.warns(nnlib.DivergenceWarning):
        above = nnlib.LinearRegression(learning_rate=1.02, epochs=2000).fit(x.reshape(-1, 1), y)
    assert above.history_.diverged
    at_the_limit = nnlib.LinearRegression(learning_rate=1.0, epochs=2000).fit(x.reshape(-1, 1), y)
    assert not at_the_limit.history_.diverged, "at exactly 1 the loss never grows"
    assert abs(at_the_limit.coef_[0]) < 1e-6 and abs(at_the_limit.intercept_) < 1e-6, "back where it started"
    assert at_the_limit.history_.loss[-1] == pytest.approx(at_the_limit.history_.loss[0], rel=1e-9)


NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def markdown_02():
    path = NOTEBOOKS / "02_gradient_descent.ipynb"
    return "\n".join(cell.source for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == "markdown")


def test_02_states_the_valley_as_a_ratio_of_curvatures(namespace):
    x = namespace["x"]
    flat, steep = np.linalg.eigvalsh(2 * np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]]))
    assert f"{steep / flat / 1e6:.2f}" == "8.35"
    text = markdown_02()
    assert "The curvature across the valley is 8.35 million times the curvature along it" in text
    assert "8 million times steeper" not in text


def test_02_gives_the_sign_of_the_gradient_it_computes():
    text = markdown_02()
    assert "both derivatives are positive, so lowering either parameter lowers the loss" in text
    assert "derivatives are negative" not in text


def test_02_summary_quotes_the_window_that_section_9_prints():
    summary = markdown_02().split("## Summary")[1]
    assert "every rate from about 0.06 to just below 1 reaches the minimum within 100 epochs" in summary
    assert "every rate below 1 converges" in summary and "0.1 to 1" not in summary
    assert "largest learning rate that still converges" not in markdown_02().lower()


def test_02_fits_one_sitting_keeping_the_pieces_and_the_scans_asserted_result():
    """About an hour: the sorting exercise went (03.4 sorts names the same way) and section 9's scan is one cell,
    which still asserts the window the text quotes; the course map says so."""
    assert [exercise.id for exercise in exercises_in(nb02)] == ["02.1", "02.2", "02.3", "02.4", "02.5"]
    assert list(nb02.q1.pieces.values()) + list(nb02.q2.pieces.values()) == [
        "line_gradient", "descent_step", "gradient_descent"]
    cells = nbformat.read(NOTEBOOKS / "02_gradient_descent.ipynb", as_version=4).cells
    start = next(i for i, cell in enumerate(cells) if cell.source.startswith("## 9. "))
    section_9 = cells[start:next(i for i, cell in enumerate(cells) if cell.source.startswith("### Exercise 02.5"))]
    (scan,) = [cell.source for cell in section_9 if cell.cell_type == "code"]
    assert "0.05 < works.min() < 0.08 and 0.9 < works.max() < 1" in scan and "survives.max() < 2.5e-5" in scan
    assert "every rate from about 0.06 to just below 1 reaches it" in section_9[-1].source
    course_map = "".join(cell.source for cell in nbformat.read(NOTEBOOKS / "00_start_here.ipynb", as_version=4).cells)
    row = next(line for line in course_map.splitlines() if line.startswith("| 02 | gradient descent |"))
    assert row.endswith("| 1 h |"), row


def test_02_5_the_notebook_makes_the_data_the_checker_trains_on():
    cells = nbformat.read(NOTEBOOKS / "02_gradient_descent.ipynb", as_version=4).cells
    (code,) = [cell.source for cell in cells if cell.source.startswith("rng = np.random.default_rng(2)")]
    scope = {"np": np}
    exec(code, scope)
    for made, checked in zip((scope["x_new"], scope["y_new"]), nb02._new_data()):
        np.testing.assert_array_equal(made, checked)


def test_02_5_accepts_the_rates_the_curvature_allows_and_refuses_the_rest():
    """Computed, not quoted: the limit is 2 / steepest curvature of x_new; half of it and nearly all of it reach 1%."""
    x, y = nb02._new_data()
    flat, steep = np.linalg.eigvalsh(2 * np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]]))
    for rate in (1 / steep, 2 / (steep + flat), 0.95 * 2 / steep):
        assert nb02.q5.feedback(rate) == ("correct", "Correct!"), rate
    assert "bounces" in feedback(nb02.q5, 2 / steep)
    assert "diverges on x_new" in feedback(nb02.q5, 1.01 * 2 / steep)
    assert "2 / flat is the limit along the valley floor" in feedback(nb02.q5, 2 / flat)


def test_02_5_names_the_slip_of_a_rate_reused_from_the_penguins():
    assert "it was the limit for the standardised penguins" in feedback(nb02.q5, 1.0)
    assert "it suited the standardised penguins" in feedback(nb02.q5, 0.1)
    assert "too slow on x_new: it suited flipper lengths in millimetres" in feedback(nb02.q5, 2e-5)
    assert "too slow" in feedback(nb02.q5, 0.01) and "take a larger rate" in feedback(nb02.q5, 0.01)
    x = nb02._new_data()[0]
    steep = np.linalg.eigvalsh(2 * np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]]))[-1]
    assert "zig-zag across the valley" in feedback(nb02.q5, 0.99 * 2 / steep)
    assert "a learning rate is positive" in feedback(nb02.q5, -0.05)
    assert "should be a number" in feedback(nb02.q5, "0.05")


def test_02_5_quotes_the_millimetre_curvature_it_names(namespace):
    x = namespace["x"]
    steep = np.linalg.eigvalsh(2 * np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]]))[-1]
    assert 75_000 < steep < 85_000 and "about 80,000" in nb02.SEEN_RATES[2e-5]
