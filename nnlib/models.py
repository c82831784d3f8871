"""Models whose code shows the lesson: hyperparameters in, parameters out.

As in scikit-learn, every *hyperparameter* is a constructor argument, stored as given and checked once, when ``fit``
starts; what ``fit`` sets ends in an underscore: the learned parameters (``coef_``, ``intercept_``, ``weights_``,
``biases_``) and records such as ``history_``. A model is a network plus a loss, which fixes the task. What
tools also ask of a model (scikit-learn's ``get_params``, tags, ``predict_proba``; ``summary``; ``epoch_orders``) is in
``nnlib.estimator``.
"""
import numpy as np

from . import input_checks as check
from .estimator import Estimator
from .history import History
from .initializers import INITIALIZERS
from .layers import ACTIVATIONS
from .losses import BinaryCrossEntropy, MeanSquaredError, SoftmaxCrossEntropy, WeightPenalty
from .network import Network
from .optim import OPTIMIZERS, Custom, make_optimizer
from .schedules import SCHEDULES, schedule
from .train import Plan, train_epochs

TASKS = {"classification": SoftmaxCrossEntropy, "regression": MeanSquaredError}
CHOICES = {"activation": ACTIVATIONS, "optimizer": OPTIMIZERS, "lr_schedule": SCHEDULES,
           "init": (*INITIALIZERS, "auto"), "dtype": ("float64", "float32"), "task": TASKS, "batch_norm": (False, True)}
BUILT_FROM = ("hidden_layers", "activation", "init", "task", "dtype", "seed", "optimizer", "momentum", "batch_norm",
              "batch_norm_momentum", "dropout")


