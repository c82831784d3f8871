"""Models whose code shows the lesson: hyperparameters in, parameters out.

Following scikit-learn: every *hyperparameter* is a constructor argument, stored
exactly as given and checked when ``fit`` starts.  Everything *learned* ends in
an underscore (``coef_``, ``intercept_``, ``weights_``, ``history_``) and exists
only after ``fit``.

- ``LinearRegression``: one linear neuron; parameters are the slope(s) and intercept.
- ``LogisticRegression``: one sigmoid neuron for two classes.
- ``MLP``: a multilayer perceptron for classification (softmax) or regression.
"""
import inspect

import numpy as np

from . import validation as v
from .layers import ACTIVATIONS, sigmoid
from .losses import BinaryCrossEntropy, MeanSquaredError, SoftmaxCrossEntropy, softmax
from .initializers import INITIALIZERS
from .network import Network, count_parameters
from .optim import OPTIMIZERS, make_optimizer
from .schedules import SCHEDULES
from .train import History, train_epochs

TASKS = ("classification", "regression")
DTYPES = ("float64", "float32")


class Model:
    """What every nnlib model shares: hyperparameter bookkeeping, fit, predict, summary.

    Subclasses set the fixed parts of their architecture as class attributes
    (e.g. ``LinearRegression.hidden_layers = ()``) and list the rest as
    constructor arguments.
    """

    # Defaults for anything a subclass does not take as a constructor argument.
    hidden_layers = ()
    activation = "identity"
    task = "regression"
    optimizer = "sgd"
    lr_schedule = "constant"
    init = "zeros"
    l1 = 0.0
    l2 = 0.0
    momentum = 0.0
    patience = None
    restore_best = True
    shuffle = True
    dtype = "float64"

    # --- hyperparameters -------------------------------------------------
    @classmethod
    def _hyperparameter_names(cls):
        return [name for name in inspect.signature(cls.__init__).parameters if name != "self"]

    def get_params(self):
        """The hyperparameters, exactly as given to the constructor (a dict)."""
        return {name: getattr(self, name) for name in self._hyperparameter_names()}

    hyperparameters = get_params

    def set_params(self, **hyperparameters):
        """Change hyperparameters by name (they take effect at the next ``fit``); returns self."""
        valid = self._hyperparameter_names()
        for name, value in hyperparameters.items():
            if name not in valid:
                raise ValueError(
                    f"{type(self).__name__} has no hyperparameter {name!r}. "
                    f"Valid hyperparameters: {', '.join(valid)}."
                )
            setattr(self, name, value)
        return self

    def _check_hyperparameters(self):
        v.check_positive("learning_rate", self.learning_rate,
                         "It is the size of each gradient-descent step; typical values are 0.001 to 1.")
        v.check_count("epochs", self.epochs, minimum=1, hint="It is how many passes over the training data to make.")
        if self.batch_size is not None:
            v.check_count("batch_size", self.batch_size, minimum=1,
                          hint="Use None for full-batch gradient descent, 1 for stochastic, e.g. 32 for mini-batches.")
        v.check_non_negative("l1", self.l1, "Use 0 for no L1 regularisation.")
        v.check_non_negative("l2", self.l2, "Use 0 for no L2 regularisation.")
        v.check_fraction("momentum", self.momentum, "Typical values are 0 (none) to 0.9.")
        v.check_hidden_layers(self.hidden_layers)
        v.check_choice("activation", self.activation, list(ACTIVATIONS))
        v.check_choice("task", self.task, list(TASKS))
        v.check_choice("optimizer", self.optimizer, list(OPTIMIZERS))
        v.check_choice("lr_schedule", self.lr_schedule, list(SCHEDULES))
        v.check_choice("init", self.init, list(INITIALIZERS))
        v.check_choice("dtype", self.dtype, list(DTYPES))
        if self.patience is not None:
            v.check_count("patience", self.patience, minimum=1,
                          hint="It is how many epochs without validation improvement to wait; None turns early stopping off.")
        v.check_seed(self.seed)

    # --- building and training -------------------------------------------
    @property
    def _is_classifier(self):
        return self.task == "classification"

    def build(self, n_features, n_outputs):
        """Create the parameters (at their initial values) without training; returns self."""
        self._check_hyperparameters()
        self.rng_ = np.random.default_rng(self.seed)
        self.n_features_in_ = v.check_count("n_features", n_features)
        v.check_count("n_outputs", n_outputs)
        if self._is_classifier and not hasattr(self, "n_classes_"):
            self.n_classes_ = max(n_outputs, 2)
        if not self._is_classifier:
            self.n_outputs_ = n_outputs
        self.network_ = Network(n_features, v.check_hidden_layers(self.hidden_layers), n_outputs,
                                activation=self.activation, init=self.init, rng=self.rng_,
                                dtype=np.dtype(self.dtype))
        self.optimizer_ = make_optimizer(self.optimizer, self.momentum)
        self.history_ = History()
        return self

    def fit(self, X, y, validation_data=None, callback=None):
        """Learn the parameters from training data, starting from fresh initial values.

        X (n_samples, n_features); y (n_samples,) labels or targets.
        ``validation_data=(X_val, y_val)`` adds validation loss/score to ``history_``.
        ``callback(model)`` runs after each epoch; returning False stops training.
        Returns self.
        """
        self._check_hyperparameters()
        X = v.check_features(X)
        y = self._check_y(y, len(X), fitting=True)
        self.build(X.shape[1], self._n_outputs(y))
        return self._train(X, y, self.epochs, validation_data, callback)

    def partial_fit(self, X, y, epochs=1, validation_data=None, callback=None):
        """Train for ``epochs`` more epochs, continuing from the current parameters.

        Builds the model first if it has not been fitted. Lets a live plot or the
        playground train a few epochs at a time. Returns self.
        """
        X = v.check_features(X, n_features=getattr(self, "n_features_in_", None))
        first_time = not hasattr(self, "network_")
        y = self._check_y(y, len(X), fitting=first_time)
        if first_time:
            self.build(X.shape[1], self._n_outputs(y))
        else:
            self._check_hyperparameters()
        return self._train(X, y, v.check_count("epochs", epochs), validation_data, callback)

    def _train(self, X, y, epochs, validation_data, callback):
        dtype = np.dtype(self.dtype)
        if validation_data is not None:
            validation_data = self._check_validation_data(validation_data, dtype)
        elif self.patience is not None:
            raise ValueError(
                "early stopping (patience) watches the validation loss, so fit needs "
                "validation_data=(X_val, y_val); or set patience=None."
            )
        self.loss_ = self._make_loss()
        train_epochs(self, X.astype(dtype, copy=False), self._internal_y(y, dtype), epochs,
                     validation_data, callback)
        return self

    def _check_validation_data(self, validation_data, dtype):
        try:
            X_val, y_val = validation_data
        except (TypeError, ValueError):
            raise ValueError("validation_data must be a pair (X_val, y_val).") from None
        X_val = v.check_features(X_val, "X_val", n_features=self.n_features_in_)
        y_val = self._check_y(y_val, len(X_val), name="y_val")
        return X_val.astype(dtype, copy=False), self._internal_y(y_val, dtype)

    # --- predicting ---------------------------------------------------------
    def _outputs(self, X):
        self._check_fitted()
        X = v.check_features(X, n_features=self.n_features_in_)
        return self.network_.forward(X.astype(self.dtype, copy=False))

    def score(self, X, y):
        """Accuracy (fraction correct) for classifiers, R^2 for regressors."""
        outputs = self._outputs(X)
        y = self._internal_y(self._check_y(y, len(outputs)), np.dtype(self.dtype))
        return self._score_from_outputs(outputs, y)

    def _check_fitted(self):
        if not hasattr(self, "network_"):
            raise v.NotFittedError(
                f"This {type(self).__name__} has not learned any parameters yet: "
                "call fit(X, y) first (or build(n_features, n_outputs) to see the initial ones)."
            )

    # --- parameters ------------------------------------------------------------
    def parameters(self):
        """The learned parameters by name, e.g. {"output.weights": array, "output.biases": array}.

        These are the live arrays that training updates.
        """
        self._check_fitted()
        return self.network_.parameters()

    def set_parameters(self, values):
        """Overwrite the learned parameters from a dict named like ``parameters()``.

        Checks that the names and shapes match, so a wrong array is refused with a clear message.
        """
        current = self.parameters()
        missing, extra = set(current) - set(values), set(values) - set(current)
        if missing or extra:
            raise ValueError(
                f"parameter names do not match this model: missing {sorted(missing)}, unexpected "
                f"{sorted(extra)}. This model has {sorted(current)}."
            )
        for name, array in current.items():
            new = np.asarray(values[name], dtype=float)
            if new.shape != array.shape:
                raise ValueError(f"parameter {name!r} must have shape {array.shape}, got {new.shape}.")
            if not np.all(np.isfinite(new)):
                raise ValueError(f"parameter {name!r} contains NaN or infinite values.")
            array[...] = new
        return self

    @property
    def n_parameters(self):
        """How many numbers training learns (weights + biases)."""
        return sum(array.size for array in self.parameters().values())

    @property
    def weights_(self):
        """The weight matrices, one per Dense layer: [(n_features, units_1), ..., (units_last, n_outputs)]."""
        self._check_fitted()
        return [layer.params["weights"] for layer in self.network_.dense.values()]

    @property
    def biases_(self):
        """The bias vectors, one per Dense layer: [(units_1,), ..., (n_outputs,)]."""
        self._check_fitted()
        return [layer.params["biases"] for layer in self.network_.dense.values()]

    def summary(self):
        """Print each layer's shape and parameter count (like Keras) and the hyperparameters."""
        print(self.summary_text())

    def summary_text(self):
        """The table that ``summary()`` prints, as a string."""
        self._check_fitted()
        lines = [f"{type(self).__name__} summary",
                 f"{'layer':<12}{'weights':>14}{'biases':>10}{'parameters':>13}"]
        for name, layer in self.network_.dense.items():
            w, b = layer.params["weights"], layer.params["biases"]
            shape = f"{w.shape[0]} x {w.shape[1]}"
            lines.append(f"{name:<12}{shape:>14}{b.size:>10}{w.size + b.size:>13,}")
        lines.append(f"{'total (learned by fit)':<36}{self.n_parameters:>13,}")
        lines.append("hyperparameters (chosen by you):")
        lines.extend(f"  {name} = {value!r}" for name, value in self.get_params().items())
        return "\n".join(lines)

    def __repr__(self):
        defaults = {name: p.default for name, p in inspect.signature(type(self).__init__).parameters.items()}
        changed = [f"{name}={value!r}" for name, value in self.get_params().items()
                   if not _same(value, defaults.get(name))]
        return f"{type(self).__name__}({', '.join(changed)})"

    # --- task-specific pieces (regression by default) -------------------------
    def _check_y(self, y, n_samples, name="y", fitting=False):
        if self._is_classifier:
            labels = v.check_labels(y, n_samples, name, training=fitting)
            n_classes = getattr(self, "n_classes_", None)
            if fitting:
                self.n_classes_ = int(labels.max()) + 1
            elif n_classes is not None and labels.max() >= n_classes:
                raise ValueError(
                    f"{name} contains label {labels.max()}, but the model was trained on labels "
                    f"0..{n_classes - 1} only. Use the same label coding as in fit."
                )
            return labels
        targets = v.check_targets(y, n_samples, name)
        if fitting:
            self.n_outputs_ = 1 if targets.ndim == 1 else targets.shape[1]
        elif targets.ndim == 2 and targets.shape[1] != self.n_outputs_:
            raise ValueError(f"{name} has {targets.shape[1]} columns but the model predicts {self.n_outputs_}.")
        return targets

    def _n_outputs(self, y):
        return self.n_classes_ if self._is_classifier else self.n_outputs_

    def _internal_y(self, y, dtype):
        if self._is_classifier:
            return y
        return y.reshape(len(y), -1).astype(dtype, copy=False)

    def _make_loss(self):
        return SoftmaxCrossEntropy() if self._is_classifier else MeanSquaredError()

    def _count_correct(self, scores, y):
        return int(np.count_nonzero(scores.argmax(axis=1) == y))

    def _score_from_outputs(self, outputs, y):
        if self._is_classifier:
            return self._count_correct(outputs, y) / len(y)
        residual = np.sum((outputs - y) ** 2, axis=0)
        total = np.sum((y - y.mean(axis=0)) ** 2, axis=0)
        return float(np.mean(1 - residual / np.where(total > 0, total, 1)))

    def predict(self, X):
        """Predicted targets (n_samples,) — or (n_samples, n_outputs) for several outputs."""
        outputs = self._outputs(X)
        if self._is_classifier:
            return outputs.argmax(axis=1)
        return outputs[:, 0] if self.n_outputs_ == 1 else outputs


