"""Input checks that turn a learner's mistake into one clear message: what was wrong, and what to try.

``nnlib`` checks what a learner can type before any numpy code runs, so a wrong shape never surfaces
as a bare broadcasting error from deep inside a matrix multiply.
"""
import numbers
import warnings

import numpy as np


class NotFittedError(AttributeError):
    """Raised when learned parameters are used before ``fit`` has learned them."""


def check_fitted(model, attribute):
    """Raise NotFittedError, saying what to call, unless ``fit`` (or ``build``) has set ``model.<attribute>``."""
    if not hasattr(model, attribute):
        raise NotFittedError(f"This {type(model).__name__} has not learned any parameters yet: call fit(X, y) "
                             "first (or build(n_features, n_outputs) to see the initial ones).")


def check_features(X, name="X", n_features=None):
    """``X`` as a finite float array (n_samples, n_features); ``n_features``: the columns the model was trained on."""
    X = check_numeric(X, name)
    if X.ndim == 1:
        raise ValueError(f"{name} must be 2-D with shape (n_samples, n_features), but it is 1-D with shape {X.shape}. "
                         f"Reshape your data: {name}.reshape(-1, 1) for a single feature, {name}.reshape(1, -1) for a "
                         "single sample.")
    if X.ndim != 2:
        raise ValueError(f"{name} must be 2-D with shape (n_samples, n_features), but it has {X.ndim} dimensions "
                         f"with shape {X.shape}. Flatten each sample, e.g. {name}.reshape(len({name}), -1).")
    if X.shape[0] == 0:
        raise ValueError(f"{name} has no rows (shape {X.shape}): there is nothing to learn from.")
    if X.shape[1] == 0:
        raise ValueError(f"{name} has 0 feature(s) (shape={X.shape}) while a minimum of 1 is required: it has no "
                         "columns to learn from.")
    check_finite(X, name)
    if n_features is not None and X.shape[1] != n_features:
        raise ValueError(f"{name} has {X.shape[1]} feature(s) per sample, but the model was trained on {n_features}. "
                         "Pass the same columns, in the same order, as in fit.")
    return X


def check_targets(y, n_samples, name="y", n_outputs=None):
    """Regression targets (n,) or (n, k) as a finite float array (n, k); ``n_outputs``: k the model was trained on."""
    y = check_numeric(y, name)
    if y.ndim not in (1, 2):
        raise ValueError(f"{name} must have shape (n_samples,) or (n_samples, n_outputs); got {y.shape}.")
    check_same_length(y, n_samples, name)
    check_finite(y, name)
    y = y.reshape(len(y), -1)
    if n_outputs is not None and y.shape[1] != n_outputs:
        raise ValueError(f"{name} has {y.shape[1]} column(s), but the model predicts {n_outputs} output(s) per sample: "
                         f"pass {name} with shape (n_samples, {n_outputs}), as in fit.")
    return y