class Model(Estimator):
    """What every model shares. A subclass names its loss (``loss_type``) and lists every choice training makes."""

    def choices(self):
        """Every choice fit reads, by name: the hyperparameters (a simpler model adds the choices it fixes)."""
        return self.get_params()

    def fit(self, X, y, validation_data=None, callback=None):
        """Learn the parameters from X (n_samples, n_features) and y (n_samples,), from fresh initial values.

        validation_data=(X_val, y_val) adds validation loss and score to ``history_``. callback(model) runs after each
        epoch (False or 0 stops training), and ``callback.on_train_end(model)``, if it exists, at the end."""
        choices = self._checked_choices()
        X, y = self._start(X, y, choices)
        return self._train(X, y, choices["epochs"], validation_data, callback, choices)

    def partial_fit(self, X, y, epochs=1, validation_data=None, callback=None):
        """Train ``epochs`` more epochs from the current parameters (built the first time); returns self.
        Changed training hyperparameters (learning_rate, l2, ...) apply; those ``build`` used must be as built."""
        epochs, choices = check.check_count("epochs", epochs), self._checked_choices()
        if hasattr(self, "network_"):
            check.check_unchanged(self.get_params(), self.trained_with_, BUILT_FROM)
            X, y = self._data(X, y)
        else:
            X, y = self._start(X, y, choices)
        self._train(X, y, epochs, validation_data, callback, choices)
        self.trained_with_ = self.get_params()  # those epochs used the current training hyperparameters
        return self

    def build(self, n_features, n_outputs):
        """Create the parameters at their initial values (drawn from ``seed``) without training; returns self."""
        return self._build(n_features, n_outputs, self._checked_choices())

    def _checked_choices(self):
        """choices(), each checked once, here where it enters (a Custom optimiser is your own: no name to check)."""
        choices = self.choices()
        return {**choices, **check.check_hyperparameters(
            {name: value for name, value in choices.items() if not isinstance(value, Custom)}, CHOICES)}

    def _build(self, n_features, n_outputs, choices):
        self.loss_, self.rng_, self.history_ = self.loss_type(), np.random.default_rng(choices["seed"]), History()
        self.n_features_in_ = check.check_count("n_features", n_features)
        self.n_outputs_ = self.loss_.check_n_outputs(n_outputs)
        self.network_ = Network(n_features, choices["hidden_layers"], n_outputs, activation=choices["activation"],
                                init=choices["init"], rng=self.rng_, dtype=choices["dtype"], dropout=choices["dropout"],
                                batch_norm=choices["batch_norm_momentum"] if choices["batch_norm"] else None)
        self.optimizer_ = make_optimizer(choices["optimizer"], choices["momentum"])
        self.trained_with_ = self.get_params()  # what the parameters come from: save writes this, not later set_params
        return self

    def _start(self, X, y, choices):
        """Check the training data and build fresh parameters sized for it; returns (X, y) ready to train on."""
        check.check_y_given(y, type(self).__name__)
        X, loss = check.check_features(X), self.loss_type()
        y = loss.targets(y, len(X), training=True)
        self._build(X.shape[1], loss.n_outputs(y), choices)
        return self._as_dtype(X, "X"), self._as_dtype(y, "y")

    def _data(self, X, y, names=("X", "y")):
        """(X, y) checked against the fitted model, in its number format and its loss's form."""
        X = check.check_features(X, names[0], n_features=self._fitted().n_inputs)
        y = self.loss_.targets(y, len(X), names[1], n_outputs=self.n_outputs_)
        return self._as_dtype(X, names[0]), self._as_dtype(y, names[1])

    def _as_dtype(self, array, name):
        """Features and float targets in the network's number format; integer labels stay labels."""
        if self.network_.dtype == "float32":
            check.check_float32_range(array, name)
        return array.astype(self.network_.dtype, copy=False) if array.dtype.kind == "f" else array

    def _train(self, X, y, epochs, validation_data, callback, choices):
        check.check_callback(callback)
        if choices["batch_norm"]:
            check.check_batches_for_batch_norm(len(X), choices["batch_size"])
        if check.check_validation_data(validation_data, choices["patience"]) is not None:
            validation_data = self._data(*validation_data, names=("X_val", "y_val"))
        lr_schedule = schedule(choices["lr_schedule"], choices["epochs"], last_epoch=self.history_.epochs + epochs - 1)
        plan = Plan(epochs, choices["batch_size"], choices["learning_rate"], self.rng_, choices["shuffle"],
                    choices["patience"], choices["restore_best"], lr_schedule, choices["epochs"])
        penalty = WeightPenalty(choices["l1"], choices["l2"], choices["weight_decay"])
        train_epochs(self.network_, self.loss_, self.optimizer_, penalty,
                     (X, y, validation_data), plan, self.history_, None if callback is None else lambda: callback(self))
        if self.history_.diverged:  # the momentum of the blown-up steps would carry the next call away again
            self.optimizer_ = make_optimizer(choices["optimizer"], choices["momentum"])
        if hasattr(callback, "on_train_end"):  # e.g. TrainingMonitor: told of every stop, a blow-up's too
            callback.on_train_end(self)
        return self

    def scores(self, X):
        """The network's raw outputs (n_samples, n_outputs): the logits for a classifier."""
        X = check.check_features(X, n_features=self._fitted().n_inputs)
        return self.network_.forward(self._as_dtype(X, "X"))

    def predict(self, X):
        """Predicted labels (n_samples,), or predicted targets (n_samples,) / (n_samples, n_outputs)."""
        scores = self.scores(X)  # first: it says so if the model is not fitted yet
        return self.loss_.predict(scores)

    def probabilities(self, X):
        """Class probabilities (n_samples, n_classes) for X (n_samples, n_features); each row sums to 1."""
        scores = self.scores(X)
        return self.loss_.probabilities(scores)

    def score(self, X, y):
        """Accuracy (fraction correct) for classifiers, R² for regressors."""
        X, y = self._data(X, y)
        return self.loss_.score(self.network_.forward(X), y)

    def data_loss(self, X, y):
        """The loss on (X, y) without the L1/L2 penalty: what ``history_`` records as loss and val_loss."""
        X, y = self._data(X, y)
        return self.loss_.value(self.network_.forward(X), y)

    def _fitted(self):
        check.check_fitted(self, "network_")
        return self.network_

    def parameters(self):
        """The learned parameters by name, e.g. {"output.weights": array, ...}: the live arrays training updates."""
        return self._fitted().parameters()

    def statistics(self):
        """Batch normalisation's running statistics by name ({} without it): learned from the training data, not by
        gradient descent, like a Standardizer's mean and scale."""
        return self._fitted().statistics()

    def set_parameters(self, values):
        """Overwrite the learned parameters (and running statistics) from a dict named like ``parameters()`` (and
        ``statistics()``), checked first."""
        self._fitted().set_parameters(values)
        return self

    @property
    def n_parameters(self):
        """How many numbers training learns (weights + biases)."""
        return sum(array.size for array in self.parameters().values())

    @property
    def weights_(self):
        """The weight matrices, one per Dense layer: [(n_features, units_1), ..., (units_last, n_outputs)]."""
        return self._fitted().weights()

    @property
    def biases_(self):
        """The bias vectors, one per Dense layer: [(units_1,), ..., (n_outputs,)]."""
        return self._fitted().biases()


