"""Weight initialisation: where the parameters start. The *choice* of initialiser is a hyperparameter;
the numbers it draws are the parameters' starting values. Biases always start at zero."""
import numpy as np

from .input_checks import check_choice

INITIALIZERS = ("auto", "xavier", "he", "normal", "zeros")


def resolve(method, activation):
    """The initialiser that ``method`` means for units with this activation ("auto" picks one)."""
    check_choice("init", method, INITIALIZERS)
    if method == "auto":
        return "he" if activation == "relu" else "xavier"
    return method


def initial_weights(n_inputs, n_units, method, rng):
    """Draw a weight matrix of shape (n_inputs, n_units).

    - ``"xavier"`` (Glorot): uniform in +-sqrt(6 / (n_inputs + n_units)); keeps the
      variance of tanh/sigmoid layers steady from layer to layer.
    - ``"he"``: normal with std sqrt(2 / n_inputs); the same idea for ReLU, which
      zeroes half its inputs.
    - ``"normal"``: normal with std 0.01, the naive choice that makes deep nets stall.
    - ``"zeros"``: all zeros. Fine for a linear model (one neuron); in a network every
      hidden unit then computes the same thing forever, so the layer acts as one unit.
    - ``"auto"`` (see ``resolve``): ``"he"`` for ReLU, ``"xavier"`` otherwise.
    """
    method = resolve(method, activation=None)
    if method == "xavier":
        limit = np.sqrt(6.0 / (n_inputs + n_units))
        weights = rng.uniform(-limit, limit, size=(n_inputs, n_units))
    elif method == "he":
        weights = rng.normal(0.0, np.sqrt(2.0 / n_inputs), size=(n_inputs, n_units))
    elif method == "normal":
        weights = rng.normal(0.0, 0.01, size=(n_inputs, n_units))
    else:
        weights = np.zeros((n_inputs, n_units))
    return weights