def check_labels(y, n_samples, name="y", training=True, n_classes=None):
    """Class labels as an int array (n,) of 0..K-1. Training labels must start at 0 and hold two classes or more
    (most of 0..K-1 absent: a warning, an error past 1,000 classes); labels to score or validate on need only be
    whole numbers >= 0, below ``n_classes`` once it is known."""
    y = check_numeric(y, name)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array of class labels, shape (n_samples,); got shape {y.shape}. "
                         "If it is one-hot encoded, pass y.argmax(axis=1).")
    check_same_length(y, n_samples, name)
    check_finite(y, name)
    if not np.all(y == np.round(y)):
        raise ValueError(f"{name} must hold whole-number class labels 0, 1, ..., K-1, but it has fractional values "
                         f"such as {y[y != np.round(y)][0]} (a continuous target). For a numeric target use a "
                         "regression model (LinearRegression, or MLP(task='regression')).")
    labels = np.unique(y)
    if training and len(labels) < 2:
        raise ValueError(f"{name} contains only one class ({labels[0]:g}): a classifier needs at least two.")
    if labels[0] < 0 or (training and labels[0] != 0):
        raise ValueError(f"class labels must be 0, 1, ..., K-1, but {name} starts at {labels[0]:g}. Recode them, "
                         f"e.g. classes, {name} = np.unique({name}, return_inverse=True).")
    top = labels[-1]
    if training and 2 * len(labels) < top + 1:  # most of the classes 0..top have no sample
        what = (f"{name} has labels up to {top:g}, which asks for {top + 1:g} outputs (classes 0..{top:g}), but "
                f"only {len(labels)} of these classes appear in it")
        recode = (f"Recode them as 0..{len(labels) - 1}: classes, {name} = np.unique({name}, return_inverse=True) "
                  "(then classes[model.predict(X)] gives your labels back).")
        if top >= 1000:
            raise ValueError(f"{what}. Over 1,000 outputs that no sample trains would cost memory and time for "
                             f"nothing (labels up to 10**12 would need terabytes), so nnlib refuses. {recode}")
        warnings.warn(f"{what}: the others get an output each that no sample trains. {recode}", stacklevel=5)
    if n_classes is not None and labels[-1] >= n_classes:
        raise ValueError(f"{name} contains label {labels[-1]:g}, but the model was trained on labels "
                         f"0..{n_classes - 1} only. Use the same label coding as in fit.")
    return y.astype(np.intp)


def check_positive(name, value, hint=""):
    """Return ``value`` as a float after checking that it is a finite number > 0."""
    if not isinstance(value, numbers.Real) or isinstance(value, bool) or not np.isfinite(float(value)) or value <= 0:
        raise ValueError(f"{name} must be a number greater than 0, got {value!r}. {hint}".strip())
    return float(value)


def check_non_negative(name, value, hint=""):
    """Return ``value`` as a float after checking that it is a finite number >= 0."""
    if not isinstance(value, numbers.Real) or isinstance(value, bool) or not np.isfinite(float(value)) or value < 0:
        raise ValueError(f"{name} must be a number >= 0, got {value!r}. {hint}".strip())
    return float(value)


def check_fraction(name, value, hint=""):
    """Return ``value`` after checking that 0 <= value < 1 (the momentum: the fraction of the velocity kept)."""
    value = check_non_negative(name, value, hint)
    if value >= 1:
        raise ValueError(f"{name} must be in [0, 1), got {value!r}. {hint}".strip())
    return value