class LinearRegression(Model):
    """A straight line (or plane) fitted by gradient descent: y_hat = X @ coef_ + intercept_.

    Hyperparameters: learning_rate, epochs, batch_size (None = all samples per
    step), l2 (ridge penalty on the slopes), momentum, shuffle, seed.
    Parameters after fit: coef_ (n_features,) — the slopes — and intercept_.
    Both start at 0.
    """

    def __init__(self, learning_rate=0.01, epochs=100, batch_size=None, l2=0.0, momentum=0.0,
                 shuffle=True, seed=0):
        self.learning_rate = learning_rate
        self.epochs = epochs
        self.batch_size = batch_size
        self.l2 = l2
        self.momentum = momentum
        self.shuffle = shuffle
        self.seed = seed

    @property
    def coef_(self):
        """The slopes: one weight per feature, shape (n_features,) (or (n_features, n_outputs))."""
        w = self.weights_[0]
        return w[:, 0] if w.shape[1] == 1 else w

    @property
    def intercept_(self):
        """The intercept (bias): the prediction when every feature is 0."""
        b = self.biases_[0]
        return float(b[0]) if b.size == 1 else b


class LogisticRegression(Model):
    """One neuron for two classes: P(y = 1 | x) = sigmoid(x @ coef_ + intercept_).

    Hyperparameters: learning_rate, epochs, batch_size, l2, momentum, shuffle, seed.
    Parameters after fit: coef_ (n_features,) — one weight per feature — and
    intercept_, the bias. Labels must be 0 and 1. Trained with binary cross-entropy.
    """

    task = "classification"

    def __init__(self, learning_rate=0.1, epochs=100, batch_size=None, l2=0.0, momentum=0.0,
                 shuffle=True, seed=0):
        self.learning_rate = learning_rate
        self.epochs = epochs
        self.batch_size = batch_size
        self.l2 = l2
        self.momentum = momentum
        self.shuffle = shuffle
        self.seed = seed

    coef_ = LinearRegression.coef_
    intercept_ = LinearRegression.intercept_

    def _check_y(self, y, n_samples, name="y", fitting=False):
        labels = v.check_labels(y, n_samples, name, training=fitting)
        if labels.max() > 1:
            raise ValueError(
                f"LogisticRegression separates two classes, labelled 0 and 1, but {name} has labels up to "
                f"{labels.max()}. Pick two classes, or use MLP for more than two."
            )
        self.n_classes_ = 2
        return labels

    def _n_outputs(self, y):
        return 1  # one neuron: its output is the log-odds of class 1

    def _internal_y(self, y, dtype):
        return y.reshape(-1, 1).astype(dtype)

    def _make_loss(self):
        return BinaryCrossEntropy()

    def _count_correct(self, scores, y):
        return int(np.count_nonzero((scores > 0) == (y > 0.5)))

    def predict_proba(self, X):
        """Class probabilities (n_samples, 2): columns are P(y = 0) and P(y = 1)."""
        p = sigmoid(self._outputs(X))
        return np.hstack([1 - p, p])

    def predict(self, X):
        """Predicted labels (n_samples,): 1 where P(y = 1) > 0.5, else 0."""
        return (self._outputs(X)[:, 0] > 0).astype(np.intp)


