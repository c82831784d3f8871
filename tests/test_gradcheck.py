"""nnlib/gradcheck.py: the finite-difference tool that every backward pass is checked with is itself right."""
import numpy as np
import pytest

from nnlib import MLP, NotFittedError
from nnlib.datasets import make_moons
from nnlib.gradcheck import check_model, numerical_gradient, relative_error


def test_numerical_gradient_of_a_known_function():
    x = np.array([1.0, -2.0, 3.0])
    assert relative_error(numerical_gradient(lambda: np.sum(x**3), x), 3 * x**2) < 1e-8


def test_gradient_check_of_an_unfitted_model_says_fit_first():
    X, y = make_moons(40, seed=0)
    with pytest.raises(NotFittedError, match=r"has not learned any parameters yet: call fit"):
        check_model(MLP(), X, y)
