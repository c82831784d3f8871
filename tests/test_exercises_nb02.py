"""Exercises of notebook 02: every solution passes, typical mistakes get their specific feedback; its text
states what its cells compute."""
from pathlib import Path

import nbformat
import numpy as np
import pytest

import nnlib
from nnlib.exercises import nb02


@pytest.fixture(scope="module")
def namespace():
    """The notebook's variables at the exercises: x, y, mean_mm, sd_mm, slope_scaled, intercept_scaled."""
    X, y = nnlib.load_penguins()
    x = X[:, 0]
    mean_mm, sd_mm = x.mean(), x.std()
    model = nnlib.LinearRegression(learning_rate=0.1, epochs=100).fit(((x - mean_mm) / sd_mm).reshape(-1, 1), y)
    return {"np": np, "x": x, "y": y, "mean_mm": mean_mm, "sd_mm": sd_mm,
            "slope_scaled": model.coef_[0], "intercept_scaled": model.intercept_}


@pytest.mark.parametrize("exercise", [nb02.q1, nb02.q2, nb02.q3, nb02.q4], ids=lambda q: q.id)
def test_solution_passes(exercise, namespace):
    scope = dict(namespace)
    exec(exercise.solution_code, scope)
    assert exercise.feedback(*(scope[name] for name in exercise.answers)) == ("correct", "Correct!")


@pytest.mark.parametrize("exercise", [nb02.q1, nb02.q2, nb02.q3, nb02.q4], ids=lambda q: q.id)
def test_placeholder_is_unanswered(exercise, namespace):
    scope = dict(namespace)
    exec(exercise.placeholder, scope)
    status, message = exercise.feedback(*(scope[name] for name in exercise.answers))
    assert status == "unanswered" and "Not answered" in message


def feedback(exercise, *answers):
    status, message = exercise.feedback(*answers)
    assert status == "wrong"
    return message


def test_gradient_mistakes(namespace):
    x, y = namespace["x"], namespace["y"]
    error = 40.0 * x - 3000.0 - y
    g_w, g_b = 2 * np.mean(error * x), 2 * np.mean(error)
    # finite differences confirm the expected answer independently
    h = 1e-3

    def mse(w, b):
        return np.mean((w * x + b - y) ** 2)

    assert abs((mse(40 + h, -3000) - mse(40 - h, -3000)) / (2 * h) - g_w) < 1e-4 * abs(g_w)
    assert "factor 2" in feedback(nb02.q1, g_w / 2, g_b / 2)
    assert "wrong sign" in feedback(nb02.q1, -g_w, -g_b)
    assert "swapped" in feedback(nb02.q1, g_b, g_w)
    assert "mean" in feedback(nb02.q1, g_w * len(x), g_b * len(x))
    assert "grad_slope is right" in feedback(nb02.q1, g_w, g_b + 100)
    assert feedback(nb02.q1, 2 * error * x, g_b).startswith("grad_slope holds 342 numbers")
    assert "np.mean" in feedback(nb02.q1, g_w, 2 * error)


def test_the_hint_gives_the_sign_the_gradient_really_has(namespace):
    x, y = namespace["x"], namespace["y"]
    error = 40.0 * x - 3000.0 - y
    assert 2 * np.mean(error * x) > 0 and 2 * np.mean(error) > 0, "the line at (40, -3000) lies above the penguins"
    assert "positive" in nb02.q1.hints[-1] and "too high" in nb02.q1.hints[-1] and "negative" not in nb02.q1.hints[-1]


def test_prediction_mistakes(namespace):
    ns = namespace
    w, b, mean, sd = ns["slope_scaled"], ns["intercept_scaled"], ns["mean_mm"], ns["sd_mm"]
    assert "Standardise it first" in feedback(nb02.q2, w * 210 + b)
    assert "divide by the standard deviation" in feedback(nb02.q2, w * (210 - mean) + b)
    assert "subtract the mean" in feedback(nb02.q2, w * 210 / sd + b)
    assert "plausible penguin" in feedback(nb02.q2, 4200.0)
    assert feedback(nb02.q2, 4653.0 + 50) is not None
    assert feedback(nb02.q2, w * (np.array([200.0, 210.0]) - mean) / sd + b).startswith("mass_210 holds 2 numbers")
    assert nb02.q2.feedback(49.685566 * 210 - 5780.8314)[0] == "correct"


def test_the_limit_is_1_and_the_path_bounces_there():
    assert nb02.q3.feedback(1.0, "bounces") == ("correct", "Correct!")
    assert nb02.q3.feedback(1, "bounces") == ("correct", "Correct!")
    assert "ends at (0, 0), where it started" in feedback(nb02.q3, 1.0, "converges")
    assert "never grows" in feedback(nb02.q3, 1.0, "diverges")
    assert "one of 'converges'" in feedback(nb02.q3, 1.0, "oscillates")


def test_learning_rate_mistakes():
    assert "no largest rate that converges" in feedback(nb02.q3, 0.99, "bounces")
    assert "no largest rate that converges" in feedback(nb02.q3, 0.79, "converges")
    assert "one step lands exactly" in feedback(nb02.q3, 0.5, "bounces")
    assert "diverges" in feedback(nb02.q3, 1.1, "bounces")
    assert "diverges quickly" in feedback(nb02.q3, 2.0, "bounces")
    assert "raw feature" in feedback(nb02.q3, 2e-5, "bounces")
    assert "limit should be a number" in feedback(nb02.q3, "one", "bounces")


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


def test_sorting_mistakes():
    kinds = {"slope_scaled": "parameter", "intercept_scaled": "parameter", "learning_rate": "hyperparameter",
             "epochs": "hyperparameter", "grad_slope": "parameter"}
    message = feedback(nb02.q4, kinds)
    assert "'grad_slope' is neither a parameter nor a hyperparameter" in message and "recomputed" in message
    kinds.update(grad_slope="neither", epochs="parameter")
    assert "'epochs' is a hyperparameter" in feedback(nb02.q4, kinds)
    assert "not sorted" in feedback(nb02.q4, {"slope_scaled": "parameter"})


def markdown_02():
    path = Path(__file__).resolve().parent.parent / "notebooks" / "02_gradient_descent.ipynb"
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