def check_count(name, value, minimum=1, hint=""):
    """Return ``value`` as an int after checking it is a whole number >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(f"{name} must be a whole number >= {minimum}, got {value!r}. {hint}".strip())
    return int(value)


def check_choice(name, value, choices):
    """Return ``value`` after checking it is one of ``choices`` (a list of names)."""
    if value not in choices:
        valid = ", ".join(repr(c) for c in choices)
        raise ValueError(f"unknown {name} {value!r}. Choose one of: {valid}.")
    return value


def check_hidden_layers(hidden_layers):
    """Return the architecture as a tuple of ints, e.g. (16, 8), or () for no hidden layer."""
    if isinstance(hidden_layers, numbers.Integral) and not isinstance(hidden_layers, bool):
        hidden_layers = (hidden_layers,)  # one hidden layer, as scikit-learn's hidden_layer_sizes=16 means
    if isinstance(hidden_layers, (str, bytes)) or not hasattr(hidden_layers, "__iter__"):
        raise ValueError("hidden_layers must list the number of units in each hidden layer, e.g. (16,) or "
                         f"(32, 16); got {hidden_layers!r}.")
    units = tuple(hidden_layers)
    for i, n in enumerate(units, start=1):
        check_count(f"hidden layer {i} units", n, minimum=1,
                    hint="Every hidden layer needs at least one unit; use hidden_layers=() for no hidden layer.")
    return tuple(int(n) for n in units)


def check_parameter_values(current, values):
    """New parameter values {name: array} as float arrays, after checking names, shapes and finiteness."""
    missing, extra = set(current) - set(values), set(values) - set(current)
    if missing or extra:
        raise ValueError(f"parameter names do not match this model: missing {sorted(missing)}, unexpected "
                         f"{sorted(extra)}. This model has {sorted(current)}.")
    checked = {}
    for name, array in current.items():
        checked[name] = np.asarray(values[name], dtype=float)
        if checked[name].shape != array.shape:
            raise ValueError(f"parameter {name!r} must have shape {array.shape}, got {checked[name].shape}.")
        if not np.all(np.isfinite(checked[name])):
            raise ValueError(f"parameter {name!r} contains NaN or infinite values.")
    return checked


def check_hyperparameters(hyperparameters, choices):
    """A model's hyperparameters {name: value}, each checked by its name's rule and returned in the form training
    uses (a float learning rate, a tuple of hidden layers, ...); ``choices`` maps names to their valid options."""
    return {name: check_choice(name, value, list(choices[name])) if name in choices
            else _HYPERPARAMETER_RULES.get(name, lambda v: v)(value) for name, value in hyperparameters.items()}


def check_y_given(y, model):
    """Refuse a missing y, worded as scikit-learn words it so that its tools recognise the refusal."""
    if y is None:
        raise ValueError(f"{model} requires y to be passed, but the target y is None: fit learns from examples with "
                         "their answers, one per row of X.")


def check_callback(callback):
    """Refuse a ``callback`` that is neither None nor a function (fit calls it with the model after each epoch)."""
    if callback is not None and not callable(callback):
        raise ValueError(f"callback must be a function, which fit calls with the model after each epoch, e.g. "
                         f"callback=lambda model: print(model.history_.loss[-1]); got {callback!r}.")


def check_validation_data(validation_data, patience):
    """``validation_data`` as a pair (X_val, y_val), or None when early stopping (``patience``) does not need it."""
    if validation_data is None and patience is not None:
        raise ValueError("early stopping (patience) watches the validation loss, so fit needs "
                         "validation_data=(X_val, y_val); or set patience=None.")
    if validation_data is not None and (not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2):
        raise ValueError("validation_data must be a pair (X_val, y_val).")
    return validation_data


def check_batches_for_batch_norm(n_samples, batch_size):
    """Refuse mini-batches of one sample under batch normalisation: one sample is its own mean, its variance 0."""
    size = n_samples if batch_size is None else min(batch_size, n_samples)
    if size == 1 or n_samples % size == 1:
        which = "every mini-batch" if size == 1 else f"the last of its mini-batches of {size}"
        raise ValueError(f"batch normalisation needs at least 2 samples per mini-batch (one sample is its own mean, so "
                         f"its variance is 0), but with {n_samples} training samples {which} has one. Choose another "
                         f"batch_size (e.g. {size + 1 if size > 1 else 32}), or batch_norm=False.")


def check_unchanged(now, built, names):
    """Refuse to go on training (partial_fit) after a hyperparameter in ``names`` changed since the network was built:
    ``now`` and ``built`` are {name: value} dicts."""
    changed = [f"{name} is {value!r} now but was {built[name]!r}" for name, value in now.items()
               if name in names and repr(value) != repr(built[name])]
    if changed:
        raise ValueError(f"partial_fit goes on training the network and optimiser that fit built, and since then "
                         f"{'; '.join(changed)}. Call fit(X, y) to build and train a new one with these values.")


def check_float32_range(array, name):
    """Refuse float64 values a float32 model would turn into inf (beyond the largest float32 number)."""
    big = np.finfo(np.float32).max
    if array.dtype == np.float64 and (array.max() > big or array.min() < -big):
        raise ValueError(f"{name} holds values beyond ±{big:.4g}, the largest float32 number, so this dtype='float32' "
                         f"model would turn them into inf. Standardise {name} (subtract its mean, divide by its "
                         "standard deviation) or use dtype='float64'.")


def check_seed(seed):
    """Return ``seed`` after checking it is something ``np.random.default_rng`` accepts."""
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0):
        raise ValueError(f"seed must be a whole number >= 0 (or None for a different run each time); got {seed!r}.")
    return seed


_HYPERPARAMETER_RULES = {
    "learning_rate": lambda v: check_positive(
        "learning_rate", v, "It is the size of each gradient-descent step; typical values are 0.001 to 1."),
    "epochs": lambda v: check_count("epochs", v, hint="It is how many passes over the training data to make."),
    "batch_size": lambda v: None if v is None else check_count(
        "batch_size", v, hint="Use None for full-batch gradient descent, 1 for stochastic, e.g. 32 for mini-batches."),
    "l1": lambda v: check_non_negative("l1", v, "Use 0 for no L1 regularisation."),
    "l2": lambda v: check_non_negative("l2", v, "Use 0 for no L2 regularisation."),
    "momentum": lambda v: check_fraction("momentum", v, "Typical values are 0 (none) to 0.9."),
    "batch_norm_momentum": lambda v: check_fraction("batch_norm_momentum", v, "Typical values are 0.9 to 0.99."),
    "dropout": lambda v: check_fraction("dropout", v, "It is the fraction of hidden units dropped in training; 0 for "
                                        "none, often 0.1 to 0.5."),
    "weight_decay": lambda v: check_non_negative("weight_decay", v, "Use 0 for none; with Adam, typical values are "
                                                 "1e-4 to 1e-1."),
    "patience": lambda v: None if v is None else check_count(
        "patience", v, hint="It is how many epochs without validation improvement to wait; None turns early stopping "
        "off."),
    "hidden_layers": check_hidden_layers,
    "seed": check_seed,
}


def check_numeric(values, name):
    """``values`` as a numpy array of real numbers (float32 stays float32, anything else becomes float64)."""
    if values is None:
        raise ValueError(f"{name} is None: pass a numpy array (or a list of numbers).")
    if hasattr(values, "toarray"):  # a scipy.sparse matrix, e.g. from a text vectoriser
        raise ValueError(f"{name} is a sparse matrix, and nnlib needs a dense array: pass {name}.toarray().")
    try:
        array = np.asarray(values)
        # float32 stays float32 (a float64 copy of a large X would cost as much as the matrix products)
        if array.dtype not in (np.float32, np.float64) and array.dtype.kind != "c":
            array = array.astype(float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must contain only numbers, but it could not be converted to a float array (does "
                         "it contain text or missing entries?).") from None
    if array.dtype.kind == "c":  # casting to float would drop the imaginary parts without a word
        raise ValueError(f"Complex data not supported: {name} holds complex numbers, and nnlib works with real numbers "
                         f"only. Pass the part you mean, e.g. {name}.real or np.abs({name}).")
    return array


def check_same_length(y, n_samples, name="y"):
    """Refuse ``y`` unless it has one entry per row of X (``n_samples`` rows)."""
    if len(y) != n_samples:
        raise ValueError(f"X has {n_samples} samples (rows) but {name} has {len(y)}: they must have one {name} "
                         "per row of X. Did you split or filter only one of them?")


def check_finite(array, name):
    """Refuse NaN and infinite values, counting them and saying how to drop them."""
    if not np.all(np.isfinite(array)):
        n_nan, n_inf = int(np.isnan(array).sum()), int(np.isinf(array).sum())
        keep = f"np.isfinite({name}).all(axis=1)" if array.ndim == 2 else f"np.isfinite({name})"
        raise ValueError(f"{name} contains {n_nan} NaN and {n_inf} infinite value(s). Remove those "
                         f"{'rows' if array.ndim == 2 else 'entries'} (e.g. keep = {keep}) or fill them in before "
                         "training.")