class OneNeuron(Model):
    """A single neuron on the features: scores = X @ coef_ + intercept_ (no hidden layer, weights start at 0)."""

    def __init__(self, learning_rate=0.01, epochs=100, batch_size=None, l2=0.0, momentum=0.0, shuffle=True, seed=0):
        self.learning_rate, self.epochs, self.batch_size = learning_rate, epochs, batch_size
        self.l2, self.momentum, self.shuffle, self.seed = l2, momentum, shuffle, seed

    def choices(self):
        """The hyperparameters, and what one neuron fixes: no hidden layer, weights from 0, plain SGD, ..."""
        return {**self.get_params(), "hidden_layers": (), "activation": "identity", "init": "zeros",
                "optimizer": "sgd", "lr_schedule": "constant", "l1": 0.0, "patience": None, "restore_best": True,
                "dtype": "float64", "dropout": 0.0, "batch_norm": False, "batch_norm_momentum": 0.9,
                "weight_decay": 0.0}

    @property
    def coef_(self):
        """The slopes: one weight per feature, shape (n_features,) (or (n_features, n_outputs))."""
        return self.weights_[0][:, 0] if self.weights_[0].shape[1] == 1 else self.weights_[0]

    @property
    def intercept_(self):
        """The intercept (bias): the score when every feature is 0."""
        return float(self.biases_[0][0]) if self.biases_[0].size == 1 else self.biases_[0]


class LinearRegression(OneNeuron):
    """A straight line (or plane) fitted by gradient descent on squared error: y_hat = X @ coef_ + intercept_.

    Hyperparameters (OneNeuron's constructor): learning_rate, epochs, batch_size (None = all samples per step), l2
    (ridge penalty on the slopes), momentum, shuffle; setting: seed. Parameters after fit: coef_ and intercept_.
    """

    loss_type = property(lambda self: MeanSquaredError)  # the loss (for every model, a property)


class LogisticRegression(OneNeuron):
    """One neuron for two classes, labels 0 and 1: P(y = 1 | x) = sigmoid(x @ coef_ + intercept_), binary cross-entropy.

    Hyperparameters as LinearRegression's. Parameters after fit: coef_, one weight per feature, and intercept_.
    """

    loss_type = property(lambda self: BinaryCrossEntropy)

    def __init__(self, learning_rate=0.1, epochs=100, batch_size=None, l2=0.0, momentum=0.0, shuffle=True, seed=0):
        super().__init__(learning_rate, epochs, batch_size, l2, momentum, shuffle, seed)


class MLP(Model):
    """A multilayer perceptron trained with backpropagation.

    Architecture: hidden_layers (units per hidden layer, e.g. (16,) or (32, 16); () for none), activation ('relu',
    'tanh', 'sigmoid', 'identity'), init ('auto', 'xavier', 'he', 'normal', 'zeros'), batch_norm (after each hidden
    Dense; its running statistics' batch_norm_momentum), dropout (the rate after each hidden activation). Training:
    learning_rate, epochs, batch_size (None = full batch), optimizer ('sgd', 'adam', or your step rule as
    ``Custom(step)``), momentum (SGD), lr_schedule, l1, l2, weight_decay (decoupled: with Adam, AdamW), patience (early
    stopping; None = off), restore_best, shuffle. Settings:
    task ('classification', softmax cross-entropy on labels 0..K-1, or 'regression', squared error), dtype, seed.
    Parameters after fit: weights_ and biases_, one per layer, named in parameters().
    """

    def __init__(self, hidden_layers=(16,), activation="tanh", task="classification", learning_rate=0.1, epochs=100,
                 batch_size=32, optimizer="sgd", momentum=0.0, lr_schedule="constant", l1=0.0, l2=0.0, init="auto",
                 patience=None, restore_best=True, shuffle=True, dtype="float64", seed=0, dropout=0.0, batch_norm=False,
                 batch_norm_momentum=0.9, weight_decay=0.0):
        self.hidden_layers, self.activation, self.init = hidden_layers, activation, init  # the architecture
        self.dropout, self.batch_norm, self.batch_norm_momentum = dropout, batch_norm, batch_norm_momentum
        self.learning_rate, self.epochs, self.batch_size = learning_rate, epochs, batch_size  # how it is trained
        self.optimizer, self.momentum, self.lr_schedule = optimizer, momentum, lr_schedule
        self.l1, self.l2, self.patience, self.restore_best, self.shuffle = l1, l2, patience, restore_best, shuffle
        self.weight_decay = weight_decay
        self.task, self.dtype, self.seed = task, dtype, seed  # settings of the experiment, not tuned

    @property
    def loss_type(self):
        """The loss that ``task`` names (checked when fit starts; before, an unknown task reads as classification)."""
        return TASKS.get(self.task, SoftmaxCrossEntropy)
