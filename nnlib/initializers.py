"""Weight initialisation: where the parameters start. The *choice* of initialiser is a hyperparameter;
the numbers it draws are the parameters' starting values. Biases always start at zero. Each initialiser
draws a weight matrix (n_inputs, n_units) from the generator ``rng``."""
import numpy as np

from .input_checks import check_choice


def xavier(n_inputs, n_units, rng):
    """Glorot: uniform in +-sqrt(6 / (n_inputs + n_units)); keeps the variance of tanh/sigmoid layers steady."""
    limit = np.sqrt(6.0 / (n_inputs + n_units))
    return rng.uniform(-limit, limit, size=(n_inputs, n_units))


def he(n_inputs, n_units, rng):
    """Normal with std sqrt(2 / n_inputs): the same idea for ReLU, which zeroes half its inputs."""
    return rng.normal(0.0, np.sqrt(2.0 / n_inputs), size=(n_inputs, n_units))


def normal(n_inputs, n_units, rng):
    """Normal with std 0.01: the naive choice that makes deep networks stall."""
    return rng.normal(0.0, 0.01, size=(n_inputs, n_units))


def zeros(n_inputs, n_units, rng):
    """All zeros. Fine for one neuron; in a network every hidden unit then computes the same thing forever."""
    return np.zeros((n_inputs, n_units))


INITIALIZERS = {initializer.__name__: initializer for initializer in (xavier, he, normal, zeros)}


def resolve(method, activation):
    """The initialiser ``method`` names for units with this activation: "auto" is He for ReLU, Xavier otherwise."""
    return "he" if method == "auto" and activation == "relu" else "xavier" if method == "auto" else method


def initial_weights(n_inputs, n_units, method, rng):
    """A weight matrix (n_inputs, n_units) drawn by the initialiser named ``method`` ("xavier", "he", ...)."""
    return INITIALIZERS[check_choice("init", method, list(INITIALIZERS))](n_inputs, n_units, rng)  # Dense(init=...)
