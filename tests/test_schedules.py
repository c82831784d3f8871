"""nnlib/schedules.py: each learning-rate schedule gives the rate its formula states, and training follows it."""
import numpy as np
import pytest

from nnlib import MLP
from nnlib.datasets import make_moons
from nnlib.schedules import learning_rate_at


def test_adam_and_schedules_train():
    X, y = make_moons(200, noise=0.1, seed=2)
    for schedule in ("step", "exponential", "cosine"):
        model = MLP(hidden_layers=(8,), optimizer="adam", learning_rate=0.05, lr_schedule=schedule, epochs=40).fit(X, y)
        assert model.score(X, y) > 0.85
        assert model.history_.learning_rate[-1] < model.history_.learning_rate[0]


def test_each_schedule_gives_the_rate_its_formula_states():
    """learning_rate=0.4 over epochs=8, at a few epochs, against the docstring's formulas worked out by hand."""
    expected = {
        "constant": {0: 0.4, 3: 0.4, 7: 0.4, 20: 0.4},
        "step": {0: 0.4, 1: 0.4, 2: 0.2, 3: 0.2, 4: 0.1, 7: 0.05},  # halved every quarter of the run
        "exponential": {0: 0.4, 2: 0.4 * 0.01**0.25, 4: 0.04, 8: 0.004},  # 10x smaller halfway, 100x at the end
        "cosine": {0: 0.4, 2: 0.2 * (1 + np.sqrt(0.5)), 4: 0.2, 6: 0.2 * (1 - np.sqrt(0.5)), 8: 0.0, 12: 0.0},
    }
    for schedule, rates in expected.items():
        for epoch, rate in rates.items():
            assert learning_rate_at(epoch, 0.4, schedule, epochs=8) == pytest.approx(rate, rel=1e-12, abs=1e-15), \
                (schedule, epoch)
    short = [learning_rate_at(epoch, 0.4, "step", epochs=3) for epoch in range(3)]
    assert short == [0.4, 0.2, 0.1], "a run shorter than 4 epochs halves the rate every epoch"
