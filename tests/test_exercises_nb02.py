"""Exercises of notebook 02: every solution passes, typical mistakes get their specific feedback."""
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


def test_prediction_mistakes(namespace):
    ns = namespace
    w, b, mean, sd = ns["slope_scaled"], ns["intercept_scaled"], ns["mean_mm"], ns["sd_mm"]
    assert "Standardise it first" in feedback(nb02.q2, w * 210 + b)
    assert "divide by the standard deviation" in feedback(nb02.q2, w * (210 - mean) + b)
    assert "subtract the mean" in feedback(nb02.q2, w * 210 / sd + b)
    assert "plausible penguin" in feedback(nb02.q2, 4200.0)
    assert feedback(nb02.q2, 4653.0 + 50) is not None
    assert nb02.q2.feedback(49.685566 * 210 - 5780.8314)[0] == "correct"


def test_learning_rate_mistakes():
    assert "one step lands exactly" in feedback(nb02.q3, 0.5)
    assert "diverges" in feedback(nb02.q3, 1.1)
    assert "raw feature" in feedback(nb02.q3, 2e-5)
    assert "larger rates do too" in feedback(nb02.q3, 0.2)
    assert nb02.q3.feedback(0.99)[0] == "correct"


def test_the_claimed_limit_is_true(namespace):
    """Just below 1 converges, just above diverges: what the checker of 02.3 asserts."""
    x = (namespace["x"] - namespace["mean_mm"]) / namespace["sd_mm"]
    y = namespace["y"]
    below = nnlib.LinearRegression(learning_rate=0.98, epochs=2000).fit(x.reshape(-1, 1), y)
    assert not below.history_.diverged and below.coef_[0] == pytest.approx(namespace["slope_scaled"], rel=1e-6)
    with pytest.warns(nnlib.DivergenceWarning):
        above = nnlib.LinearRegression(learning_rate=1.02, epochs=2000).fit(x.reshape(-1, 1), y)
    assert above.history_.diverged


def test_sorting_mistakes():
    kinds = {"slope_scaled": "parameter", "intercept_scaled": "parameter", "learning_rate": "hyperparameter",
             "epochs": "hyperparameter", "grad_slope": "parameter"}
    message = feedback(nb02.q4, kinds)
    assert "'grad_slope' is neither a parameter nor a hyperparameter" in message and "recomputed" in message
    kinds.update(grad_slope="neither", epochs="parameter")
    assert "'epochs' is a hyperparameter" in feedback(nb02.q4, kinds)
    assert "not sorted" in feedback(nb02.q4, {"slope_scaled": "parameter"})