class MLP(Model):
    """A multilayer perceptron trained with backpropagation.

    Architecture hyperparameters: hidden_layers (units per hidden layer, e.g. (16,)
    or (32, 16); () for none), activation ('relu', 'tanh', 'sigmoid', 'identity'),
    init ('auto', 'xavier', 'he', 'normal', 'zeros'), task ('classification' uses
    softmax cross-entropy with labels 0..K-1, 'regression' uses mean squared error).
    Training hyperparameters: learning_rate, epochs, batch_size (None = full batch),
    optimizer ('sgd' or 'adam'), momentum (SGD only), lr_schedule, l1, l2,
    patience (early stopping on validation loss; None = off), restore_best,
    shuffle, dtype ('float64' or 'float32'), seed.
    Parameters after fit: weights_ and biases_ per layer, named in parameters().
    """

    init = "auto"

    def __init__(self, hidden_layers=(16,), activation="tanh", task="classification", learning_rate=0.1,
                 epochs=100, batch_size=32, optimizer="sgd", momentum=0.0, lr_schedule="constant",
                 l1=0.0, l2=0.0, init="auto", patience=None, restore_best=True, shuffle=True,
                 dtype="float64", seed=0):
        self.hidden_layers = hidden_layers
        self.activation = activation
        self.task = task
        self.learning_rate = learning_rate
        self.epochs = epochs
        self.batch_size = batch_size
        self.optimizer = optimizer
        self.momentum = momentum
        self.lr_schedule = lr_schedule
        self.l1 = l1
        self.l2 = l2
        self.init = init
        self.patience = patience
        self.restore_best = restore_best
        self.shuffle = shuffle
        self.dtype = dtype
        self.seed = seed

    def predict_proba(self, X):
        """Class probabilities (n_samples, n_classes); each row sums to 1. Classification only."""
        if not self._is_classifier:
            raise ValueError("predict_proba is for classification; this MLP has task='regression'. Use predict.")
        return softmax(self._outputs(X))


def parameter_count(n_features, hidden_layers, n_outputs):
    """Parameters an MLP with this architecture will learn (validates hidden_layers first)."""
    return count_parameters(n_features, v.check_hidden_layers(hidden_layers), n_outputs)


def _same(a, b):
    try:
        return bool(a == b)
    except ValueError:
        return False
